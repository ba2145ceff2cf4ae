/** Prints a rule tree in its text form; `parseRule(printRule(e))` gives back the same tree. */
import type { Expr, LiteralValue } from './ast.ts';

const PRECEDENCE: Record<string, number> = {
  '?': 1,
  '||': 2,
  '&&': 3,
  '==': 4,
  '!=': 4,
  '<': 4,
  '<=': 4,
  '>': 4,
  '>=': 4,
  in: 4,
  '+': 5,
  '-': 5,
  '*': 6,
  '/': 6,
};
const UNARY = 7;
const ATOM = 8;

export function printLiteral(value: LiteralValue): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

function precedenceOf(e: Expr): number {
  switch (e.kind) {
    case 'binary':
      return PRECEDENCE[e.op]!;
    case 'in':
      return PRECEDENCE.in!;
    case 'conditional':
      return PRECEDENCE['?']!;
    case 'unary':
      return UNARY;
    case 'literal':
      return typeof e.value === 'number' && e.value < 0 ? UNARY : ATOM;
    default:
      return ATOM;
  }
}

function wrap(e: Expr, min: number): string {
  const text = printRule(e);
  return precedenceOf(e) < min ? `(${text})` : text;
}

export function printRule(e: Expr): string {
  switch (e.kind) {
    case 'literal':
      return printLiteral(e.value);
    case 'ref':
      return e.name;
    case 'tag':
      return `tag(${JSON.stringify(e.code)})`;
    case 'call':
      return `${e.fn}(${e.args.map((a) => printRule(a)).join(', ')})`;
    case 'unary':
      return `${e.op}${wrap(e.operand, UNARY)}`;
    case 'binary': {
      const p = PRECEDENCE[e.op]!;
      // Left-associative: the right operand needs parentheses at equal precedence; relations do not chain.
      const leftMin = p === 4 ? p + 1 : p;
      return `${wrap(e.left, leftMin)} ${e.op} ${wrap(e.right, p + 1)}`;
    }
    case 'in':
      return `${wrap(e.value, PRECEDENCE.in! + 1)} in [${e.list.map((l) => printLiteral(l.value)).join(', ')}]`;
    case 'conditional':
      return `${wrap(e.test, 2)} ? ${wrap(e.then, 1)} : ${wrap(e.otherwise, 1)}`;
  }
}
