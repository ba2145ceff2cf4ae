/**
 * Policy packs as data (the OpenFisca habit): policies with their legal source, owner, effective
 * period, rule and amount formula, and parameters whose values are dated and cited. A pack is
 * checked when loaded — every rule parsed and type-checked, references to other policies ordered
 * and refused when they form a cycle, every condition of a rule worded in plain Chinese — so that
 * a scan never meets a broken rule and an explanation never shows a resident the rule language.
 */
import { isIsoDate } from '../dates.ts';
import { RuleError, walk, type Expr } from '../rules/ast.ts';
import { parseRule } from '../rules/parse.ts';
import { printRule } from '../rules/print.ts';
import { conjunctsOf } from '../rules/compile.ts';
import { checkCondition, typecheck, type Catalog } from '../rules/types.ts';
import { personCatalog } from '../population/facts.ts';

export interface ParameterValue {
  readonly from: string;
  readonly value: number;
  readonly source: string;
}

export interface ParameterDef {
  readonly name: string;
  readonly label: string;
  readonly unit?: string;
  readonly values: readonly ParameterValue[];
}

export interface PolicyDef {
  readonly code: string;
  readonly name: string;
  readonly owner: string;
  readonly source: string;
  readonly effective: { readonly from: string; readonly to?: string | null };
  readonly rule: string;
  readonly amount?: string | null;
  /** How to apply, in plain Chinese, for residents and workers. */
  readonly apply?: string | null;
  /**
   * Each condition of the rule in plain Chinese, keyed by the condition's text: the conditions
   * are the parts of the rule's top-level AND (`local && income < LIBAO` has two), or the whole
   * rule when it is not one. Spacing and brackets of a key do not matter (it is read as a rule).
   */
  readonly labels?: Readonly<Record<string, string>> | null;
}

/** A condition of a policy's rule (a part of its top-level AND) with its wording. */
export interface PolicyCondition {
  /** The condition in the rule's text form (as printRule writes it, and as explanations show it). */
  readonly text: string;
  /** The condition in plain Chinese (the pack's label; its text where a local policy gave none). */
  readonly label: string;
  readonly expr: Expr;
}

export interface CompileOptions {
  /**
   * A condition without a label: an error (`error`, the default: a pack file must word them all),
   * or worded by its own text (`code`: a local policy whose author left one out, a draft being
   * simulated). A label for a condition the rule does not have is an error either way.
   */
  readonly unlabelled?: 'error' | 'code';
}

export interface ScenarioDef {
  readonly name: string;
  readonly date: string;
  readonly household: Record<string, unknown>;
  readonly members: ReadonlyArray<Record<string, unknown> & { id: string; birth_date: string }>;
  readonly relations?: ReadonlyArray<{ id: string; relation: string; able_to_support: string }>;
  readonly enrollments?: ReadonlyArray<{
    id: string;
    benefit_code: string;
    start_date: string;
    end_date?: string | null;
  }>;
  readonly expect: Readonly<
    Record<string, { eligible: readonly string[]; amounts?: Readonly<Record<string, number>> }>
  >;
}

export interface PackDef {
  readonly code: string;
  readonly name: string;
  readonly version: number;
  readonly source?: string;
  readonly parameters: readonly ParameterDef[];
  readonly policies: readonly PolicyDef[];
  readonly scenarios?: readonly ScenarioDef[];
}

export interface CompiledPolicy {
  readonly def: PolicyDef;
  readonly rule: Expr;
  readonly amount: Expr | null;
  /** Policies its rule or amount refers to through eligible("X"). */
  readonly dependsOn: readonly string[];
  /** The rule's conditions, in order, each with its wording. */
  readonly conditions: readonly PolicyCondition[];
}

export class PackError extends Error {
  constructor(
    readonly where: string,
    message: string,
  ) {
    super(`${where}：${message}`);
    this.name = 'PackError';
  }
}

export interface CompiledPack {
  readonly def: PackDef;
  /** In evaluation order: every policy after those it refers to. */
  readonly policies: readonly CompiledPolicy[];
  readonly parameters: ReadonlyMap<string, ParameterDef>;
  readonly catalog: Catalog;
  /** The value in force on a date: the latest start ≤ date; before the first, an error. */
  parameterOn(name: string, asOf: string): ParameterValue;
}

/** The catalogue of policy rules: person facts, the pack's parameters, eligible("X") for its policies. */
export function policyCatalog(parameterNames: Iterable<string>, policyCodes: readonly string[]): Catalog {
  return personCatalog({
    params: new Set(parameterNames),
    functions: [
      { name: 'eligible', returns: 'boolean', label: '按规则在 D 日符合该政策 eligible(p, X)', argValues: policyCodes },
    ],
  });
}

function need(cond: unknown, where: string, message: string): asserts cond {
  if (!cond) throw new PackError(where, message);
}

/**
 * The conditions of a rule with their labels, and those it has no label for. A label must name a
 * condition the rule has, and say something.
 */
function labelled(p: PolicyDef, rule: Expr, where: string): { conditions: PolicyCondition[]; unlabelled: string[] } {
  const parts = conjunctsOf(rule).map((expr) => ({ expr, text: printRule(expr) }));
  const given = p.labels ?? {};
  need(typeof given === 'object' && !Array.isArray(given), `${where} labels`, 'labels 应为“条件: 中文说明”的对应表');
  const labels = new Map<string, string>();
  for (const [condition, label] of Object.entries(given)) {
    let text: string;
    try {
      text = printRule(parseRule(condition));
    } catch (err) {
      if (err instanceof RuleError)
        throw new PackError(`${where} labels`, `条件“${condition}”无法读取：${err.message}`);
      throw err;
    }
    need(
      parts.some((c) => c.text === text),
      `${where} labels`,
      `条件“${condition}”不在规则中；规则的条件是：${parts.map((c) => c.text).join('；')}`,
    );
    need(typeof label === 'string' && label.trim() !== '', `${where} labels`, `条件“${condition}”的中文说明为空`);
    labels.set(text, label.trim());
  }
  return {
    conditions: parts.map((c) => ({ ...c, label: labels.get(c.text) ?? c.text })),
    unlabelled: parts.filter((c) => !labels.has(c.text)).map((c) => c.text),
  };
}

export function compilePack(def: PackDef, options: CompileOptions = {}): CompiledPack {
  need(typeof def.code === 'string' && def.code !== '', 'pack', '缺少 code');
  need(Array.isArray(def.parameters) && Array.isArray(def.policies), 'pack', '缺少 parameters 或 policies');
  const parameters = new Map<string, ParameterDef>();
  for (const [k, p] of def.parameters.entries()) {
    const where = `parameters[${k}] ${p?.name ?? ''}`;
    need(typeof p.name === 'string' && /^[A-Z][A-Z0-9_]*$/.test(p.name), where, '参数名应为大写字母、数字和下划线');
    need(!parameters.has(p.name), where, '参数名重复');
    need(Array.isArray(p.values) && p.values.length > 0, where, '至少要有一个取值');
    let last = '';
    for (const [j, v] of p.values.entries()) {
      const at = `${where}.values[${j}]`;
      need(isIsoDate(String(v.from)), at, `起始日期 ${String(v.from)} 不是有效日期`);
      need(String(v.from) > last, at, '取值应按起始日期升序排列，且日期不重复');
      need(typeof v.value === 'number' && Number.isFinite(v.value), at, '取值应为数');
      need(typeof v.source === 'string' && v.source.trim() !== '', at, '每个取值都要注明来源');
      last = String(v.from);
    }
    parameters.set(p.name, { ...p, values: p.values.map((v: ParameterValue) => ({ ...v, from: String(v.from) })) });
  }
  const codes = def.policies.map((p) => p.code);
  const catalog = policyCatalog(parameters.keys(), codes);
  const compiled = new Map<string, CompiledPolicy>();
  const unlabelled = new Map<string, string[]>();
  for (const [k, p] of def.policies.entries()) {
    const where = `policies[${k}] ${p?.code ?? ''}`;
    need(typeof p.code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(p.code), where, '政策代码应为大写字母、数字和下划线');
    need(!compiled.has(p.code), where, '政策代码重复');
    need(typeof p.name === 'string' && p.name !== '', where, '缺少名称');
    need(typeof p.source === 'string' && p.source.trim() !== '', where, '每项政策都要注明法规依据 (source)');
    need(p.effective && isIsoDate(String(p.effective.from)), where, '生效日期 effective.from 无效');
    need(p.effective.to == null || isIsoDate(String(p.effective.to)), where, '失效日期 effective.to 无效');
    let rule: Expr;
    let amount: Expr | null = null;
    try {
      rule = parseRule(p.rule);
      checkCondition(rule, catalog);
    } catch (err) {
      if (err instanceof RuleError) throw new PackError(`${where} rule`, err.message);
      throw err;
    }
    if (p.amount) {
      try {
        amount = parseRule(p.amount);
        if (typecheck(amount, catalog) !== 'number') throw new RuleError('金额公式应为数值', amount.span);
      } catch (err) {
        if (err instanceof RuleError) throw new PackError(`${where} amount`, err.message);
        throw err;
      }
    }
    const dependsOn = new Set<string>();
    for (const e of [rule, amount])
      if (e)
        for (const node of walk(e))
          if (node.kind === 'call' && node.fn === 'eligible')
            dependsOn.add(String((node.args[0] as { value: unknown }).value));
    const wording = labelled(p, rule, where);
    unlabelled.set(p.code, wording.unlabelled);
    compiled.set(p.code, {
      def: {
        ...p,
        effective: { from: String(p.effective.from), to: p.effective.to == null ? null : String(p.effective.to) },
      },
      rule,
      amount,
      dependsOn: [...dependsOn],
      conditions: wording.conditions,
    });
  }
  // Order by references (depth-first), naming the cycle if there is one.
  const order: CompiledPolicy[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (code: string, path: string[]) => {
    if (state.get(code) === 'done') return;
    if (state.get(code) === 'visiting')
      throw new PackError('policies', `政策之间循环引用：${[...path.slice(path.indexOf(code)), code].join(' → ')}`);
    state.set(code, 'visiting');
    const p = compiled.get(code)!;
    for (const d of p.dependsOn) visit(d, [...path, code]);
    state.set(code, 'done');
    order.push(p);
  };
  for (const code of codes) visit(code, []);
  // Last, once the rules stand: every condition worded (a pack file's rules are shown to residents).
  if ((options.unlabelled ?? 'error') === 'error') {
    for (const [k, p] of def.policies.entries()) {
      const missing = unlabelled.get(p.code) ?? [];
      need(
        missing.length === 0,
        `policies[${k}] ${p.code} labels`,
        `条件“${missing[0]}”没有中文说明：请在 labels 中为它写一句 label（如 “${missing[0]}: …”）`,
      );
    }
  }
  return {
    def,
    policies: order,
    parameters,
    catalog,
    parameterOn(name, asOf) {
      const p = parameters.get(name);
      if (!p) throw new PackError(`parameter ${name}`, '政策包中没有这个参数');
      let found: ParameterValue | undefined;
      for (const v of p.values) if (v.from <= asOf) found = v;
      if (!found)
        throw new PackError(
          `parameter ${name}`,
          `${asOf} 早于该参数的第一个取值（${p.values[0]!.from}），不在政策包的适用期内`,
        );
      return found;
    },
  };
}
