import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../app.ts';
import { DIALECTS, SAMPLE_DIR, freshServices } from '../../test/helpers.ts';
import { referenceAssessment } from '../../test/sample-reference.ts';
import type { Services } from '../../services.ts';
import { systemScope } from '../auth/scope.ts';
import { openSource } from '../import/sources.ts';

const PASSWORD = 'correct horse battery';
const D = '2026-11-28';

for (const dialect of DIALECTS) {
  describe(`needs assessment API (${dialect})`, () => {
    let services: Services;
    let app: FastifyInstance;
    const cookies: Record<string, string> = {};
    const ref = referenceAssessment(D);
    const call = async (user: string, method: 'GET' | 'POST', url: string) => app.inject({ method, url, headers: { cookie: cookies[user]! } });

    beforeAll(async () => {
      services = await freshServices(dialect);
      await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      const sys = systemScope();
      await services.auth.createUser(sys, { username: 'district', displayName: '长宁区', password: PASSWORD, role: 'district', orgCode: '310105' });
      await services.auth.createUser(sys, { username: 'huayang', displayName: '华阳路街道', password: PASSWORD, role: 'street', orgCode: '310105001' });
      app = await buildApp({ services, webDist: null });
      for (const u of ['district', 'huayang']) {
        const res = await app.inject({ method: 'POST', url: '/api/session', payload: { username: u, password: PASSWORD } });
        cookies[u] = `tj_session=${res.cookies.find((c) => c.name === 'tj_session')!.value}`;
      }
    });
    afterAll(async () => {
      await app.close();
      await services.database.close();
    });

    it('gives each area its figures and those of the units below it', async () => {
      const body = (await call('district', 'GET', `/api/assessment/areas?asOf=${D}`)).json();
      const district = ref.areas.find((a) => a.level === 'district')!;
      expect(body.unit).toMatchObject({ code: '310105', n: district.n, q: district.q });
      expect(body.unit.M0).toBeCloseTo(district.M0, 9);
      for (const child of body.children) {
        const want = ref.areas.find((a) => a.code === child.code);
        expect(child.n).toBe(want?.n ?? 0);
        if (want) expect(child.H).toBeCloseTo(want.H, 9);
      }
      expect(Object.values(body.bands as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(district.n);
      expect((await call('huayang', 'GET', '/api/assessment/areas?org=310105002')).json().error.code).toBe('TJ_ORG_NOT_FOUND');
    });

    it('drills down to households by score, within the area, and shows what each lacks and the help that answers it', async () => {
      const page = (await call('huayang', 'GET', `/api/assessment/households?asOf=${D}&band=poor&limit=200`)).json();
      const want = ref.households.filter((h) => h.committee.startsWith('310105001') && h.band === 'poor');
      expect(page.total).toBe(want.length);
      expect(page.items.map((h: { householdId: string }) => h.householdId).sort()).toEqual(want.map((h) => h.household_id).sort());
      const first = want[0]!;
      const one = (await call('huayang', 'GET', `/api/households/${first.household_id}/assessment?asOf=${D}`)).json();
      expect(one.deprived).toEqual(first.deprived);
      expect(one.indicators.find((x: { code: string }) => x.code === first.deprived[0]).help.length).toBeGreaterThan(0);
      const outside = ref.households.find((h) => !h.committee.startsWith('310105001'))!;
      expect((await call('huayang', 'GET', `/api/households/${outside.household_id}/assessment`)).json().error.code).toBe('TJ_HOUSEHOLD_NOT_FOUND');
    });

    it('keeps a recorded assessment with its framework version and date', async () => {
      const h = ref.households.find((x) => x.committee.startsWith('310105001'))!;
      const saved = (await call('huayang', 'POST', `/api/households/${h.household_id}/assessment?asOf=${D}`)).json();
      expect(saved.history).toHaveLength(1);
      expect(saved.history[0]).toMatchObject({ asOf: D, frameworkVersion: 1, band: h.band, recordedBy: 'huayang' });
      const audit = await services.database.db.selectFrom('audit_log').select('action').where('action', '=', 'assessment.record').execute();
      expect(audit).toHaveLength(1);
    });
  });
}
