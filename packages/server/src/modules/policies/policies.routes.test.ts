import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, sampleApi, type SampleApi } from '../../test/helpers.ts';
import { loadSample, referenceScan } from '../../test/sample-reference.ts';
import type { Services } from '../../services.ts';
import { systemScope } from '../auth/scope.ts';
import { openSource } from '../import/sources.ts';
import { findings, scanPopulation } from '@tingjian/engine';

const D = '2026-11-28';

for (const dialect of DIALECTS) {
  describe(`policies, leads and the screener (${dialect})`, () => {
    let api: SampleApi;
    let services: Services;
    const sample = loadSample();
    const committeeOf = (id: string) => sample.people.find((p) => p.id === id)!.committee;
    const call = (user: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      api.call(user, method, url, payload);
    // A lead in 华阳路街道 and its committee's adviser.
    const huayangLead = referenceScan(D).find(
      (f) => f.kind === 'lead' && committeeOf(f.id_number).startsWith('310105001'),
    )!;
    const leadCommittee = committeeOf(huayangLead.id_number);

    beforeAll(async () => {
      api = await sampleApi(dialect, [
        { username: 'district', displayName: '长宁区', role: 'district', orgCode: '310105' },
        { username: 'huayang', displayName: '华阳路街道', role: 'street', orgCode: '310105001' },
        { username: 'jiangsu', displayName: '江苏路街道', role: 'street', orgCode: '310105002' },
        { username: 'adviser1', displayName: '顾问一', role: 'adviser', orgCode: leadCommittee },
        {
          username: 'adviser2',
          displayName: '顾问二',
          role: 'adviser',
          orgCode: sample.people.find((p) => p.committee.startsWith('310105002'))!.committee,
        },
      ]);
      services = api.services;
    });
    afterAll(() => api.close());

    it("lists exactly the area's leads and reviews, with amounts", async () => {
      for (const kind of ['lead', 'review'] as const) {
        const body = (await call('huayang', 'GET', `/api/leads?kind=${kind}&asOf=${D}&limit=200`)).json();
        const want = referenceScan(D).filter(
          (f) => f.kind === kind && committeeOf(f.id_number).startsWith('310105001'),
        );
        expect(body.total).toBe(want.length);
        expect(
          body.items.map((r: { ref: string; policy: string }) => `${services.refs.open(r.ref)}|${r.policy}`).sort(),
        ).toEqual(want.map((f) => `${f.id_number}|${f.policy}`).sort());
        for (const r of body.items)
          expect(r.monthlyAmountYuan).toBe(
            want.find((f) => f.id_number === services.refs.open(r.ref) && f.policy === r.policy)!.monthly_amount_yuan,
          );
      }
      const tekun = (await call('huayang', 'GET', `/api/leads?policy=TEKUN&asOf=${D}`)).json();
      expect(tekun.items.every((r: { policy: string }) => r.policy === 'TEKUN')).toBe(true);
      expect((await call('jiangsu', 'GET', `/api/leads?org=310105001&asOf=${D}`)).json().error.code).toBe(
        'TJ_ORG_NOT_FOUND',
      );
    });

    it('explains each policy for a resident, with parameter sources; another area gets a 404', async () => {
      const body = (
        await call('huayang', 'GET', `/api/residents/${huayangLead.id_number}/eligibility?asOf=${D}`)
      ).json();
      const p = body.policies.find((x: { policy: string }) => x.policy === huayangLead.policy);
      expect(p.kind).toBe('lead');
      expect(p.eligible).toBe('pass');
      expect(p.trace.parts.length).toBeGreaterThan(0);
      // Each condition of the rule carries the pack's wording; what lies below a condition does not.
      const tekun = body.policies.find((x: { policy: string }) => x.policy === 'TEKUN');
      expect(tekun.trace.label).toBeNull();
      expect(tekun.trace.parts.map((t: { text: string; label: string }) => [t.text, t.label])).toEqual([
        ['local', '本市户籍'],
        ['age >= 60 || age < TEKUN_MINOR_AGE || disability_grade != null', '年满60岁、未成年或持有残疾人证'],
        ['no_work_capacity', '无劳动能力（年满60岁、未满16岁、重度残疾或经认定无劳动能力）'],
        ['income < LIBAO', '本人月收入低于低保标准'],
        ['!able_supporter', '没有能够赡养、抚养或扶养的配偶、父母或子女'],
      ]);
      expect(tekun.trace.parts[1].parts.every((t: { label: string | null }) => t.label === null)).toBe(true);
      expect(body.policies.map((x: { policy: string }) => x.policy)).toEqual([
        'TEKUN',
        'DIBAO',
        'LOW_INCOME',
        'EXPENDITURE_POOR',
        'DISABLED_LIVING',
        'SEVERE_DISABLED_CARE',
        'EDU_AID',
        'ELDER_ALONE',
        'WELFARE_JOB',
      ]);
      const dibao = body.policies.find((x: { policy: string }) => x.policy === 'DIBAO');
      expect(dibao.parameters.find((x: { name: string }) => x.name === 'LIBAO')).toMatchObject({
        value: 1510,
        from: '2023-07-01',
        source: 'reference value, confirm against the official notice',
      });
      expect(
        (await call('jiangsu', 'GET', `/api/residents/${huayangLead.id_number}/eligibility?asOf=${D}`)).json().error
          .code,
      ).toBe('TJ_RESIDENT_NOT_FOUND');
      const audit = await services.database.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'resident.eligibility')
        .execute();
      expect(audit.length).toBeGreaterThan(0);
    });

    it('moves a lead through the worklist: assign to the adviser, contact, decline with a reason', async () => {
      const base = { idNumber: huayangLead.id_number, policy: huayangLead.policy, kind: 'lead' };
      // Assigning needs the adviser of the resident's committee.
      expect(
        (await call('huayang', 'PATCH', '/api/leads', { ...base, status: 'assigned', assignee: 'adviser2' })).json()
          .error.code,
      ).toBe('TJ_VALIDATION');
      const assigned = (
        await call('huayang', 'PATCH', `/api/leads?asOf=${D}`, { ...base, status: 'assigned', assignee: 'adviser1' })
      ).json();
      expect(assigned).toMatchObject({ status: 'assigned', assignee: 'adviser1', statusLabel: '已分派' });
      // Only the assigned adviser, within the area.
      expect((await call('adviser2', 'PATCH', '/api/leads', { ...base, status: 'contacted' })).json().error.code).toBe(
        'TJ_LEAD_NOT_FOUND',
      );
      expect((await call('adviser1', 'PATCH', '/api/leads', { ...base, status: 'awarded' })).json().error.code).toBe(
        'TJ_LEAD_TRANSITION',
      );
      expect((await call('adviser1', 'PATCH', '/api/leads', { ...base, status: 'contacted' })).json().status).toBe(
        'contacted',
      );
      expect((await call('adviser1', 'PATCH', '/api/leads', { ...base, status: 'declined' })).json().error.code).toBe(
        'TJ_VALIDATION',
      );
      expect(
        (
          await call('adviser1', 'PATCH', '/api/leads', { ...base, status: 'declined', reason: '本人表示暂不需要' })
        ).json(),
      ).toMatchObject({ status: 'declined', reason: '本人表示暂不需要' });
      const mine = (await call('adviser1', 'GET', `/api/leads?asOf=${D}&status=declined`)).json();
      expect(mine.items.map((r: { ref: string }) => services.refs.open(r.ref))).toContain(huayangLead.id_number);
      const history = (
        await call('huayang', 'GET', `/api/residents/${huayangLead.id_number}/eligibility?asOf=${D}`)
      ).json().events;
      expect(history.map((e: { status: string }) => e.status)).toEqual(['assigned', 'contacted', 'declined']);
      const summary = (await call('huayang', 'GET', `/api/leads/summary?asOf=${D}`)).json();
      const row = summary.policies.find((x: { code: string }) => x.code === huayangLead.policy);
      expect(row.byStatus.declined).toBe(1);
    });

    it('sums reached, leads, reviews and take-up per policy and area', async () => {
      const summary = (await call('huayang', 'GET', `/api/leads/summary?asOf=${D}`)).json();
      const want = referenceScan(D).filter((f) => committeeOf(f.id_number).startsWith('310105001'));
      for (const p of summary.policies) {
        expect(p.leads, p.code).toBe(want.filter((f) => f.policy === p.code && f.kind === 'lead').length);
        expect(p.reviews, p.code).toBe(want.filter((f) => f.policy === p.code && f.kind === 'review').length);
        if (p.takeUp !== null) expect(p.takeUp).toBeCloseTo(p.reached / (p.reached + p.leads), 9);
      }
      expect(summary.byArea.reduce((s: number, a: { leads: number }) => s + a.leads, 0)).toBe(
        want.filter((f) => f.kind === 'lead').length,
      );
    });

    it('finds the woman of the third story the moment her disability record is imported', async () => {
      const woman = sample.people.find(
        (p) =>
          p.committee.startsWith('310105001') &&
          p.row.hukou === '本市' &&
          p.row.disability_grade === '' &&
          p.row.gender === '女' &&
          !referenceScan(D).some((f) => f.id_number === p.id && f.policy === 'TEKUN'),
      )!;
      const before = (
        await call('huayang', 'GET', `/api/leads?policy=SEVERE_DISABLED_CARE&asOf=${D}&limit=200`)
      ).json();
      expect(before.items.map((r: { ref: string }) => services.refs.open(r.ref))).not.toContain(woman.id);
      const dir = mkdtempSync(join(tmpdir(), 'tingjian-record-'));
      const header = Object.keys(woman.row);
      const changed: Record<string, string> = { ...woman.row, disability_grade: '1', disability_category: '肢体' };
      writeFileSync(join(dir, 'residents.csv'), `${header.join(',')}\n${header.map((h) => changed[h]).join(',')}\n`);
      await services.imports.importSnapshot(systemScope(), await openSource(dir));
      const after = (await call('huayang', 'GET', `/api/leads?policy=SEVERE_DISABLED_CARE&asOf=${D}&limit=200`)).json();
      const row = after.items.find((r: { ref: string }) => services.refs.open(r.ref) === woman.id);
      expect(row).toMatchObject({ kind: 'lead', monthlyAmountYuan: 300 });
      // Only her household was evaluated again, on the population patched in memory; the result
      // equals a whole scan of the registry read afresh from the database.
      const snapshot = await services.population.snapshot();
      expect(snapshot.from).toBe('patch');
      expect(snapshot.patch!.households).toHaveLength(1);
      const rebuilt = await services.population.fromRows();
      const whole = [...findings(scanPopulation(services.policies.pack, rebuilt, D))].map(
        (f) => `${rebuilt.ids[f.index]} ${f.policy} ${f.kind} ${f.monthlyAmount}`,
      );
      const ours = (await services.policies.allFindings(D)).map(
        (f) => `${f.id_number} ${f.policy} ${f.kind} ${f.monthly_amount_yuan}`,
      );
      // The same findings in the same order (by policy, then person), patched in, not rebuilt.
      expect(ours).toEqual(whole);
      expect(ours).toContain(`${woman.id} SEVERE_DISABLED_CARE lead 300`);
      // The figures per policy and area, updated by her household alone, equal the whole scan's.
      const summary = (await call('huayang', 'GET', `/api/leads/summary?asOf=${D}`)).json();
      const inHuayang = whole.filter((f) => committeeOf(f.split(' ')[0]!).startsWith('310105001'));
      for (const p of summary.policies) {
        expect(p.leads, p.code).toBe(inHuayang.filter((f) => f.includes(` ${p.code} lead`)).length);
        expect(p.reviews, p.code).toBe(inHuayang.filter((f) => f.includes(` ${p.code} review`)).length);
      }
    });

    it("marks the findings that appeared today: the first story's man on his 60th birthday", async () => {
      const man = sample.people.find(
        (p) =>
          p.birth === '1966-11-28' &&
          p.row.gender === '男' &&
          referenceScan(D).some((f) => f.id_number === p.id && f.policy === 'TEKUN'),
      );
      expect(man).toBeDefined();
      if (!man) return;
      const today = (await call('district', 'GET', `/api/leads?policy=TEKUN&asOf=${D}&newToday=true`)).json();
      expect(today.items.map((r: { ref: string }) => services.refs.open(r.ref))).toContain(man.id);
      expect(today.items.find((r: { ref: string }) => services.refs.open(r.ref) === man.id).newToday).toBe(true);
      const dayBefore = (await call('district', 'GET', '/api/leads?policy=TEKUN&asOf=2026-11-27&limit=200')).json();
      expect(dayBefore.items.map((r: { ref: string }) => services.refs.open(r.ref))).not.toContain(man.id);
    });

    it('screens a household for a resident without a login, storing nothing', async () => {
      const auditBefore = (
        await services.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      const res = await call(null, 'POST', '/api/screener', {
        household: { financialAssetsYuan: 0, housingAreaM2: 9 },
        members: [
          {
            age: 65,
            gender: '男',
            hukou: '本市',
            monthlyIncomeYuan: 0,
            employment: '无',
            laborCapacity: '无',
            hasSupporter: '否',
          },
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      const results = res.json().members[0].results;
      const tekun = results.find((r: { policy: string }) => r.policy === 'TEKUN');
      expect(tekun.eligible).toBe('pass');
      expect(tekun.reasons.map((x: { text: string }) => x.text)).toContain('本市户籍');
      // Every reason is the pack's label for its condition, never the rule language; the code comes beside it.
      const labels = new Map(
        services.policies.pack.policies.flatMap((p) =>
          p.conditions.map((c) => [`${p.def.code}|${c.text}`, c.label] as const),
        ),
      );
      for (const r of results)
        for (const x of r.reasons) expect(x.text, `${r.policy} ${x.code}`).toBe(labels.get(`${r.policy}|${x.code}`));
      expect(tekun.reasons.map((x: { text: string; code: string; met: string }) => [x.text, x.met])).toEqual([
        ['本市户籍', 'pass'],
        ['年满60岁、未成年或持有残疾人证', 'pass'],
        ['无劳动能力（年满60岁、未满16岁、重度残疾或经认定无劳动能力）', 'pass'],
        ['本人月收入低于低保标准', 'pass'],
        ['没有能够赡养、抚养或扶养的配偶、父母或子女', 'pass'],
      ]);
      expect(tekun.howToApply).toMatch(/申请/);
      expect(results.find((r: { policy: string }) => r.policy === 'ELDER_ALONE').eligible).toBe('pass');
      expect(results.find((r: { policy: string }) => r.policy === 'DIBAO').eligible).toBe('fail');
      const auditAfter = (
        await services.database.db
          .selectFrom('audit_log')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n;
      expect(Number(auditAfter)).toBe(Number(auditBefore));
      expect((await call(null, 'POST', '/api/screener', { household: {}, members: [] })).json().error.code).toBe(
        'TJ_VALIDATION',
      );
      expect((await call(null, 'GET', '/api/leads')).statusCode).toBe(401);
    });

    it('simulates a draft on the current registry: who gains, who loses, where, at what monthly cost', async () => {
      const draft = {
        asOf: D,
        parameters: [
          {
            name: 'LIBAO',
            values: [
              { from: '2020-07-01', value: 1240, source: 's' },
              { from: '2026-07-01', value: 1700, source: '草案：拟调整' },
            ],
          },
        ],
      };
      expect((await call('huayang', 'POST', '/api/policies/simulate', draft)).statusCode).toBe(403);
      const body = (await call('district', 'POST', '/api/policies/simulate', draft)).json();
      const dibao = body.impacts.find((x: { policy: string }) => x.policy === 'DIBAO');
      expect(dibao.gains).toBeGreaterThan(0);
      // Someone who loses DIBAO does so because the higher line makes them TEKUN, which excludes it.
      expect(body.impacts.find((x: { policy: string }) => x.policy === 'TEKUN').gains).toBeGreaterThanOrEqual(
        dibao.losses,
      );
      expect(dibao.monthlyAfterYuan).toBeGreaterThan(dibao.monthlyBeforeYuan);
      expect(dibao.byArea.reduce((s: number, a: { gains: number }) => s + a.gains, 0)).toBe(dibao.gains);
      // A broken rule is refused with the place and reason; nothing is published.
      const bad = (
        await call('district', 'POST', '/api/policies/simulate', {
          policies: [{ code: 'DIBAO', rule: 'local && agee > 1' }],
        })
      ).json();
      expect(bad.error.code).toBe('TJ_RULE_INVALID');
      expect(bad.error.message).toMatch(/DIBAO rule：第 10 个字符处/);
      expect(
        (await call('district', 'GET', `/api/policies?asOf=${D}`))
          .json()
          .parameters.find((p: { name: string }) => p.name === 'LIBAO').current,
      ).toBe(1510);
    });

    it('shows the pack with dated, cited parameters', async () => {
      const pack = (await call('huayang', 'GET', `/api/policies?asOf=2023-06-30`)).json();
      expect(pack.policies).toHaveLength(9);
      expect(pack.parameters.find((p: { name: string }) => p.name === 'LIBAO').current).toBe(1420);
      expect(pack.policies.find((p: { code: string }) => p.code === 'DIBAO').dependsOn).toEqual(['TEKUN']);
      // Each rule's conditions with the pack's wording.
      expect(pack.policies.find((p: { code: string }) => p.code === 'ELDER_ALONE').conditions).toEqual([
        { text: 'age >= 60', label: '年满60岁' },
        { text: 'household.size == 1', label: '独自居住（家庭只有本人一人）' },
      ]);
      for (const p of pack.policies) expect(p.conditions.length, p.code).toBeGreaterThan(0);
    });
  });
}
