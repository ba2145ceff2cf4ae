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
    expect(pack.parameterOn('LIBAO', '2023-07-01')).toEqual({
      from: '2023-07-01',
      value: 1510,
      source: 'reference value, confirm against the official notice',
    });
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
    expect(ex.parameters.map((p) => [p.name, p.value, p.from])).toEqual([
      ['TEKUN_MINOR_AGE', 18, '2021-07-01'],
      ['LIBAO', 1510, '2023-07-01'],
    ]);
    const before = explainPolicy(pack, scanPopulation(pack, population, '2026-11-27'), 0, 'TEKUN');
    expect(before.kind).toBeNull();
    expect(before.explanation.trace.parts.find((t) => t.text === 'no_work_capacity')?.outcome).toBe('fail');
  });

  it('reports a review when someone holds a benefit they are no longer eligible for', () => {
    const s = def.scenarios!.find((x) => x.members[0]!.id === 'W')!;
    const population = scenarioPopulation({
      ...s,
      enrollments: [{ id: 'H', benefit_code: 'DIBAO', start_date: '2020-01-01', end_date: null }],
    });
    const found = [...findings(scanPopulation(pack, population, s.date))];
    expect(found.filter((f) => f.kind === 'review')).toEqual([
      { index: population.indexOf.get('H'), policy: 'DIBAO', kind: 'review', monthlyAmount: null },
    ]);
  });
});

describe('pack checking', () => {
  const base = def;
  const withPolicies = (policies: PackDef['policies']): PackDef => ({ ...base, policies });
  it('refuses a cycle, naming it', () => {
    const p = (code: string, rule: string) => ({
      code,
      name: code,
      owner: '3101',
      source: 's',
      effective: { from: '2020-07-01' },
      rule,
    });
    expect(() =>
      compilePack(withPolicies([p('A', 'eligible("B")'), p('B', 'eligible("C")'), p('C', 'eligible("A")')])),
    ).toThrow(/循环引用：A → B → C → A/);
  });
  it('names the policy and position of a bad rule', () => {
    const bad = { ...base.policies[0]!, rule: 'local && agee >= 60' };
    const err = (() => {
      try {
        compilePack(withPolicies([bad, ...base.policies.slice(1)]));
      } catch (e) {
        return e as PackError;
      }
      return null;
    })();
    expect(err?.message).toBe('policies[0] TEKUN rule：第 10 个字符处：未知的事实或参数 “agee”');
  });
  it('wants a source for every parameter value and policy', () => {
    const params = base.parameters.map((p, k) =>
      k === 0 ? { ...p, values: [{ ...p.values[0]!, source: '' }, ...p.values.slice(1)] } : p,
    );
    expect(() => compilePack({ ...base, parameters: params })).toThrow(/注明来源/);
    expect(() => compilePack(withPolicies([{ ...base.policies[0]!, source: ' ' }, ...base.policies.slice(1)]))).toThrow(
      /法规依据/,
    );
  });
});

describe('condition labels', () => {
  const base = def;
  const withPolicies = (policies: PackDef['policies']): PackDef => ({ ...base, policies });
  const error = (d: PackDef, options?: Parameters<typeof compilePack>[1]) => {
    try {
      compilePack(d, options);
    } catch (e) {
      return e as PackError;
    }
    return null;
  };

  it("words every condition of the reference pack, in the rule's order", () => {
    const tekun = pack.policies.find((p) => p.def.code === 'TEKUN')!;
    expect(tekun.conditions.map((c) => [c.text, c.label])).toEqual([
      ['local', '本市户籍'],
      ['age >= 60 || age < TEKUN_MINOR_AGE || disability_grade != null', '年满60岁、未成年或持有残疾人证'],
      ['no_work_capacity', '无劳动能力（年满60岁、未满16岁、重度残疾或经认定无劳动能力）'],
      ['income < LIBAO', '本人月收入低于低保标准'],
      ['!able_supporter', '没有能够赡养、抚养或扶养的配偶、父母或子女'],
    ]);
    for (const p of pack.policies)
      for (const c of p.conditions) expect(c.label, `${p.def.code} ${c.text}`).not.toMatch(/[A-Za-z_]{3,}/);
  });

  it('refuses a condition without its label, naming the policy and the condition', () => {
    const labels = { ...base.policies[0]!.labels! };
    delete labels['income < LIBAO'];
    const err = error(withPolicies([{ ...base.policies[0]!, labels }, ...base.policies.slice(1)]));
    expect(err).toBeInstanceOf(PackError);
    expect(err?.where).toBe('policies[0] TEKUN labels');
    expect(err?.message).toContain('条件“income < LIBAO”没有中文说明');
  });

  it('refuses a label for a condition the rule does not have, or an empty one', () => {
    const stale = error(
      withPolicies([
        { ...base.policies[0]!, labels: { ...base.policies[0]!.labels!, 'age >= 65': '年满65岁' } },
        ...base.policies.slice(1),
      ]),
    );
    expect(stale?.message).toMatch(/^policies\[0\] TEKUN labels：条件“age >= 65”不在规则中；规则的条件是：local；/);
    const empty = error(
      withPolicies([
        { ...base.policies[0]!, labels: { ...base.policies[0]!.labels!, local: ' ' } },
        ...base.policies.slice(1),
      ]),
    );
    expect(empty?.message).toBe('policies[0] TEKUN labels：条件“local”的中文说明为空');
  });

  it('matches a label to its condition whatever the spacing and brackets', () => {
    const p = {
      code: 'X',
      name: 'X',
      owner: '3101',
      source: 's',
      effective: { from: '2020-07-01' },
      rule: 'local && (age >= 60 || age < 16)',
      labels: { '(age>=60||age<16)': '年满60岁或未满16岁', local: '本市户籍' },
    };
    expect(compilePack(withPolicies([p])).policies[0]!.conditions.map((c) => c.label)).toEqual([
      '本市户籍',
      '年满60岁或未满16岁',
    ]);
  });

  it('words a condition left without a label by its code when told to (a local policy)', () => {
    const p = {
      code: 'X',
      name: 'X',
      owner: '3101',
      source: 's',
      effective: { from: '2020-07-01' },
      rule: 'local && age >= 90',
      labels: { local: '本市户籍' },
    };
    expect(error(withPolicies([p]))?.message).toContain('条件“age >= 90”没有中文说明');
    const compiled = compilePack(withPolicies([p]), { unlabelled: 'code' });
    expect(compiled.policies[0]!.conditions.map((c) => [c.text, c.label])).toEqual([
      ['local', '本市户籍'],
      ['age >= 90', 'age >= 90'],
    ]);
    // A stale label is the author's error all the same.
    expect(
      error(withPolicies([{ ...p, labels: { 'age >= 60': '年满60岁' } }]), { unlabelled: 'code' })?.message,
    ).toContain('条件“age >= 60”不在规则中');
  });

  it('gives each condition of an explanation its label and its node of the trace', () => {
    const s = def.scenarios!.find((x) => x.date === '2026-11-28' && x.members[0]!.id === 'A')!;
    const population = scenarioPopulation(s);
    const scan = scanPopulation(pack, population, s.date);
    const tekun = explainPolicy(pack, scan, 0, 'TEKUN');
    expect(tekun.conditions.map((c) => [c.label, c.trace.text, c.trace.outcome])).toEqual(
      tekun.explanation.trace.parts.map((t, k) => [
        pack.policies.find((p) => p.def.code === 'TEKUN')!.conditions[k]!.label,
        t.text,
        t.outcome,
      ]),
    );
    expect(tekun.conditions.every((c, k) => c.trace === tekun.explanation.trace.parts[k])).toBe(true);
    // A rule of one condition: the condition is the whole trace.
    const one = compilePack({
      ...base,
      policies: [
        {
          code: 'X',
          name: 'X',
          owner: '3101',
          source: 's',
          effective: { from: '2020-07-01' },
          rule: 'age >= 60 || local',
          labels: { 'age >= 60 || local': '年满60岁或本市户籍' },
        },
      ],
    });
    const x = explainPolicy(one, scanPopulation(one, population, s.date), 0, 'X');
    expect(x.conditions).toHaveLength(1);
    expect(x.conditions[0]!.trace).toBe(x.explanation.trace);
    expect(x.conditions[0]!.label).toBe('年满60岁或本市户籍');
  });
});

describe('draft impact', () => {
  it('shows who gains and who loses when a parameter changes, with the monthly cost', async () => {
    const { compareScans } = await import('./simulate.ts');
    const s = def.scenarios!.find((x) => x.name.includes('恰在低保线上'))!;
    const population = scenarioPopulation(s);
    const draft = compilePack({
      ...def,
      parameters: def.parameters.map((p) =>
        p.name === 'LIBAO' ? { ...p, values: [...p.values, { from: '2026-07-01', value: 1600, source: 'draft' }] } : p,
      ),
    });
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
      members: s.members.map((m) =>
        m.id === 'D' ? { ...m, school_stage: undefined, employment: '无' } : m,
      ) as typeof s.members,
      enrollments: [{ id: 'D', benefit_code: 'EDU_AID', start_date: '2025-09-01', end_date: null }],
    });
    const scan = scanPopulation(pack, population, s.date);
    const found = [...findings(scan)].filter((f) => f.policy === 'EDU_AID');
    expect(found).toEqual([
      { index: population.indexOf.get('D'), policy: 'EDU_AID', kind: 'review', monthlyAmount: null },
    ]);
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
        call: (fn: string, arg: string): Column =>
          fn === 'eligible' ? { type: 'boolean', data: scan.columns.get(arg)!.eligible } : view.call(fn, arg),
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
