/**
 * Set-at-a-time evaluation: a rule runs over a whole population at once, each node producing a
 * typed-array column (no per-person interpreter loop, no per-person objects). Truth is
 * three-valued (Kleene): with F = 0, U = 1 (unknown: a needed fact is missing), T = 2, AND is
 * min, OR is max and NOT is 2 − x. Numbers are Float64Array with NaN for unknown; code-valued
 * facts are Uint8Array codes (0 = unknown) with their dictionary.
 */
import type { Expr, LiteralValue } from './ast.ts';

export const F = 0;
export const U = 1;
export const T = 2;

/**
 * `emptyIsNone`: for facts whose empty cell is itself an answer (no school stage = not enrolled, no
 * disability grade = no certified disability), a comparison with an empty cell is false (true for
 * !=) rather than unknown; `x == null` still finds the empty cells.
 */
export type Column =
  | { readonly type: 'number'; readonly data: Float64Array; readonly emptyIsNone?: boolean }
  | { readonly type: 'boolean'; readonly data: Uint8Array }
  | {
      readonly type: 'string';
      readonly data: Uint8Array;
      readonly values: readonly string[];
      readonly emptyIsNone?: boolean;
    }
  | { readonly type: 'const'; readonly value: LiteralValue };

/** Where a columnar evaluation reads its facts: one column per fact over the same n people. */
export interface ColumnSource {
  readonly n: number;
  fact(name: string): Column;
  /**
   * any / all / count of a per-person truth column over each person's household (members existing
   * on the date), spread back to every person: three-valued (any = OR, all = AND over members;
   * count counts the members for whom it is true, unknown when any member is unknown).
   */
  aggregate?(fn: 'any' | 'all' | 'count', truth: Uint8Array, sel: Int32Array | null): Column;
  /** A fact at some rows only (optional: a source that can do better than gathering the full column). */
  factAt?(name: string, sel: Int32Array): Column;
  call(fn: string, arg: string): Column;
  param(name: string): number;
  tag(code: string): Column;
}

const constant = (value: LiteralValue): Column => ({ type: 'const', value });

/**
 * Columns made during one evaluation (not facts a source caches): an operator may overwrite one
 * of these instead of allocating another million-element array.
 */
const scratch = new WeakSet<Uint8Array>();
function fresh(n: number): Uint8Array {
  const a = new Uint8Array(n);
  scratch.add(a);
  return a;
}

function truthOf(value: LiteralValue): number {
  return value === null ? U : value ? T : F;
}

function asTruth(c: Column, _n: number): Uint8Array | number {
  if (c.type === 'const') return truthOf(c.value);
  if (c.type !== 'boolean') throw new Error(`expected a condition, got ${c.type}`);
  return c.data;
}

function asNumbers(c: Column): Float64Array | number {
  if (c.type === 'const') return c.value === null ? NaN : Number(c.value);
  if (c.type !== 'number') throw new Error(`expected a number, got ${c.type}`);
  return c.data;
}

function truthToLiteral(t: number): LiteralValue {
  return t === U ? null : t === T;
}

/**
 * Numbers compare with a relative tolerance of 1e-9 (the assessment framework's rule, applied to
 * every rule): money and shares reach the rules through divisions and decimal factors (0.4 × 12
 * is 4.800000000000001 in binary floating point), and a household exactly on a line must be on
 * it, not a rounding error to one side. Real differences in yuan are far larger than the tolerance.
 */
export const TOLERANCE = 1e-9;

export function compareWithTolerance(op: string, a: number, b: number): boolean {
  const d = a - b;
  const t = TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
  switch (op) {
    case '<':
      return d < -t;
    case '<=':
      return d <= t;
    case '>':
      return d > t;
    case '>=':
      return d >= -t;
    case '==':
      return Math.abs(d) <= t;
    default:
      return Math.abs(d) > t;
  }
}

function compareNumbers(op: string, a: Float64Array | number, b: Float64Array | number, n: number): Column {
  if (typeof a === 'number' && typeof b === 'number')
    return constant(Number.isNaN(a) || Number.isNaN(b) ? null : compareWithTolerance(op, a, b));
  const out = fresh(n);
  // Specialised loops for the common column-versus-constant case: this is the hot path of a scan.
  if (typeof b === 'number') {
    const x = a as Float64Array;
    if (Number.isNaN(b)) {
      out.fill(U);
      return { type: 'boolean', data: out };
    }
    // Most values are far from the threshold: decide them with one comparison against a band a
    // little wider than any tolerance near b, and do the exact tolerance test only inside it.
    const band = 4 * TOLERANCE * Math.max(1, Math.abs(b));
    const lo = b - band;
    const hi = b + band;
    const near = (v: number) => compareWithTolerance(op, v, b);
    switch (op) {
      case '<':
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v !== v ? U : v < lo ? T : v > hi ? F : near(v) ? T : F;
        }
        break;
      case '<=':
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v !== v ? U : v < lo ? T : v > hi ? F : near(v) ? T : F;
        }
        break;
      case '>':
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v !== v ? U : v > hi ? T : v < lo ? F : near(v) ? T : F;
        }
        break;
      case '>=':
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v !== v ? U : v > hi ? T : v < lo ? F : near(v) ? T : F;
        }
        break;
      case '==':
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v !== v ? U : v < lo || v > hi ? F : near(v) ? T : F;
        }
        break;
      default:
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v !== v ? U : v < lo || v > hi ? T : near(v) ? T : F;
        }
        break;
    }
    return { type: 'boolean', data: out };
  }
  for (let i = 0; i < n; i++) {
    const v = typeof a === 'number' ? a : a[i]!;
    const w = b[i]!;
    out[i] = v !== v || w !== w ? U : compareWithTolerance(op, v, w) ? T : F;
  }
  return { type: 'boolean', data: out };
}

/** Codes of a code-valued column for a set of literal strings (0 where the text is not a code). */
function codeSet(values: readonly string[], wanted: readonly LiteralValue[]): Uint8Array {
  const set = new Uint8Array(values.length + 1);
  for (const w of wanted) {
    const k = values.indexOf(String(w));
    if (k >= 0) set[k + 1] = 1;
  }
  return set;
}

function membership(col: Column, wanted: readonly LiteralValue[], n: number, negate: boolean): Column {
  const yes = negate ? F : T;
  const no = negate ? T : F;
  if (col.type === 'const') {
    if (col.value === null) return constant(null);
    const hit = wanted.includes(col.value);
    return constant(negate ? !hit : hit);
  }
  const out = new Uint8Array(n);
  if (col.type === 'string') {
    const set = codeSet(col.values, wanted);
    const d = col.data;
    for (let i = 0; i < n; i++) {
      const c = d[i]!;
      out[i] = c === 0 ? U : set[c] ? yes : no;
    }
  } else if (col.type === 'number') {
    const nums = wanted.map(Number);
    const d = col.data;
    for (let i = 0; i < n; i++) {
      const v = d[i]!;
      out[i] = v !== v ? U : nums.includes(v) ? yes : no;
    }
  } else {
    const d = col.data;
    const want = wanted.map(truthOf);
    for (let i = 0; i < n; i++) {
      const v = d[i]!;
      out[i] = v === U ? U : want.includes(v) ? yes : no;
    }
  }
  return { type: 'boolean', data: out };
}

function isNull(col: Column, n: number, negate: boolean): Column {
  if (col.type === 'const') return constant((col.value === null) !== negate);
  const out = new Uint8Array(n);
  const yes = negate ? F : T;
  const no = negate ? T : F;
  const d = col.data;
  if (col.type === 'number')
    for (let i = 0; i < n; i++) {
      const v = d[i]!;
      out[i] = v !== v ? yes : no;
    }
  else if (col.type === 'string') for (let i = 0; i < n; i++) out[i] = d[i] === 0 ? yes : no;
  else for (let i = 0; i < n; i++) out[i] = d[i] === U ? yes : no;
  return { type: 'boolean', data: out };
}

function equality(op: '==' | '!=', l: Column, r: Column, n: number): Column {
  if (l.type === 'const' && l.value === null) return isNull(r, n, op === '!=');
  if (r.type === 'const' && r.value === null) return isNull(l, n, op === '!=');
  if (l.type === 'number' && r.type === 'const' && typeof r.value === 'number')
    return compareNumbers(op, l.data, r.value, n);
  if (r.type === 'number' && l.type === 'const' && typeof l.value === 'number')
    return compareNumbers(op, r.data, l.value, n);
  if (r.type === 'const') return membership(l, [r.value], n, op === '!=');
  if (l.type === 'const') return membership(r, [l.value], n, op === '!=');
  if (l.type === 'number' && r.type === 'number') return compareNumbers(op, l.data, r.data, n);
  // Two non-constant text or truth columns: compare their values.
  const out = new Uint8Array(n);
  const valueAt = (c: Column, i: number): LiteralValue => {
    if (c.type === 'string') {
      const k = c.data[i]!;
      return k === 0 ? null : c.values[k - 1]!;
    }
    if (c.type === 'boolean') return truthToLiteral(c.data[i]!);
    return null;
  };
  for (let i = 0; i < n; i++) {
    const a = valueAt(l, i);
    const b = valueAt(r, i);
    out[i] = a === null || b === null ? U : (a === b) === (op === '==') ? T : F;
  }
  return { type: 'boolean', data: out };
}

function arithmetic(op: string, a: Float64Array | number, b: Float64Array | number, n: number): Column {
  const f = (x: number, y: number) =>
    op === '+' ? x + y : op === '-' ? x - y : op === '*' ? x * y : y === 0 ? NaN : x / y;
  if (typeof a === 'number' && typeof b === 'number') {
    const v = f(a, b);
    return constant(Number.isNaN(v) ? null : v);
  }
  const out = new Float64Array(n);
  made.add(out);
  // Monomorphic loops per operator and shape: a closure call per element costs more than the arithmetic.
  if (typeof a === 'number') {
    const y = b as Float64Array;
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) out[i] = a + y[i]!;
        break;
      case '-':
        for (let i = 0; i < n; i++) out[i] = a - y[i]!;
        break;
      case '*':
        for (let i = 0; i < n; i++) out[i] = a * y[i]!;
        break;
      default:
        for (let i = 0; i < n; i++) {
          const w = y[i]!;
          out[i] = w === 0 ? NaN : a / w;
        }
    }
  } else if (typeof b === 'number') {
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) out[i] = a[i]! + b;
        break;
      case '-':
        for (let i = 0; i < n; i++) out[i] = a[i]! - b;
        break;
      case '*':
        for (let i = 0; i < n; i++) out[i] = a[i]! * b;
        break;
      default:
        for (let i = 0; i < n; i++) out[i] = b === 0 ? NaN : a[i]! / b;
    }
  } else {
    switch (op) {
      case '+':
        for (let i = 0; i < n; i++) out[i] = a[i]! + b[i]!;
        break;
      case '-':
        for (let i = 0; i < n; i++) out[i] = a[i]! - b[i]!;
        break;
      case '*':
        for (let i = 0; i < n; i++) out[i] = a[i]! * b[i]!;
        break;
      default:
        for (let i = 0; i < n; i++) {
          const w = b[i]!;
          out[i] = w === 0 ? NaN : a[i]! / w;
        }
    }
  }
  return { type: 'number', data: out };
}

/**
 * Evaluates a (type-checked) rule over every person of a source at once. The result belongs to
 * the caller: it is no longer a scratch column that a later evaluation could overwrite.
 */
export function evaluateColumns(e: Expr, src: ColumnSource): Column {
  const c = evaluate(e, src);
  if (c.type === 'boolean') {
    // A rule that is just a fact returns the source's own column: hand out a copy, never the
    // column every later evaluation reads (callers may write into what they get).
    if (!scratch.delete(c.data)) return { type: 'boolean', data: c.data.slice() };
  }
  if (c.type === 'number' && !made.has(c.data)) return { ...c, data: c.data.slice() };
  return c;
}

/** Number columns made by an evaluation (not a source's own). */
const made = new WeakSet<Float64Array>();

/**
 * Evaluates over a selection: `sel` lists the rows still undecided (null = every row), and every
 * column returned has one entry per selected row. AND and OR chains narrow the selection as they
 * go — once a row is false for an AND (true for an OR) its other operands are not evaluated
 * there — which is what keeps a scan of a million people to a fraction of the work of evaluating
 * every condition everywhere (three-valued: F && x = F and T || x = T whatever x is).
 */
function evaluate(e: Expr, src: ColumnSource, sel: Int32Array | null = null): Column {
  const n = sel ? sel.length : src.n;
  switch (e.kind) {
    case 'literal':
      return constant(e.value);
    case 'ref':
      return sel ? (src.factAt ? src.factAt(e.name, sel) : gather(src.fact(e.name), sel)) : src.fact(e.name);
    case 'tag':
      return sel ? gather(src.tag(e.code), sel) : src.tag(e.code);
    case 'call': {
      if (e.fn === 'any' || e.fn === 'all' || e.fn === 'count') {
        if (!src.aggregate) throw new Error(`${e.fn}() needs a source with households`);
        const inner = asTruth(evaluate(e.args[0]!, src, null), src.n);
        return src.aggregate(e.fn, typeof inner === 'number' ? new Uint8Array(src.n).fill(inner) : inner, sel);
      }
      const c = src.call(e.fn, String((e.args[0] as { value: unknown }).value));
      return sel ? gather(c, sel) : c;
    }
    case 'unary': {
      const c = evaluate(e.operand, src, sel);
      if (e.op === '!') {
        const t = asTruth(c, n);
        if (typeof t === 'number') return constant(truthToLiteral(2 - t));
        const out = scratch.has(t) ? t : fresh(n);
        for (let i = 0; i < n; i++) out[i] = 2 - t[i]!;
        return { type: 'boolean', data: out };
      }
      return arithmetic('-', 0, asNumbers(c), n);
    }
    case 'binary': {
      if (e.op === '&&' || e.op === '||') return chain(e.op, e, src, sel);
      const l = evaluate(e.left, src, sel);
      const r = evaluate(e.right, src, sel);
      switch (e.op) {
        case '==':
        case '!=': {
          const isNullTest = (x: Expr) => x.kind === 'literal' && x.value === null;
          if (isNullTest(e.left) || isNullTest(e.right)) return equality(e.op, l, r, n);
          // A computed unknown (a division by zero) is not a test for emptiness: comparing with it is unknown.
          const unknown = (c: Column) => c.type === 'const' && c.value === null;
          if (unknown(l) || unknown(r)) {
            if (l.type === 'const' && r.type === 'const') return constant(null);
            const out: Column = { type: 'boolean', data: fresh(n).fill(U) };
            return settleNone(out, [l, r], e.op === '!=' ? T : F, n);
          }
          return settleNone(equality(e.op, l, r, n), [l, r], e.op === '!=' ? T : F, n);
        }
        case '<':
        case '<=':
        case '>':
        case '>=':
          return settleNone(compareNumbers(e.op, asNumbers(l), asNumbers(r), n), [l, r], F, n);
        default:
          return arithmetic(e.op, asNumbers(l), asNumbers(r), n);
      }
    }
    case 'in': {
      const v = evaluate(e.value, src, sel);
      return settleNone(
        membership(
          v,
          e.list.map((l) => l.value),
          n,
          false,
        ),
        [v],
        F,
        n,
      );
    }
    case 'conditional': {
      const test = asTruth(evaluate(e.test, src, sel), n);
      const a = evaluate(e.then, src, sel);
      const b = evaluate(e.otherwise, src, sel);
      // Only a direct reference to a "none" fact settles a comparison (as per person): drop the mark.
      if (typeof test === 'number') return test === T ? plain(a) : test === F ? plain(b) : constant(null);
      if (a.type === 'boolean' || b.type === 'boolean' || (a.type === 'const' && typeof a.value === 'boolean')) {
        const x = asTruth(a, n);
        const y = asTruth(b, n);
        const out = fresh(n);
        for (let i = 0; i < n; i++) {
          const t = test[i]!;
          out[i] = t === T ? (typeof x === 'number' ? x : x[i]!) : t === F ? (typeof y === 'number' ? y : y[i]!) : U;
        }
        return { type: 'boolean', data: out };
      }
      const x = asNumbers(a);
      const y = asNumbers(b);
      const out = new Float64Array(n);
      made.add(out);
      for (let i = 0; i < n; i++) {
        const t = test[i]!;
        out[i] = t === T ? (typeof x === 'number' ? x : x[i]!) : t === F ? (typeof y === 'number' ? y : y[i]!) : NaN;
      }
      return { type: 'number', data: out };
    }
  }
}

function plain(c: Column): Column {
  return (c.type === 'number' || c.type === 'string') && c.emptyIsNone ? { ...c, emptyIsNone: false } : c;
}

/** Where an operand is an empty "none" cell, the comparison is decided: `value` (F, or T for !=). */
function settleNone(result: Column, operands: readonly Column[], value: number, n: number): Column {
  const nones = operands.filter((c) => (c.type === 'number' || c.type === 'string') && c.emptyIsNone);
  if (nones.length === 0 || result.type !== 'boolean') return result;
  const out = result.data;
  for (const c of nones) {
    if (c.type === 'number') {
      const d = c.data;
      for (let i = 0; i < n; i++) if (d[i] !== d[i]) out[i] = value;
    } else if (c.type === 'string') {
      const d = c.data;
      for (let i = 0; i < n; i++) if (d[i] === 0) out[i] = value;
    }
  }
  return result;
}

/** Rows of a selection, for a gather: the full column's values at the selected rows. */
export function gather(c: Column, sel: Int32Array): Column {
  const m = sel.length;
  switch (c.type) {
    case 'const':
      return c;
    case 'number': {
      const d = new Float64Array(m);
      const x = c.data;
      for (let k = 0; k < m; k++) d[k] = x[sel[k]!]!;
      return c.emptyIsNone ? { type: 'number', data: d, emptyIsNone: true } : { type: 'number', data: d };
    }
    case 'boolean': {
      const d = fresh(m);
      const x = c.data;
      for (let k = 0; k < m; k++) d[k] = x[sel[k]!]!;
      return { type: 'boolean', data: d };
    }
    case 'string': {
      const d = new Uint8Array(m);
      const x = c.data;
      for (let k = 0; k < m; k++) d[k] = x[sel[k]!]!;
      return { type: 'string', data: d, values: c.values, ...(c.emptyIsNone ? { emptyIsNone: true } : {}) };
    }
  }
}

/** The operands of a chain of one operator: a && b && c is one chain of three. */
function operandsOf(op: '&&' | '||', e: Expr, out: Expr[] = []): Expr[] {
  if (e.kind === 'binary' && e.op === op) {
    operandsOf(op, e.left, out);
    operandsOf(op, e.right, out);
  } else out.push(e);
  return out;
}

const SAMPLE = 512;

/**
 * Kleene AND and OR are commutative, so a chain may take its operands in any order; taking first
 * those that decide most rows (false for AND, true for OR), as measured on a small sample, leaves
 * the others to run on few rows. A large chain only: on small ones the sample costs more than it saves.
 */
function orderBySelectivity(
  operands: Expr[],
  decided: number,
  src: ColumnSource,
  sel: Int32Array | null,
  n: number,
): Expr[] {
  if (operands.length < 3 || n < 20 * SAMPLE) return operands;
  const sample = new Int32Array(SAMPLE);
  const step = n / SAMPLE;
  for (let k = 0; k < SAMPLE; k++) {
    const at = Math.floor(k * step);
    sample[k] = sel ? sel[at]! : at;
  }
  const score = operands.map((operand) => {
    const t = asTruth(evaluate(operand, src, sample), SAMPLE);
    if (typeof t === 'number') return t === decided ? SAMPLE : 0;
    let hits = 0;
    for (let k = 0; k < SAMPLE; k++) if (t[k] === decided) hits++;
    return hits;
  });
  return operands
    .map((operand, k) => ({ operand, score: score[k]! }))
    .sort((a, b) => b.score - a.score)
    .map((x) => x.operand);
}

function chain(op: '&&' | '||', e: Expr, src: ColumnSource, sel: Int32Array | null): Column {
  const n = sel ? sel.length : src.n;
  const decided = op === '&&' ? F : T;
  const operands = orderBySelectivity(operandsOf(op, e), decided, src, sel, n);
  const first = asTruth(evaluate(operands[0]!, src, sel), n);
  if (typeof first === 'number' && first === decided) return constant(truthToLiteral(first));
  // The rows still open (positions into this evaluation's rows) and their value so far. Each
  // further operand is evaluated at the open rows only, then the open set is compacted.
  let open: Int32Array | null = null;
  let acc: Uint8Array;
  if (typeof first === 'number') acc = new Uint8Array(n).fill(first);
  else {
    let count = 0;
    for (let i = 0; i < n; i++) if (first[i] !== decided) count++;
    open = new Int32Array(count);
    acc = new Uint8Array(count);
    for (let i = 0, j = 0; i < n; i++) {
      const v = first[i]!;
      if (v !== decided) {
        open[j] = i;
        acc[j++] = v;
      }
    }
  }
  for (let k = 1; k < operands.length && acc.length > 0; k++) {
    const m = acc.length;
    let subSel: Int32Array | null;
    if (open === null) subSel = sel;
    else if (sel === null) subSel = open;
    else {
      subSel = new Int32Array(m);
      for (let j = 0; j < m; j++) subSel[j] = sel[open[j]!]!;
    }
    const t = asTruth(evaluate(operands[k]!, src, subSel), m);
    let still = 0;
    if (typeof t === 'number') {
      for (let j = 0; j < m; j++) {
        const v = acc[j]!;
        const w = op === '&&' ? (v < t ? v : t) : v > t ? v : t;
        acc[j] = w;
        if (w !== decided) still++;
      }
    } else if (op === '&&') {
      for (let j = 0; j < m; j++) {
        const v = acc[j]!;
        const x = t[j]!;
        const w = v < x ? v : x;
        acc[j] = w;
        if (w !== decided) still++;
      }
    } else {
      for (let j = 0; j < m; j++) {
        const v = acc[j]!;
        const x = t[j]!;
        const w = v > x ? v : x;
        acc[j] = w;
        if (w !== decided) still++;
      }
    }
    if (still === m) continue;
    const nextOpen = new Int32Array(still);
    const nextAcc = new Uint8Array(still);
    for (let j = 0, q = 0; j < m; j++) {
      const w = acc[j]!;
      if (w !== decided) {
        nextOpen[q] = open === null ? j : open[j]!;
        nextAcc[q++] = w;
      }
    }
    open = nextOpen;
    acc = nextAcc;
  }
  if (open === null) {
    const out = fresh(n);
    out.set(acc);
    return { type: 'boolean', data: out };
  }
  const out = fresh(n);
  if (decided !== 0) out.fill(decided);
  for (let j = 0; j < acc.length; j++) out[open[j]!] = acc[j]!;
  return { type: 'boolean', data: out };
}

/** A rule's truth for every person: F, U or T per person. */
export function evaluateTruth(e: Expr, src: ColumnSource): Uint8Array {
  const c = evaluateColumns(e, src);
  const t = asTruth(c, src.n);
  if (typeof t === 'number') return new Uint8Array(src.n).fill(t);
  return t;
}

/** A rule's truth at some rows only (one entry per selected row). */
export function evaluateTruthAt(e: Expr, src: ColumnSource, sel: Int32Array): Uint8Array {
  const c = evaluate(e, src, sel);
  const t = asTruth(c, sel.length);
  if (typeof t === 'number') return new Uint8Array(sel.length).fill(t);
  scratch.delete(t);
  return t;
}

/** A numeric formula for every person (NaN where unknown). */
export function evaluateNumbers(e: Expr, src: ColumnSource): Float64Array {
  const c = evaluateColumns(e, src);
  const v = asNumbers(c);
  if (typeof v === 'number') return new Float64Array(src.n).fill(v);
  return v;
}
