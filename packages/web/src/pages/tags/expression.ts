/**
 * Crowd-selection expressions in the browser: the visual builder's model, printing it as text,
 * and reading text back into the builder when it has the builder's shape. The grammar is the
 * engine's (packages/engine/src/tags/selection.ts): tag codes, AND / OR / NOT (also 且 / 或 / 非,
 * && / || / !, any case), parentheses (also full-width), codes with spaces or parentheses in
 * double quotes. The server stays the judge of an expression: it parses again, knows which tags
 * exist and reports errors with positions; this module only decides what the builder can show.
 */

/** One row of the builder: "包含 / 不包含 <tag>". `code` is null until a tag is picked. */
export interface Condition { readonly code: string | null; readonly negate: boolean }
export interface ConditionGroup { readonly conditions: readonly Condition[] }

/**
 * Groups joined by `join`; the conditions inside a group by the other operator. join 'and' is
 * "all of these groups, each satisfied by any of its rows" (独居老人 AND NOT 特困 AND (重残 OR 大病));
 * join 'or' is "any of these groups, each needing all of its rows".
 */
export interface BuilderModel { readonly join: 'and' | 'or'; readonly groups: readonly ConditionGroup[] }

export const EMPTY_MODEL: BuilderModel = { join: 'and', groups: [] };

/** The parsed expression, with n-ary AND / OR (chains flattened). */
export type SelectionExpr =
  | { readonly kind: 'tag'; readonly code: string }
  | { readonly kind: 'not'; readonly operand: SelectionExpr }
  | { readonly kind: 'and' | 'or'; readonly items: readonly SelectionExpr[] };

export interface ParseError { readonly message: string; readonly start: number; readonly end: number }

type TokenKind = 'tag' | 'and' | 'or' | 'not' | '(' | ')' | 'eof';
interface Token { readonly kind: TokenKind; readonly text: string; readonly start: number; readonly end: number }

const KEYWORDS: Readonly<Record<string, TokenKind>> = {
  AND: 'and', OR: 'or', NOT: 'not', '且': 'and', '或': 'or', '非': 'not', '&&': 'and', '||': 'or', '!': 'not',
};
const SEPARATOR = /[\s()（）"]/;

class ExpressionError extends Error {
  constructor(message: string, readonly start: number, readonly end: number) { super(message); }
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) { i++; continue; }
    const start = i;
    if (ch === '(' || ch === ')' || ch === '（' || ch === '）') {
      out.push({ kind: ch === '(' || ch === '（' ? '(' : ')', text: ch, start, end: ++i });
      continue;
    }
    if (ch === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) throw new ExpressionError('标签名缺少结束引号', start, text.length);
      if (close === i + 1) throw new ExpressionError('标签名为空', start, close + 1);
      out.push({ kind: 'tag', text: text.slice(i + 1, close), start, end: close + 1 });
      i = close + 1;
      continue;
    }
    while (i < text.length && !SEPARATOR.test(text[i]!)) i++;
    const word = text.slice(start, i);
    out.push({ kind: KEYWORDS[word.toUpperCase()] ?? 'tag', text: word, start, end: i });
  }
  out.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return out;
}

/** Parses an expression; throws nothing, answers the tree or the first error with its span. */
export function parseExpression(text: string): { expr: SelectionExpr } | { error: ParseError } {
  try {
    return { expr: parse(text) };
  } catch (e) {
    if (e instanceof ExpressionError) return { error: { message: e.message, start: e.start, end: e.end } };
    throw e;
  }
}

function parse(text: string): SelectionExpr {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at]!;
  const fail = (message: string): never => { const t = peek(); throw new ExpressionError(message, t.start, t.end); };
  const chain = (kind: 'and' | 'or', items: SelectionExpr[]): SelectionExpr =>
    (items.length === 1 ? items[0]! : { kind, items: items.flatMap((x) => (x.kind === kind ? x.items : [x])) });

  const or = (): SelectionExpr => {
    const items = [and()];
    while (peek().kind === 'or') { at++; items.push(and()); }
    return chain('or', items);
  };
  const and = (): SelectionExpr => {
    const items = [not()];
    for (;;) {
      if (peek().kind === 'and') { at++; items.push(not()); continue; }
      if (peek().kind === 'tag' || peek().kind === '(' || peek().kind === 'not') fail('此处缺少 AND 或 OR');
      return chain('and', items);
    }
  };
  const not = (): SelectionExpr => {
    if (peek().kind === 'not') { at++; return { kind: 'not', operand: not() }; }
    return primary();
  };
  const primary = (): SelectionExpr => {
    const t = peek();
    if (t.kind === 'tag') { at++; return { kind: 'tag', code: t.text }; }
    if (t.kind === '(') {
      at++;
      const inner = or();
      if (peek().kind !== ')') fail('此处应为 “)”');
      at++;
      return inner;
    }
    return fail('此处应为标签名或 “(”');
  };

  if (peek().kind === 'eof') fail('圈选条件为空');
  const expr = or();
  if (peek().kind !== 'eof') fail(peek().kind === ')' ? '多余的 “)”' : '此处应为 AND、OR 或表达式结束');
  return expr;
}

/** A code as it must be written: in double quotes when it has spaces or parentheses, or is a keyword. */
export function quoteCode(code: string): string {
  return SEPARATOR.test(code) || KEYWORDS[code.toUpperCase()] !== undefined ? `"${code}"` : code;
}

function printCondition(c: Condition & { code: string }): string {
  return c.negate ? `NOT ${quoteCode(c.code)}` : quoteCode(c.code);
}

/**
 * The builder as text. Rows without a tag and empty groups are left out; a group of several rows
 * is parenthesised when there are other groups (needed for OR inside AND, and clearer for AND
 * inside OR even though AND binds tighter).
 */
export function printBuilder(model: BuilderModel): string {
  const inner = model.join === 'and' ? ' OR ' : ' AND ';
  const groups = model.groups
    .map((g) => g.conditions.filter((c): c is Condition & { code: string } => c.code !== null && c.code !== '').map(printCondition))
    .filter((parts) => parts.length > 0);
  return groups
    .map((parts) => (parts.length > 1 && groups.length > 1 ? `(${parts.join(inner)})` : parts.join(inner)))
    .join(model.join === 'and' ? ' AND ' : ' OR ');
}

function literal(e: SelectionExpr): Condition | null {
  if (e.kind === 'tag') return { code: e.code, negate: false };
  if (e.kind === 'not' && e.operand.kind === 'tag') return { code: e.operand.code, negate: true };
  return null;
}

/** A group: one literal, or a chain of `kind` over literals only. */
function group(e: SelectionExpr, kind: 'and' | 'or'): ConditionGroup | null {
  const single = literal(e);
  if (single) return { conditions: [single] };
  if (e.kind !== kind) return null;
  const conditions = e.items.map(literal);
  return conditions.every((c): c is Condition => c !== null) ? { conditions } : null;
}

/** The builder for a tree, or null when it has another shape (NOT over a group, three levels …). */
export function builderFromExpr(e: SelectionExpr): BuilderModel | null {
  if (e.kind === 'and' || e.kind === 'or') {
    const inner = e.kind === 'and' ? 'or' : 'and';
    const groups = e.items.map((x) => group(x, inner));
    return groups.every((g): g is ConditionGroup => g !== null) ? { join: e.kind, groups } : null;
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
  const parsed = parseExpression(text);
  if ('error' in parsed) return { status: 'invalid', error: parsed.error };
  const model = builderFromExpr(parsed.expr);
  return model ? { status: 'builder', model } : { status: 'advanced' };
}

/** The tag codes an expression names, in order of first appearance (empty when it does not parse). */
export function expressionTags(text: string): string[] {
  const parsed = parseExpression(text);
  if ('error' in parsed) return [];
  const out = new Set<string>();
  const visit = (e: SelectionExpr): void => {
    if (e.kind === 'tag') out.add(e.code);
    else if (e.kind === 'not') visit(e.operand);
    else e.items.forEach(visit);
  };
  visit(parsed.expr);
  return [...out];
}

/** The codes the builder uses, for "which tags are in play". */
export function builderTags(model: BuilderModel): string[] {
  return [...new Set(model.groups.flatMap((g) => g.conditions.map((c) => c.code).filter((c): c is string => c !== null && c !== '')))];
}

// Edits of the model, kept here so the component stays a view.

export function addGroup(model: BuilderModel, code: string | null = null): BuilderModel {
  return { ...model, groups: [...model.groups, { conditions: [{ code, negate: false }] }] };
}

export function removeGroup(model: BuilderModel, g: number): BuilderModel {
  return { ...model, groups: model.groups.filter((_, k) => k !== g) };
}

export function addCondition(model: BuilderModel, g: number): BuilderModel {
  return { ...model, groups: model.groups.map((x, k) => (k === g ? { conditions: [...x.conditions, { code: null, negate: false }] } : x)) };
}

/** Removes a row; a group left without rows goes too. */
export function removeCondition(model: BuilderModel, g: number, c: number): BuilderModel {
  const groups = model.groups.map((x, k) => (k === g ? { conditions: x.conditions.filter((_, j) => j !== c) } : x));
  return { ...model, groups: groups.filter((x) => x.conditions.length > 0) };
}

export function updateCondition(model: BuilderModel, g: number, c: number, patch: Partial<Condition>): BuilderModel {
  return {
    ...model,
    groups: model.groups.map((x, k) => (k === g ? { conditions: x.conditions.map((y, j) => (j === c ? { ...y, ...patch } : y)) } : x)),
  };
}

// Errors under the input.

export interface ErrorSpan { readonly start: number; readonly end: number }

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
  return { before: text.slice(0, start), marked: text.slice(start, end), after: text.slice(end), atEnd: start >= text.length };
}
