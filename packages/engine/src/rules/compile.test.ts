import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileFramework, type FrameworkDef } from '../assessment/framework.ts';
import { compilePack, type PackDef } from '../policies/pack.ts';
import { PopulationOnDate } from '../population/facts.ts';
import { prng, randomPopulation } from '../population/population.fixture.ts';
import { CODED_FACTS } from '../population/population.ts';
import { binary, call, conditional, inList, literal, ref, unary, walk, type Expr } from './ast.ts';
import { evaluateNumbers, evaluateTruth } from './columnar.ts';
import { compileNumber, compileRules, compileTruth, CompileUnsupported } from './compile.ts';
import { printRule } from './print.ts';
import { evaluateScalar } from './explain.ts';

const ROOT = join(import.meta.dirname, '../../../../policies/reference');
const pack = compilePack(parse(readFileSync(join(ROOT, 'pack.yaml'), 'utf8')) as PackDef);
const framework = compileFramework(parse(readFileSync(join(ROOT, 'assessment.yaml'), 'utf8')) as FrameworkDef, pack);

const NUMBER_FACTS = [
  'age',
  'income',
  'medical_oop',
  'disability_grade',
  'household.size',
  'household.income',
  'household.pc_income',
  'household.pc_assets',
  'household.medical',
  'household.housing_area',
];
const TRUTH_FACTS = ['local', 'severe_disability', 'able_supporter', 'no_work_capacity'];
const CODE_FACTS = Object.keys(CODED_FACTS) as Array<keyof typeof CODED_FACTS>;

/** Random well-typed rules over every construct of the language (aggregates one level deep). */
function randomRules(seed: number, count: number): Expr[] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const num = (depth: number, inAgg: boolean): Expr => {
    const x = r();
    if (depth <= 0 || x < 0.35)
      return pick([
        () => ref(pick(NUMBER_FACTS)),
        () => literal(pick([0, 1, 2, 10, 17.5, 60, 1510, -3])),
        () => ref('LIBAO'),
      ])();
    if (x < 0.75) return binary(pick(['+', '-', '*', '/'] as const), num(depth - 1, inAgg), num(depth - 1, inAgg));
    if (x < 0.85 && !inAgg) return call('count', [cond(depth - 1, true)]);
    if (x < 0.93) return conditional(cond(depth - 1, inAgg), num(depth - 1, inAgg), num(depth - 1, inAgg));
    return unary('-', num(depth - 1, inAgg));
  };
  const cond = (depth: number, inAgg: boolean): Expr => {
    const x = r();
    if (depth <= 0 || x < 0.15) {
      const y = r();
      if (y < 0.3) return ref(pick(TRUTH_FACTS));
      if (y < 0.5) return call('holds', [literal(pick(['DIBAO', 'TEKUN', 'LOW_INCOME']))]);
      if (y < 0.75) {
        const f = pick(CODE_FACTS);
        return binary(
          pick(['==', '!='] as const),
          ref(f),
          literal(r() < 0.1 ? null : r() < 0.1 ? 'nonsense' : pick(CODED_FACTS[f])),
        );
      }
      const f = pick(CODE_FACTS);
      return inList(ref(f), [literal(pick(CODED_FACTS[f])), literal(pick(CODED_FACTS[f]))]);
    }
    if (x < 0.45)
      return binary(pick(['<', '<=', '>', '>=', '==', '!='] as const), num(depth - 1, inAgg), num(depth - 1, inAgg));
    if (x < 0.7) return binary(pick(['&&', '||'] as const), cond(depth - 1, inAgg), cond(depth - 1, inAgg));
    if (x < 0.78) return unary('!', cond(depth - 1, inAgg));
    if (x < 0.86) return binary(pick(['==', '!='] as const), ref(pick(NUMBER_FACTS)), literal(null));
    if (x < 0.9) return binary(pick(['==', '!='] as const), ref(pick(TRUTH_FACTS)), literal(r() < 0.5));
    if (x < 0.95 && !inAgg) return call(pick(['any', 'all'] as const), [cond(depth - 1, true)]);
    return conditional(cond(depth - 1, inAgg), cond(depth - 1, inAgg), cond(depth - 1, inAgg));
  };
  return Array.from({ length: count }, () => cond(4, false));
}

const DATES = ['2021-06-30', '2024-02-29', '2026-11-28'];
const params = (date: string) => (name: string) => pack.parameterOn(name, date).value;

function allRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** Returns whether everyone's evaluation decided household-level conjuncts once per household. */
function sameTruth(e: Expr, view: PopulationOnDate): boolean {
  const expected = evaluateTruth(e, view);
  const out = new Uint8Array(view.n);
  const compiled = compileTruth(e, view);
  compiled.run(allRows(view.n), out);
  // Everyone at once, in household order, must give the same column (over whatever `out` held).
  const inOrder = new Uint8Array(view.n).fill(2);
  compiled.runAll(inOrder);
  for (let i = 0; i < view.n; i++)
    if (inOrder[i] !== out[i])
      expect.fail(`${printRule(e)} at person ${i}: in household order ${inOrder[i]}, by person ${out[i]}`);
  for (let i = 0; i < view.n; i++) {
    if (out[i] === expected[i]) continue;
    const scalar = evaluateScalar(e, view.person(i));
    expect.fail(
      `${printRule(e)} at person ${i}: compiled ${out[i]}, columnar ${expected[i]}, per person ${JSON.stringify(scalar)}`,
    );
  }
  return compiled.source.includes('const hv =');
}

describe('compiled rules agree with the columnar evaluator', () => {
  const population = randomPopulation(7, 400);

  it('on every indicator of the default framework, on several dates', () => {
    for (const date of DATES) {
      const view = new PopulationOnDate(population, date, params(date));
      for (const ind of framework.indicators) sameTruth(ind.rule, view);
    }
  });

  it('on every rule and amount of the reference pack that does not refer to another policy', () => {
    let compiled = 0;
    for (const date of DATES) {
      const view = new PopulationOnDate(population, date, params(date));
      for (const policy of pack.policies) {
        if ([...walk(policy.rule)].some((x) => x.kind === 'call' && x.fn === 'eligible')) continue;
        try {
          sameTruth(policy.rule, view);
          compiled++;
        } catch (err) {
          if (!(err instanceof CompileUnsupported)) throw err;
        }
        if (policy.amount) {
          try {
            const expected = evaluateNumbers(policy.amount, view);
            const out = new Float64Array(view.n);
            const compiled = compileNumber(policy.amount, view);
            compiled.run(allRows(view.n), out);
            for (let i = 0; i < view.n; i++)
              expect(Object.is(out[i], expected[i]) || out[i] === expected[i]).toBe(true);
            compiled.runAll(out);
            for (let i = 0; i < view.n; i++)
              expect(Object.is(out[i], expected[i]) || out[i] === expected[i]).toBe(true);
          } catch (err) {
            if (!(err instanceof CompileUnsupported)) throw err;
          }
        }
      }
    }
    expect(compiled).toBeGreaterThanOrEqual(DATES.length * 2);
  });

  it('on 3,000 random rules over every construct (three-valued logic, empty "none" cells, tolerance, aggregates)', () => {
    const rules = randomRules(11, 1000);
    let byHousehold = 0;
    for (const date of DATES) {
      const view = new PopulationOnDate(population, date, params(date));
      for (const e of rules) if (sameTruth(e, view)) byHousehold++;
    }
    // Many of them have household-level conjuncts, decided once per household.
    expect(byHousehold).toBeGreaterThan(150);
  });

  it('evaluates several rules in one pass exactly as one by one', () => {
    for (const date of DATES) {
      const view = new PopulationOnDate(population, date, params(date));
      const rules = [...framework.indicators.map((x) => x.rule), ...randomRules(5, 40)];
      const outs = rules.map(() => new Uint8Array(view.n));
      compileRules(
        rules.map((rule) => ({ rule, kind: 'truth' as const })),
        view,
      ).runAll(outs);
      rules.forEach((rule, j) => expect([...outs[j]!]).toEqual([...evaluateTruth(rule, view)]));
    }
  });

  it('evaluates only the rows asked for, in their order', () => {
    const view = new PopulationOnDate(population, '2026-11-28', params('2026-11-28'));
    const rule = framework.indicators.find((x) => x.def.code === 'CARE')!.rule;
    const all = evaluateTruth(rule, view);
    const rows = Int32Array.from([5, 3, 200, 3]);
    const out = new Uint8Array(rows.length);
    compileTruth(rule, view).run(rows, out);
    expect([...out]).toEqual([...rows].map((i) => all[i]));
  });

  it('compares whole numbers (ages, household sizes, whole literals) exactly, with the same answers', () => {
    for (const date of DATES) {
      const view = new PopulationOnDate(population, date, params(date));
      for (const text of [
        ['age', '>=', 60],
        ['age', '<', 18],
        ['household.size', '==', 1],
        ['age', '!=', 0],
        ['age', '<=', -3],
      ] as const) {
        const e = binary(text[1], ref(text[0]), literal(text[2]));
        expect(compileTruth(e, view).source.split('function run(')[1]).not.toMatch(/\b(ge|lt|eq|ne|le)\(/);
        sameTruth(e, view);
      }
      // Not a whole number: the tolerance applies.
      expect(compileTruth(binary('>=', ref('age'), literal(17.5)), view).source.split('function run(')[1]).toMatch(
        /\bge\(/,
      );
    }
  });

  it('reads an aggregate of date-free facts from the values kept per household, members born or not', () => {
    for (const date of DATES) {
      const view = new PopulationOnDate(population, date, params(date));
      for (const e of [
        call('any', [binary('==', ref('chronic_illness'), literal('是'))]),
        call('all', [ref('local')]),
        binary('>=', call('count', [inList(ref('employment'), [literal('失业'), literal('无')])]), literal(1)),
      ]) {
        expect(compileTruth(e, view).source).not.toContain('function agg0');
        sameTruth(e, view);
      }
      // With the age in it, it is a loop over the members on the date.
      expect(compileTruth(call('any', [binary('>=', ref('age'), literal(60))]), view).source).toContain(
        'function agg0',
      );
    }
  });

  it('puts nothing of the rule text into the generated source', () => {
    const view = new PopulationOnDate(population, '2026-11-28', params('2026-11-28'));
    const sneaky = binary('==', ref('employment'), literal('越界"); throw new Error("x'));
    const { source } = compileTruth(sneaky, view);
    // Not even escaped: a text literal becomes a code number of the fact's dictionary.
    expect(source).not.toContain('越界');
    expect(source).not.toContain('throw new Error');
  });

  it('never hands out a fact column of the source from the columnar evaluator (callers may write into it)', () => {
    const view = new PopulationOnDate(population, '2026-11-28', params('2026-11-28'));
    const truth = evaluateTruth(ref('severe_disability'), view);
    const numbers = evaluateNumbers(ref('income'), view);
    expect(truth).not.toBe((view.fact('severe_disability') as { data: Uint8Array }).data);
    expect(numbers).not.toBe((view.fact('income') as { data: Float64Array }).data);
    expect([...truth]).toEqual([...(view.fact('severe_disability') as { data: Uint8Array }).data]);
  });
});
