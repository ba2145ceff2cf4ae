/**
 * One local policy must not break the district: a rule nested past the parser's cap is refused
 * when written and when published; a stored one that fails (a row from before the caps, a
 * definition that no longer reads) is left out of every scan with the reason logged and shown
 * where local policies are listed, across restarts; and the district admin can withdraw it.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServices, type Services } from '../../services.ts';
import { buildApp } from '../../app.ts';
import { DIALECTS, sampleApi, TEST_PASSWORD, type SampleApi } from '../../test/helpers.ts';
import { age, loadSample } from '../../test/sample-reference.ts';

const D = '2026-11-28';
const HUAYANG = '310105001';
const DEEP = `${'!'.repeat(2000)}local`;

const elderDraft = {
  code: 'HY_ELDER_CARE',
  name: '华阳路街道高龄关爱补贴',
  source: '华阳路街道办事处关于高龄老人关爱补贴的通知（2025）',
  effectiveFrom: '2025-01-01',
  effectiveTo: null,
  rule: 'local && age >= 75',
  amount: '100',
  howToApply: '本人或家属向居委会提出申请。',
  parameters: [],
};

/** A local policy's stored definition (the JSON of the local_policy table). */
const stored = (code: string, rule: unknown) =>
  JSON.stringify({
    code,
    name: `${code} 的名称`,
    owner: HUAYANG,
    source: '旧版本写入的政策',
    effective: { from: '2025-01-01', to: null },
    rule,
    amount: null,
    apply: null,
    parameters: [],
  });

for (const dialect of DIALECTS) {
  describe(`local policies: one failing rule leaves the district working (${dialect})`, () => {
    let api: SampleApi;
    let services: Services;
    const sample = loadSample();
    const call = (user: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      api.call(user, method, url, payload);
    const elders = () =>
      sample.people
        .filter(
          (p) => p.birth <= D && p.committee.startsWith(HUAYANG) && p.row.hukou === '本市' && age(p.birth, D) >= 75,
        )
        .map((p) => p.id)
        .sort();
    /** Rows as an old version (or a hand edit) wrote them, straight into the table. */
    const insertRow = async (code: string, definition: string, status: 'draft' | 'published') => {
      const at = '2025-06-01T00:00:00.000Z';
      await services.database.db
        .insertInto('local_policy')
        .values({
          code,
          owner_code: HUAYANG,
          version: 1,
          status,
          definition,
          created_by: 'huayang',
          created_at: at,
          updated_by: 'huayang',
          updated_at: at,
          published_by: status === 'published' ? 'huayang' : null,
          published_at: status === 'published' ? at : null,
          withdrawn_by: null,
          withdrawn_at: null,
        })
        .execute();
    };
    let referenceFindings = 0;

    beforeAll(async () => {
      api = await sampleApi(dialect, [
        { username: 'district', displayName: '长宁区', role: 'district', orgCode: '310105' },
        { username: 'huayang', displayName: '华阳路街道', role: 'street', orgCode: HUAYANG },
        { username: 'jiangsu', displayName: '江苏路街道', role: 'street', orgCode: '310105002' },
      ]);
      services = api.services;
      referenceFindings = (await services.policies.allFindings(D)).length;
      expect(referenceFindings).toBeGreaterThan(0);
      expect(elders().length).toBeGreaterThan(0);
    }, 120_000);
    afterAll(() => api.close());

    it('refuses a draft nested past the cap, naming the position; stores nothing', async () => {
      const res = await call('huayang', 'POST', '/api/local-policies', { ...elderDraft, rule: DEEP });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('TJ_RULE_INVALID');
      expect(res.json().error.message).toMatch(/第 65 个字符处：嵌套超过 64 层/);
      expect(res.json().error.details).toMatchObject({ field: 'rule', position: 65 });
      const chain = Array.from({ length: 400 }, () => 'local').join(' || ');
      expect(
        (await call('huayang', 'POST', '/api/local-policies', { ...elderDraft, rule: chain })).json().error.message,
      ).toMatch(/嵌套超过 64 层/);
      expect((await call('huayang', 'GET', '/api/local-policies')).json().items).toEqual([]);
    });

    it('does not publish a stored draft that no longer passes, and the scans go on', async () => {
      await insertRow('OLD_DEEP_DRAFT', stored('OLD_DEEP_DRAFT', DEEP), 'draft');
      const res = await call('huayang', 'POST', '/api/local-policies/OLD_DEEP_DRAFT/publish');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/嵌套超过 64 层/);
      const row = await services.database.db
        .selectFrom('local_policy')
        .select('status')
        .where('code', '=', 'OLD_DEEP_DRAFT')
        .executeTakeFirstOrThrow();
      expect(row.status).toBe('draft');
      expect((await services.policies.allFindings(D)).length).toBe(referenceFindings);
    });

    it('leaves a failing stored policy out of every scan, logs it and shows why; the others keep their leads, across a restart', async () => {
      const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        await insertRow('OLD_DEEP', stored('OLD_DEEP', DEEP), 'published');
        await insertRow('OLD_NO_RULE', stored('OLD_NO_RULE', null), 'published');
        await insertRow('OLD_GARBLED', '{"code": "OLD_GARBLED", ', 'published');
        // As after a restart: the policies in effect are read from the table again.
        services.policies.invalidateLocalPolicies();
        // A new policy is still checked, published and scanned beside them.
        expect((await call('huayang', 'POST', '/api/local-policies', elderDraft)).statusCode).toBe(200);
        const published = await call('huayang', 'POST', '/api/local-policies/HY_ELDER_CARE/publish');
        expect(published.statusCode, published.body).toBe(200);

        const check = async (s: Services, leads: (url: string) => Promise<{ statusCode: number; json(): any }>) => {
          const findings = await s.policies.allFindings(D);
          expect(
            findings
              .filter((f) => f.policy === 'HY_ELDER_CARE')
              .map((f) => f.id_number)
              .sort(),
          ).toEqual(elders());
          expect(findings.filter((f) => f.policy !== 'HY_ELDER_CARE').length).toBe(referenceFindings);
          expect(findings.some((f) => f.policy.startsWith('OLD_'))).toBe(false);
          const page = await leads(`/api/leads?policy=HY_ELDER_CARE&asOf=${D}&limit=1`);
          expect(page.statusCode).toBe(200);
          expect(page.json().total).toBe(elders().length);
          expect((await leads(`/api/leads?asOf=${D}&limit=1`)).statusCode).toBe(200);
          const summary = await leads(`/api/leads/summary?asOf=${D}`);
          expect(summary.statusCode).toBe(200);
          expect(summary.json().policies.map((p: { code: string }) => p.code)).not.toContain('OLD_DEEP');
          expect((await leads(`/api/residents/${elders()[0]}/eligibility?asOf=${D}`)).statusCode).toBe(200);
          const list = (await leads('/api/local-policies')).json().items as Array<{
            code: string;
            broken: string | null;
            inEffectVersion: number | null;
          }>;
          const byCode = new Map(list.map((p) => [p.code, p]));
          expect(byCode.get('HY_ELDER_CARE')).toMatchObject({ broken: null, inEffectVersion: 1 });
          expect(byCode.get('OLD_DEEP')!.broken).toBe(
            '第 1 版未能生效，已从扫描中排除：认定规则第 65 个字符处：嵌套超过 64 层，请拆分或简化规则',
          );
          expect(byCode.get('OLD_NO_RULE')!.broken).toBe(
            '第 1 版未能生效，已从扫描中排除：定义无法读取（rule 缺失或类型不对）',
          );
          expect(byCode.get('OLD_DEEP_DRAFT')!.broken).toBeNull();
        };
        await check(services, (url) => call('district', 'GET', url));
        expect(logged.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
          /本地政策 OLD_DEEP 第 1 版.*已从扫描中排除/,
        );
        expect(logged.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(/本地政策 OLD_NO_RULE 第 1 版/);
        // A garbled definition is listed by its code with the reason too (it has no readable version to show).
        const garbled = (await call('district', 'GET', '/api/local-policies'))
          .json()
          .items.find((p: { code: string }) => p.code === 'OLD_GARBLED');
        expect(garbled?.broken).toMatch(/定义无法读取/);

        // A restart: new services over the same database, and a new app.
        const restarted = await createServices(services.database, { TINGJIAN_COUNTY: '310105' });
        const app = await buildApp({ services: restarted, webDist: null });
        try {
          const login = await app.inject({
            method: 'POST',
            url: '/api/session',
            payload: { username: 'district', password: TEST_PASSWORD },
          });
          const cookie = `tj_session=${login.cookies.find((c) => c.name === 'tj_session')!.value}`;
          await check(restarted, (url) => app.inject({ method: 'GET', url, headers: { cookie } }));
        } finally {
          await app.close();
        }
      } finally {
        logged.mockRestore();
      }
    }, 120_000);

    it("lets the district admin withdraw a street's policy, broken or not; a sibling street cannot", async () => {
      expect((await call('jiangsu', 'POST', '/api/local-policies/OLD_DEEP/withdraw')).statusCode).toBe(404);
      expect((await call('district', 'GET', '/api/local-policies/OLD_DEEP')).json()).toMatchObject({
        editable: false,
        withdrawable: true,
      });
      expect((await call('huayang', 'GET', '/api/local-policies/OLD_DEEP')).json()).toMatchObject({
        editable: true,
        withdrawable: true,
      });
      const res = await call('district', 'POST', '/api/local-policies/OLD_DEEP/withdraw');
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'withdrawn', inEffectVersion: null, broken: null });
      const row = await services.database.db
        .selectFrom('local_policy')
        .select(['status', 'withdrawn_by'])
        .where('code', '=', 'OLD_DEEP')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ status: 'withdrawn', withdrawn_by: 'district' });
      const audit = await services.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('action', '=', 'local_policy.withdraw')
        .execute();
      expect(audit).toContainEqual({ action: 'local_policy.withdraw', actor: 'district' });
      // Withdrawing is all the district may do to a street's policy: editing and publishing stay the owner's.
      expect((await call('district', 'PATCH', '/api/local-policies/HY_ELDER_CARE', elderDraft)).statusCode).toBe(403);
      expect((await call('district', 'POST', '/api/local-policies/HY_ELDER_CARE/withdraw')).statusCode).toBe(200);
      expect((await services.policies.allFindings(D)).filter((f) => f.policy === 'HY_ELDER_CARE')).toEqual([]);
      expect((await call('jiangsu', 'POST', '/api/local-policies/OLD_NO_RULE/withdraw')).statusCode).toBe(404);
    });
  });
}
