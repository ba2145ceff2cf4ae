import { describe, expect, it } from 'vitest';
import { ACCESS_ROLES, accessTo, ACTIONS, may, PERMISSIONS, reachOf, refusalOf } from './permissions.ts';

describe('who may do what', () => {
  it('names every action noun.verb, with roles of the five and a Chinese label', () => {
    expect(ACTIONS.length).toBeGreaterThan(30);
    for (const action of ACTIONS) {
      const p = PERMISSIONS[action];
      expect(action, action).toMatch(/^[a-z_]+\.[a-z_]+$/);
      expect(p.label, action).toMatch(/[\u4e00-\u9fff]/);
      expect(p.roles.length, action).toBeGreaterThan(0);
      for (const r of p.roles) expect(ACCESS_ROLES, action).toContain(r);
      for (const r of Object.keys('reach' in p ? p.reach : {}))
        expect(p.roles as readonly string[], `${action}: reach of ${r}, who may not`).toContain(r);
    }
  });

  it('answers by role', () => {
    expect(may('district', 'audit.read')).toBe(true);
    expect(may('street', 'audit.read')).toBe(false);
    expect(may('adviser', 'import.run')).toBe(false);
    expect(may('committee', 'import.run')).toBe(false);
    expect(may('street', 'import.run')).toBe(true);
    expect(may('adviser', 'tag.write')).toBe(false);
    expect(may('adviser', 'tag.assign')).toBe(true);
    expect(may('system', 'policy.draft')).toBe(false);
    expect(may('nobody', 'resident.view')).toBe(false);
    expect(reachOf('adviser', 'lead.update')).toBe('self');
    expect(reachOf('street', 'lead.update')).toBe('area');
    expect(reachOf('street', 'policy.withdraw')).toBe('unit');
    expect(reachOf('district', 'policy.withdraw')).toBe('area');
    expect(reachOf('committee', 'policy.withdraw')).toBeNull();
  });

  it('answers for a target: outside the area, past the reach, or allowed', () => {
    const street = { username: 's', role: 'street', orgCode: '310105001' };
    const adviser = { username: 'a', role: 'adviser', orgCode: '310105001001' };
    expect(accessTo(street, 'resident.view', { orgCode: '310105001001' })).toBe('allowed');
    expect(accessTo(street, 'resident.view', { orgCode: '310105102027' })).toBe('outside');
    expect(accessTo(street, 'resident.view', { orgCode: null })).toBe('outside');
    expect(accessTo(street, 'policy.publish', { orgCode: '310105001' })).toBe('allowed');
    expect(accessTo(street, 'policy.publish', { orgCode: '310105' })).toBe('outside');
    expect(
      accessTo({ ...street, role: 'district', orgCode: '310105' }, 'policy.publish', { orgCode: '310105001' }),
    ).toBe('beyond');
    expect(
      accessTo({ ...street, role: 'district', orgCode: '310105' }, 'policy.withdraw', { orgCode: '310105001' }),
    ).toBe('allowed');
    expect(accessTo(adviser, 'lead.update', { orgCode: '310105001001', by: 'a' })).toBe('allowed');
    expect(accessTo(adviser, 'lead.update', { orgCode: '310105001001', by: 'b' })).toBe('beyond');
    expect(accessTo(adviser, 'lead.update', { orgCode: '310105001001', by: null })).toBe('beyond');
    expect(accessTo(adviser, 'lead.update', { orgCode: '310105001002', by: 'a' })).toBe('outside');
    expect(accessTo(adviser, 'tag.write')).toBe('refused');
    expect(
      accessTo({ username: 'system', role: 'system', orgCode: '' }, 'user.unlock', { orgCode: '310105102027' }),
    ).toBe('allowed');
    expect(refusalOf('lead.update', 'beyond')).toBe('救助顾问只能处理分派给自己的线索');
    expect(refusalOf('tag.write', 'refused')).toBe('救助顾问不能新建或修改标签');
    expect(refusalOf('audit.read', 'refused')).toBeNull();
  });
});
