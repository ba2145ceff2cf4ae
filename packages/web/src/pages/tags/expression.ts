/**
 * Crowd-selection expressions in the browser: the visual builder's model, printing it as text,
 * and reading text back into the builder when it has the builder's shape. The grammar and the
 * parser are the engine's (@tingjian/engine/browser, packages/engine/src/tags/selection.ts): tag
 * codes, AND / OR / NOT (also 且 / 或 / 非, && / || / !, any case), parentheses (also full-width),
 * codes with spaces or parentheses in double quotes. The server stays the judge of an expression:
 * it parses again, knows which tags exist and reports errors with positions; this module only
 * decides what the builder can show.
 */
import {
  quoteSelectionCode,
  readSelection,
  selectionOperands,
  selectionTags,
  type Expr,
} from '@tingjian/engine/browser';

/** One row of the builder: "包含 / 不包含 <tag>". `code` is null until a tag is picked. */
export interface Condition {
  readonly code: string | null;
  readonly negate: boolean;
}
export interface ConditionGroup {
  readonly conditions: readonly Condition[];
}

/**
 * Groups joined by `join`; the conditions inside a group by the other operator. join 'and' is
 * "all of these groups, each satisfied by any of its rows" (独居老人 AND NOT 特困 AND (重残 OR 大病));
 * join 'or' is "any of these groups, each needing all of its rows".
 */
export interface BuilderModel {
  readonly join: 'and' | 'or';
  readonly groups: readonly ConditionGroup[];
}

export const EMPTY_MODEL: BuilderModel = { join: 'and', groups: [] };

/** Why typed text does not parse, and where: the engine's short reason and span. */
export interface ParseError {
  readonly message: string;
  readonly start: number;
  readonly end: number;
}

function printCondition(c: Condition & { code: string }): string {
  return c.negate ? `NOT ${quoteSelectionCode(c.code)}` : quoteSelectionCode(c.code);
}

/**
 * The builder as text. Rows without a tag and empty groups are left out; a group of several rows
 * is parenthesised when there are other groups (needed for OR inside AND, and clearer for AND
 * inside OR even though AND binds tighter).
 */
export function printBuilder(model: BuilderModel): string {
  const inner = model.join === 'and' ? ' OR ' : ' AND ';
  const groups = model.groups
    .map((g) =>
      g.conditions
        .filter((c): c is Condition & { code: string } => c.code !== null && c.code !== '')
        .map(printCondition),
    )
    .filter((parts) => parts.length > 0);
  return groups
    .map((parts) => (parts.length > 1 && groups.length > 1 ? `(${parts.join(inner)})` : parts.join(inner)))
    .join(model.join === 'and' ? ' AND ' : ' OR ');
}

function literal(e: Expr): Condition | null {
  if (e.kind === 'tag') return { code: e.code, negate: false };
  if (e.kind === 'unary' && e.op === '!' && e.operand.kind === 'tag') return { code: e.operand.code, negate: true };
  return null;
}

const OPERATOR = { and: '&&', or: '||' } as const;

/** A group: one literal, or a chain of `kind` over literals only. */
function group(e: Expr, kind: 'and' | 'or'): ConditionGroup | null {
  const single = literal(e);
  if (single) return { conditions: [single] };
  if (e.kind !== 'binary' || e.op !== OPERATOR[kind]) return null;
  const conditions = selectionOperands(e, OPERATOR[kind]).map(literal);
  return conditions.every((c): c is Condition => c !== null) ? { conditions } : null;
}

/** The builder for a tree, or null when it has another shape (NOT over a group, three levels …). */
export function builderFromExpr(e: Expr): BuilderModel | null {
  if (e.kind === 'binary' && (e.op === '&&' || e.op === '||')) {
    const join = e.op === '&&' ? 'and' : 'or';
    const groups = selectionOperands(e, e.op).map((x) => group(x, join === 'and' ? 'or' : 'and'));
    return groups.every((g): g is ConditionGroup => g !== null) ? { join, groups } : null;
  }
  const single = literal(e);
  return single ? { join: 'and', groups: [{ conditions: [single] }] } : null;
}

export type ExpressionShape =
  | { readonly status: 'empty'; readonly model: BuilderModel }
  | { readonly status: 'builder'; readonly model: BuilderModel }
  /** Valid, but not groups of "包含/不包含" rows: the builder shows it read-only. */
  | { readonly status: 'advanced' }
  | { readonly status: 'invalid'; readonly error: ParseError };

/** What the builder can make of typed text. */
export function readExpression(text: string): ExpressionShape {
  if (text.trim() === '') return { status: 'empty', model: EMPTY_MODEL };
  const parsed = readSelection(text);
  if ('error' in parsed)
    return {
      status: 'invalid',
      error: { message: parsed.error.reason, start: parsed.error.start, end: parsed.error.end },
    };
  const model = builderFromExpr(parsed.expr);
  return model ? { status: 'builder', model } : { status: 'advanced' };
}

/** The tag codes an expression names, in order of first appearance (empty when it does not parse). */
export function expressionTags(text: string): string[] {
  const parsed = readSelection(text);
  return 'error' in parsed ? [] : selectionTags(parsed.expr).map((t) => t.code);
}

/** The codes the builder uses, for "which tags are in play". */
export function builderTags(model: BuilderModel): string[] {
  return [
    ...new Set(
      model.groups.flatMap((g) => g.conditions.map((c) => c.code).filter((c): c is string => c !== null && c !== '')),
    ),
  ];
}

// Edits of the model, kept here so the component stays a view.

export function addGroup(model: BuilderModel, code: string | null = null): BuilderModel {
  return { ...model, groups: [...model.groups, { conditions: [{ code, negate: false }] }] };
}

export function removeGroup(model: BuilderModel, g: number): BuilderModel {
  return { ...model, groups: model.groups.filter((_, k) => k !== g) };
}

export function addCondition(model: BuilderModel, g: number): BuilderModel {
  return {
    ...model,
    groups: model.groups.map((x, k) =>
      k === g ? { conditions: [...x.conditions, { code: null, negate: false }] } : x,
    ),
  };
}

/** Removes a row; a group left without rows goes too. */
export function removeCondition(model: BuilderModel, g: number, c: number): BuilderModel {
  const groups = model.groups.map((x, k) => (k === g ? { conditions: x.conditions.filter((_, j) => j !== c) } : x));
  return { ...model, groups: groups.filter((x) => x.conditions.length > 0) };
}

export function updateCondition(model: BuilderModel, g: number, c: number, patch: Partial<Condition>): BuilderModel {
  return {
    ...model,
    groups: model.groups.map((x, k) =>
      k === g ? { conditions: x.conditions.map((y, j) => (j === c ? { ...y, ...patch } : y)) } : x,
    ),
  };
}

// Errors under the input.

export interface ErrorSpan {
  readonly start: number;
  readonly end: number;
}

/** The span of a server error's details ({start, end, column}, 0-based start/end), if it has one. */
export function spanFromDetails(details: unknown): ErrorSpan | null {
  if (typeof details !== 'object' || details === null) return null;
  const { start, end } = details as { start?: unknown; end?: unknown };
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 0) return null;
  return { start, end: typeof end === 'number' && Number.isInteger(end) && end >= start ? end : start };
}

export interface Highlight {
  readonly before: string;
  /** The marked text; empty when the error is at the very end (e.g. "但表达式已结束"). */
  readonly marked: string;
  readonly after: string;
  /** The error points past the last character: show a marker there. */
  readonly atEnd: boolean;
}

/**
 * Splits `text` around an error span for display. Spans are clamped to the text; an empty span
 * marks the character at its start, or the end of the text when there is none.
 */
export function highlight(text: string, span: ErrorSpan): Highlight {
  // Positions from the server count UTF-16 units, like String.slice; all CJK tag names are one unit.
  const start = Math.min(Math.max(0, span.start), text.length);
  let end = Math.min(Math.max(start, span.end), text.length);
  if (end === start && start < text.length) end = start + (text.codePointAt(start)! > 0xffff ? 2 : 1);
  return {
    before: text.slice(0, start),
    marked: text.slice(start, end),
    after: text.slice(end),
    atEnd: start >= text.length,
  };
}
