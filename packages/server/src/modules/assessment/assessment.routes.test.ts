import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, sampleApi, type SampleApi } from '../../test/helpers.ts';
import { referenceAssessment } from '../../test/sample-reference.ts';

const D = '2026-11-28';

for (const dialect of DIALECTS) {
  describe(`needs assessment API (${dialect})`, () => {
    let api: SampleApi;
    const ref = referenceAssessment(D);
    const call = (user: string, method: 'GET' | 'POST', url: string) => api.call(user, method, url);

    beforeAll(async () => {
      api = await sampleApi(dialect, [
        { username: 'district', displayName: '长宁区', role: 'district', orgCode: '310105' },
        { username: 'huayang', displayName: '华阳路街道', role: 'street', orgCode: '310105001' },
      ]);
    });
    afterAll(() => api.close());

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
      expect((await call('huayang', 'GET', '/api/assessment/areas?org=310105002')).json().error.code).toBe(
        'TJ_ORG_NOT_FOUND',
      );
    });

    it('drills down to households by score, within the area, and shows what each lacks and the help that answers it', async () => {
      const page = (await call('huayang', 'GET', `/api/assessment/households?asOf=${D}&band=poor&limit=200`)).json();
      const want = ref.households.filter((h) => h.committee.startsWith('310105001') && h.band === 'poor');
      expect(page.total).toBe(want.length);
      expect(page.items.map((h: { householdId: string }) => h.householdId).sort()).toEqual(
        want.map((h) => h.household_id).sort(),
      );
      const first = want[0]!;
      const one = (await call('huayang', 'GET', `/api/households/${first.household_id}/assessment?asOf=${D}`)).json();
      expect(one.deprived).toEqual(first.deprived);
      expect(one.indicators.find((x: { code: string }) => x.code === first.deprived[0]).help.length).toBeGreaterThan(0);
      const outside = ref.households.find((h) => !h.committee.startsWith('310105001'))!;
      expect(
        (await call('huayang', 'GET', `/api/households/${outside.household_id}/assessment`)).json().error.code,
      ).toBe('TJ_HOUSEHOLD_NOT_FOUND');
    });

    it('keeps a recorded assessment with its framework version and date', async () => {
      const h = ref.households.find((x) => x.committee.startsWith('310105001'))!;
      const saved = (await call('huayang', 'POST', `/api/households/${h.household_id}/assessment?asOf=${D}`)).json();
      expect(saved.history).toHaveLength(1);
      expect(saved.history[0]).toMatchObject({ asOf: D, frameworkVersion: 1, band: h.band, recordedBy: 'huayang' });
      const audit = await api.services.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'assessment.record')
        .execute();
      expect(audit).toHaveLength(1);
    });
  });
}
