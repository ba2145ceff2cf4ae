import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, sampleApi, type SampleApi } from '../../test/helpers.ts';
import { age, loadSample } from '../../test/sample-reference.ts';
import type { Services } from '../../services.ts';

const D = '2026-11-28';
const HUAYANG = '310105001';

/** A street's own policy: an allowance for its older residents with local hukou. */
const elderDraft = (minAge: number) => ({
  code: 'HY_ELDER_CARE',
  name: '华阳路街道高龄关爱补贴',
  source: '华阳路街道办事处关于高龄老人关爱补贴的通知（2025）',
  effectiveFrom: '2025-01-01',
  effectiveTo: null,
  rule: 'local && age >= HY_ELDER_AGE',
  amount: 'HY_ELDER_YUAN',
  howToApply: '本人或家属向居委会提出申请。',
  parameters: [
    {
      name: 'HY_ELDER_AGE',
      label: '补贴起始年龄',
      unit: '周岁',
      values: [{ from: '2025-01-01', value: minAge, source: '华阳路街道通知（2025）' }],
    },
    {
      name: 'HY_ELDER_YUAN',
      label: '每月补贴金额',
      unit: '元/人/月',
      values: [{ from: '2025-01-01', value: 100, source: '华阳路街道通知（2025）' }],
    },
  ],
});

for (const dialect of DIALECTS) {
  describe(`local policies: drafts, simulation, publishing (${dialect})`, () => {
    let api: SampleApi;
    let services: Services;
    const sample = loadSample();
    const call = (user: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      api.call(user, method, url, payload);
    /** Independently: local residents of 华阳路街道 alive and at least `minAge` on D. */
    const elders = (minAge: number) =>
      sample.people
        .filter(
          (p) => p.birth <= D && p.committee.startsWith(HUAYANG) && p.row.hukou === '本市' && age(p.birth, D) >= minAge,
        )
        .map((p) => p.id)
        .sort();
    const leadIds = async (user: string) => {
      const body = (await call(user, 'GET', `/api/leads?policy=HY_ELDER_CARE&asOf=${D}&limit=200`)).json();
      return {
        total: body.total as number,
        ids: (body.items as Array<{ ref: string; committeeCode: string }>).map((r) => services.refs.open(r.ref)).sort(),
        items: body.items as Array<{ committeeCode: string; monthlyAmountYuan: number }>,
      };
    };

    beforeAll(async () => {
      api = await sampleApi(dialect, [
        { username: 'district', displayName: '长宁区', role: 'district', orgCode: '310105' },
        { username: 'huayang', displayName: '华阳路街道', role: 'street', orgCode: HUAYANG },
        { username: 'jiangsu', displayName: '江苏路街道', role: 'street', orgCode: '310105002' },
        {
          username: 'adviser1',
          displayName: '顾问一',
          role: 'adviser',
          orgCode: sample.people.find((p) => p.committee.startsWith(HUAYANG))!.committee,
        },
      ]);
      services = api.services;
      expect(elders(75).length).toBeGreaterThan(0);
    }, 120_000);
    afterAll(() => api.close());

    it('refuses a draft whose rule has an error, naming the position; stores nothing', async () => {
      const res = await call('huayang', 'POST', '/api/local-policies', {
        ...elderDraft(75),
        rule: 'local && agee >= HY_ELDER_AGE',
      });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.error.code).toBe('TJ_RULE_INVALID');
      expect(body.error.message).toMatch(/HY_ELDER_CARE rule：第 10 个字符处：未知的事实或参数 “agee”/);
      expect(body.error.details).toMatchObject({ field: 'rule', position: 10 });
      const amount = (
        await call('huayang', 'POST', '/api/local-policies', { ...elderDraft(75), amount: 'HY_ELDER_YUAN +' })
      ).json();
      expect(amount.error.details).toMatchObject({ field: 'amount' });
      // The reference pack is read-only: its codes are not local policies' to take.
      expect(
        (await call('district', 'POST', '/api/local-policies', { ...elderDraft(75), code: 'DIBAO' })).json().error.code,
      ).toBe('TJ_LOCAL_POLICY_CODE_TAKEN');
      expect(
        (
          await call('district', 'POST', '/api/local-policies', {
            ...elderDraft(75),
            parameters: [{ ...elderDraft(75).parameters[0]!, name: 'LIBAO' }],
          })
        ).json().error.code,
      ).toBe('TJ_VALIDATION');
      expect((await call('adviser1', 'POST', '/api/local-policies', elderDraft(75))).statusCode).toBe(403);
      expect((await call('huayang', 'GET', '/api/local-policies')).json().items).toEqual([]);
    });

    it('simulates a stored draft: the gains are exactly the residents an independent count finds', async () => {
      const created = await call('huayang', 'POST', '/api/local-policies', elderDraft(75));
      expect(created.statusCode).toBe(200);
      expect(created.json()).toMatchObject({
        code: 'HY_ELDER_CARE',
        ownerCode: HUAYANG,
        version: 1,
        status: 'draft',
        inEffectVersion: null,
        editable: true,
      });
      const sim = (await call('huayang', 'POST', '/api/local-policies/HY_ELDER_CARE/simulate', { asOf: D })).json();
      expect(sim).toMatchObject({ code: 'HY_ELDER_CARE', version: 1, asOf: D });
      const own = sim.impacts[0];
      expect(own.policy).toBe('HY_ELDER_CARE');
      expect(own.gains).toBe(elders(75).length);
      expect(own.losses).toBe(0);
      expect(own.monthlyBeforeYuan).toBeNull();
      expect(own.monthlyAfterYuan).toBe(100 * elders(75).length);
      expect(own.byArea.reduce((s: number, a: { gains: number }) => s + a.gains, 0)).toBe(own.gains);
      expect(own.examples.gains.length).toBe(Math.min(20, own.gains));
      for (const id of own.examples.gains) expect(id).toMatch(/\*/);
      // Only this policy changes: nothing else gains or loses.
      expect(sim.impacts).toHaveLength(1);
      // A district admin sees the same gains from above; a sibling street cannot see the draft.
      expect(
        (await call('district', 'POST', '/api/local-policies/HY_ELDER_CARE/simulate', { asOf: D })).json().impacts[0]
          .gains,
      ).toBe(elders(75).length);
      expect(
        (await call('jiangsu', 'POST', '/api/local-policies/HY_ELDER_CARE/simulate', { asOf: D })).statusCode,
      ).toBe(404);
      // Nothing is published by a simulation.
      expect((await leadIds('district')).total).toBe(0);
    });

    it("publishes: leads appear for the owner street's residents only, in every view that scans", async () => {
      const res = await call('huayang', 'POST', '/api/local-policies/HY_ELDER_CARE/publish');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'published', inEffectVersion: 1 });
      const want = elders(75);
      const district = await leadIds('district');
      expect(district.total).toBe(want.length);
      expect(district.ids).toEqual(want);
      expect(district.items.every((r) => r.committeeCode.startsWith(HUAYANG) && r.monthlyAmountYuan === 100)).toBe(
        true,
      );
      expect((await leadIds('huayang')).ids).toEqual(want);
      // A sibling street's user sees none, and finds no such policy for its residents.
      expect((await leadIds('jiangsu')).total).toBe(0);
      const jiangsuResident = sample.people.find(
        (p) => p.committee.startsWith('310105002') && p.row.hukou === '本市' && age(p.birth, D) >= 75,
      )!;
      const card = (await call('district', 'GET', `/api/residents/${jiangsuResident.id}/eligibility?asOf=${D}`)).json();
      expect(card.policies.map((p: { policy: string }) => p.policy)).not.toContain('HY_ELDER_CARE');
      const mine = (await call('district', 'GET', `/api/residents/${want[0]}/eligibility?asOf=${D}`)).json();
      expect(mine.policies.find((p: { policy: string }) => p.policy === 'HY_ELDER_CARE')).toMatchObject({
        kind: 'lead',
        monthlyAmountYuan: 100,
      });
      const summary = (await call('district', 'GET', `/api/leads/summary?asOf=${D}`)).json();
      expect(summary.policies.find((p: { code: string }) => p.code === 'HY_ELDER_CARE').leads).toBe(want.length);
      // What `tingjian scan` prints.
      expect((await services.policies.allFindings(D, 'HY_ELDER_CARE')).map((f) => f.id_number).sort()).toEqual(want);
      // A sibling street sees the policy neither in its list nor by code.
      expect((await call('jiangsu', 'GET', '/api/local-policies')).json().items).toEqual([]);
      expect((await call('jiangsu', 'GET', '/api/local-policies/HY_ELDER_CARE')).statusCode).toBe(404);
      // Nor through the leads summary, nor through a parameter name its draft happens to reuse.
      const jiangsuSummary = (await call('jiangsu', 'GET', `/api/leads/summary?asOf=${D}`)).body;
      expect(jiangsuSummary).not.toContain('HY_ELDER_CARE');
      expect(jiangsuSummary).not.toContain('华阳路街道高龄关爱补贴');
      const clash = (
        await call('jiangsu', 'POST', '/api/local-policies', {
          ...elderDraft(60),
          code: 'JS_ELDER',
          name: '江苏路高龄',
        })
      ).json();
      expect(clash.error.message).toMatch(/HY_ELDER_AGE 已被其他单位的本地政策使用/);
      expect(JSON.stringify(clash)).not.toContain('HY_ELDER_CARE');
      const audit = await services.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('action', 'like', 'local_policy.%')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(
        expect.arrayContaining(['local_policy.create', 'local_policy.simulate', 'local_policy.publish']),
      );
    });

    it("lets only the owner unit edit: a street worker cannot change a district policy, nor a sibling street's", async () => {
      const district = {
        ...elderDraft(90),
        code: 'CN_CENTENARIAN',
        name: '长宁区百岁老人关爱',
        rule: 'age >= 100',
        amount: null,
        parameters: [],
      };
      expect((await call('district', 'POST', '/api/local-policies', district)).statusCode).toBe(200);
      // A draft of the district is not the street's business yet.
      expect((await call('huayang', 'PATCH', '/api/local-policies/CN_CENTENARIAN', district)).statusCode).toBe(404);
      expect((await call('district', 'POST', '/api/local-policies/CN_CENTENARIAN/publish')).statusCode).toBe(200);
      const street = await call('huayang', 'PATCH', '/api/local-policies/CN_CENTENARIAN', {
        ...district,
        rule: 'age >= 1',
      });
      expect(street.statusCode).toBe(403);
      expect(street.json().error.code).toBe('TJ_LOCAL_POLICY_NOT_EDITABLE');
      expect((await call('huayang', 'POST', '/api/local-policies/CN_CENTENARIAN/withdraw')).statusCode).toBe(403);
      const seen = (await call('huayang', 'GET', '/api/local-policies'))
        .json()
        .items.find((p: { code: string }) => p.code === 'CN_CENTENARIAN');
      expect(seen).toMatchObject({ editable: false, status: 'published' });
      expect((await call('jiangsu', 'PATCH', '/api/local-policies/HY_ELDER_CARE', elderDraft(60))).statusCode).toBe(
        404,
      );
      // The district admin sees the street's policy but does not edit it either: only its owner does.
      expect((await call('district', 'PATCH', '/api/local-policies/HY_ELDER_CARE', elderDraft(60))).statusCode).toBe(
        403,
      );
      // A code is one policy's.
      expect((await call('jiangsu', 'POST', '/api/local-policies', elderDraft(60))).json().error.code).toBe(
        'TJ_LOCAL_POLICY_CODE_TAKEN',
      );
      expect((await call('district', 'POST', '/api/local-policies/CN_CENTENARIAN/withdraw')).statusCode).toBe(200);
    });

    it('edits a published policy as a new draft version; publishing v2 keeps v1 as it was', async () => {
      const v1Before = await services.database.db
        .selectFrom('local_policy')
        .selectAll()
        .where('code', '=', 'HY_ELDER_CARE')
        .where('version', '=', 1)
        .executeTakeFirstOrThrow();
      const saved = (await call('huayang', 'PATCH', '/api/local-policies/HY_ELDER_CARE', elderDraft(80))).json();
      expect(saved).toMatchObject({ version: 2, status: 'draft', inEffectVersion: 1 });
      // The published version still applies while v2 is a draft; saving again rewrites the draft only.
      expect((await leadIds('district')).total).toBe(elders(75).length);
      expect((await call('huayang', 'PATCH', '/api/local-policies/HY_ELDER_CARE', elderDraft(80))).json().version).toBe(
        2,
      );
      const sim = (await call('huayang', 'POST', '/api/local-policies/HY_ELDER_CARE/simulate', { asOf: D })).json();
      expect(sim.impacts[0]).toMatchObject({
        policy: 'HY_ELDER_CARE',
        gains: 0,
        losses: elders(75).length - elders(80).length,
      });
      const published = (await call('huayang', 'POST', '/api/local-policies/HY_ELDER_CARE/publish')).json();
      expect(published).toMatchObject({ version: 2, status: 'published', inEffectVersion: 2 });
      expect(published.versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      const v1After = await services.database.db
        .selectFrom('local_policy')
        .selectAll()
        .where('code', '=', 'HY_ELDER_CARE')
        .where('version', '=', 1)
        .executeTakeFirstOrThrow();
      expect(v1After).toEqual(v1Before);
      expect(JSON.parse(v1After.definition).parameters[0].values[0].value).toBe(75);
      expect((await leadIds('district')).ids).toEqual(elders(80));
      // No draft left to publish.
      expect((await call('huayang', 'POST', '/api/local-policies/HY_ELDER_CARE/publish')).json().error.code).toBe(
        'TJ_LOCAL_POLICY_STATE',
      );
    });

    it("withdraws: the policy's findings disappear", async () => {
      const res = (await call('huayang', 'POST', '/api/local-policies/HY_ELDER_CARE/withdraw')).json();
      expect(res).toMatchObject({ status: 'withdrawn', inEffectVersion: null });
      expect((await leadIds('district')).total).toBe(0);
      expect((await leadIds('huayang')).total).toBe(0);
      expect(
        await services.policies.allFindings(D).then((rows) => rows.filter((r) => r.policy === 'HY_ELDER_CARE')),
      ).toEqual([]);
      const rows = await services.database.db
        .selectFrom('local_policy')
        .select(['version', 'status', 'published_at'])
        .where('code', '=', 'HY_ELDER_CARE')
        .orderBy('version')
        .execute();
      expect(rows.map((r) => [r.version, r.status, r.published_at !== null])).toEqual([
        [1, 'published', true],
        [2, 'withdrawn', true],
      ]);
      expect((await call('huayang', 'POST', '/api/local-policies/HY_ELDER_CARE/withdraw')).json().error.code).toBe(
        'TJ_LOCAL_POLICY_STATE',
      );
    });

    it('words each condition as its author labelled it, and a condition left without a label by its code', async () => {
      const draft = {
        ...elderDraft(80),
        code: 'HY_LABELLED',
        name: '华阳路街道八十岁关爱',
        rule: 'local && age >= 80',
        amount: null,
        parameters: [],
        labels: { local: '本市户籍（华阳路）', 'age >= 80': ' ' },
      };
      // A label for a condition the rule does not have is the author's error, with the field it is in.
      const stale = (
        await call('huayang', 'POST', '/api/local-policies', { ...draft, labels: { 'age >= 90': '年满90岁' } })
      ).json();
      expect(stale.error.code).toBe('TJ_RULE_INVALID');
      expect(stale.error.message).toContain(
        'HY_LABELLED labels：条件“age >= 90”不在规则中；规则的条件是：local；age >= 80',
      );
      expect(stale.error.details).toMatchObject({ field: 'labels' });
      const created = (await call('huayang', 'POST', '/api/local-policies', draft)).json();
      // An empty label is no label: not stored.
      expect(created.latest.labels).toEqual({ local: '本市户籍（华阳路）' });
      expect((await call('huayang', 'POST', '/api/local-policies/HY_LABELLED/publish')).statusCode).toBe(200);
      const card = (await call('huayang', 'GET', `/api/residents/${elders(80)[0]}/eligibility?asOf=${D}`)).json();
      const mine = card.policies.find((p: { policy: string }) => p.policy === 'HY_LABELLED');
      expect(mine.trace.parts.map((t: { label: string | null; text: string }) => [t.label, t.text])).toEqual([
        ['本市户籍（华阳路）', 'local'],
        ['age >= 80', 'age >= 80'],
      ]);
      // The reference policies beside it keep the pack's wording.
      const tekun = card.policies.find((p: { policy: string }) => p.policy === 'TEKUN');
      expect(tekun.trace.parts[0]).toMatchObject({ text: 'local', label: '本市户籍' });
      expect((await call('huayang', 'POST', '/api/local-policies/HY_LABELLED/withdraw')).statusCode).toBe(200);
    });
  });
}
