/**
 * Types and the catalogue a rule is checked against: which facts, parameters, functions and tags
 * exist, with their types and allowed values. Checking happens once, when a rule is written or
 * loaded, so that evaluation never meets a misspelt fact or an impossible code.
 */
import { RuleError, type Expr, type Span } from './ast.ts';
import { printLiteral } from './print.ts';

export type ValueType = 'number' | 'boolean' | 'string';

export interface FactDef {
  readonly name: string;
  readonly type: ValueType;
  readonly label: string;
  /** For code-valued facts: the allowed codes, so that `employment == "失 业"` is caught. */
  readonly values?: readonly string[];
}

export interface FunctionDef {
  readonly name: string;
  readonly returns: ValueType;
  readonly label: string;
  /** Each argument is a string literal from this list (e.g. the benefit codes); empty = any text. */
  readonly argValues: readonly string[];
}

export interface Catalog {
  readonly facts: ReadonlyMap<string, FactDef>;
  readonly functions: ReadonlyMap<string, FunctionDef>;
  /** Dated parameters by name (numbers). */
  readonly params: ReadonlySet<string>;
  /** Whether a tag code may be used here; absent = tags are not allowed in this kind of rule. */
  readonly hasTag?: (code: string) => boolean;
}

type Checked = ValueType | 'null';

/** Household aggregates over members: any(c), all(c), count(c). */
export const AGGREGATES: ReadonlySet<string> = new Set(['any', 'all', 'count']);

function fail(message: string, span: Span | undefined): never {
  throw new RuleError(message, span);
}

const TYPE_NAMES: Record<Checked, string> = { number: '数值', boolean: '真假', string: '文本', null: '空值' };

function valuesOf(e: Expr, catalog: Catalog): readonly string[] | undefined {
  return e.kind === 'ref' ? catalog.facts.get(e.name)?.values : undefined;
}

function checkCode(e: Expr, other: Expr, catalog: Catalog): void {
  const values = valuesOf(other, catalog);
  if (values && e.kind === 'literal' && typeof e.value === 'string' && !values.includes(e.value)) {
    fail(
      `${printLiteral(e.value)} 不是 ${(other as { name: string }).name} 的取值（可取：${values.join('、')}）`,
      e.span,
    );
  }
}

/** Checks a rule against a catalogue and returns its type; a RuleError names the position. */
export function typecheck(e: Expr, catalog: Catalog): Checked {
  switch (e.kind) {
    case 'literal':
      return e.value === null ? 'null' : (typeof e.value as ValueType);
    case 'ref': {
      const fact = catalog.facts.get(e.name);
      if (fact) return fact.type;
      if (catalog.params.has(e.name)) return 'number';
      return fail(`未知的事实或参数 “${e.name}”`, e.span);
    }
    case 'tag':
      if (!catalog.hasTag) return fail('此处不能引用标签', e.span);
      if (!catalog.hasTag(e.code)) return fail(`未知标签 “${e.code}”`, e.span);
      return 'boolean';
    case 'call': {
      if (AGGREGATES.has(e.fn)) {
        // any(c), all(c), count(c): a condition about each member of the person's household.
        if (e.args.length !== 1) return fail(`${e.fn}() 需要 1 个参数：对家庭每位成员的条件`, e.span);
        const t = typecheck(e.args[0]!, catalog);
        if (t !== 'boolean') fail(`${e.fn}() 的参数应为条件，这里是${TYPE_NAMES[t]}`, e.args[0]!.span ?? e.span);
        return e.fn === 'count' ? 'number' : 'boolean';
      }
      const fn = catalog.functions.get(e.fn);
      if (!fn) return fail(`未知的函数 “${e.fn}”`, e.span);
      if (e.args.length !== 1) return fail(`${e.fn}() 需要 1 个参数`, e.span);
      const arg = e.args[0]!;
      if (arg.kind !== 'literal' || typeof arg.value !== 'string')
        return fail(`${e.fn}() 的参数应为带引号的文本`, arg.span ?? e.span);
      if (fn.argValues.length > 0 && !fn.argValues.includes(arg.value)) {
        return fail(
          `${printLiteral(arg.value)} 不是 ${e.fn}() 可用的代码（可用：${fn.argValues.join('、')}）`,
          arg.span,
        );
      }
      return fn.returns;
    }
    case 'unary': {
      const t = typecheck(e.operand, catalog);
      const want: ValueType = e.op === '!' ? 'boolean' : 'number';
      if (t !== want) fail(`“${e.op}” 需要${TYPE_NAMES[want]}，这里是${TYPE_NAMES[t]}`, e.operand.span ?? e.span);
      return want;
    }
    case 'binary': {
      const l = typecheck(e.left, catalog);
      const r = typecheck(e.right, catalog);
      if (e.op === '&&' || e.op === '||') {
        if (l !== 'boolean') fail(`“${e.op}” 两边应为条件，左边是${TYPE_NAMES[l]}`, e.left.span);
        if (r !== 'boolean') fail(`“${e.op}” 两边应为条件，右边是${TYPE_NAMES[r]}`, e.right.span);
        return 'boolean';
      }
      if (e.op === '==' || e.op === '!=') {
        if (l !== r && l !== 'null' && r !== 'null') fail(`不能比较${TYPE_NAMES[l]}与${TYPE_NAMES[r]}`, e.span);
        checkCode(e.right, e.left, catalog);
        checkCode(e.left, e.right, catalog);
        return 'boolean';
      }
      const side = l !== 'number' ? e.left : r !== 'number' ? e.right : null;
      if (side) fail(`“${e.op}” 需要数值，这里是${TYPE_NAMES[side === e.left ? l : r]}`, side.span ?? e.span);
      return ['<', '<=', '>', '>='].includes(e.op) ? 'boolean' : 'number';
    }
    case 'in': {
      const t = typecheck(e.value, catalog);
      if (t !== 'string' && t !== 'number') fail('in 的左边应为文本或数值', e.value.span);
      for (const item of e.list) {
        const it = typecheck(item, catalog);
        if (it !== t) fail(`列表项应为${TYPE_NAMES[t]}`, item.span);
        checkCode(item, e.value, catalog);
      }
      return 'boolean';
    }
    case 'conditional': {
      if (typecheck(e.test, catalog) !== 'boolean') fail('“?” 前应为条件', e.test.span);
      const a = typecheck(e.then, catalog);
      const b = typecheck(e.otherwise, catalog);
      if (a !== b && a !== 'null' && b !== 'null')
        fail(`“?:” 两个分支的类型不同（${TYPE_NAMES[a]}、${TYPE_NAMES[b]}）`, e.span);
      return a === 'null' ? b : a;
    }
  }
}

/** Checks that a rule is a condition (a boolean). */
export function checkCondition(e: Expr, catalog: Catalog): void {
  const t = typecheck(e, catalog);
  if (t !== 'boolean') fail(`规则应为条件（真假），这里是${TYPE_NAMES[t]}`, e.span);
}
