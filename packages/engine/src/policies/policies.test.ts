import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compilePack, PackError, type PackDef } from './pack.ts';
import { candidateRows, explainPolicy, findings, householdCandidateRows, scanPopulation } from './scan.ts';
import { scenarioPopulation } from './pack.fixture.ts';
import { evaluateNumbers, evaluateTruth, T, type Column } from '../rules/columnar.ts';
import { PopulationOnDate } from '../population/facts.ts';
import { randomPopulation } from '../population/population.fixture.ts';

const PACK_FILE = join(import.meta.dirname, '../../../../policies/reference/pack.yaml');
const def = parse(readFileSync(PACK_FILE, 'utf8')) as PackDef;
const pack = compilePack(def);

describe('the reference pack', () => {
  it('orders every policy after those it refers to', () => {
    const order = pack.policies.map((p) => p.def.code);
    expect(order.indexOf('TEKUN')).toBeLessThan(order.indexOf('DIBAO'));
    expect(order.indexOf('DIBAO')).toBeLessThan(order.indexOf('DISABLED_LIVING'));
    expect(order.indexOf('EXPENDITURE_POOR')).toBeLessThan(order.indexOf('EDU_AID'));
    expect(order).toHaveLength(9);
  });

  it('takes the parameter value in force on the date, and refuses a date before the first', () => {
    expect(pack.parameterOn('LIBAO', '2023-06-30').value).toBe(1420);
    expect(pack.parameterOn('LIBAO', '2023-07-01')).toEqual({ from: '2023-07-01', value: 1510, source: 'reference value, confirm against the official notice' });
    expect(pack.parameterOn('TEKUN_MINOR_AGE', '2021-06-30').value).toBe(16);
    expect(() => pack.parameterOn('LIBAO', '2020-06-30')).toThrow(/早于该参数的第一个取值/);
  });

  for (const s of def.scenarios ?? []) {
    it(`scenario: ${s.name} (${s.date})`, () => {
      const population = scenarioPopulation(s);
      const scan = scanPopulation(pack, population, s.date);
      const found = [...findings(scan)];
      for (const [id, want] of Object.entries(s.expect)) {
        const i = population.indexOf.get(id)!;
        const leads = found.filter((f) => f.index === i && f.kind === 'lead');
        expect(leads.map((f) => f.policy).sort(), `${id} eligible`).toEqual([...want.eligible].sort());
        for (const [code, amount] of Object.entries(want.amounts ?? {})) {
          expect(leads.find((f) => f.policy === code)?.monthlyAmount, `${id} ${code} amount`).toBeCloseTo(amount, 2);
        }
      }
    });
  }

  it('explains a decision condition by condition, with the parameters and their sources', () => {
    const s = def.scenarios!.find((x) => x.date === '2026-11-28' && x.members[0]!.id === 'A')!;
    const population = scenarioPopulation(s);
    const scan = scanPopulation(pack, population, s.date);
    const ex = explainPolicy(pack, scan, 0, 'TEKUN');
    expect(ex.kind).toBe('lead');
    expect(ex.eligible).toBe('pass');
    expect(ex.explanation.trace.parts.map((t) => [t.text, t.outcome])).toEqual([
      ['local', 'pass'],
      ['age >= 60 || age < TEKUN_MINOR_AGE || disability_grade != null', 'pass'],
      ['no_work_capacity', 'pass'],
      ['income < LIBAO', 'pass'],
      ['!able_supporter', 'pass'],
    ]);
    expect(ex.parameters.map((p) => [p.name, p.value, p.from])).toEqual([['TEKUN_MINOR_AGE', 18, '2021-07-01'], ['LIBAO', 1510, '2023-07-01']]);
    const before = explainPolicy(pack, scanPopulation(pack, population, '2026-11-27'), 0, 'TEKUN');
    expect(before.kind).toBeNull();
    expect(before.explanation.trace.parts.find((t) => t.text === 'no_work_capacity')?.outcome).toBe('fail');
  });

  it('reports a review when someone holds a benefit they are no longer eligible for', () => {
    const s = def.scenarios!.find((x) => x.members[0]!.id === 'W')!;
    const population = scenarioPopulation({ ...s, enrollments: [{ id: 'H', benefit_code: 'DIBAO', start_date: '2020-01-01', end_date: null }] });
    const found = [...findings(scanPopulation(pack, population, s.date))];
    expect(found.filter((f) => f.kind === 'review')).toEqual([{ index: population.indexOf.get('H'), policy: 'DIBAO', kind: 'review', monthlyAmount: null }]);
  });
});

describe('pack checking', () => {
  const base = def;
  const withPolicies = (policies: PackDef['policies']): PackDef => ({ ...base, policies });
  it('refuses a cycle, naming it', () => {
    const p = (code: string, rule: string) => ({ code, name: code, owner: '3101', source: 's', effective: { from: '2020-07-01' }, rule });
    expect(() => compilePack(withPolicies([p('A', 'eligible("B")'), p('B', 'eligible("C")'), p('C', 'eligible("A")')]))).toThrow(/循环引用：A → B → C → A/);
  });
  it('names the policy and position of a bad rule', () => {
    const bad = { ...base.policies[0]!, rule: 'local && agee >= 60' };
    const err = (() => { try { compilePack(withPolicies([bad, ...base.policies.slice(1)])); } catch (e) { return e as PackError; } return null; })();
    expect(err?.message).toBe('policies[0] TEKUN rule：第 10 个字符处：未知的事实或参数 “agee”');
  });
  it('wants a source for every parameter value and policy', () => {
    const params = base.parameters.map((p, k) => (k === 0 ? { ...p, values: [{ ...p.values[0]!, source: '' }, ...p.values.slice(1)] } : p));
    expect(() => compilePack({ ...base, parameters: params })).toThrow(/注明来源/);
    expect(() => compilePack(withPolicies([{ ...base.policies[0]!, source: ' ' }, ...base.policies.slice(1)]))).toThrow(/法规依据/);
  });
});

describe('draft impact', () => {
  it('shows who gains and who loses when a parameter changes, with the monthly cost', async () => {
    const { compareScans } = await import('./simulate.ts');
    const s = def.scenarios!.find((x) => x.name.includes('恰在低保线上'))!;
    const population = scenarioPopulation(s);
    const draft = compilePack({ ...def, parameters: def.parameters.map((p) => (p.name === 'LIBAO' ? { ...p, values: [...p.values, { from: '2026-07-01', value: 1600, source: 'draft' }] } : p)) });
    const impact = compareScans(scanPopulation(pack, population, s.date), scanPopulation(draft, population, s.date));
    const dibao = impact.find((x) => x.policy === 'DIBAO')!;
    expect([...dibao.gains]).toEqual([0, 1]);
    expect(dibao.monthlyBefore).toBe(0);
    expect(dibao.monthlyAfter).toBe(180);
    expect([...impact.find((x) => x.policy === 'LOW_INCOME')!.losses]).toEqual([0, 1]);
  });
});

describe('empty cells that are answers', () => {
  it('reviews a student aid holder who left school: an empty school stage means not enrolled, not unknown', () => {
    const s = def.scenarios!.find((x) => x.members.some((m) => m.id === 'D'))!;
    const population = scenarioPopulation({
      ...s,
      members: s.members.map((m) => (m.id === 'D' ? { ...m, school_stage: undefined, employment: '无' } : m)) as typeof s.members,
      enrollments: [{ id: 'D', benefit_code: 'EDU_AID', start_date: '2025-09-01', end_date: null }],
    });
    const scan = scanPopulation(pack, population, s.date);
    const found = [...findings(scan)].filter((f) => f.policy === 'EDU_AID');
    expect(found).toEqual([{ index: population.indexOf.get('D'), policy: 'EDU_AID', kind: 'review', monthlyAmount: null }]);
    const ex = explainPolicy(pack, scan, population.indexOf.get('D')!, 'EDU_AID');
    expect(ex.eligible).toBe('fail');
    expect(ex.explanation.missing).toEqual([]);
  });
});

describe('the scan of a registry large enough to narrow by the date-free facts and the households', () => {
  const population = randomPopulation(23, 2600);

  it('gives every policy the column and amounts of its rule evaluated over everyone, on several dates', () => {
    expect(population.n).toBeGreaterThan(5000);
    for (const date of ['2021-06-30', '2024-02-29', '2026-11-28']) {
      const scan = scanPopulation(pack, population, date);
      const view = new PopulationOnDate(population, date, (name) => pack.parameterOn(name, date).value);
      // eligible("X") read from the scan's own columns, each checked before it is read.
      const source = Object.assign(Object.create(view) as PopulationOnDate, {
        call: (fn: string, arg: string): Column => (fn === 'eligible' ? { type: 'boolean', data: scan.columns.get(arg)!.eligible } : view.call(fn, arg)),
      });
      let narrowed = 0;
      let byHousehold = 0;
      for (const p of pack.policies) {
        if (candidateRows(p.rule, view)) narrowed++;
        if (householdCandidateRows(p.rule, view)) byHousehold++;
        const want = evaluateTruth(p.rule, source);
        for (let i = 0; i < population.n; i++) if (!view.exists[i]) want[i] = 0;
        const got = scan.columns.get(p.def.code)!;
        expect([...got.eligible], `${p.def.code} on ${date}`).toEqual([...want]);
        if (p.amount) {
          const amounts = evaluateNumbers(p.amount, source);
          for (let i = 0; i < population.n; i++) {
            const a = got.amount!.at(i);
            if (want[i] === T) expect(a, `${p.def.code} amount of ${i}`).toBe(amounts[i]);
            else expect(a).toBeNaN();
          }
        }
      }
      // DISABLED_LIVING, SEVERE_DISABLED_CARE, EDU_AID and WELFARE_JOB have a narrowing conjunct.
      expect(narrowed).toBeGreaterThanOrEqual(3);
      // DIBAO, LOW_INCOME, EXPENDITURE_POOR and ELDER_ALONE by their household conjuncts.
      expect(byHousehold, date).toBeGreaterThanOrEqual(2);
    }
  });
});
