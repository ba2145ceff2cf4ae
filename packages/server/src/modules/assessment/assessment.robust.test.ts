/**
 * One framework version must not break the assessments: a condition nested past the rule cap is
 * refused as a draft and at publishing; a stored published version that fails (from before the
 * caps, or unreadable) is passed over, logged, for the previous good one or the shipped file —
 * also at start-up, which it used to stop.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../../app.ts';
import { createServices, type Services } from '../../services.ts';
import { DIALECTS, sampleApi, TEST_PASSWORD, type SampleApi } from '../../test/helpers.ts';
import type { FrameworkDefinition } from './assessment.schema.ts';

const D = '2026-11-28';
const DEEP = `${'!'.repeat(2000)}any(age >= 80)`;

for (const dialect of DIALECTS) {
  describe(`assessment frameworks: one failing version leaves the assessments working (${dialect})`, () => {
    let api: SampleApi;
    let services: Services;
    let definition: FrameworkDefinition;
    let areasBefore: unknown;
    const call = (user: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      api.call(user, method, url, payload);
    const deep = (d: FrameworkDefinition): FrameworkDefinition => ({
      ...d,
      indicators: d.indicators.map((x, i) => (i === 0 ? { ...x, rule: DEEP } : x)),
    });
    /** A version as an older release (or a hand edit) wrote it, straight into the table. */
    const insertVersion = async (version: number, status: 'draft' | 'published', text: string) => {
      const at = '2025-06-01T00:00:00.000Z';
      await services.database.db
        .insertInto('assessment_framework')
        .values({
          code: 'changning-default',
          version,
          status,
          definition: text,
          created_by: 'district',
          created_at: at,
          updated_at: at,
          published_by: status === 'published' ? 'district' : null,
          published_at: status === 'published' ? at : null,
        })
        .execute();
    };

    beforeAll(async () => {
      api = await sampleApi(dialect, [
        { username: 'district', displayName: '长宁区', role: 'district', orgCode: '310105' },
      ]);
      services = api.services;
      definition = (await call('district', 'GET', '/api/assessment/frameworks/1')).json().definition;
      areasBefore = (await call('district', 'GET', `/api/assessment/areas?asOf=${D}`)).json();
    }, 120_000);
    afterAll(() => api.close());

    it('refuses a draft whose condition is nested past the cap, naming the indicator and the position', async () => {
      const res = await call('district', 'POST', '/api/assessment/frameworks', deep(definition));
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('TJ_FRAMEWORK_INVALID');
      expect(res.json().error.message).toMatch(/判定条件第 65 个字符处：嵌套超过 64 层/);
      expect(res.json().error.details.errors[0]).toMatchObject({ start: 64 });
    });

    it('does not publish a stored draft that fails, and the framework in use stays', async () => {
      await insertVersion(2, 'draft', JSON.stringify(deep(definition)));
      const res = await call('district', 'POST', '/api/assessment/frameworks/2/publish');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/嵌套超过 64 层/);
      expect((await call('district', 'GET', '/api/assessment/frameworks')).json().inUse).toEqual({
        code: 'changning-default',
        version: 1,
      });
      const row = await services.database.db
        .selectFrom('assessment_framework')
        .select('status')
        .where('version', '=', 2)
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('draft');
      expect((await call('district', 'GET', `/api/assessment/areas?asOf=${D}`)).json()).toEqual(areasBefore);
      // Fixed, it publishes (and becomes the good version to fall back on).
      const fixed = await call('district', 'PATCH', '/api/assessment/frameworks/2', { ...definition, k: '1/4' });
      expect(fixed.statusCode, fixed.body).toBe(200);
      expect((await call('district', 'POST', '/api/assessment/frameworks/2/publish')).statusCode).toBe(200);
    });

    it('at start-up passes over stored published versions that fail, logged, for the last good one', async () => {
      await insertVersion(3, 'published', JSON.stringify(deep(definition)));
      await insertVersion(4, 'published', '{"name": "半截');
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const restarted = await createServices(services.database, { TINGJIAN_COUNTY: '310105' });
        expect(restarted.assessment.framework.def.version).toBe(2);
        const log = logged.mock.calls.map((c) => String(c[0])).join('\n');
        expect(log).toMatch(/评估框架第 4 版未能启用.*定义无法读取/);
        expect(log).toMatch(/评估框架第 3 版未能启用.*嵌套超过 64 层/);
        const app = await buildApp({ services: restarted, webDist: null });
        try {
          const login = await app.inject({
            method: 'POST',
            url: '/api/session',
            payload: { username: 'district', password: TEST_PASSWORD },
          });
          const headers = { cookie: `tj_session=${login.cookies.find((c) => c.name === 'tj_session')!.value}` };
          const areas = await app.inject({ method: 'GET', url: `/api/assessment/areas?asOf=${D}`, headers });
          expect(areas.statusCode).toBe(200);
          expect(areas.json().framework).toEqual({ code: 'changning-default', version: 2 });
          const versions = (await app.inject({ method: 'GET', url: '/api/assessment/frameworks', headers })).json();
          expect(versions.inUse.version).toBe(2);
          const byVersion = new Map(
            (versions.items as Array<{ version: number; broken?: string | null; inUse: boolean }>).map((v) => [
              v.version,
              v,
            ]),
          );
          expect(byVersion.get(3)!.broken).toMatch(/嵌套超过 64 层/);
          expect(byVersion.get(4)!.broken).toMatch(/定义无法读取/);
          expect(byVersion.get(2)).toMatchObject({ inUse: true, broken: null });
          expect((await app.inject({ method: 'GET', url: '/api/assessment/frameworks/4', headers })).statusCode).toBe(
            400,
          );
        } finally {
          await app.close();
        }
        // With no good version left in the database, the shipped file.
        await services.database.db.deleteFrom('assessment_framework').where('version', '=', 2).execute();
        const again = await createServices(services.database, { TINGJIAN_COUNTY: '310105' });
        expect(again.assessment.framework.def.version).toBe(1);
      } finally {
        logged.mockRestore();
      }
    }, 120_000);
  });
}
