/**
 * GET /api/audit: district administrators read the trail of their area, page by page, with
 * filters, and find who looked at a person; everyone else is refused; each read is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, sampleApi, type SampleApi } from '../../test/helpers.ts';
import { systemScope } from '../auth/scope.ts';
import type { AuditPage, AuditVerification } from './audit.schema.ts';

const ACCOUNTS = [
  { username: 'district', role: 'district', orgCode: '310105' },
  { username: 'huayang', role: 'street', orgCode: '310105001' },
  { username: 'c1', role: 'committee', orgCode: '310105001001' },
  { username: 'c2', role: 'committee', orgCode: '310105004002' },
] as const;

for (const dialect of DIALECTS) {
  describe(`the audit log in the workbench (${dialect})`, () => {
    let api: SampleApi;
    /** A resident of c1's committee, looked at by c1; and one that only huayang looked at. */
    let person: { idNumber: string; householdId: string };
    let other: string;
    let c2Person: string;

    const page = async (query: string, user = 'district'): Promise<AuditPage> => {
      const res = await api.call(user, 'GET', `/api/audit${query}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as AuditPage;
    };

    beforeAll(async () => {
      api = await sampleApi(dialect, ACCOUNTS);
      // Lists give refs (resident-ref.ts); the trail names people by their id numbers.
      const idOf = (ref: string) => api.services.refs.open(ref)!;
      const list = (await api.call('c1', 'GET', '/api/residents?limit=5')).json() as {
        items: Array<{ ref: string; householdId: string }>;
      };
      person = { idNumber: idOf(list.items[0]!.ref), householdId: list.items[0]!.householdId };
      other = idOf(
        (
          (await api.call('huayang', 'GET', '/api/residents?limit=50')).json() as {
            items: Array<{ ref: string; committeeCode: string }>;
          }
        ).items.find((r) => !r.committeeCode.startsWith('310105001001'))!.ref,
      );
      c2Person = idOf(
        ((await api.call('c2', 'GET', '/api/residents?limit=1')).json() as { items: Array<{ ref: string }> }).items[0]!
          .ref,
      );
      expect((await api.call('c1', 'GET', `/api/residents/${person.idNumber}`)).statusCode).toBe(200);
      expect((await api.call('c1', 'GET', `/api/households/${person.householdId}`)).statusCode).toBe(200);
      expect((await api.call('huayang', 'GET', `/api/residents/${other}`)).statusCode).toBe(200);
      expect((await api.call('c2', 'GET', `/api/residents/${c2Person}`)).statusCode).toBe(200);
      // Not the area's: the command line's import, and a failed login under a name that is no account.
      await api.services.audit.record(systemScope(), 'policy.simulate', 'pack', {});
      await api.app.inject({
        method: 'POST',
        url: '/api/session',
        payload: { username: 'ghost', password: 'wrong password' },
      });
      // The command line reading a resident of the area: about the area, so shown.
      await api.services.audit.record(systemScope(), 'resident.view', `resident:${person.idNumber}`, { via: 'cli' });
    });
    afterAll(async () => api?.close());

    it('is for district administrators only', async () => {
      for (const user of ['huayang', 'c1']) {
        for (const url of ['/api/audit', '/api/audit/verify']) {
          const res = await api.call(user, 'GET', url);
          expect(res.statusCode).toBe(403);
          expect(res.json().error.code).toBe('TJ_FORBIDDEN');
        }
      }
      expect((await api.call(null, 'GET', '/api/audit')).statusCode).toBe(401);
    });

    it('answers who looked at a person: their views, the lists that showed them, their household, with names and units', async () => {
      const found = await page(`?idNumber=${person.idNumber}&limit=200`);
      const seen = found.items.map((e) => [e.actor, e.action, e.target]);
      expect(seen).toEqual(
        expect.arrayContaining([
          ['c1', 'residents.list', 'org:310105001001'],
          ['c1', 'resident.view', `resident:${person.idNumber}`],
          ['c1', 'household.view', `household:${person.householdId}`],
          ['system', 'resident.view', `resident:${person.idNumber}`],
        ]),
      );
      expect(found.total).toBe(found.items.length);
      // Only events that name this person.
      for (const e of found.items)
        expect([e.target, JSON.stringify(e.detail)].join(' ')).toMatch(
          new RegExp(`${person.idNumber}|${person.householdId}`),
        );
      expect(seen.some(([, , target]) => target === `resident:${other}`)).toBe(false);
      const view = found.items.find((e) => e.action === 'resident.view' && e.actor === 'c1')!;
      expect(view).toMatchObject({ actorName: 'c1', actorOrgCode: '310105001001' });
      expect(view.actorOrgName).toBeTruthy();
      const listed = found.items.find((e) => e.action === 'residents.list')!;
      expect((listed.detail as { ids: string[] }).ids).toContain(person.idNumber);
    });

    it('audits each read: asking about a person is found under that person', async () => {
      await page(`?idNumber=${person.idNumber}`);
      const again = await page(`?idNumber=${person.idNumber}&action=audit.read`);
      expect(again.items.length).toBeGreaterThanOrEqual(1);
      expect(again.items[0]).toMatchObject({
        actor: 'district',
        action: 'audit.read',
        target: `resident:${person.idNumber}`,
      });
      expect(again.items[0]!.detail).toMatchObject({ filters: { idNumber: person.idNumber } });
      await page('?limit=1');
      const plain = await page('?action=audit.read&limit=200');
      expect(plain.items.some((e) => e.target === 'audit_log')).toBe(true);
    });

    it('pages on the server, newest first, the same list while new events arrive', async () => {
      const first = await page('?limit=3');
      // Reading the first page added an event at the top: without a bound, the next page would repeat a row.
      expect((await page('?limit=3&offset=3')).items[0]!.id).toBe(first.items[2]!.id);
      const maxId = first.items[0]!.id;
      const second = await page(`?limit=3&offset=3&maxId=${maxId}`);
      expect(first.total).toBeGreaterThan(6);
      expect(second.total).toBe(first.total);
      const ids = [...first.items, ...second.items].map((e) => e.id);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
      expect(new Set(ids).size).toBe(6);
    });

    it('filters by actor, action (exact or a prefix), target and time', async () => {
      const byActor = await page('?actor=c1&limit=200');
      expect(byActor.items.length).toBeGreaterThan(0);
      expect(byActor.items.every((e) => e.actor === 'c1')).toBe(true);
      const exact = await page('?action=resident.view&limit=200');
      expect(new Set(exact.items.map((e) => e.action))).toEqual(new Set(['resident.view']));
      const prefix = await page('?action=resident*&limit=200');
      expect(new Set(prefix.items.map((e) => e.action))).toEqual(new Set(['resident.view', 'residents.list']));
      const target = await page(`?target=${encodeURIComponent(`household:${person.householdId}`)}`);
      expect(target.items.map((e) => e.action)).toEqual(['household.view']);
      expect((await page(`?from=${encodeURIComponent('2999-01-01T00:00:00+08:00')}`)).total).toBe(0);
      expect((await page(`?to=${encodeURIComponent('2000-01-01T00:00:00+08:00')}`)).total).toBe(0);
      const now = new Date();
      const window = await page(
        `?from=${encodeURIComponent(new Date(now.getTime() - 3_600_000).toISOString())}&to=${encodeURIComponent(new Date(now.getTime() + 60_000).toISOString())}&actor=c1`,
      );
      expect(window.total).toBe(byActor.total);
      const bad = await api.call('district', 'GET', '/api/audit?idNumber=123&from=yesterday');
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.message).toMatch(/身份证号应为18位/);
    });

    it("shows the area's events only: its accounts', and those about its residents", async () => {
      const all = await page('?limit=200');
      expect(all.items.some((e) => e.actor === 'ghost')).toBe(false);
      expect(all.items.some((e) => e.actor === 'system' && e.action === 'policy.simulate')).toBe(false);
      expect(all.items.some((e) => e.actor === 'system' && e.action === 'import')).toBe(false);
      expect(all.items.some((e) => e.actor === 'system' && e.target === `resident:${person.idNumber}`)).toBe(true);
      // Below the district: a street's area leaves out another street's committee worker.
      const street = await api.services.audit.search({ area: '310105001', limit: 200, offset: 0 });
      const actors = new Set(street.rows.map((r) => r.actor));
      expect(actors.has('c1')).toBe(true);
      expect(actors.has('huayang')).toBe(true);
      expect(actors.has('c2')).toBe(false);
      expect(street.rows.some((r) => r.target === `resident:${c2Person}`)).toBe(false);
      expect(street.rows.some((r) => r.actor === 'system' && r.target === `resident:${person.idNumber}`)).toBe(true);
    });

    it('checks the chain on request, and that check is audited too', async () => {
      const res = await api.call('district', 'GET', '/api/audit/verify');
      expect(res.statusCode, res.body).toBe(200);
      const v = res.json() as AuditVerification;
      expect(v.ok).toBe(true);
      expect(v.summary).toMatch(/^审计日志完整：\d+ 条，0 个签名检查点$/);
      expect((await page('?action=audit.verify')).items[0]).toMatchObject({ actor: 'district', detail: { ok: true } });
    });
  });
}
