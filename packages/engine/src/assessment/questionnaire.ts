/**
 * The home-visit questionnaire (入户问卷), derived from a framework: for a household, the
 * indicators that could not be evaluated because facts are missing, and for each the facts its
 * condition reads (a walk over the rule's syntax tree) that are empty for the household or for
 * its members — as plain questions with an input type and, for coded facts, the exchange
 * format's code list. Answers fill only what the registry lacks: a registry value always wins.
 */
import { walk, type Expr } from '../rules/ast.ts';
import { PERSON_FACTS } from '../population/facts.ts';
import { CODED_FACTS, dateKey, subPopulation, type CodedFact, type Population } from '../population/population.ts';
import type { CompiledFramework } from './framework.ts';

export type VisitInput = 'number' | 'yes_no' | 'choice';

/** A fact a visit can answer: the stored fact (a column of the registry) and how to ask for it. */
export interface VisitFact {
  readonly fact: string;
  readonly level: 'person' | 'household';
  readonly label: string;
  readonly question: string;
  readonly input: VisitInput;
  /** For yes_no and choice: the exchange format's codes, the only values accepted. */
  readonly choices?: readonly string[];
  readonly unit?: string;
  /** For numbers: the accepted range. */
  readonly min?: number;
  readonly max?: number;
}

const coded = (fact: CodedFact, label: string, question: string, input: VisitInput = 'choice'): VisitFact => ({
  fact,
  level: 'person',
  label,
  question,
  input,
  choices: CODED_FACTS[fact],
});

/**
 * The facts whose empty cell means "not known" (so a rule reading them can be unknown). Facts
 * whose empty cell is itself an answer (no disability certificate, not enrolled) and facts that
 * count an empty cell as 0 (incomes, spending, assets) are never missing and never asked.
 */
export const VISIT_FACTS: ReadonlyMap<string, VisitFact> = new Map(
  [
    {
      fact: 'household.housing_area',
      level: 'household',
      label: '住房使用面积',
      question: '家里住房的使用面积是多少平方米？',
      input: 'number',
      unit: 'm²',
      min: 0,
      max: 10000,
    } as VisitFact,
    coded('gender', '性别', '性别是？'),
    coded('hukou', '户籍', '户籍是本市还是外省市？'),
    coded('marital_status', '婚姻状况', '婚姻状况是？'),
    coded('employment', '就业状况', '目前的就业状况是？'),
    coded('labor_capacity', '劳动能力', '劳动能力如何（有、部分还是无）？'),
    coded('chronic_illness', '大病/慢病', '是否患有大病或慢性病？', 'yes_no'),
  ].map((f) => [f.fact, f]),
);

/** Facts computed from an answerable one: asking for the source answers them. */
const DERIVED: ReadonlyMap<string, string> = new Map([
  ['local', 'hukou'],
  ['no_work_capacity', 'labor_capacity'],
]);

const FACT_NAMES = new Set(PERSON_FACTS.map((f) => f.name));

/** The facts a rule reads (parameters such as LIBAO left out), in order of first appearance. */
export function factsOfRule(rule: Expr): string[] {
  const out: string[] = [];
  for (const node of walk(rule))
    if (node.kind === 'ref' && FACT_NAMES.has(node.name) && !out.includes(node.name)) out.push(node.name);
  return out;
}

/** The facts a visit can answer for a rule: its facts, derived ones replaced by their source. */
export function visitFactsOfRule(rule: Expr): string[] {
  const out: string[] = [];
  for (const name of factsOfRule(rule)) {
    const fact = DERIVED.get(name) ?? name;
    if (VISIT_FACTS.has(fact) && !out.includes(fact)) out.push(fact);
  }
  return out;
}

/** Whether the registry lacks a fact: a person's (dense number i) or the household's (index h). */
export function isFactMissing(p: Population, fact: string, at: number): boolean {
  const def = VISIT_FACTS.get(fact);
  if (!def) return false;
  if (def.level === 'household') return fact === 'household.housing_area' && Number.isNaN(p.housingArea[at]!);
  return p.coded[fact as CodedFact][at] === 0;
}

/** Members of household h that exist on the date (born on or before it), by dense number. */
export function membersOn(p: Population, h: number, asOf: string): number[] {
  const day = dateKey(asOf);
  const out: number[] = [];
  for (let k = p.memberStart[h]!; k < p.memberStart[h + 1]!; k++) {
    const i = p.memberIndex[k]!;
    if (p.birth[i]! <= day) out.push(i);
  }
  return out;
}

export interface VisitQuestion extends Omit<VisitFact, 'level'> {
  /** `fact` for the household, `fact|id_number` for a member. */
  readonly key: string;
  readonly level: VisitFact['level'];
  /** The member's id number; null for a household fact. */
  readonly member: string | null;
  /** The indicators this answer helps evaluate. */
  readonly indicators: readonly string[];
}

export interface Questionnaire {
  /** Every indicator not evaluated, with the questions that could settle it (empty: no visit question can). */
  readonly indicators: ReadonlyArray<{
    readonly code: string;
    readonly name: string;
    readonly facts: readonly string[];
    readonly questions: readonly string[];
  }>;
  readonly questions: readonly VisitQuestion[];
}

/**
 * The questionnaire of household h on a date, for the indicators the assessment could not
 * evaluate (`unknown`, as codes): the facts each one reads that are missing, for the household or
 * for each member that lacks them. Questions come household first, then member by member.
 */
export function deriveQuestionnaire(
  framework: CompiledFramework,
  p: Population,
  h: number,
  unknown: readonly string[],
  asOf: string,
): Questionnaire {
  const members = membersOn(p, h, asOf);
  const questions = new Map<string, { q: Omit<VisitQuestion, 'indicators'>; indicators: string[]; order: number }>();
  const order = [...VISIT_FACTS.keys()];
  const indicators = framework.indicators
    .filter((x) => unknown.includes(x.def.code))
    .map((x) => {
      const facts = visitFactsOfRule(x.rule);
      const keys: string[] = [];
      for (const fact of facts) {
        const def = VISIT_FACTS.get(fact)!;
        const targets: Array<[number, string | null, number]> =
          def.level === 'household' ? [[h, null, -1]] : members.map((i, m) => [i, p.ids[i]!, m]);
        for (const [at, member, m] of targets) {
          if (!isFactMissing(p, fact, at)) continue;
          const key = member === null ? fact : `${fact}|${member}`;
          let entry = questions.get(key);
          if (!entry)
            questions.set(
              key,
              (entry = { q: { ...def, key, member }, indicators: [], order: (m + 1) * 100 + order.indexOf(fact) }),
            );
          entry.indicators.push(x.def.code);
          keys.push(key);
        }
      }
      return { code: x.def.code, name: x.def.name, facts, questions: keys };
    });
  return {
    indicators,
    questions: [...questions.values()]
      .sort((a, b) => a.order - b.order)
      .map((e) => ({ ...e.q, indicators: e.indicators })),
  };
}

export interface VisitAnswer {
  readonly fact: string;
  /** The member's id number; null for a household fact. */
  readonly member: string | null;
  readonly value: string | number;
}

/** Checks an answer's value against its fact; returns the value to store, or throws a RangeError saying why. */
export function checkVisitAnswer(fact: string, member: string | null, value: unknown): string | number {
  const def = VISIT_FACTS.get(fact);
  if (!def) throw new RangeError(`入户问卷没有“${fact}”这一项`);
  if (def.level === 'household' && member !== null) throw new RangeError(`${def.label}是家庭的情况，不属于某位成员`);
  if (def.level === 'person' && member === null) throw new RangeError(`${def.label}需要指明是哪位成员`);
  if (def.input === 'number') {
    const n =
      typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw new RangeError(`${def.label}应为数字`);
    if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max))
      throw new RangeError(`${def.label}应在 ${def.min ?? '−∞'} 到 ${def.max ?? '∞'}${def.unit ?? ''} 之间`);
    return n;
  }
  const v = def.input === 'yes_no' && typeof value === 'boolean' ? (value ? '是' : '否') : value;
  if (typeof v !== 'string' || !def.choices!.includes(v))
    throw new RangeError(`${def.label}应为 ${def.choices!.join('、')} 之一`);
  return v;
}

/**
 * Household h alone (a sub-population), with visit answers filled in where the registry lacks the
 * fact; a registry value always wins, and of several answers to one question the last one given
 * counts (pass them oldest first). Answers about someone not in the household are ignored.
 */
export function populationWithAnswers(
  p: Population,
  h: number,
  answers: readonly VisitAnswer[],
): { population: Population; applied: VisitAnswer[] } {
  const sub = subPopulation(p, [h]);
  const columns: Partial<Record<CodedFact, Uint8Array>> = {};
  const housingArea = Float64Array.from(sub.housingArea);
  const applied = new Map<string, VisitAnswer>();
  for (const a of answers) {
    const def = VISIT_FACTS.get(a.fact);
    if (!def) continue;
    if (def.level === 'household') {
      if (!isFactMissing(sub, a.fact, 0)) continue;
      housingArea[0] = Number(a.value);
    } else {
      const i = a.member === null ? undefined : sub.indexOf.get(a.member);
      if (i === undefined || !isFactMissing(sub, a.fact, i)) continue;
      const fact = a.fact as CodedFact;
      const code = (CODED_FACTS[fact] as readonly string[]).indexOf(String(a.value)) + 1;
      if (code === 0) continue;
      (columns[fact] ??= sub.coded[fact].slice())[i] = code;
    }
    applied.set(`${a.fact}|${a.member ?? ''}`, a);
  }
  return { population: { ...sub, coded: { ...sub.coded, ...columns }, housingArea }, applied: [...applied.values()] };
}
