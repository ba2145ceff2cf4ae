/**
 * Rules compiled to JavaScript: one generated loop per rule over the rows asked for, with the
 * household aggregates (any / all / count) as inner loops over the members and AND / OR
 * short-circuiting per row. Same semantics as the columnar evaluator (three-valued Kleene truth
 * F = 0, U = 1, T = 2, NaN for an unknown number, empty "none" cells, the 1e-9 relative tolerance
 * of compareWithTolerance); `compile.test.ts` checks the two agree on every rule of the reference
 * pack and framework and on thousands of random rules.
 *
 * Why generated code: household conditions (the needs assessment's indicators) are aggregates
 * over each household's members. Set-at-a-time, each aggregate costs several passes over a
 * million-element column plus the allocations; compiled, it is one loop over the members of the
 * households asked for, with no intermediate arrays. No library compiles an expression language
 * to typed-array loops with our three-valued semantics, so it is written here (≈ 250 lines).
 *
 * Safety: only the rule's structure becomes code. Names are looked up in the population (facts,
 * calls, tags) and bound as closure variables `e0, e1, …`; literal values are emitted with
 * JSON.stringify or as numbers; nothing from the rule text is pasted into the source.
 */
import { childrenOf, type Expr, type LiteralValue } from './ast.ts';
import { TOLERANCE, type Column } from './columnar.ts';

/** What compiled rules read: the same facts as the columnar source, plus household structure. */
export interface CompileSource {
  /** yyyymmdd of the as-of date (ages are computed inline from birth keys). */
  readonly day: number;
  /** Person → household index. */
  readonly household: Int32Array;
  /** Members of household h are memberIndex[memberStart[h] … memberStart[h+1]). */
  readonly memberStart: Int32Array;
  readonly memberIndex: Int32Array;
  /** Birth keys (yyyymmdd) per person, for `age` and existence (born on or before the day). */
  readonly birth: Int32Array;
  /**
   * A person column in household order (position k = memberIndex[k]), when the column lives as
   * long as the population (a copy is then worth making once); undefined for a column of one date
   * (benefits held, eligible(), tags), which is read through the person number instead.
   */
  memberOrder<A extends Int32Array | Uint8Array | Float64Array>(data: A): A | undefined;
  /** Ages on the day in household order (negative: not born yet), computed once per day. */
  memberAges(): Int16Array;
  /**
   * An aggregate's value for every household (by household index), when the source keeps one
   * (it does for conditions of date-free facts, which only the set of members born changes);
   * undefined to have it computed by a loop over the members.
   */
  householdAggregate?(fn: 'any' | 'all' | 'count', inner: Expr): Uint8Array | Float64Array | undefined;
  /** A person fact as a column over all persons. */
  fact(name: string): Column;
  /** A household fact (`household.*`) as one value per household, or undefined if `name` is not one. */
  householdFact(name: string): Float64Array | undefined;
  call(fn: string, arg: string): Column;
  tag(code: string): Column;
  param(name: string): number;
  isFact(name: string): boolean;
}

/** A rule that cannot be compiled (a construct the generator does not cover): evaluate it set-at-a-time instead. */
export class CompileUnsupported extends Error {}

type Kind = 'num' | 'truth' | 'code' | 'null' | 'str';
interface Code {
  readonly js: string;
  readonly kind: Kind;
  /** For 'code': the dictionary (code k ↔ values[k-1]). */
  readonly values?: readonly string[];
  /** A fact whose empty cell means "none" (comparisons false, not unknown). */
  readonly none?: boolean;
  /** For 'str' literals. */
  readonly text?: string;
  /** A literal (number or truth) known at compile time. */
  readonly constant?: boolean;
  /**
   * A whole number below a million in size that is never unknown (an age, a household's size, a
   * whole literal): two of them compare exactly, since the 1e-9 relative tolerance is below 1 there.
   */
  readonly exact?: boolean;
}

/** Household facts that are counts of members: whole numbers, never unknown. */
const COUNT_FACTS: ReadonlySet<string> = new Set(['household.size']);

class Scope {
  readonly temps: string[] = [];
  /**
   * `person`: the variable holding the person number; `position`: when set, the variable holding
   * the person's place in household order, where person columns are read from their household-order copies.
   */
  constructor(
    readonly person: string,
    readonly position: string | null,
    readonly inAggregate: boolean,
    private readonly counter: { n: number },
  ) {}
  temp(): string {
    const t = `t${this.counter.n++}`;
    this.temps.push(t);
    return t;
  }
  declare(): string {
    return this.temps.length ? `let ${this.temps.join(', ')};` : '';
  }
}

const PRELUDE = `
"use strict";
const TOL = ${TOLERANCE};
function tl(a, b) { const m = Math.abs(a) > Math.abs(b) ? Math.abs(a) : Math.abs(b); return TOL * (m > 1 ? m : 1); }
function lt(a, b) { return a !== a || b !== b ? 1 : a - b < -tl(a, b) ? 2 : 0; }
function le(a, b) { return a !== a || b !== b ? 1 : a - b <= tl(a, b) ? 2 : 0; }
function gt(a, b) { return a !== a || b !== b ? 1 : a - b > tl(a, b) ? 2 : 0; }
function ge(a, b) { return a !== a || b !== b ? 1 : a - b >= -tl(a, b) ? 2 : 0; }
function eq(a, b) { return a !== a || b !== b ? 1 : Math.abs(a - b) <= tl(a, b) ? 2 : 0; }
function ne(a, b) { return a !== a || b !== b ? 1 : Math.abs(a - b) > tl(a, b) ? 2 : 0; }
function dv(a, b) { return b === 0 ? NaN : a / b; }
`;
/** Placeholder in aggregate functions for the locals, known only once the whole rule is generated. */
const LOCALS = '/*locals*/';
const EXACT: Record<string, string> = { '<': '<', '<=': '<=', '>': '>', '>=': '>=', '==': '===', '!=': '!==' };
const COMPARE: Record<string, string> = { '<': 'lt', '<=': 'le', '>': 'gt', '>=': 'ge', '==': 'eq', '!=': 'ne' };

class Generator {
  readonly env: unknown[] = [];
  private readonly bound = new Map<unknown, string>();
  readonly functions: string[] = [];
  private readonly counter = { n: 0 };
  private aggregates = 0;
  /** Aggregate functions, whose per-household memo each run resets. */
  readonly memos: string[] = [];

  constructor(private readonly src: CompileSource) {}

  bind(value: unknown): string {
    let name = this.bound.get(value);
    if (!name) {
      name = `e${this.env.length}`;
      this.env.push(value);
      this.bound.set(value, name);
    }
    return name;
  }

  scope(person: string, position: string | null, inAggregate = false): Scope {
    return new Scope(person, position, inAggregate, this.counter);
  }

  truth(c: Code): string {
    if (c.kind === 'truth') return c.js;
    if (c.kind === 'null') return '1';
    throw new CompileUnsupported(`expected a condition, got ${c.kind}`);
  }

  number(c: Code): string {
    if (c.kind === 'num') return c.js;
    if (c.kind === 'null') return 'NaN';
    throw new CompileUnsupported(`expected a number, got ${c.kind}`);
  }

  expr(e: Expr, s: Scope): Code {
    switch (e.kind) {
      case 'literal':
        return this.literal(e.value);
      case 'ref':
        return this.ref(e.name, s);
      case 'tag':
        return this.column(this.src.tag(e.code), s);
      case 'call': {
        if (e.fn === 'any' || e.fn === 'all' || e.fn === 'count') return this.aggregate(e.fn, e.args[0]!, s);
        const arg = e.args[0];
        if (!arg || arg.kind !== 'literal') throw new CompileUnsupported(`${e.fn}() with a computed argument`);
        return this.column(this.src.call(e.fn, String(arg.value)), s);
      }
      case 'unary': {
        const c = this.expr(e.operand, s);
        return e.op === '!'
          ? { js: `(2 - ${this.truth(c)})`, kind: 'truth' }
          : { js: `(-${this.number(c)})`, kind: 'num' };
      }
      case 'binary': {
        if (e.op === '&&' || e.op === '||') return this.logical(e.op, this.expr(e.left, s), this.expr(e.right, s), s);
        const l = this.expr(e.left, s);
        const r = this.expr(e.right, s);
        if (e.op === '+' || e.op === '-' || e.op === '*')
          return { js: `(${this.number(l)} ${e.op} ${this.number(r)})`, kind: 'num' };
        if (e.op === '/') return { js: `dv(${this.number(l)}, ${this.number(r)})`, kind: 'num' };
        return this.compare(e.op, l, r, s);
      }
      case 'in': {
        const v = this.expr(e.value, s);
        return this.membership(
          v,
          e.list.map((x) => x.value),
          false,
          s,
        );
      }
      case 'conditional': {
        const t = s.temp();
        const test = this.truth(this.expr(e.test, s));
        const a = this.expr(e.then, s);
        const b = this.expr(e.otherwise, s);
        const boolean = a.kind === 'truth' || b.kind === 'truth';
        const [x, y] = boolean ? [this.truth(a), this.truth(b)] : [this.number(a), this.number(b)];
        return {
          js: `((${t} = ${test}) === 2 ? ${x} : ${t} === 0 ? ${y} : ${boolean ? '1' : 'NaN'})`,
          kind: boolean ? 'truth' : 'num',
        };
      }
    }
  }

  private literal(v: LiteralValue): Code {
    if (v === null) return { js: 'null', kind: 'null', constant: true };
    if (typeof v === 'number')
      return {
        js: `(${Number.isFinite(v) ? String(v) : 'NaN'})`,
        kind: 'num',
        constant: true,
        ...(Number.isInteger(v) && Math.abs(v) < 1e6 ? { exact: true } : {}),
      };
    if (typeof v === 'boolean') return { js: v ? '2' : '0', kind: 'truth', constant: true };
    return { js: JSON.stringify(v), kind: 'str', text: v };
  }

  private ref(name: string, s: Scope): Code {
    // A dated parameter: bound, not written into the code, so the same code serves every date.
    if (!this.src.isFact(name)) {
      const v = this.src.param(name);
      return Number.isFinite(v) ? { js: this.bind(v), kind: 'num' } : this.literal(null);
    }
    const byHousehold = this.src.householdFact(name);
    if (byHousehold)
      return { js: `${this.bind(byHousehold)}[h0]`, kind: 'num', ...(COUNT_FACTS.has(name) ? { exact: true } : {}) };
    if (name === 'age') {
      // completedYears(birth, day), inline: no million-element age column.
      if (s.position) return { js: `${this.bind(this.src.memberAges())}[${s.position}]`, kind: 'num', exact: true };
      return {
        js: `Math.floor((${this.bind(this.src.day)} - ${this.read(this.src.birth, s)}) / 10000)`,
        kind: 'num',
        exact: true,
      };
    }
    return this.column(this.src.fact(name), s);
  }

  /** A person column read at the scope's person: by person number, or in household order inside an aggregate. */
  private read(data: Int32Array | Uint8Array | Float64Array, s: Scope): string {
    if (!s.position) return `${this.bind(data)}[${s.person}]`;
    const inOrder = this.src.memberOrder(data);
    if (inOrder) return `${this.bind(inOrder)}[${s.position}]`;
    return s.inAggregate
      ? `${this.bind(data)}[${this.bind(this.src.memberIndex)}[${s.position}]]`
      : `${this.bind(data)}[${s.person}]`;
  }

  private column(c: Column, s: Scope): Code {
    switch (c.type) {
      case 'const':
        return this.literal(c.value);
      case 'number':
        return { js: this.read(c.data, s), kind: 'num', ...(c.emptyIsNone ? { none: true } : {}) };
      case 'boolean':
        return { js: this.read(c.data, s), kind: 'truth' };
      case 'string':
        return { js: this.read(c.data, s), kind: 'code', values: c.values, ...(c.emptyIsNone ? { none: true } : {}) };
    }
  }

  logical(op: '&&' | '||', l: Code, r: Code, s: Scope): Code {
    const a = this.truth(l);
    const b = this.truth(r);
    const t = s.temp();
    const u = s.temp();
    // Kleene AND = min with F deciding; OR = max with T deciding; the right side only where undecided.
    return op === '&&'
      ? { js: `((${t} = ${a}) === 0 ? 0 : (${u} = ${b}) < ${t} ? ${u} : ${t})`, kind: 'truth' }
      : { js: `((${t} = ${a}) === 2 ? 2 : (${u} = ${b}) > ${t} ? ${u} : ${t})`, kind: 'truth' };
  }

  /** Where an empty "none" operand decides a comparison: `x` false (true for !=) instead of unknown. */
  private settleNone(
    js: string,
    operands: readonly Code[],
    value: 0 | 2,
    s: Scope,
    tempsOf: readonly string[],
  ): string {
    const nones = operands
      .map((c, k) => ({ c, t: tempsOf[k]! }))
      .filter(({ c }) => c.none && (c.kind === 'num' || c.kind === 'code'));
    if (nones.length === 0) return js;
    const r = s.temp();
    const tests = nones.map(({ c, t }) => (c.kind === 'num' ? `${t} !== ${t}` : `${t} === 0`)).join(' || ');
    return `((${r} = ${js}), (${tests}) ? ${value} : ${r})`;
  }

  private compare(op: string, l: Code, r: Code, s: Scope): Code {
    const eqOp = op === '==' || op === '!=';
    if (eqOp && (l.kind === 'null' || r.kind === 'null')) {
      const other = l.kind === 'null' ? r : l;
      const yes = op === '==' ? 2 : 0;
      const no = 2 - yes;
      if (other.kind === 'null') return { js: String(yes), kind: 'truth' };
      const t = s.temp();
      const missing =
        other.kind === 'num'
          ? `${t} !== ${t}`
          : other.kind === 'code'
            ? `${t} === 0`
            : other.kind === 'truth'
              ? `${t} === 1`
              : 'false';
      return { js: `((${t} = ${other.js}), ${missing} ? ${yes} : ${no})`, kind: 'truth' };
    }
    if (
      eqOp &&
      (l.kind === 'str' || r.kind === 'str' || (l.kind === 'truth' && r.constant) || (r.kind === 'truth' && l.constant))
    ) {
      const [col, lit] = l.kind === 'str' || l.constant ? [r, l] : [l, r];
      const value: LiteralValue =
        lit.kind === 'str' ? lit.text! : lit.kind === 'truth' ? lit.js === '2' : Number(lit.js.slice(1, -1));
      return this.membership(col, [value], op === '!=', s);
    }
    if ((l.kind === 'num' || l.kind === 'null') && (r.kind === 'num' || r.kind === 'null')) {
      if (l.exact && r.exact) return { js: `(${l.js} ${EXACT[op]} ${r.js} ? 2 : 0)`, kind: 'truth' };
      if (!l.none && !r.none) return { js: `${COMPARE[op]}(${this.number(l)}, ${this.number(r)})`, kind: 'truth' };
      const a = s.temp();
      const b = s.temp();
      const js = `(${a} = ${this.number(l)}, ${b} = ${this.number(r)}, ${COMPARE[op]}(${a}, ${b}))`;
      return { js: this.settleNone(js, [l, r], op === '!=' ? 2 : 0, s, [a, b]), kind: 'truth' };
    }
    if (eqOp && l.kind === r.kind && (l.kind === 'code' || l.kind === 'truth')) {
      if (l.kind === 'code' && l.values !== r.values)
        throw new CompileUnsupported('comparison of two different code lists');
      const a = s.temp();
      const b = s.temp();
      const unknown = l.kind === 'code' ? `${a} === 0 || ${b} === 0` : `${a} === 1 || ${b} === 1`;
      const same = op === '==' ? `${a} === ${b}` : `${a} !== ${b}`;
      const js = `(${a} = ${l.js}, ${b} = ${r.js}, (${unknown}) ? 1 : ${same} ? 2 : 0)`;
      return { js: this.settleNone(js, [l, r], op === '!=' ? 2 : 0, s, [a, b]), kind: 'truth' };
    }
    throw new CompileUnsupported(`comparison ${l.kind} ${op} ${r.kind}`);
  }

  private membership(v: Code, wanted: readonly LiteralValue[], negate: boolean, s: Scope): Code {
    const yes = negate ? 0 : 2;
    const no = 2 - yes;
    const t = s.temp();
    let missing: string;
    let hit: string;
    if (v.kind === 'code') {
      const codes = wanted.map((w) => v.values!.indexOf(String(w)) + 1).filter((k) => k > 0);
      missing = `${t} === 0`;
      hit = codes.length ? codes.map((k) => `${t} === ${k}`).join(' || ') : 'false';
    } else if (v.kind === 'num') {
      missing = `${t} !== ${t}`;
      const nums = wanted.map(Number).filter((x) => !Number.isNaN(x));
      hit = nums.length ? nums.map((x) => `${t} === ${x}`).join(' || ') : 'false';
    } else if (v.kind === 'truth') {
      missing = `${t} === 1`;
      const want = [...new Set(wanted.map((w) => (w === null ? 1 : w ? 2 : 0)))];
      hit = want.map((x) => `${t} === ${x}`).join(' || ');
    } else if (v.kind === 'null') {
      return { js: '1', kind: 'truth' };
    } else {
      throw new CompileUnsupported(`membership of ${v.kind}`);
    }
    // An empty "none" cell is not in any list (false; true for a negated test).
    const whenMissing = v.none ? (negate ? 2 : 0) : 1;
    return { js: `((${t} = ${v.js}), ${missing} ? ${whenMissing} : (${hit}) ? ${yes} : ${no})`, kind: 'truth' };
  }

  private aggregate(fn: 'any' | 'all' | 'count', inner: Expr, s: Scope): Code {
    if (s.inAggregate) throw new CompileUnsupported('an aggregate inside an aggregate');
    const kept = this.src.householdAggregate?.(fn, inner);
    if (kept) return { js: `${this.bind(kept)}[h0]`, kind: fn === 'count' ? 'num' : 'truth' };
    const name = `agg${this.aggregates++}`;
    const m = this.scope('', 'k', true);
    const body = this.truth(this.expr(inner, m));
    const ms = this.bind(this.src.memberStart);
    const ages = this.bind(this.src.memberAges());
    // Members born after the day do not exist yet (a negative age). Members of a household are
    // visited one after another in household order: `${name}` keeps the aggregate for the
    // household last asked about (reset at the start of every run); `${name}_once` keeps nothing
    // (a run over households asks once per household).
    this.memos.push(name);
    const loop = (init: string, step: string, result: string) => {
      const compute = `${LOCALS}
  ${init}
  for (let k = ${ms}[h0], end = ${ms}[h0 + 1]; k < end; k++) {
    if (${ages}[k] < 0) continue;
    ${m.declare()}
    const v = ${body};
    ${step}
  }`;
      return `let ${name}_h = -1, ${name}_v = 0;
function ${name}(h0) {
  if (h0 === ${name}_h) return ${name}_v;
  ${name}_h = h0;
  ${compute}
  return (${name}_v = ${result});
}
function ${name}_once(h0) {
  ${compute}
  return ${result};
}`;
    };
    if (fn === 'any')
      this.functions.push(loop('let acc = 0;', 'if (v > acc) { acc = v; if (acc === 2) break; }', 'acc'));
    else if (fn === 'all')
      this.functions.push(loop('let acc = 2;', 'if (v < acc) { acc = v; if (acc === 0) break; }', 'acc'));
    else
      this.functions.push(
        loop('let c = 0, unknown = false;', 'if (v === 2) c++; else if (v === 1) unknown = true;', 'unknown ? NaN : c'),
      );
    return { js: `${name}(h0)`, kind: fn === 'count' ? 'num' : 'truth' };
  }
}

export interface CompiledRule<Out> {
  /** Evaluates the rule at each person of `rows` (person numbers), writing one value per row into `out`. */
  run(rows: Int32Array, out: Out): void;
  /** Evaluates the rule at every person 0 … out.length − 1. */
  runAll(out: Out): void;
  /**
   * Evaluates a household rule once per household: `households[u]` with `persons[u]`, one of its
   * members, standing for it where the rule reads a person fact outside an aggregate.
   */
  runHouseholds(households: Int32Array, persons: Int32Array, out: Out): void;
  /** The generated source, for tests and curiosity. */
  readonly source: string;
}

type Compiled = {
  run(env: readonly unknown[], rows: Int32Array, outs: readonly unknown[]): void;
  runAll(env: readonly unknown[], outs: readonly unknown[]): void;
  runHouseholds(env: readonly unknown[], households: Int32Array, persons: Int32Array, outs: readonly unknown[]): void;
};

/**
 * Generated code by its text: the arrays, parameters and the day are passed in at each run, so a
 * rule compiles once and its machine code (optimised by V8 after the first runs) serves every
 * date and every population.
 */
const compiledBySource = new Map<string, Compiled>();

export interface CompiledRules {
  /** Evaluates every rule at each person of `rows`; `outs[j][u]` is rule j at row u. */
  run(rows: Int32Array, outs: ReadonlyArray<Uint8Array | Float64Array>): void;
  /** Evaluates every rule at every person, in one pass over the households in order; `outs[j][i]` is rule j for person i. */
  runAll(outs: ReadonlyArray<Uint8Array | Float64Array>): void;
  /** Evaluates every rule once per household (see CompiledRule.runHouseholds). */
  runHouseholds(households: Int32Array, persons: Int32Array, outs: ReadonlyArray<Uint8Array | Float64Array>): void;
  readonly source: string;
}

/**
 * Several rules evaluated in one pass, in the order given: a rule may read another's result
 * (eligible("X")) for the same person when the source hands out the array X is written to — it
 * is written earlier in the same step. Conditions write F/U/T, formulas numbers (NaN unknown).
 */
export function compileRules(
  items: ReadonlyArray<{ readonly rule: Expr; readonly kind: 'truth' | 'number' }>,
  src: CompileSource,
): CompiledRules {
  const g = new Generator(src);
  // Each rule twice: read by person number (for chosen rows), and in household order (for
  // everyone: household facts and members read in sequence, each household's aggregates once).
  const byPerson = g.scope('i0', null);
  const inOrder = g.scope('i0', 'k0');
  const value = (e: Expr, kind: 'truth' | 'number', sc: Scope) =>
    kind === 'truth' ? g.truth(g.expr(e, sc)) : g.number(g.expr(e, sc));
  const personValues = items.map((x) => value(x.rule, x.kind, byPerson));
  // One condition over everyone: its household-level conjuncts are decided once per household,
  // and a household where they are false is skipped (F AND anything is F).
  const split = items.length === 1 && items[0]!.kind === 'truth' ? splitByHousehold(items[0]!.rule, src) : null;
  const householdValue = split
    ? g.truth(split.household.map((e) => g.expr(e, inOrder)).reduce((a, b) => g.logical('&&', a, b, inOrder)))
    : null;
  const orderValues = split
    ? [
        g.truth(
          [{ js: 'hv', kind: 'truth' } as Code, ...split.person.map((e) => g.expr(e, inOrder))].reduce((a, b) =>
            g.logical('&&', a, b, inOrder),
          ),
        ),
      ]
    : items.map((x) => value(x.rule, x.kind, inOrder));
  const hh = g.bind(src.household);
  const ms = g.bind(src.memberStart);
  const mi = g.bind(src.memberIndex);
  // Arrays and values as locals of each function (constants to the optimiser, hoisted out of loops).
  const locals = g.env.length ? `const ${g.env.map((_, k) => `e${k} = E[${k}]`).join(', ')};` : '';
  // An aggregate function, called once per household, loads just the values it reads.
  const localsOf = (code: string): string => {
    const used = [...new Set(code.match(/\be\d+\b/g) ?? [])];
    return used.length ? `const ${used.map((e) => `${e} = E[${e.slice(1)}]`).join(', ')};` : '';
  };
  const outs = items.map((_, j) => `o${j} = outs[${j}]`).join(', ');
  const load = `E = env; ${locals} const ${outs}; ${g.memos.map((m) => `${m}_h = -1;`).join(' ')}`;
  // Once per household, each aggregate is asked for at most once: no memo to keep.
  const once = (js: string) => js.replace(/\b(agg\d+)\(h0\)/g, '$1_once(h0)');
  const write = (values: string[], at: string) => values.map((v, j) => `o${j}[${at}] = ${v};`).join('\n    ');
  const body = `let E;
${g.functions.map((f) => f.split(LOCALS).join(localsOf(f))).join('\n')}
function run(env, rows, outs) {
  ${load}
  ${byPerson.declare()}
  for (let u = 0, n = rows.length; u < n; u++) {
    const i0 = rows[u];
    const h0 = ${hh}[i0];
    ${write(personValues, 'u')}
  }
}
function runAll(env, outs) {
  ${load}
  ${inOrder.declare()}
  ${householdValue ? 'o0.fill(0);' : ''}
  for (let h0 = 0, nh = ${ms}.length - 1; h0 < nh; h0++) {
    ${
      householdValue
        ? `const hv = ${householdValue};
    if (hv === 0) continue;`
        : ''
    }
    for (let k0 = ${ms}[h0], end = ${ms}[h0 + 1]; k0 < end; k0++) {
      const i0 = ${mi}[k0];
      ${write(orderValues, 'i0')}
    }
  }
}
function runHouseholds(env, households, persons, outs) {
  ${load}
  ${byPerson.declare()}
  for (let u = 0, n = households.length; u < n; u++) {
    const h0 = households[u];
    const i0 = persons[u];
    ${write(personValues.map(once), 'u')}
  }
}
return { run, runAll, runHouseholds };`;
  const source = PRELUDE + body;
  let fns = compiledBySource.get(source);
  if (!fns) {
    // new Function: see the module comment (the source is generated from the rule's structure only).
    fns = new Function(source)() as Compiled;
    if (compiledBySource.size > 2000) compiledBySource.clear();
    compiledBySource.set(source, fns);
  }
  const env = g.env;
  const compiled = fns;
  return {
    run: (rows, o) => compiled.run(env, rows, o),
    runAll: (o) => compiled.runAll(env, o),
    runHouseholds: (households, persons, o) => compiled.runHouseholds(env, households, persons, o),
    source,
  };
}

/** The conjuncts of a top-level AND chain, left to right (a rule that is not an AND is one conjunct). */
export function conjunctsOf(e: Expr): Expr[] {
  return e.kind === 'binary' && e.op === '&&' ? [...conjunctsOf(e.left), ...conjunctsOf(e.right)] : [e];
}

/**
 * A condition's conjuncts that depend only on the household (household facts, parameters,
 * literals, aggregates over the members) and the rest, when there are both kinds. Kleene AND is
 * associative and commutative, so deciding the first group per household changes no answer.
 */
function splitByHousehold(rule: Expr, src: CompileSource): { household: Expr[]; person: Expr[] } | null {
  const household: Expr[] = [];
  const person: Expr[] = [];
  for (const c of conjunctsOf(rule)) (readsOnlyHousehold(c, src, true) ? household : person).push(c);
  return household.length > 0 && person.length > 0 ? { household, person } : null;
}

/**
 * Whether an expression reads only the household: household facts, parameters, literals and, with
 * `aggregates`, any / all / count over the members (which also read the members' ages on the date).
 */
export function readsOnlyHousehold(
  e: Expr,
  src: Pick<CompileSource, 'isFact' | 'householdFact'>,
  aggregates: boolean,
): boolean {
  if (e.kind === 'call' && (e.fn === 'any' || e.fn === 'all' || e.fn === 'count')) return aggregates;
  if (e.kind === 'tag' || e.kind === 'call') return false;
  if (e.kind === 'ref') return !src.isFact(e.name) || src.householdFact(e.name) !== undefined;
  return childrenOf(e).every((child) => readsOnlyHousehold(child, src, aggregates));
}

function build<Out>(e: Expr, src: CompileSource, want: 'truth' | 'num'): CompiledRule<Out> {
  const many = compileRules([{ rule: e, kind: want === 'truth' ? 'truth' : 'number' }], src);
  return {
    run: (rows, out) => many.run(rows, [out as unknown as Uint8Array]),
    runAll: (out) => many.runAll([out as unknown as Uint8Array]),
    runHouseholds: (households, persons, out) =>
      many.runHouseholds(households, persons, [out as unknown as Uint8Array]),
    source: many.source,
  };
}

/** Compiles a condition: `run` writes F/U/T (0/1/2) per row. Throws CompileUnsupported for constructs it does not cover. */
export function compileTruth(e: Expr, src: CompileSource): CompiledRule<Uint8Array> {
  return build<Uint8Array>(e, src, 'truth');
}

/** Compiles a numeric formula: `run` writes a number per row (NaN where unknown). */
export function compileNumber(e: Expr, src: CompileSource): CompiledRule<Float64Array> {
  return build<Float64Array>(e, src, 'num');
}
