/**
 * One person's evaluation of a rule, with its reasons: every condition with the actual values it
 * read and whether it passed, failed or could not be decided (a needed fact is missing), and the
 * parameters used. Same semantics as the columnar evaluator (three-valued, Kleene).
 */
import { childrenOf, type Expr, type LiteralValue } from './ast.ts';
import { printRule } from './print.ts';
import { compareWithTolerance } from './columnar.ts';

export type Outcome = 'pass' | 'fail' | 'unknown';

export interface ScalarSource {
  /** Facts whose empty cell is an answer ("none"), so that comparing it is false, not unknown. */
  emptyIsNone?(name: string): boolean;
  /** Household aggregates (any / all / count of a condition over the members), when available. */
  aggregate?(fn: 'any' | 'all' | 'count', e: Expr): LiteralValue;
  fact(name: string): LiteralValue;
  call(fn: string, arg: string): LiteralValue;
  param(name: string): number;
  tag(code: string): boolean | null;
}

export interface FactValue {
  readonly name: string;
  readonly value: LiteralValue;
}

export interface Trace {
  /** The condition in the rule's text form. */
  readonly text: string;
  readonly outcome: Outcome;
  /** For a condition over facts: the facts it read and their values (null = missing). */
  readonly facts: readonly FactValue[];
  /** For AND / OR / NOT: the parts. */
  readonly parts: readonly Trace[];
}

export interface Explanation {
  readonly value: LiteralValue;
  readonly outcome: Outcome;
  readonly trace: Trace;
  /** Facts that were missing and so left a condition undecided. */
  readonly missing: readonly string[];
}

const isNoneRef = (e: Expr, src: ScalarSource) => e.kind === 'ref' && (src.emptyIsNone?.(e.name) ?? false);

const outcomeOf = (v: LiteralValue): Outcome => (v === null ? 'unknown' : v ? 'pass' : 'fail');

/** Evaluates a rule for one person (no trace). */
export function evaluateScalar(e: Expr, src: ScalarSource): LiteralValue {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'ref':
      return src.fact(e.name);
    case 'tag':
      return src.tag(e.code);
    case 'call':
      if (e.fn === 'any' || e.fn === 'all' || e.fn === 'count') {
        if (!src.aggregate) throw new Error(`${e.fn}() needs a source with households`);
        return src.aggregate(e.fn, e.args[0]!);
      }
      return src.call(e.fn, String((e.args[0] as { value: unknown }).value));
    case 'unary': {
      const v = evaluateScalar(e.operand, src);
      if (v === null) return null;
      return e.op === '!' ? !v : -(v as number);
    }
    case 'binary': {
      if (e.op === '&&' || e.op === '||') {
        const a = evaluateScalar(e.left, src);
        const b = evaluateScalar(e.right, src);
        if (e.op === '&&') return a === false || b === false ? false : a === null || b === null ? null : true;
        return a === true || b === true ? true : a === null || b === null ? null : false;
      }
      const a = evaluateScalar(e.left, src);
      const b = evaluateScalar(e.right, src);
      if (e.op === '==' || e.op === '!=') {
        const nullTest =
          e.left.kind === 'literal' && e.left.value === null
            ? b
            : e.right.kind === 'literal' && e.right.value === null
              ? a
              : undefined;
        if (nullTest !== undefined) return (nullTest === null) === (e.op === '==');
        if ((a === null && isNoneRef(e.left, src)) || (b === null && isNoneRef(e.right, src))) return e.op === '!=';
        if (a === null || b === null) return null;
        if (typeof a === 'number' && typeof b === 'number') return compareWithTolerance(e.op, a, b);
        return (a === b) === (e.op === '==');
      }
      if ((a === null && isNoneRef(e.left, src)) || (b === null && isNoneRef(e.right, src))) {
        if (['<', '<=', '>', '>='].includes(e.op)) return false;
      }
      if (a === null || b === null || Number.isNaN(a) || Number.isNaN(b)) return null;
      const x = a as number;
      const y = b as number;
      switch (e.op) {
        case '<':
        case '<=':
        case '>':
        case '>=':
          return compareWithTolerance(e.op, x, y);
        case '+':
          return x + y;
        case '-':
          return x - y;
        case '*':
          return x * y;
        default:
          return y === 0 ? null : x / y;
      }
    }
    case 'in': {
      const v = evaluateScalar(e.value, src);
      if (v === null) return isNoneRef(e.value, src) ? false : null;
      return e.list.some((l) => l.value === v);
    }
    case 'conditional': {
      const t = evaluateScalar(e.test, src);
      return t === null ? null : evaluateScalar(t ? e.then : e.otherwise, src);
    }
  }
}

function factsRead(
  e: Expr,
  src: ScalarSource,
  params: Map<string, number>,
  isParam: (name: string) => boolean,
): FactValue[] {
  const out: FactValue[] = [];
  const visit = (node: Expr): void => {
    if (node.kind === 'ref') {
      if (isParam(node.name)) params.set(node.name, src.param(node.name));
      else out.push({ name: node.name, value: src.fact(node.name) });
    } else if (node.kind === 'call' && (node.fn === 'any' || node.fn === 'all' || node.fn === 'count')) {
      // The aggregate's value is the fact read; its inner condition is about each member, not this person.
      out.push({ name: printRule(node), value: src.aggregate ? src.aggregate(node.fn, node.args[0]!) : null });
    } else if (node.kind === 'call') {
      const arg = String((node.args[0] as { value: unknown }).value);
      out.push({ name: `${node.fn}("${arg}")`, value: src.call(node.fn, arg) });
    } else if (node.kind === 'tag') {
      out.push({ name: `tag("${node.code}")`, value: src.tag(node.code) });
    } else {
      childrenOf(node).forEach(visit);
    }
  };
  visit(e);
  return out;
}

function trace(e: Expr, src: ScalarSource, params: Map<string, number>, isParam: (name: string) => boolean): Trace {
  const value = evaluateScalar(e, src);
  const isLogical = (e.kind === 'binary' && (e.op === '&&' || e.op === '||')) || (e.kind === 'unary' && e.op === '!');
  if (isLogical) {
    // Flatten chains of the same operator: a && b && c reads as three conditions, not a tree.
    const parts: Trace[] = [];
    const collect = (x: Expr) => {
      if (e.kind === 'binary' && x.kind === 'binary' && x.op === e.op) {
        collect(x.left);
        collect(x.right);
      } else parts.push(trace(x, src, params, isParam));
    };
    if (e.kind === 'binary') {
      collect(e.left);
      collect(e.right);
    } else parts.push(trace(e.operand, src, params, isParam));
    return { text: printRule(e), outcome: outcomeOf(value), facts: [], parts };
  }
  return { text: printRule(e), outcome: outcomeOf(value), facts: factsRead(e, src, params, isParam), parts: [] };
}

/**
 * Explains a condition for one person. `isParam` tells parameters from facts, so that parameters
 * are listed once with their values instead of among each condition's facts.
 */
export function explainRule(
  e: Expr,
  src: ScalarSource,
  isParam: (name: string) => boolean = () => false,
): Explanation & { params: ReadonlyMap<string, number> } {
  const params = new Map<string, number>();
  const t = trace(e, src, params, isParam);
  const missing = new Set<string>();
  const visit = (x: Trace) => {
    if (x.outcome === 'unknown') for (const f of x.facts) if (f.value === null) missing.add(f.name);
    x.parts.forEach(visit);
  };
  visit(t);
  return { value: evaluateScalar(e, src), outcome: t.outcome, trace: t, missing: [...missing], params };
}
