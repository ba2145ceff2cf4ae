/**
 * The text form of rules: a subset of CEL (Common Expression Language), so that anyone who has
 * read CEL or a spreadsheet formula can read a rule:
 *
 *   local && age >= 60 && household.size == 1
 *   employment in ["失业", "无"] && (holds("DIBAO") || eligible("LOW_INCOME"))
 *   household.pc_income < 2 * LIBAO ? 1 : 0
 *
 * Precedence, lowest first: `? :`, `||`, `&&`, relations (== != < <= > >= in), + -, * /, unary
 * ! -. Written by hand (a small precedence-climbing parser) because we need our own typed tree
 * with source spans for every node, to point type errors and explanations at the text; the CEL
 * libraries on npm evaluate their own trees and do not hand out positions.
 */
import {
  binary,
  call,
  childrenOf,
  conditional,
  inList,
  literal,
  MAX_RULE_DEPTH,
  MAX_RULE_LENGTH,
  ref,
  RuleError,
  tag,
  unary,
  type ArithOp,
  type CompareOp,
  type Expr,
  type LiteralNode,
  type Span,
} from './ast.ts';

type TokenKind = 'number' | 'string' | 'ident' | 'op' | 'eof';
interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value?: number | string;
  readonly start: number;
  readonly end: number;
}

const OPERATORS = [
  '&&',
  '||',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '+',
  '-',
  '*',
  '/',
  '!',
  '(',
  ')',
  '[',
  ']',
  ',',
  '?',
  ':',
];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i))!;
      i += m[0].length;
      const value = Number(m[0]);
      // 1e999 would be Infinity, which no rule means and which prints as a name, not a number.
      if (!Number.isFinite(value)) throw new RuleError('数值过大', { start, end: i }, text);
      tokens.push({ kind: 'number', text: m[0], value, start, end: i });
      continue;
    }
    if (ch === '"' || ch === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new RuleError('字符串没有结束引号', { start, end: i }, text);
        const c = text[i]!;
        if (c === ch) {
          i++;
          break;
        }
        if (c === '\\') {
          const next = text[i + 1];
          // \uXXXX and \r \b \f too: the printer writes strings with JSON.stringify, which uses them
          // (control characters, lone surrogates), and what it prints must read back.
          if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) {
            value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
            i += 6;
            continue;
          }
          const escapes: Record<string, string> = {
            n: '\n',
            t: '\t',
            r: '\r',
            b: '\b',
            f: '\f',
            '\\': '\\',
            '"': '"',
            "'": "'",
          };
          if (next === undefined || escapes[next] === undefined)
            throw new RuleError('无法识别的转义', { start: i, end: i + 2 }, text);
          value += escapes[next];
          i += 2;
          continue;
        }
        value += c;
        i++;
      }
      tokens.push({ kind: 'string', text: text.slice(start, i), value, start, end: i });
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i))!;
      i += m[0].length;
      tokens.push({ kind: 'ident', text: m[0], start, end: i });
      continue;
    }
    const op = OPERATORS.find((o) => text.startsWith(o, i));
    if (!op) throw new RuleError(`无法识别的字符 “${ch}”`, { start, end: start + 1 }, text);
    i += op.length;
    tokens.push({ kind: 'op', text: op, start, end: i });
  }
  tokens.push({ kind: 'eof', text: '', start: text.length, end: text.length });
  return tokens;
}

const COMPARE: readonly string[] = ['==', '!=', '<', '<=', '>', '>='];

const TOO_DEEP = `嵌套超过 ${MAX_RULE_DEPTH} 层，请拆分或简化规则`;

class Parser {
  private at = 0;
  /** Constructs open around the current token (parentheses, calls, `!` / `-`, `?:` branches): bounds the parser's own recursion. */
  private open = 0;
  /** Depth of each composite node made so far (leaves are 1): bounds the tree the evaluators recurse over. */
  private readonly depths = new WeakMap<Expr, number>();
  constructor(
    private readonly tokens: Token[],
    private readonly text: string,
  ) {}

  /** Enters a nested construct at `t`, refusing the one past the cap before recursing into it. */
  private enter(t: Token): void {
    if (++this.open > MAX_RULE_DEPTH) throw new RuleError(TOO_DEEP, t, this.text);
  }
  private leave(): void {
    this.open--;
  }

  /** A composite node, refused (at `at`, its operator or opening token) when it would make the tree too deep. */
  private made<T extends Expr>(node: T, at: Span): T {
    let depth = 1;
    for (const child of childrenOf(node)) depth = Math.max(depth, 1 + (this.depths.get(child) ?? 1));
    if (depth > MAX_RULE_DEPTH) throw new RuleError(TOO_DEEP, at, this.text);
    this.depths.set(node, depth);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.at]!;
  }
  private next(): Token {
    return this.tokens[this.at++]!;
  }
  private isOp(text: string): boolean {
    const t = this.peek();
    return t.kind === 'op' && t.text === text;
  }
  private isWord(text: string): boolean {
    const t = this.peek();
    return t.kind === 'ident' && t.text === text;
  }
  private fail(message: string, token = this.peek()): never {
    throw new RuleError(
      token.kind === 'eof' ? `${message}，但规则已结束` : `${message}，而不是 “${token.text}”`,
      token,
      this.text,
    );
  }
  private expectOp(text: string): Token {
    if (!this.isOp(text)) this.fail(`此处应为 “${text}”`);
    return this.next();
  }
  private span(start: number): Span {
    return { start, end: this.tokens[this.at - 1]!.end };
  }

  parseAll(): Expr {
    if (this.peek().kind === 'eof') this.fail('规则为空');
    const expr = this.conditional();
    if (this.peek().kind !== 'eof') this.fail('此处应为运算符或规则结束');
    return expr;
  }

  private conditional(): Expr {
    const start = this.peek().start;
    const test = this.or();
    if (!this.isOp('?')) return test;
    const q = this.next();
    this.enter(q);
    const then = this.conditional();
    this.expectOp(':');
    const otherwise = this.conditional();
    this.leave();
    return this.made(conditional(test, then, otherwise, this.span(start)), q);
  }

  private or(): Expr {
    const start = this.peek().start;
    let left = this.and();
    while (this.isOp('||')) {
      const op = this.next();
      left = this.made(binary('||', left, this.and(), this.span(start)), op);
    }
    return left;
  }

  private and(): Expr {
    const start = this.peek().start;
    let left = this.relation();
    while (this.isOp('&&')) {
      const op = this.next();
      left = this.made(binary('&&', left, this.relation(), this.span(start)), op);
    }
    return left;
  }

  private relation(): Expr {
    const start = this.peek().start;
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && COMPARE.includes(t.text)) {
      this.next();
      const right = this.additive();
      const node = this.made(binary(t.text as CompareOp, left, right, this.span(start)), t);
      const after = this.peek();
      if ((after.kind === 'op' && COMPARE.includes(after.text)) || this.isWord('in'))
        this.fail('比较不能连写（如 a < b < c），请用 && 连接');
      return node;
    }
    if (this.isWord('in')) {
      const word = this.next();
      this.expectOp('[');
      const list: LiteralNode[] = [];
      if (!this.isOp(']')) {
        for (;;) {
          const item = this.unaryExpr();
          if (item.kind !== 'literal')
            throw new RuleError('in 的列表只能包含字面量（数或字符串）', item.span, this.text);
          list.push(item);
          if (!this.isOp(',')) break;
          this.next();
        }
      }
      this.expectOp(']');
      return this.made(inList(left, list, this.span(start)), word);
    }
    return left;
  }

  private additive(): Expr {
    const start = this.peek().start;
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = this.made(binary(t.text as ArithOp, left, this.multiplicative(), this.span(start)), t);
    }
    return left;
  }

  private multiplicative(): Expr {
    const start = this.peek().start;
    let left = this.unaryExpr();
    while (this.isOp('*') || this.isOp('/')) {
      const t = this.next();
      left = this.made(binary(t.text as ArithOp, left, this.unaryExpr(), this.span(start)), t);
    }
    return left;
  }

  private unaryExpr(): Expr {
    const t = this.peek();
    if (this.isOp('!') || this.isOp('-')) {
      this.next();
      this.enter(t);
      const operand = this.unaryExpr();
      this.leave();
      // A negative number is a literal, so that `-1` prints and reads back as itself.
      if (t.text === '-' && operand.kind === 'literal' && typeof operand.value === 'number')
        return literal(-operand.value, this.span(t.start));
      return this.made(unary(t.text as '!' | '-', operand, this.span(t.start)), t);
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.next();
    switch (t.kind) {
      case 'number':
        return literal(t.value as number, t);
      case 'string':
        return literal(t.value as string, t);
      case 'ident': {
        if (t.text === 'true' || t.text === 'false') return literal(t.text === 'true', t);
        if (t.text === 'null') return literal(null, t);
        if (t.text === 'in') this.fail('此处应为值', t);
        if (this.isOp('(')) {
          this.enter(this.next());
          const args: Expr[] = [];
          if (!this.isOp(')')) {
            for (;;) {
              args.push(this.conditional());
              if (!this.isOp(',')) break;
              this.next();
            }
          }
          this.expectOp(')');
          this.leave();
          // `tag("独居老人")` is the tag atom itself, so that a rule over tags prints and reads back alike.
          const only = args[0];
          if (t.text === 'tag' && args.length === 1 && only?.kind === 'literal' && typeof only.value === 'string')
            return tag(only.value, this.span(t.start));
          return this.made(call(t.text, args, this.span(t.start)), t);
        }
        return ref(t.text, t);
      }
      case 'op':
        if (t.text === '(') {
          this.enter(t);
          const inner = this.conditional();
          this.expectOp(')');
          this.leave();
          return inner;
        }
        return this.fail('此处应为值', t);
      case 'eof':
        return this.fail('此处应为值', t);
    }
  }
}

/**
 * Parses the text form of a rule. Errors are RuleErrors naming the position, among them a text
 * longer than MAX_RULE_LENGTH and nesting deeper than MAX_RULE_DEPTH.
 */
export function parseRule(text: string): Expr {
  if (text.length > MAX_RULE_LENGTH) {
    throw new RuleError(
      `规则过长（共 ${text.length} 个字符，最多 ${MAX_RULE_LENGTH} 个）`,
      { start: MAX_RULE_LENGTH, end: text.length },
      text,
    );
  }
  return new Parser(tokenize(text), text).parseAll();
}
