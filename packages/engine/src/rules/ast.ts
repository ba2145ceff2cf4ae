/**
 * The rule language's syntax tree: readonly, `kind`-tagged nodes built by small frozen
 * factories (the Kysely operation-node habit). The same tree is the JSON form of a rule, the
 * input of the type checker, of the columnar compiler (whole-population scans) and of the
 * per-person evaluator (explanations). Crowd selections over tag codes parse to it too.
 */

/** Where a node came from in its text form: [start, end) in UTF-16 code units. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export type LiteralValue = number | string | boolean | null;

export interface LiteralNode {
  readonly kind: 'literal';
  readonly value: LiteralValue;
  readonly span?: Span;
}

/** A fact (`age`, `household.size`) or a dated parameter (`LIBAO`), by name. */
export interface RefNode {
  readonly kind: 'ref';
  readonly name: string;
  readonly span?: Span;
}

/** A tag of the dictionary, by code (`独居老人`): the atoms of a crowd selection. */
export interface TagNode {
  readonly kind: 'tag';
  readonly code: string;
  readonly span?: Span;
}

/** A function of the catalogue: `holds("DIBAO")`, `identity("志愿者")`. */
export interface CallNode {
  readonly kind: 'call';
  readonly fn: string;
  readonly args: readonly Expr[];
  readonly span?: Span;
}

export type UnaryOp = '!' | '-';
export interface UnaryNode {
  readonly kind: 'unary';
  readonly op: UnaryOp;
  readonly operand: Expr;
  readonly span?: Span;
}

export type LogicalOp = '&&' | '||';
export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/';
export type BinaryOp = LogicalOp | CompareOp | ArithOp;

export interface BinaryNode {
  readonly kind: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
  readonly span?: Span;
}

/** `employment in ["失业", "无"]`: membership in a list of literals. */
export interface InNode {
  readonly kind: 'in';
  readonly value: Expr;
  readonly list: readonly LiteralNode[];
  readonly span?: Span;
}

/** `cond ? a : b`. */
export interface ConditionalNode {
  readonly kind: 'conditional';
  readonly test: Expr;
  readonly then: Expr;
  readonly otherwise: Expr;
  readonly span?: Span;
}

export type Expr = LiteralNode | RefNode | TagNode | CallNode | UnaryNode | BinaryNode | InNode | ConditionalNode;

export const LOGICAL_OPS: readonly LogicalOp[] = ['&&', '||'];
export const COMPARE_OPS: readonly CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];
export const ARITH_OPS: readonly ArithOp[] = ['+', '-', '*', '/'];

const freeze = <T extends Expr>(node: T): T => Object.freeze(node);
const withSpan = <T extends object>(node: T, span?: Span): T => (span ? { ...node, span } : node);

export const literal = (value: LiteralValue, span?: Span): LiteralNode =>
  freeze(withSpan({ kind: 'literal' as const, value }, span));
export const ref = (name: string, span?: Span): RefNode => freeze(withSpan({ kind: 'ref' as const, name }, span));
export const tag = (code: string, span?: Span): TagNode => freeze(withSpan({ kind: 'tag' as const, code }, span));
export const call = (fn: string, args: readonly Expr[], span?: Span): CallNode =>
  freeze(withSpan({ kind: 'call' as const, fn, args: Object.freeze([...args]) }, span));
export const unary = (op: UnaryOp, operand: Expr, span?: Span): UnaryNode =>
  freeze(withSpan({ kind: 'unary' as const, op, operand }, span));
export const binary = (op: BinaryOp, left: Expr, right: Expr, span?: Span): BinaryNode =>
  freeze(withSpan({ kind: 'binary' as const, op, left, right }, span));
export const inList = (value: Expr, list: readonly LiteralNode[], span?: Span): InNode =>
  freeze(withSpan({ kind: 'in' as const, value, list: Object.freeze([...list]) }, span));
export const conditional = (test: Expr, then: Expr, otherwise: Expr, span?: Span): ConditionalNode =>
  freeze(withSpan({ kind: 'conditional' as const, test, then, otherwise }, span));

/**
 * The deepest rule tree accepted, counting every level (a leaf is 1; `!`, `-`, a call, `in`, `?:`
 * and each operator of a chain add one). Parsing, type checking, printing, explaining and both
 * evaluators recurse over the tree, so a tree of thousands of levels overflowed the stack in
 * every scan that met it; 64 is six times the deepest shipped rule (10) and far below what any of
 * them can bear. Checked once, where a tree is made (the parsers and the JSON form), not in the
 * evaluation loops.
 */
export const MAX_RULE_DEPTH = 64;
/** The longest rule text accepted, in UTF-16 code units (the longest shipped rule has 310). */
export const MAX_RULE_LENGTH = 10_000;
/** The longest crowd selection accepted, in UTF-16 code units. */
export const MAX_SELECTION_LENGTH = 4_000;

/** The depth of a tree (a leaf is 1), measured without recursion so that any tree can be measured. */
export function exprDepth(root: Expr): number {
  let max = 0;
  const stack: Array<[Expr, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > max) max = depth;
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
  return max;
}

/** Children of a node, left to right. */
export function childrenOf(node: Expr): readonly Expr[] {
  switch (node.kind) {
    case 'literal':
    case 'ref':
    case 'tag':
      return [];
    case 'call':
      return node.args;
    case 'unary':
      return [node.operand];
    case 'binary':
      return [node.left, node.right];
    case 'in':
      return [node.value, ...node.list];
    case 'conditional':
      return [node.test, node.then, node.otherwise];
  }
}

/** Every node of a tree, parents before children. */
export function* walk(node: Expr): Generator<Expr> {
  yield node;
  for (const child of childrenOf(node)) yield* walk(child);
}

/** The tree without spans: the stored JSON form, and what equality of rules means. */
export function stripSpans(node: Expr): Expr {
  switch (node.kind) {
    case 'literal':
      return literal(node.value);
    case 'ref':
      return ref(node.name);
    case 'tag':
      return tag(node.code);
    case 'call':
      return call(node.fn, node.args.map(stripSpans));
    case 'unary':
      return unary(node.op, stripSpans(node.operand));
    case 'binary':
      return binary(node.op, stripSpans(node.left), stripSpans(node.right));
    case 'in':
      return inList(
        stripSpans(node.value),
        node.list.map((l) => literal(l.value)),
      );
    case 'conditional':
      return conditional(stripSpans(node.test), stripSpans(node.then), stripSpans(node.otherwise));
  }
}

/** An error in a rule or selection, at a position of its text (0-based; `column` is 1-based for people). */
export class RuleError extends Error {
  readonly start: number;
  readonly end: number;
  constructor(
    message: string,
    span: Span | undefined,
    readonly source?: string,
  ) {
    const start = span?.start ?? 0;
    super(span ? `第 ${start + 1} 个字符处：${message}` : message);
    this.start = start;
    this.end = span?.end ?? start;
    this.name = 'RuleError';
  }
  get column(): number {
    return this.start + 1;
  }
}

/** Reads a tree back from its JSON form, checking every node's shape and the depth cap. */
export function exprFromJson(value: unknown, path = '$', depth = 1): Expr {
  const bad = (why: string): never => {
    throw new RuleError(`规则 JSON 不正确（${path}）：${why}`, undefined);
  };
  // Checked on the way down, so that a tree of any depth is refused before it can overflow anything.
  if (depth > MAX_RULE_DEPTH) return bad(`嵌套超过 ${MAX_RULE_DEPTH} 层，请拆分或简化规则`);
  const d = depth + 1;
  if (typeof value !== 'object' || value === null) return bad('应为对象');
  const v = value as Record<string, unknown>;
  switch (v.kind) {
    case 'literal':
      if (!(v.value === null || ['number', 'string', 'boolean'].includes(typeof v.value)))
        bad('literal.value 应为数、字符串、布尔或 null');
      return literal(v.value as LiteralValue);
    case 'ref':
      if (typeof v.name !== 'string' || v.name === '') bad('ref.name 应为非空字符串');
      return ref(v.name as string);
    case 'tag':
      if (typeof v.code !== 'string' || v.code === '') bad('tag.code 应为非空字符串');
      return tag(v.code as string);
    case 'call':
      if (typeof v.fn !== 'string' || !Array.isArray(v.args)) bad('call 需要 fn 与 args');
      return call(
        v.fn as string,
        (v.args as unknown[]).map((a, i) => exprFromJson(a, `${path}.args[${i}]`, d)),
      );
    case 'unary':
      if (v.op !== '!' && v.op !== '-') bad(`未知的一元运算符 ${String(v.op)}`);
      return unary(v.op as UnaryOp, exprFromJson(v.operand, `${path}.operand`, d));
    case 'binary':
      if (![...LOGICAL_OPS, ...COMPARE_OPS, ...ARITH_OPS].includes(v.op as BinaryOp))
        bad(`未知的运算符 ${String(v.op)}`);
      return binary(
        v.op as BinaryOp,
        exprFromJson(v.left, `${path}.left`, d),
        exprFromJson(v.right, `${path}.right`, d),
      );
    case 'in': {
      if (!Array.isArray(v.list)) bad('in.list 应为数组');
      const list = (v.list as unknown[]).map((l, i) => exprFromJson(l, `${path}.list[${i}]`, d));
      if (list.some((l) => l.kind !== 'literal')) bad('in.list 只能包含字面量');
      return inList(exprFromJson(v.value, `${path}.value`, d), list as LiteralNode[]);
    }
    case 'conditional':
      return conditional(
        exprFromJson(v.test, `${path}.test`, d),
        exprFromJson(v.then, `${path}.then`, d),
        exprFromJson(v.otherwise, `${path}.otherwise`, d),
      );
    default:
      return bad(`未知的节点类型 ${String(v.kind)}`);
  }
}
