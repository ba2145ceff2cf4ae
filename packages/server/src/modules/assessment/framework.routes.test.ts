/**
 * Framework versions (draft → preview → publish) and the home-visit questionnaire, over real HTTP
 * on SQLite and PostgreSQL, checked against the plain reading of the sample (sample-reference.ts).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../services.ts';
import { DIALECTS, SAMPLE_DIR, sampleApi, type SampleApi } from '../../test/helpers.ts';
import { referenceAssessment } from '../../test/sample-reference.ts';
import { systemScope } from '../auth/scope.ts';
import { openSource } from '../import/sources.ts';
import type { FrameworkDefinition } from './assessment.schema.ts';

const D = '2026-11-28';
const BANDS = ['none', 'vulnerable', 'poor', 'severe'];

for (const dialect of DIALECTS) {
  describe(`assessment framework versions and home visits (${dialect})`, () => {
    const ref = referenceAssessment(D);
    const refK = referenceAssessment(D, undefined, { k: 1 / 4 });
    let definition: FrameworkDefinition;

    let api: SampleApi;
    let services: Services;
    const call = (user: string, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
      api.call(user, method, url, payload);

    beforeAll(async () => {
      api = await sampleApi(dialect, [
        { username: 'district', displayName: '长宁区', role: 'district', orgCode: '310105' },
        { username: 'huayang', displayName: '华阳路街道', role: 'street', orgCode: '310105001' },
        { username: 'jiangsu', displayName: '江苏路街道', role: 'street', orgCode: '310105002' },
      ]);
      services = api.services;
    });
    afterAll(() => api.close());

    it('lists the shipped framework as version 1, in use', async () => {
      const body = (await call('huayang', 'GET', '/api/assessment/frameworks')).json();
      expect(body.inUse).toEqual({ code: 'changning-default', version: 1 });
      expect(body.items).toMatchObject([{ version: 1, status: 'published', source: 'file', inUse: true }]);
      const v1 = (await call('district', 'GET', '/api/assessment/frameworks/1')).json();
      expect(v1.check).toEqual({ ok: true, weightSum: expect.closeTo(1, 12), errors: [] });
      expect(v1.definition.indicators[0]).toMatchObject({
        code: 'INCOME',
        weight: '1/18',
        rule: 'household.pc_income < 2 * LIBAO',
      });
      definition = v1.definition;
    });

    it('refuses a draft whose weights do not sum to 1, or whose condition has an error, saying where', async () => {
      const heavier = {
        ...definition,
        indicators: definition.indicators.map((x) => (x.code === 'INCOME' ? { ...x, weight: '1/9' } : x)),
      };
      const res = await call('district', 'POST', '/api/assessment/frameworks', heavier);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('TJ_FRAMEWORK_INVALID');
      expect(res.json().error.message).toContain('各指标权重之和为 1.055556，应为 1');
      const badRule = {
        ...definition,
        indicators: definition.indicators.map((x) =>
          x.code === 'HOUSING' ? { ...x, rule: 'household.housing_area / household.siz < 10' } : x,
        ),
      };
      const bad = await call('district', 'POST', '/api/assessment/frameworks', badRule);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().error.details.errors).toEqual([
        {
          where: 'indicators[1] HOUSING rule',
          indicator: 'HOUSING',
          message: expect.stringContaining('判定条件第 26 个字符处'),
          start: 25,
          end: 38,
        },
      ]);
      const kTooBig = await call('district', 'POST', '/api/assessment/frameworks/check', { ...definition, k: '3/2' });
      expect(kTooBig.json()).toMatchObject({ ok: false, errors: [{ where: 'k' }] });
      expect((await call('huayang', 'POST', '/api/assessment/frameworks', definition)).statusCode).toBe(403);
      expect((await call('district', 'GET', '/api/assessment/frameworks')).json().items).toHaveLength(1);
    });

    it('starts a draft as a copy of the version in use when given no definition, and edits it', async () => {
      const created = await call('district', 'POST', '/api/assessment/frameworks');
      expect(created.statusCode).toBe(200);
      expect(created.json()).toMatchObject({ version: 2, status: 'draft', definition });
      const edited = await call('district', 'PATCH', '/api/assessment/frameworks/2', { ...definition, k: '1/4' });
      expect(edited.statusCode).toBe(200);
      expect(edited.json().definition.k).toBe('1/4');
      const wrong = await call('district', 'PATCH', '/api/assessment/frameworks/2', {
        ...definition,
        indicators: definition.indicators.map((x) => (x.code === 'INCOME' ? { ...x, weight: 0.1 } : x)),
      });
      expect(wrong.statusCode).toBe(400);
      expect((await call('district', 'GET', '/api/assessment/frameworks/2')).json().definition.k).toBe('1/4');
    });

    it("previews a draft with another k: bands, changes and each street's figures equal the reference recounted", async () => {
      const created = await call('district', 'GET', '/api/assessment/frameworks/2');
      expect(created.json()).toMatchObject({
        version: 2,
        status: 'draft',
        inUse: false,
        createdBy: 'district',
        check: { ok: true },
      });
      expect((await call('district', 'POST', '/api/assessment/frameworks', definition)).json().error.code).toBe(
        'TJ_FRAMEWORK_CONFLICT',
      );

      const res = await call('district', 'POST', `/api/assessment/frameworks/2/preview?asOf=${D}`);
      expect(res.statusCode).toBe(200);
      const p = res.json();
      expect([p.before.version, p.after.version]).toEqual([1, 2]);
      const count = (hs: typeof ref.households) =>
        Object.fromEntries(BANDS.map((b) => [b, hs.filter((h) => h.band === b).length]));
      expect(p.bands.before).toEqual(count(ref.households));
      expect(p.bands.after).toEqual(count(refK.households));
      const was = new Map(ref.households.map((h) => [h.household_id, h]));
      const moved = refK.households.filter((h) => was.get(h.household_id)!.band !== h.band);
      expect(moved.length).toBeGreaterThan(0);
      expect(p.changed).toBe(moved.length);
      const transitions: Record<string, number> = {};
      for (const h of moved)
        transitions[`${was.get(h.household_id)!.band}>${h.band}`] =
          (transitions[`${was.get(h.household_id)!.band}>${h.band}`] ?? 0) + 1;
      expect(
        Object.fromEntries(
          p.transitions.map((t: { from: string; to: string; count: number }) => [`${t.from}>${t.to}`, t.count]),
        ),
      ).toEqual(transitions);
      for (const street of p.byStreet) {
        const before = ref.areas.find((a) => a.code === street.code);
        const after = refK.areas.find((a) => a.code === street.code);
        expect(street.changed).toBe(moved.filter((h) => h.committee.startsWith(street.code)).length);
        expect(street.before.q).toBe(before?.q ?? 0);
        expect(street.after.q).toBe(after?.q ?? 0);
        expect(street.before.M0).toBeCloseTo(before?.M0 ?? 0, 12);
        expect(street.after.M0).toBeCloseTo(after?.M0 ?? 0, 12);
        expect(street.after.H).toBeCloseTo(after?.H ?? 0, 12);
        expect(street.after.A).toBeCloseTo(after?.A ?? 0, 12);
      }
      const district = refK.areas.find((a) => a.level === 'district')!;
      expect(p.area.after).toMatchObject({ n: district.n, q: district.q });
      expect(p.area.after.M0).toBeCloseTo(district.M0, 12);
      expect((await call('huayang', 'POST', `/api/assessment/frameworks/2/preview?asOf=${D}`)).statusCode).toBe(403);
    });

    it("publishes v2: new results from then on, a result stored under v1 unchanged, the CLI's services read v2", async () => {
      const h = ref.households.find(
        (x) => x.committee.startsWith('310105001') && x.score >= 1 / 4 - 1e-9 && x.score < 1 / 3 - 1e-9,
      )!;
      const saved = (await call('huayang', 'POST', `/api/households/${h.household_id}/assessment?asOf=${D}`)).json();
      expect(saved.history[0]).toMatchObject({ frameworkVersion: 1, band: 'vulnerable' });

      expect((await call('huayang', 'POST', '/api/assessment/frameworks/2/publish')).statusCode).toBe(403);
      const published = await call('district', 'POST', '/api/assessment/frameworks/2/publish');
      expect(published.statusCode).toBe(200);
      expect(published.json()).toMatchObject({ version: 2, status: 'published', inUse: true, publishedBy: 'district' });
      expect((await call('district', 'POST', '/api/assessment/frameworks/2/publish')).json().error.code).toBe(
        'TJ_FRAMEWORK_CONFLICT',
      );
      expect((await call('district', 'PATCH', '/api/assessment/frameworks/2', definition)).json().error.code).toBe(
        'TJ_FRAMEWORK_CONFLICT',
      );
      const audit = await services.database.db
        .selectFrom('audit_log')
        .select(['action', 'actor'])
        .where('action', 'like', 'assessment.framework.%')
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual([
        'assessment.framework.draft',
        'assessment.framework.update',
        'assessment.framework.preview',
        'assessment.framework.publish',
      ]);

      const areas = (await call('district', 'GET', `/api/assessment/areas?asOf=${D}`)).json();
      const district = refK.areas.find((a) => a.level === 'district')!;
      expect(areas.framework.version).toBe(2);
      expect(areas.unit).toMatchObject({ n: district.n, q: district.q });
      expect(areas.unit.M0).toBeCloseTo(district.M0, 12);
      expect((await call('district', 'GET', '/api/assessment/framework')).json()).toMatchObject({
        version: 2,
        k: 0.25,
      });

      const now = (await call('huayang', 'GET', `/api/households/${h.household_id}/assessment?asOf=${D}`)).json();
      expect(now).toMatchObject({ band: 'poor', framework: { version: 2 } });
      expect(now.history).toHaveLength(1);
      expect(now.history[0]).toMatchObject({ frameworkVersion: 1, band: 'vulnerable', score: saved.history[0].score });

      // A new process (tingjian assess) starts from the latest published version.
      const again = await createServices(services.database, { TINGJIAN_COUNTY: '310105' });
      expect(again.assessment.framework.def.version).toBe(2);
      expect(again.assessment.framework.k).toBe(0.25);
      const { assessment } = await again.assessment.assess(D);
      expect(assessment.areas.find((a) => a.level === 'district')!.q).toBe(district.q);
      const list = (await call('district', 'GET', '/api/assessment/frameworks')).json();
      expect(list.items.map((x: { version: number; inUse: boolean }) => [x.version, x.inUse])).toEqual([
        [2, true],
        [1, false],
      ]);
    });

    describe('the home-visit questionnaire', () => {
      // A household of 华阳路街道 whose area, illnesses and employments the registry loses.
      const h = ref.households.find(
        (x) => x.committee.startsWith('310105001') && x.household_id !== '' && x.deprived.length > 0,
      )!;
      const hid = h.household_id;
      let members: Array<Record<string, string>>;
      let household: Record<string, string>;

      beforeAll(async () => {
        const read = (name: string) =>
          parse(readFileSync(join(SAMPLE_DIR, `${name}.csv`), 'utf8'), { columns: true, bom: true }) as Array<
            Record<string, string>
          >;
        household = read('households').find((r) => r.household_id === hid)!;
        members = read('residents').filter((r) => r.household_id === hid && r.birth_date! <= D);
        const dir = mkdtempSync(join(tmpdir(), 'tingjian-visit-'));
        const csv = (rows: Array<Record<string, string>>) =>
          `${Object.keys(rows[0]!).join(',')}\n${rows.map((r) => Object.values(r).join(',')).join('\n')}\n`;
        writeFileSync(join(dir, 'households.csv'), csv([{ ...household, housing_area_m2: '' }]));
        writeFileSync(
          join(dir, 'residents.csv'),
          csv(members.map((m) => ({ ...m, chronic_illness: '', employment: '' }))),
        );
        const run = await services.imports.importSnapshot(systemScope(), await openSource(dir));
        expect(run.rejectedRows).toBe(0);
        // Back to the shipped framework's weights and k, so that answers can be checked against the reference.
        const v3 = await call('district', 'POST', '/api/assessment/frameworks', definition);
        expect(v3.statusCode).toBe(200);
        expect((await call('district', 'POST', '/api/assessment/frameworks/3/publish')).statusCode).toBe(200);
      });

      it('lists exactly the indicators not evaluated and the facts missing for them, household and member by member', async () => {
        const before = (await call('huayang', 'GET', `/api/households/${hid}/assessment?asOf=${D}`)).json();
        expect(before.unknown).toEqual(['HOUSING', 'ILLNESS', 'EMPLOYMENT']);
        const res = await call('huayang', 'GET', `/api/households/${hid}/questionnaire?asOf=${D}`);
        // Members by ref: no full id number in the answer, not even in the question keys.
        expect(res.body).not.toMatch(/\d{17}[\dXx]/);
        const q = res.json();
        const ref = (m: Record<string, string>) => services.refs.ref(m.id_number!);
        const byId = [...members].sort((a, b) => (a.id_number! < b.id_number! ? -1 : 1));
        expect(q.indicators.map((x: { code: string; questions: string[] }) => [x.code, x.questions])).toEqual([
          ['HOUSING', ['household.housing_area']],
          ['ILLNESS', byId.map((m) => `chronic_illness|${ref(m)}`)],
          ['EMPLOYMENT', byId.map((m) => `employment|${ref(m)}`)],
        ]);
        const keys = q.questions.map((x: { key: string }) => x.key);
        expect(new Set(keys)).toEqual(
          new Set([
            'household.housing_area',
            ...members.flatMap((m) => [`chronic_illness|${ref(m)}`, `employment|${ref(m)}`]),
          ]),
        );
        expect(q.questions[0]).toMatchObject({
          key: 'household.housing_area',
          input: 'number',
          member: null,
          question: '家里住房的使用面积是多少平方米？',
        });
        const illness = q.questions.find((x: { fact: string }) => x.fact === 'chronic_illness');
        expect(illness).toMatchObject({ input: 'yes_no', choices: ['是', '否'], question: '是否患有大病或慢性病？' });
        expect(illness.member.name).toBe(members.find((m) => ref(m) === illness.member.ref)!.name);
        expect(q.questions.find((x: { fact: string }) => x.fact === 'employment')).toMatchObject({
          input: 'choice',
          choices: ['在职', '灵活就业', '失业', '退休', '在校', '无'],
        });
      });

      it('answering makes the indicators evaluated (registry values win), as the registry had them', async () => {
        const first = members[0]!;
        const bad = await call('huayang', 'POST', `/api/households/${hid}/visit-answers?asOf=${D}`, {
          visitDate: D,
          answers: [{ fact: 'employment', member: first.id_number, value: '打工' }],
        });
        expect(bad.statusCode).toBe(400);
        expect(bad.json().error.message).toBe('就业状况应为 在职、灵活就业、失业、退休、在校、无 之一');
        const stranger = await call('huayang', 'POST', `/api/households/${hid}/visit-answers?asOf=${D}`, {
          visitDate: D,
          answers: [{ fact: 'employment', member: '110101199003070000', value: '在职' }],
        });
        expect(stranger.json().error.code).toBe('TJ_VISIT_ANSWER_INVALID');
        // A ref that does not open is no member either; the ref of someone outside the household neither.
        const good = services.refs.ref(first.id_number!);
        const forged = `${good.slice(0, 10)}${good[10] === 'A' ? 'B' : 'A'}${good.slice(11)}`;
        for (const member of [forged, services.refs.ref('110101199003070000')]) {
          const r = await call('huayang', 'POST', `/api/households/${hid}/visit-answers?asOf=${D}`, {
            visitDate: D,
            answers: [{ fact: 'employment', member, value: '在职' }],
          });
          expect(r.statusCode, member).toBe(400);
          expect(r.json().error).toMatchObject({
            code: 'TJ_VISIT_ANSWER_INVALID',
            message: `${member} 不是该家庭的成员`,
          });
        }

        const answers = [
          { fact: 'household.housing_area', member: null, value: Number(household.housing_area_m2) },
          // Members by ref, as the questionnaire names them, or by id number: both are taken.
          ...members.flatMap((m) => [
            { fact: 'chronic_illness', member: services.refs.ref(m.id_number!), value: m.chronic_illness! },
            { fact: 'employment', member: m.id_number, value: m.employment! },
          ]),
          // The registry has the hukou: the answer is kept but not used.
          { fact: 'hukou', member: first.id_number, value: first.hukou === '本市' ? '外省市' : '本市' },
        ];
        const res = await call('huayang', 'POST', `/api/households/${hid}/visit-answers?asOf=${D}`, {
          visitDate: D,
          answers,
        });
        expect(res.statusCode).toBe(200);
        const after = res.json();
        expect(after.unknown).toEqual([]);
        // The answers are what the sample's registry had: the result is the reference's.
        expect(after.deprived).toEqual(h.deprived);
        expect(after.score).toBeCloseTo(h.score, 12);
        expect(after.band).toBe(h.band);
        expect(after.visit).toEqual({ answers: 1 + 2 * members.length, lastVisit: D });
        expect(
          after.indicators.filter((x: { fromVisit: boolean }) => x.fromVisit).map((x: { code: string }) => x.code),
        ).toEqual(['HOUSING', 'ILLNESS', 'EMPLOYMENT']);

        const q = (await call('huayang', 'GET', `/api/households/${hid}/questionnaire?asOf=${D}`)).json();
        expect(q.questions).toEqual([]);
        expect(q.answers).toHaveLength(answers.length);
        // Stored by id number, shown by ref.
        expect(new Set(q.answers.map((a: { member: string | null }) => a.member))).toEqual(
          new Set([null, ...members.map((m) => services.refs.ref(m.id_number!))]),
        );
        const stored = await services.database.db
          .selectFrom('visit_answer')
          .select('member_id_number')
          .where('household_id', '=', hid)
          .execute();
        expect(new Set(stored.map((r) => r.member_id_number))).toEqual(
          new Set([null, ...members.map((m) => m.id_number)]),
        );
        expect(q.answers.find((a: { fact: string }) => a.fact === 'hukou')).toMatchObject({
          applied: false,
          answeredBy: 'huayang',
        });
        expect(q.answers.filter((a: { applied: boolean }) => a.applied)).toHaveLength(answers.length - 1);
        // A date before the visit does not know the answers.
        expect(
          (await call('huayang', 'GET', `/api/households/${hid}/assessment?asOf=2026-11-27`)).json().unknown,
        ).toEqual(['HOUSING', 'ILLNESS', 'EMPLOYMENT']);
        const audit = await services.database.db
          .selectFrom('audit_log')
          .select('action')
          .where('action', '=', 'household.visit_answers')
          .execute();
        expect(audit).toHaveLength(1);
        // Area figures stay those of the registry.
        const area = (await call('huayang', 'GET', `/api/assessment/households?asOf=${D}&limit=200`)).json();
        expect(area.items.find((x: { householdId: string }) => x.householdId === hid).unknown).toEqual([
          'HOUSING',
          'ILLNESS',
          'EMPLOYMENT',
        ]);
      });

      it('is not there for a worker of another street', async () => {
        const q = await call('jiangsu', 'GET', `/api/households/${hid}/questionnaire?asOf=${D}`);
        expect(q.statusCode).toBe(404);
        expect(q.json().error.code).toBe('TJ_HOUSEHOLD_NOT_FOUND');
        const a = await call('jiangsu', 'POST', `/api/households/${hid}/visit-answers?asOf=${D}`, {
          visitDate: D,
          answers: [{ fact: 'household.housing_area', member: null, value: 1 }],
        });
        expect(a.statusCode).toBe(404);
        expect(
          await services.database.db
            .selectFrom('visit_answer')
            .select('id')
            .where('answered_by', '=', 'jiangsu')
            .execute(),
        ).toEqual([]);
      });
    });
  });
}
