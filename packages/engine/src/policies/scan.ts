/**
 * The proactive scan, set-at-a-time: each policy's rule evaluated once over the whole population
 * as typed-array columns, in dependency order, so that eligible("TEKUN") inside DIBAO's rule is a
 * column already computed. Leads and reviews exactly as reference-policies.md defines them:
 * a lead is eligible and not holding, a review holding and (definitely) not eligible.
 */
import type { Column, ColumnSource } from '../rules/columnar.ts';
import { evaluateNumbers, evaluateTruth, F, T } from '../rules/columnar.ts';
import { compileNumber, compileRules, compileTruth, CompileUnsupported, type CompileSource } from '../rules/compile.ts';
import type { Expr } from '../rules/ast.ts';
import { explainRule, type Explanation, type Trace } from '../rules/explain.ts';
import { PopulationOnDate } from '../population/facts.ts';
import { subPopulation, type Population } from '../population/population.ts';
import type { CompiledPack, CompiledPolicy, ParameterValue } from './pack.ts';
import { rowsToEvaluate } from './scan-plan.ts';

// The index planner (which rows a rule can pass at) is a module of its own; its two indexes are exported here too, where they always were.
export { candidateRows, householdCandidateRows } from './scan-plan.ts';
import type { FindingKind } from './worklist.ts';

export interface PolicyColumns {
  readonly policy: CompiledPolicy;
  /** Whether the policy is in force on the date at all. */
  readonly inForce: boolean;
  readonly eligible: Uint8Array;
  readonly holds: Uint8Array;
  /** Monthly amounts where the condition is met, or null for a policy without one. */
  readonly amount: Amounts | null;
}

/**
 * Monthly amounts of the people who meet a policy's condition: their numbers (ascending) and
 * amounts (NaN where the formula's facts are missing). Only a few percent of a registry meet a
 * condition, so this is kilobytes where a column over everyone would be 8 MB per policy and date.
 */
export class Amounts {
  constructor(
    readonly rows: Int32Array,
    readonly values: Float64Array,
  ) {}

  /** Person i's amount; NaN when i does not meet the condition. */
  at(i: number): number {
    const rows = this.rows;
    let lo = 0;
    let hi = rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const r = rows[mid]!;
      if (r === i) return this.values[mid]!;
      if (r < i) lo = mid + 1;
      else hi = mid - 1;
    }
    return NaN;
  }
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

/**
 * The source of policy rules, for both evaluators (columnar and compiled): the date's person
 * facts and parameters, and eligible("X") for the policies done so far.
 */
class PolicySource implements ColumnSource, CompileSource {
  readonly n: number;
  readonly day: number;
  readonly household: Int32Array;
  readonly memberStart: Int32Array;
  readonly memberIndex: Int32Array;
  readonly birth: Int32Array;
  constructor(
    private readonly view: PopulationOnDate,
    private readonly eligible: Map<string, Uint8Array>,
  ) {
    ({
      n: this.n,
      day: this.day,
      household: this.household,
      memberStart: this.memberStart,
      memberIndex: this.memberIndex,
      birth: this.birth,
    } = view);
  }
  fact(name: string): Column {
    return this.view.fact(name);
  }
  factAt(name: string, sel: Int32Array): Column {
    return this.view.factAt(name, sel);
  }
  aggregate(fn: 'any' | 'all' | 'count', truth: Uint8Array, sel: Int32Array | null): Column {
    return this.view.aggregate(fn, truth, sel);
  }
  param(name: string): number {
    return this.view.param(name);
  }
  tag(code: string): Column {
    return this.view.tag(code);
  }
  isFact(name: string): boolean {
    return this.view.isFact(name);
  }
  householdFact(name: string): Float64Array | undefined {
    return this.view.householdFact(name);
  }
  memberOrder<A extends Int32Array | Uint8Array | Float64Array>(data: A): A | undefined {
    return this.view.memberOrder(data);
  }
  memberAges(): Int16Array {
    return this.view.memberAges();
  }
  call(fn: string, arg: string): Column {
    if (fn === 'eligible') {
      const data = this.eligible.get(arg);
      if (!data) throw new Error(`eligible("${arg}") used before it was computed`);
      return { type: 'boolean', data };
    }
    return this.view.call(fn, arg);
  }
}

/** The population on a date, recording which parameters the rules read (for the explanations). */
function dateView(
  pack: CompiledPack,
  population: Population,
  asOf: string,
  exists?: Uint8Array,
): { view: PopulationOnDate; used: Map<string, ParameterValue> } {
  const used = new Map<string, ParameterValue>();
  const view = new PopulationOnDate(
    population,
    asOf,
    (name) => {
      const v = pack.parameterOn(name, asOf);
      used.set(name, v);
      return v.value;
    },
    exists,
  );
  return { view, used };
}

/**
 * A condition over everyone: compiled to one loop over the registry (rules/compile.ts), or
 * set-at-a-time over columns when it uses a construct the compiler does not cover. Same answers.
 */
function ofEveryone(e: Expr, source: PolicySource): Uint8Array {
  try {
    const out = new Uint8Array(source.n);
    compileRules([{ rule: e, kind: 'truth' }], source).runAll([out]);
    return out;
  } catch (err) {
    if (err instanceof CompileUnsupported) return evaluateTruth(e, source);
    throw err;
  }
}

/** A policy's condition over everyone: at the candidate rows only when its conjuncts narrow it (F elsewhere). */
function eligibleColumn(rule: Expr, source: PolicySource, view: PopulationOnDate): Uint8Array {
  const rows = rowsToEvaluate(rule, view);
  if (!rows) return ofEveryone(rule, source);
  const out = new Uint8Array(source.n);
  try {
    const values = new Uint8Array(rows.length);
    compileTruth(rule, source).run(rows, values);
    for (let k = 0; k < rows.length; k++) out[rows[k]!] = values[k]!;
    return out;
  } catch (err) {
    if (err instanceof CompileUnsupported) return evaluateTruth(rule, source);
    throw err;
  }
}

/** The monthly amounts where the condition is met (T): the formula runs only there. */
function amountColumn(formula: Expr, eligible: Uint8Array, source: PolicySource): Amounts {
  let m = 0;
  for (let i = eligible.indexOf(T); i >= 0; i = eligible.indexOf(T, i + 1)) m++;
  const rows = new Int32Array(m);
  for (let i = eligible.indexOf(T), k = 0; i >= 0; i = eligible.indexOf(T, i + 1)) rows[k++] = i;
  const values = new Float64Array(m);
  try {
    compileNumber(formula, source).run(rows, values);
  } catch (err) {
    if (!(err instanceof CompileUnsupported)) throw err;
    const all = evaluateNumbers(formula, source);
    for (let k = 0; k < m; k++) values[k] = all[rows[k]!]!;
  }
  return new Amounts(rows, values);
}

function inForce(p: CompiledPolicy, asOf: string): boolean {
  return p.def.effective.from <= asOf && (p.def.effective.to == null || asOf <= p.def.effective.to);
}

/** Evaluates every policy of a pack over a population on a date. */
export function scanPopulation(pack: CompiledPack, population: Population, asOf: string): ScanResult {
  const { view, used } = dateView(pack, population, asOf);
  const eligible = new Map<string, Uint8Array>();
  const source = new PolicySource(view, eligible);
  const columns = new Map<string, PolicyColumns>();
  let everyoneExists = true;
  for (let i = 0; i < view.n; i++)
    if (!view.exists[i]) {
      everyoneExists = false;
      break;
    }
  for (const p of pack.policies) {
    const active = inForce(p, asOf);
    // One compiled pass per policy: a single pass for the whole pack was measured slower (one very large function).
    const truth = active ? eligibleColumn(p.rule, source, view) : new Uint8Array(view.n);
    // A resident born after D does not exist on D: no findings, never eligible.
    if (!everyoneExists) for (let i = 0; i < view.n; i++) if (!view.exists[i]) truth[i] = F;
    eligible.set(p.def.code, truth);
    const holds = (view.call('holds', p.def.code) as { data: Uint8Array }).data;
    const amount = active && p.amount ? amountColumn(p.amount, truth, source) : null;
    columns.set(p.def.code, { policy: p, inForce: active, eligible: truth, holds, amount });
  }
  return { asOf, view, columns, parameters: used };
}

/**
 * The scan after a change that touched some households (the population patched, same numbering:
 * `patchPopulation`): everyone else's columns are carried over from the previous scan, and the
 * touched households are cut out (`subPopulation`) and scanned on their own — a person's rules
 * read only their own facts, their household's and their own other policies, so the cut-out
 * gives exactly their values. Only work proportional to the touched households is done, apart
 * from copying a column a touched person's value changed in.
 */
export function rescanHouseholds(
  pack: CompiledPack,
  previous: ScanResult,
  population: Population,
  households: ArrayLike<number>,
): ScanResult {
  const asOf = previous.asOf;
  const sub = subPopulation(population, Array.from(households));
  const part = scanPopulation(pack, sub, asOf);
  // Where each member of the cut-out is in the whole registry.
  const rows = new Int32Array(sub.n);
  for (let j = 0; j < sub.n; j++) rows[j] = population.indexOf.get(sub.ids[j]!)!;
  // Who exists on the date: only a touched person's birth date can have changed.
  const exists = previous.view.exists.slice();
  for (let j = 0; j < sub.n; j++) exists[rows[j]!] = part.view.exists[j]!;
  const { view, used } = dateView(pack, population, asOf, exists);
  const changedAt = (before: Uint8Array, after: Uint8Array): boolean => {
    for (let j = 0; j < rows.length; j++) if (before[rows[j]!] !== after[j]) return true;
    return false;
  };
  /** The previous column, or a copy with the touched rows rewritten when one of them changed. */
  const merged = (before: Uint8Array, after: Uint8Array): Uint8Array => {
    if (!changedAt(before, after)) return before;
    const out = before.slice();
    for (let j = 0; j < rows.length; j++) out[rows[j]!] = after[j]!;
    return out;
  };
  const touched = new Set(rows);
  /** The previous amounts, or new ones with the touched people's replaced when one of them changed. */
  const mergedAmounts = (before: Amounts, now: Amounts): Amounts => {
    const fresh = new Map<number, number>();
    for (let k = 0; k < now.rows.length; k++) fresh.set(rows[now.rows[k]!]!, now.values[k]!);
    let same = true;
    for (const r of rows)
      if (!Object.is(before.at(r), fresh.get(r) ?? NaN)) {
        same = false;
        break;
      }
    if (same) return before;
    const entries: Array<[number, number]> = [];
    for (let k = 0; k < before.rows.length; k++)
      if (!touched.has(before.rows[k]!)) entries.push([before.rows[k]!, before.values[k]!]);
    entries.push(...fresh);
    entries.sort((a, b) => a[0] - b[0]);
    return new Amounts(
      Int32Array.from(entries, (e) => e[0]),
      Float64Array.from(entries, (e) => e[1]),
    );
  };
  const columns = new Map<string, PolicyColumns>();
  for (const p of pack.policies) {
    const before = previous.columns.get(p.def.code);
    const now = part.columns.get(p.def.code)!;
    if (!before || before.inForce !== now.inForce || (before.amount === null) !== (now.amount === null))
      return scanPopulation(pack, population, asOf);
    columns.set(p.def.code, {
      policy: p,
      inForce: now.inForce,
      eligible: merged(before.eligible, now.eligible),
      holds: merged(before.holds, now.holds),
      amount: before.amount && now.amount ? mergedAmounts(before.amount, now.amount) : null,
    });
  }
  for (const [name, v] of [...previous.parameters, ...part.parameters]) if (!used.has(name)) used.set(name, v);
  return { asOf, view, columns, parameters: used };
}

/** Person i's finding for a policy, if any: a lead (eligible, not holding; with its amount `a`) or a review (holding, not eligible). */
function findingAt(code: string, c: PolicyColumns, i: number, a: number): Finding | null {
  const e = c.eligible[i]!;
  const h = c.holds[i] === T;
  if (e === T && !h)
    return {
      index: i,
      policy: code,
      kind: 'lead',
      monthlyAmount: c.amount && a === a ? Math.round(a * 100) / 100 : null,
    };
  if (h && e === F) return { index: i, policy: code, kind: 'review', monthlyAmount: null };
  return null;
}

/**
 * The findings of a scan: leads (eligible, not holding) and reviews (holding, not eligible), by
 * policy in pack order, then by person number. An array (not a generator): the callers want them
 * all, and collecting them directly is cheaper than yielding each.
 */
export function findings(scan: ScanResult, only?: ReadonlySet<string>): Finding[] {
  const out: Finding[] = [];
  const exists = scan.view.exists;
  for (const [code, c] of scan.columns) {
    if (only && !only.has(code)) continue;
    const { eligible, holds, amount } = c;
    // Leads come in ascending order, like the amounts' rows: a cursor finds each one's amount.
    const amountRows = amount?.rows;
    let cursor = 0;
    // Both kinds need a T in one of the two columns, and most people are neither eligible nor
    // receiving: read the columns four people at a time (T = 2 is the only value with bit 1 set)
    // and look closer only where a T is.
    const n = eligible.length;
    const aligned = eligible.byteOffset % 4 === 0 && holds.byteOffset % 4 === 0;
    const words = aligned ? n >>> 2 : 0;
    const e32 = new Uint32Array(eligible.buffer, eligible.byteOffset, words);
    const h32 = new Uint32Array(holds.buffer, holds.byteOffset, words);
    for (let w = 0; w <= words; w++) {
      let from: number;
      let to: number;
      if (w < words) {
        if (((e32[w]! | h32[w]!) & 0x02020202) === 0) continue;
        from = w * 4;
        to = from + 4;
      } else {
        from = words * 4;
        to = n;
      }
      for (let i = from; i < to; i++) {
        if (!exists[i] || (eligible[i] !== T && holds[i] !== T)) continue;
        let a = NaN;
        if (amountRows) {
          while (cursor < amountRows.length && amountRows[cursor]! < i) cursor++;
          if (amountRows[cursor] === i) a = amount!.values[cursor]!;
        }
        const f = findingAt(code, c, i, a);
        if (f) out.push(f);
      }
    }
  }
  return out;
}

/**
 * The findings after a re-evaluation of some rows (`rescanHouseholds`): the previous list without
 * those rows, with their findings of the new scan put in their places (same order as `findings`:
 * by policy in pack order, then by person). Work proportional to the list, not the registry.
 */
export function patchFindings(previous: readonly Finding[], scan: ScanResult, rows: Int32Array): Finding[] {
  const touched = new Set(rows);
  const sorted = Int32Array.from(rows).sort();
  const fresh = new Map<string, Finding[]>();
  const exists = scan.view.exists;
  for (const [code, c] of scan.columns) {
    const list: Finding[] = [];
    for (const i of sorted) {
      const f = exists[i] ? findingAt(code, c, i, c.amount ? c.amount.at(i) : NaN) : null;
      if (f) list.push(f);
    }
    fresh.set(code, list);
  }
  const out: Finding[] = [];
  let at = 0;
  for (const code of scan.columns.keys()) {
    const add = fresh.get(code)!;
    let k = 0;
    for (; at < previous.length && previous[at]!.policy === code; at++) {
      const f = previous[at]!;
      while (k < add.length && add[k]!.index < f.index) out.push(add[k++]!);
      if (!touched.has(f.index)) out.push(f);
    }
    while (k < add.length) out.push(add[k++]!);
  }
  if (at !== previous.length)
    throw new Error('patchFindings: the previous findings are not those of this pack in order');
  return out;
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
  /**
   * The rule's conditions with their wording, each with its node of the explanation's trace (the
   * same object: the parts of the trace's top-level AND, or the whole trace for a single condition).
   */
  readonly conditions: ReadonlyArray<{ readonly text: string; readonly label: string; readonly trace: Trace }>;
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
      if (fn === 'eligible') {
        const v = scan.columns.get(arg)!.eligible[index]!;
        return v === T ? true : v === F ? false : null;
      }
      return person.call(fn, arg);
    },
  };
  const explanation = explainRule(c.policy.rule, source, (name) => pack.parameters.has(name));
  const holds = c.holds[index] === T;
  const e = c.eligible[index]!;
  const kind: FindingKind | null = e === T && !holds ? 'lead' : holds && e === F ? 'review' : null;
  const a = c.amount ? c.amount.at(index) : NaN;
  // The trace flattens the top-level AND exactly as the conditions were cut from the rule.
  const root = explanation.trace;
  const tops = c.policy.conditions.length === 1 ? [root] : root.parts;
  return {
    policy: code,
    name: c.policy.def.name,
    source: c.policy.def.source,
    inForce: c.inForce,
    eligible: e === T ? 'pass' : e === F ? 'fail' : 'unknown',
    holds,
    kind,
    monthlyAmount: kind === 'lead' && a === a ? Math.round(a * 100) / 100 : null,
    explanation,
    conditions: c.policy.conditions.map((x, k) => ({ text: x.text, label: x.label, trace: tops[k]! })),
    parameters: [...explanation.params.keys()].map((name) => {
      const v = pack.parameterOn(name, scan.asOf);
      return { name, label: pack.parameters.get(name)!.label, value: v.value, from: v.from, source: v.source };
    }),
  };
}
