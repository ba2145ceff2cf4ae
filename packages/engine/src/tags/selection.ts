/**
 * Crowd selections (人群圈选): boolean expressions over tag codes with AND, OR, NOT and
 * parentheses, e.g. `独居老人 AND NOT 特困 AND (重残 OR 大病)`, parsed to the rule language's tree
 * (tag atoms, && || !) so that the same tree can be printed, stored, explained and evaluated.
 * A tag code is any run of characters other than white space and parentheses (codes are Chinese
 * names such as `0-3岁儿童`); a code with spaces or parentheses is written in double quotes.
 * Keywords are case-insensitive; 且 / 或 / 非 are accepted for AND / OR / NOT.
 */
import {
  binary,
  childrenOf,
  MAX_RULE_DEPTH,
  MAX_SELECTION_LENGTH,
  RuleError,
  tag,
  unary,
  type Expr,
  type Span,
} from '../rules/ast.ts';

interface Token {
  kind: 'tag' | 'and' | 'or' | 'not' | '(' | ')' | 'eof';
  text: string;
  start: number;
  end: number;
}

/**
 * The RuleError of the selection syntax. Its message is the whole sentence the server reports
 * (where, what is wrong, what was met instead); `reason` keeps only what is wrong, for an editor
 * that marks the place itself.
 */
class SelectionError extends RuleError {
  readonly reason: string;
  constructor(reason: string, span: Span, source: string, met = reason) {
    super(met, span, source);
    this.reason = reason;
  }
}

const KEYWORDS: Record<string, Token['kind']> = {
  AND: 'and',
  OR: 'or',
  NOT: 'not',
  且: 'and',
  或: 'or',
  非: 'not',
  '&&': 'and',
  '||': 'or',
  '!': 'not',
};

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === '（' || ch === '）') {
      out.push({ kind: ch === '(' || ch === '（' ? '(' : ')', text: ch, start, end: ++i });
      continue;
    }
    if (ch === '"') {
      const close = text.indexOf('"', i + 1);
      if (close < 0) throw new SelectionError('标签名缺少结束引号', { start, end: text.length }, text);
      const code = text.slice(i + 1, close);
      if (code === '') throw new SelectionError('标签名为空', { start, end: close + 1 }, text);
      i = close + 1;
      out.push({ kind: 'tag', text: code, start, end: i });
      continue;
    }
    while (i < text.length && !/[\s()（）"]/.test(text[i]!)) i++;
    const word = text.slice(start, i);
    const kind = KEYWORDS[word.toUpperCase()];
    out.push({ kind: kind ?? 'tag', text: word, start, end: i });
  }
  out.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return out;
}

const TOO_DEEP = `嵌套超过 ${MAX_RULE_DEPTH} 层，请拆分或简化圈选条件`;

/**
 * Parses a selection; a RuleError names the position of a syntax error, of the character past
 * MAX_SELECTION_LENGTH, or of the construct nested past MAX_RULE_DEPTH (the tree is evaluated,
 * printed and explained recursively, like a rule).
 */
export function parseSelection(text: string): Expr {
  if (text.length > MAX_SELECTION_LENGTH) {
    throw new SelectionError(
      `圈选条件过长（共 ${text.length} 个字符，最多 ${MAX_SELECTION_LENGTH} 个）`,
      { start: MAX_SELECTION_LENGTH, end: text.length },
      text,
    );
  }
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at]!;
  const fail = (message: string, t: Token = peek()): never => {
    throw new SelectionError(
      message,
      t,
      text,
      t.kind === 'eof' ? `${message}，但表达式已结束` : `${message}，而不是 “${t.text}”`,
    );
  };
  const spanFrom = (start: number): Span => ({ start, end: tokens[at - 1]!.end });
  // NOT and parentheses open around the current token (the parser's own recursion); each node's depth (the tree's).
  let open = 0;
  const enter = (t: Token) => {
    if (++open > MAX_RULE_DEPTH) throw new SelectionError(TOO_DEEP, t, text);
  };
  const depths = new WeakMap<Expr, number>();
  const made = (node: Expr, t: Token): Expr => {
    let depth = 1;
    for (const child of childrenOf(node)) depth = Math.max(depth, 1 + (depths.get(child) ?? 1));
    if (depth > MAX_RULE_DEPTH) throw new SelectionError(TOO_DEEP, t, text);
    depths.set(node, depth);
    return node;
  };

  const or = (): Expr => {
    const start = peek().start;
    let left = and();
    while (peek().kind === 'or') {
      const t = tokens[at++]!;
      left = made(binary('||', left, and(), spanFrom(start)), t);
    }
    return left;
  };
  const and = (): Expr => {
    const start = peek().start;
    let left = not();
    for (;;) {
      if (peek().kind === 'and') {
        const t = tokens[at++]!;
        left = made(binary('&&', left, not(), spanFrom(start)), t);
        continue;
      }
      // Two operands side by side: a missing operator, the commonest slip; say so at the second.
      if (peek().kind === 'tag' || peek().kind === '(' || peek().kind === 'not') fail('此处缺少 AND 或 OR');
      return left;
    }
  };
  const not = (): Expr => {
    const t = peek();
    if (t.kind === 'not') {
      at++;
      enter(t);
      const operand = not();
      open--;
      return made(unary('!', operand, spanFrom(t.start)), t);
    }
    return primary();
  };
  const primary = (): Expr => {
    const t = peek();
    if (t.kind === 'tag') {
      at++;
      return tag(t.text, t);
    }
    if (t.kind === '(') {
      at++;
      enter(t);
      const inner = or();
      if (peek().kind !== ')') fail('此处应为 “)”');
      at++;
      open--;
      return inner;
    }
    return fail('此处应为标签名或 “(”');
  };

  if (peek().kind === 'eof') fail('圈选条件为空');
  const expr = or();
  if (peek().kind !== 'eof') fail(peek().kind === ')' ? '多余的 “)”' : '此处应为 AND、OR 或表达式结束');
  return expr;
}

/** What is wrong with a selection and where, as readSelection answers it. */
export interface SelectionProblem {
  /** The whole message, as parseSelection's RuleError and so the server give it. */
  readonly message: string;
  /** Only what is wrong (“此处应为标签名或 “(””), for an editor that marks the place itself. */
  readonly reason: string;
  /** The span to mark, in UTF-16 units like String.slice; start === end at the end of the text. */
  readonly start: number;
  readonly end: number;
}

/**
 * Parses a selection without throwing, for an editor that checks as the user types: the tree, or
 * the first problem with the span parseSelection would report.
 */
export function readSelection(text: string): { expr: Expr } | { error: SelectionProblem } {
  try {
    return { expr: parseSelection(text) };
  } catch (e) {
    if (e instanceof SelectionError)
      return { error: { message: e.message, reason: e.reason, start: e.start, end: e.end } };
    throw e;
  }
}

/**
 * The operands of a chain of `op`, flattened through parentheses that do not change the meaning:
 * `a AND (b AND c)` and `(a AND b) AND c` both give a, b, c. Any other node is its own one operand.
 */
export function selectionOperands(e: Expr, op: '&&' | '||'): Expr[] {
  return e.kind === 'binary' && e.op === op
    ? [...selectionOperands(e.left, op), ...selectionOperands(e.right, op)]
    : [e];
}

const NEEDS_QUOTES = /[\s()（）"]/;

/** A tag code as a selection must write it: in double quotes when it has spaces or parentheses, or is a keyword. */
export function quoteSelectionCode(code: string): string {
  return NEEDS_QUOTES.test(code) || KEYWORDS[code.toUpperCase()] ? `"${code}"` : code;
}

/** Prints a selection tree in the selection syntax; parseSelection gives back the same tree. */
export function printSelection(e: Expr): string {
  const level = (x: Expr) => (x.kind === 'binary' ? (x.op === '||' ? 1 : 2) : 3);
  const wrap = (x: Expr, min: number) => (level(x) < min ? `(${printSelection(x)})` : printSelection(x));
  switch (e.kind) {
    case 'tag':
      return quoteSelectionCode(e.code);
    case 'unary':
      if (e.op === '!') return `NOT ${wrap(e.operand, 3)}`;
      break;
    case 'binary':
      if (e.op === '||') return `${wrap(e.left, 1)} OR ${wrap(e.right, 2)}`;
      if (e.op === '&&') return `${wrap(e.left, 2)} AND ${wrap(e.right, 3)}`;
      break;
    default:
      break;
  }
  throw new RuleError('圈选条件只能由标签、AND、OR、NOT 组成', e.span);
}

/** The tag codes a selection names, in order of first appearance, with where each first appears. */
export function selectionTags(e: Expr): Array<{ code: string; span?: Span }> {
  const out = new Map<string, Span | undefined>();
  const visit = (x: Expr) => {
    if (x.kind === 'tag') {
      if (!out.has(x.code)) out.set(x.code, x.span);
    } else if (x.kind === 'unary') visit(x.operand);
    else if (x.kind === 'binary') {
      visit(x.left);
      visit(x.right);
    }
  };
  visit(e);
  return [...out].map(([code, span]) => (span ? { code, span } : { code }));
}
