import { describe, expect, it } from 'vitest';
import type { OrgNode } from '../../api/types.ts';
import { orgChoices, orgFitsRole, USERNAME_PATTERN } from './user-form.ts';

const unit = (code: string, level: string, children: OrgNode[] = []): OrgNode => ({
  code,
  name: code,
  level,
  parentCode: null,
  children,
});
const tree = unit('310105', 'district', [
  unit('310105001', 'street', [unit('310105001001', 'committee')]),
  unit('310105002', 'street'),
]);

describe('new account form', () => {
  it('lets a street account choose streets only', () => {
    const [root] = orgChoices(tree, 'street');
    expect(root).toMatchObject({ value: '310105', selectable: false, disabled: true });
    expect(root!.children!.map((c) => [c.value, c.selectable])).toEqual([
      ['310105001', true],
      ['310105002', true],
    ]);
    expect(root!.children![0]!.children).toBeUndefined(); // committees cut away
  });

  it('binds advisers to committees and drops branches without one', () => {
    const [root] = orgChoices(tree, 'adviser');
    expect(root!.children!.map((c) => c.value)).toEqual(['310105001']);
    expect(root!.children![0]!.children!.map((c) => [c.value, c.selectable])).toEqual([['310105001001', true]]);
  });

  it('checks that a chosen unit fits a role', () => {
    expect(orgFitsRole(tree, 'committee', '310105001001')).toBe(true);
    expect(orgFitsRole(tree, 'street', '310105001001')).toBe(false);
    expect(orgFitsRole(tree, 'district', undefined)).toBe(false);
  });

  it("uses the server's username rule", () => {
    expect(USERNAME_PATTERN.test('adviser.310105001001')).toBe(true);
    expect(USERNAME_PATTERN.test('a')).toBe(false);
    expect(USERNAME_PATTERN.test('张三')).toBe(false);
  });
});
