/**
 * Reading an eligibility trace: what each node of the tree is (all of / any of / not / a single
 * condition), the facts it read in words with their units, and which of the pack's parameters a
 * condition uses. Pure functions, so the explanation reads the same in the drawer, in the 360
 * view and in tests.
 */
import type { Outcome, PolicyExplanationView, TraceNode } from '../../api/policies.ts';
import type { Entry, Lang } from '../../app/i18n.ts';
import { formatNumber } from '../../app/i18n.ts';
import { benefitName, valueName } from '../../app/terms.ts';

export type NodeKind = 'and' | 'or' | 'not' | 'condition';

/**
 * The operator joining a node's parts. The engine flattens a chain of one operator into one node
 * (a && b && c has three parts), so the operator is the one at the top level of the node's text,
 * outside brackets and quoted strings.
 */
export function nodeKind(node: Pick<TraceNode, 'text' | 'parts'>): NodeKind {
  if (node.parts.length === 0) return 'condition';
  let depth = 0;
  let quoted = false;
  const s = node.text;
  for (let i = 0; i < s.length - 1; i++) {
    const c = s[i]!;
    if (c === '"') quoted = !quoted;
    if (quoted) continue;
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') depth--;
    else if (depth === 0 && c === '&' && s[i + 1] === '&') return 'and';
    else if (depth === 0 && c === '|' && s[i + 1] === '|') return 'or';
  }
  return s.trimStart().startsWith('!') ? 'not' : 'and';
}

export const OUTCOME_MARK: Readonly<Record<Outcome, string>> = { pass: '✓', fail: '✗', unknown: '?' };

type Unit = 'yuan' | 'years' | 'people' | 'm2';

interface FactMeta {
  readonly label: Entry;
  readonly unit?: Unit;
}

/** The person facts of the rule language (engine PERSON_FACTS) in words. */
export const FACTS: Readonly<Record<string, FactMeta>> = {
  age: { label: { zh: '年龄', en: 'Age' }, unit: 'years' },
  gender: { label: { zh: '性别', en: 'Gender' } },
  hukou: { label: { zh: '户籍', en: 'Hukou' } },
  marital_status: { label: { zh: '婚姻状况', en: 'Marital status' } },
  disability_grade: { label: { zh: '残疾等级', en: 'Disability grade' } },
  disability_category: { label: { zh: '残疾类别', en: 'Disability category' } },
  employment: { label: { zh: '就业状况', en: 'Employment' } },
  school_stage: { label: { zh: '在读学段', en: 'School stage' } },
  labor_capacity: { label: { zh: '劳动能力', en: 'Capacity to work' } },
  chronic_illness: { label: { zh: '大病/慢病', en: 'Chronic illness' } },
  income: { label: { zh: '本人月收入', en: 'Own monthly income' }, unit: 'yuan' },
  medical_oop: { label: { zh: '近12个月自付医疗费', en: 'Medical costs paid, 12 months' }, unit: 'yuan' },
  local: { label: { zh: '本市户籍', en: 'Shanghai hukou' } },
  severe_disability: { label: { zh: '重度残疾', en: 'Severe disability' } },
  able_supporter: {
    label: {
      zh: '有能履行赡养/抚养/扶养义务的配偶、父母或子女',
      en: 'Has a spouse, parent or child able to support them',
    },
  },
  no_work_capacity: { label: { zh: '无劳动能力', en: 'Unable to work' } },
  'household.size': { label: { zh: '家庭人数', en: 'Household size' }, unit: 'people' },
  'household.income': { label: { zh: '家庭月收入合计', en: 'Household monthly income' }, unit: 'yuan' },
  'household.pc_income': { label: { zh: '家庭人均月收入', en: 'Household income per person' }, unit: 'yuan' },
  'household.pc_assets': { label: { zh: '家庭人均金融资产', en: 'Financial assets per person' }, unit: 'yuan' },
  'household.medical': {
    label: { zh: '家庭近12个月自付医疗费', en: 'Household medical costs, 12 months' },
    unit: 'yuan',
  },
  'household.housing_area': { label: { zh: '住房使用面积', en: 'Floor area' }, unit: 'm2' },
};

const UNITS: Readonly<Record<Unit, Entry>> = {
  yuan: { zh: '{n} 元', en: '¥{n}' },
  years: { zh: '{n} 岁', en: '{n} years' },
  people: { zh: '{n} 人', en: '{n}' },
  m2: { zh: '{n} 平方米', en: '{n} m²' },
};

const CALL = /^(eligible|holds)\("([A-Z][A-Z0-9_]*)"\)$/;

/** A fact's name in words: `age` → 年龄, `eligible("DIBAO")` → 符合「最低生活保障」. */
export function factLabel(name: string, lang: Lang): string {
  const call = CALL.exec(name);
  if (call) {
    const policy = benefitName(call[2]!, lang);
    if (call[1] === 'eligible') return lang === 'zh' ? `符合「${policy}」条件` : `Eligible for ${policy}`;
    return lang === 'zh' ? `正在享受「${policy}」` : `Receiving ${policy}`;
  }
  return FACTS[name]?.label[lang] ?? name;
}

/** A fact's value as read: money with its unit, yes/no, and a missing value said plainly. */
export function factValue(name: string, value: number | string | boolean | null, lang: Lang): string {
  if (value === null) {
    // A missing disability grade means "no disability certificate", not an unknown.
    if (name === 'disability_grade') return lang === 'zh' ? '无（未持残疾证）' : 'none (no certificate)';
    return lang === 'zh' ? '缺失' : 'missing';
  }
  if (typeof value === 'boolean') return lang === 'zh' ? (value ? '是' : '否') : value ? 'yes' : 'no';
  if (typeof value === 'string') return valueName(value, lang);
  const unit = FACTS[name]?.unit;
  const n = formatNumber(value, lang, 2);
  if (name === 'disability_grade') return lang === 'zh' ? `${n} 级` : `grade ${n}`;
  return unit ? UNITS[unit][lang].replace('{n}', n) : n;
}

/** The parameters a condition's text names, as whole words (LIBAO, not LIBAO_X). */
export function parametersIn(
  text: string,
  parameters: PolicyExplanationView['parameters'],
): PolicyExplanationView['parameters'] {
  return parameters.filter((p) => new RegExp(`(^|[^A-Za-z0-9_])${p.name}($|[^A-Za-z0-9_])`).test(text));
}

/**
 * The conditions of a rule's trace, each labelled by the server: the parts of its top-level
 * "all of", or the trace itself when the rule is one condition (its root carries the label).
 */
export function conditionsOf(root: TraceNode): TraceNode[] {
  if (root.label !== null || root.parts.length === 0 || nodeKind(root) !== 'and') return [root];
  return [...root.parts];
}

/** The facts read anywhere under a node, each once (the first value read), in the order they were read. */
export function factsUnder(node: TraceNode): TraceNode['facts'] {
  const seen = new Map<string, TraceNode['facts'][number]>();
  for (const leaf of conditions(node)) for (const f of leaf.facts) if (!seen.has(f.name)) seen.set(f.name, f);
  return [...seen.values()];
}

/** Every condition (leaf) of a trace, depth first: for counts and a plain-text summary. */
export function conditions(node: TraceNode): TraceNode[] {
  return node.parts.length === 0 ? [node] : node.parts.flatMap(conditions);
}

/** How many of the top-level conditions passed, failed or stayed undecided. */
export function outcomeCounts(node: TraceNode): Record<Outcome, number> {
  const parts = node.parts.length > 0 && nodeKind(node) === 'and' ? node.parts : [node];
  const out: Record<Outcome, number> = { pass: 0, fail: 0, unknown: 0 };
  for (const p of parts) out[p.outcome]++;
  return out;
}

/** A stable key for a node: its path of indexes from the root. */
export function nodeKey(path: readonly number[]): string {
  return path.length === 0 ? 'root' : path.join('.');
}

/** A policy's name: the pack's own in Chinese (it is the authority), the app's translation in English. */
export function policyName(code: string, packName: string, lang: Lang): string {
  return lang === 'zh' ? packName : benefitName(code, lang, packName);
}
