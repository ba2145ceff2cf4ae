/**
 * The proactive scan, set-at-a-time: each policy's rule evaluated once over the whole population
 * as typed-array columns, in dependency order, so that eligible("TEKUN") inside DIBAO's rule is a
 * column already computed. Leads and reviews exactly as reference-policies.md defines them:
 * a lead is eligible and not holding, a review holding and (definitely) not eligible.
 */
import type { Column, ColumnSource } from '../rules/columnar.ts';
import { evaluateNumbers, evaluateTruth, F, T } from '../rules/columnar.ts';
import { compileNumber, compileTruth, CompileUnsupported, type CompileSource } from '../rules/compile.ts';
import type { Expr } from '../rules/ast.ts';
import { explainRule, type Explanation } from '../rules/explain.ts';
import { PopulationOnDate } from '../population/facts.ts';
import type { Population } from '../population/population.ts';
import type { CompiledPack, CompiledPolicy, ParameterValue } from './pack.ts';

export type FindingKind = 'lead' | 'review';

export interface PolicyColumns {
  readonly policy: CompiledPolicy;
  /** Whether the policy is in force on the date at all. */
  readonly inForce: boolean;
  readonly eligible: Uint8Array;
  readonly holds: Uint8Array;
  /** Monthly amounts for eligible people (NaN where none), or null for a policy without one. */
  readonly amount: Float64Array | null;
}

export interface ScanResult {
  readonly asOf: string;
  readonly view: PopulationOnDate;
  readonly columns: ReadonlyMap<string, PolicyColumns>;
  /** Parameters used, with the value in force and its source. */
  readonly parameters: ReadonlyMap<string, ParameterValue>;
}

export interface Finding {
  readonly index: number;
  readonly policy: string;
  readonly kind: FindingKind;
  readonly monthlyAmount: number | null;
}

/** The columnar source of policy rules: person facts, parameters on the date, eligible(). */
class PolicySource implements ColumnSource {
  readonly n: number;
  constructor(private readonly view: PopulationOnDate, private readonly eligible: Map<string, Uint8Array>) {
    this.n = view.n;
  }
  fact(name: string): Column { return this.view.fact(name); }
  factAt(name: string, sel: Int32Array): Column { return this.view.factAt(name, sel); }
  aggregate(fn: 'any' | 'all' | 'count', truth: Uint8Array, sel: Int32Array | null): Column { return this.view.aggregate(fn, truth, sel); }
  param(name: string): number { return this.view.param(name); }
  tag(code: string): Column { return this.view.tag(code); }
  call(fn: string, arg: string): Column {
    if (fn === 'eligible') {
      const data = this.eligible.get(arg);
      if (!data) throw new Error(`eligible("${arg}") used before it was computed`);
      return { type: 'boolean', data };
    }
    return this.view.call(fn, arg);
  }
}

/** The same source for compiled rules: the date's view, with eligible() of the policies done so far. */
function compileSourceOf(view: PopulationOnDate, eligible: Map<string, Uint8Array>): CompileSource {
  return {
    day: view.day, household: view.household, memberStart: view.memberStart, memberIndex: view.memberIndex, birth: view.birth,
    memberOrder: (data) => view.memberOrder(data),
    memberAges: () => view.memberAges(),
    fact: (name) => view.fact(name),
    householdFact: (name) => view.householdFact(name),
    call: (fn, arg) => {
      if (fn !== 'eligible') return view.call(fn, arg);
      const data = eligible.get(arg);
      if (!data) throw new Error(`eligible("${arg}") used before it was computed`);
      return { type: 'boolean', data };
    },
    tag: (code) => view.tag(code),
    param: (name) => view.param(name),
    isFact: (name) => view.isFact(name),
  };
}

/**
 * A rule over everyone: compiled to one loop over the registry (rules/compile.ts), or
 * set-at-a-time over columns when it uses a construct the compiler does not cover. Same answers.
 */
function truthOfEveryone(rule: Expr, source: PolicySource, compileSource: CompileSource, n: number): Uint8Array {
  try {
    const compiled = compileTruth(rule, compileSource);
    const out = new Uint8Array(n);
    compiled.runAll(out);
    return out;
  } catch (err) {
    if (err instanceof CompileUnsupported) return evaluateTruth(rule, source);
    throw err;
  }
}

function numbersOfEveryone(formula: Expr, source: PolicySource, compileSource: CompileSource, n: number): Float64Array {
  try {
    const compiled = compileNumber(formula, compileSource);
    const out = new Float64Array(n);
    compiled.runAll(out);
    return out;
  } catch (err) {
    if (err instanceof CompileUnsupported) return evaluateNumbers(formula, source);
    throw err;
  }
}

function inForce(p: CompiledPolicy, asOf: string): boolean {
  return p.def.effective.from <= asOf && (p.def.effective.to == null || asOf <= p.def.effective.to);
}

/** Evaluates every policy of a pack over a population on a date. */
export function scanPopulation(pack: CompiledPack, population: Population, asOf: string): ScanResult {
  const used = new Map<string, ParameterValue>();
  const view = new PopulationOnDate(population, asOf, (name) => {
    const v = pack.parameterOn(name, asOf);
    used.set(name, v);
    return v.value;
  });
  const eligible = new Map<string, Uint8Array>();
  const source = new PolicySource(view, eligible);
  const compileSource = compileSourceOf(view, eligible);
  const columns = new Map<string, PolicyColumns>();
  let everyoneExists = true;
  for (let i = 0; i < view.n; i++) if (!view.exists[i]) { everyoneExists = false; break; }
  for (const p of pack.policies) {
    const active = inForce(p, asOf);
    // One compiled pass per policy: a single pass for the whole pack was measured slower (one very large function).
    const truth = active ? truthOfEveryone(p.rule, source, compileSource, view.n) : new Uint8Array(view.n);
    // A resident born after D does not exist on D: no findings, never eligible.
    if (!everyoneExists) for (let i = 0; i < view.n; i++) if (!view.exists[i]) truth[i] = F;
    eligible.set(p.def.code, truth);
    const holds = (view.call('holds', p.def.code) as { data: Uint8Array }).data;
    const amount = active && p.amount ? numbersOfEveryone(p.amount, source, compileSource, view.n) : null;
    columns.set(p.def.code, { policy: p, inForce: active, eligible: truth, holds, amount });
  }
  return { asOf, view, columns, parameters: used };
}

/**
 * The scan after a change that touched some households (the population patched in place, same
 * numbering: `patchPopulation`): everyone else's columns are carried over from the previous scan,
 * and only the touched households' members are evaluated again, each rule compiled and run at
 * just those rows. A rule the compiler does not cover makes it a whole scan.
 */
export function rescanHouseholds(pack: CompiledPack, previous: ScanResult, population: Population, households: ArrayLike<number>): ScanResult {
  const used = new Map<string, ParameterValue>();
  const asOf = previous.asOf;
  const view = new PopulationOnDate(population, asOf, (name) => {
    const v = pack.parameterOn(name, asOf);
    used.set(name, v);
    return v.value;
  });
  const people: number[] = [];
  for (let x = 0; x < households.length; x++) { const h = households[x]!; for (let k = population.memberStart[h]!; k < population.memberStart[h + 1]!; k++) people.push(population.memberIndex[k]!); }
  const rows = Int32Array.from(people.sort((a, b) => a - b));
  const eligible = new Map<string, Uint8Array>();
  const compileSource = compileSourceOf(view, eligible);
  const columns = new Map<string, PolicyColumns>();
  const truth = new Uint8Array(rows.length);
  const amounts = new Float64Array(rows.length);
  const sameEnrollments = population.enrollments === previous.view.population.enrollments;
  for (const p of pack.policies) {
    const before = previous.columns.get(p.def.code);
    if (!before) return scanPopulation(pack, population, asOf);
    const active = before.inForce;
    // A column is copied only when a touched person's value changed in it; otherwise the
    // previous scan's column serves as it is (the columns are never written after a scan).
    let column = before.eligible;
    let amount = before.amount;
    if (active) {
      let rule, formula;
      try {
        rule = compileTruth(p.rule, compileSource);
        formula = p.amount ? compileNumber(p.amount, compileSource) : null;
      } catch (err) {
        if (err instanceof CompileUnsupported) return scanPopulation(pack, population, asOf);
        throw err;
      }
      rule.run(rows, truth);
      for (let k = 0; k < rows.length; k++) if (!view.exists[rows[k]!]) truth[k] = F;
      if (rows.some((i, k) => column[i] !== truth[k])) {
        column = column.slice();
        for (let k = 0; k < rows.length; k++) column[rows[k]!] = truth[k]!;
      }
      if (formula) {
        formula.run(rows, amounts);
        if (!amount || rows.some((i, k) => !Object.is(amount![i], amounts[k]))) {
          amount = amount ? amount.slice() : new Float64Array(view.n).fill(NaN);
          for (let k = 0; k < rows.length; k++) amount[rows[k]!] = amounts[k]!;
        }
      }
    }
    eligible.set(p.def.code, column);
    // Benefits held come from the enrollments: unchanged when the patch left them as they were.
    const holds = sameEnrollments ? before.holds : (view.call('holds', p.def.code) as { data: Uint8Array }).data;
    columns.set(p.def.code, { policy: p, inForce: active, eligible: column, holds, amount });
  }
  for (const [name, v] of previous.parameters) if (!used.has(name)) used.set(name, v);
  return { asOf, view, columns, parameters: used };
}

/** The findings of a scan: leads (eligible, not holding) and reviews (holding, not eligible). */
export function* findings(scan: ScanResult, only?: ReadonlySet<string>): Generator<Finding> {
  const exists = scan.view.exists;
  for (const [code, c] of scan.columns) {
    if (only && !only.has(code)) continue;
    const { eligible, holds, amount } = c;
    // Both kinds need a T in one of the two columns: jump from T to T with the native indexOf
    // (most people are neither eligible nor receiving) and merge the two position streams in order.
    let e = eligible.indexOf(T);
    let h = holds.indexOf(T);
    while (e >= 0 || h >= 0) {
      const i = e < 0 ? h : h < 0 ? e : Math.min(e, h);
      if (exists[i]) {
        if (eligible[i] === T && holds[i] !== T) {
          const a = amount ? amount[i]! : NaN;
          yield { index: i, policy: code, kind: 'lead', monthlyAmount: amount && a === a ? Math.round(a * 100) / 100 : null };
        } else if (holds[i] === T && eligible[i] === F) {
          yield { index: i, policy: code, kind: 'review', monthlyAmount: null };
        }
      }
      if (e === i) e = eligible.indexOf(T, i + 1);
      if (h === i) h = holds.indexOf(T, i + 1);
    }
  }
}

export interface PolicyExplanation {
  readonly policy: string;
  readonly name: string;
  readonly source: string;
  readonly inForce: boolean;
  readonly eligible: 'pass' | 'fail' | 'unknown';
  readonly holds: boolean;
  readonly kind: FindingKind | null;
  readonly monthlyAmount: number | null;
  readonly explanation: Explanation;
  /** Parameters the rule read, with value, start date and source. */
  readonly parameters: ReadonlyArray<{ name: string; label: string; value: number; from: string; source: string }>;
}

/** One person's reasons for one policy, from a finished scan (so eligible() of others is known). */
export function explainPolicy(pack: CompiledPack, scan: ScanResult, index: number, code: string): PolicyExplanation {
  const c = scan.columns.get(code);
  if (!c) throw new Error(`no policy ${code}`);
  const person = scan.view.person(index);
  const source = {
    ...person,
    call: (fn: string, arg: string) => {
      if (fn === 'eligible') { const v = scan.columns.get(arg)!.eligible[index]!; return v === T ? true : v === F ? false : null; }
      return person.call(fn, arg);
    },
  };
  const explanation = explainRule(c.policy.rule, source, (name) => pack.parameters.has(name));
  const holds = c.holds[index] === T;
  const e = c.eligible[index]!;
  const kind: FindingKind | null = e === T && !holds ? 'lead' : holds && e === F ? 'review' : null;
  const a = c.amount ? c.amount[index]! : NaN;
  return {
    policy: code, name: c.policy.def.name, source: c.policy.def.source, inForce: c.inForce,
    eligible: e === T ? 'pass' : e === F ? 'fail' : 'unknown', holds, kind,
    monthlyAmount: kind === 'lead' && a === a ? Math.round(a * 100) / 100 : null,
    explanation,
    parameters: [...explanation.params.keys()].map((name) => {
      const v = pack.parameterOn(name, scan.asOf);
      return { name, label: pack.parameters.get(name)!.label, value: v.value, from: v.from, source: v.source };
    }),
  };
}
