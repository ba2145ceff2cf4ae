/**
 * The facts a rule may read about a person on a date D, as whole-population columns (for scans,
 * tag indexes and assessments) and for one person (for explanations). Definitions are those of
 * shared/spec/reference-policies.md ("Terms"); each says which one it implements.
 */
import { completedYears } from '../dates.ts';
import { BENEFIT_CODES } from '../exchange.ts';
import { call, childrenOf, type Expr, type LiteralValue } from '../rules/ast.ts';
import { compileRules } from '../rules/compile.ts';
import { printRule } from '../rules/print.ts';
import { evaluateTruth, F, gather, T, U, type Column, type ColumnSource } from '../rules/columnar.ts';
import type { ScalarSource } from '../rules/explain.ts';
import type { CompileSource } from '../rules/compile.ts';
import type { Catalog, FactDef, FunctionDef } from '../rules/types.ts';
import { CODED_FACTS, dateKey, householdRepresentatives, type CodedFact, type Population } from './population.ts';

const factDef = (name: string, type: FactDef['type'], label: string, values?: readonly string[]): FactDef => ({
  name,
  type,
  label,
  ...(values ? { values } : {}),
});

export const PERSON_FACTS: readonly FactDef[] = [
  factDef('age', 'number', '年龄（周岁，生日当天满岁；2月29日出生者平年3月1日满岁）'),
  factDef('gender', 'string', '性别', CODED_FACTS.gender),
  factDef('hukou', 'string', '户籍', CODED_FACTS.hukou),
  factDef('marital_status', 'string', '婚姻状况', CODED_FACTS.marital_status),
  factDef('disability_grade', 'number', '残疾等级（空 = 无残疾证）'),
  factDef('disability_category', 'string', '残疾类别', CODED_FACTS.disability_category),
  factDef('employment', 'string', '就业状况', CODED_FACTS.employment),
  factDef('school_stage', 'string', '在读学段', CODED_FACTS.school_stage),
  factDef('labor_capacity', 'string', '劳动能力', CODED_FACTS.labor_capacity),
  factDef('chronic_illness', 'string', '大病/慢病', CODED_FACTS.chronic_illness),
  factDef('income', 'number', '本人月收入（元，空 = 0）'),
  factDef('medical_oop', 'number', '近12个月自付医疗费用（元，空 = 0）'),
  factDef('local', 'boolean', '本市户籍'),
  factDef('severe_disability', 'boolean', '重度残疾（1、2级，或3级智力/精神）'),
  factDef('able_supporter', 'boolean', '有能履行赡养/抚养/扶养义务的配偶、父母或子女'),
  factDef('no_work_capacity', 'boolean', '无劳动能力（劳动能力为无，或年满60岁，或未满16岁，或重度残疾）'),
  factDef('household.size', 'number', '家庭人数 n(h)'),
  factDef('household.income', 'number', '家庭月收入合计 hh_income(h)'),
  factDef('household.pc_income', 'number', '家庭人均月收入 pc_income(h)'),
  factDef('household.pc_assets', 'number', '家庭人均金融资产 pc_assets(h)'),
  factDef('household.medical', 'number', '家庭近12个月自付医疗费用 medical(h)'),
  factDef('household.housing_area', 'number', '住房使用面积（m²）'),
];

const FACT_NAMES = new Set(PERSON_FACTS.map((f) => f.name));

/**
 * Facts whose empty cell is itself an answer in the exchange format ("empty or 1-4", "empty or
 * 学前/…"): no certified disability, not enrolled. Comparing them is then false, not unknown; the
 * other code-valued facts have no empty answer, so an empty cell there is unknown.
 */
export const NONE_WHEN_EMPTY: ReadonlySet<string> = new Set([
  'disability_grade',
  'disability_category',
  'school_stage',
]);

export const PERSON_FUNCTIONS: readonly FunctionDef[] = [
  { name: 'holds', returns: 'boolean', label: '在 D 日享受该项待遇 holds(p, X)', argValues: BENEFIT_CODES },
  { name: 'identity', returns: 'boolean', label: '其他部门的身份信息（identity_tags）', argValues: [] },
];

/** The catalogue of person facts; policies add their parameters and eligible(), tags add tags. */
export function personCatalog(
  extra: Partial<Pick<Catalog, 'params' | 'hasTag'>> & { functions?: readonly FunctionDef[] } = {},
): Catalog {
  return {
    facts: new Map(PERSON_FACTS.map((f) => [f.name, f])),
    functions: new Map([...PERSON_FUNCTIONS, ...(extra.functions ?? [])].map((f) => [f.name, f])),
    params: extra.params ?? new Set(),
    ...(extra.hasTag ? { hasTag: extra.hasTag } : {}),
  };
}

interface HouseholdSums {
  size: Float64Array;
  income: Float64Array;
  medical: Float64Array;
}
/** Per-capita figures of a set of household sums (dates on which the same members exist share them). */
const perCapita = new WeakMap<HouseholdSums, { pc_income?: Float64Array; pc_assets?: Float64Array }>();
const memberSums = new WeakMap<Population, HouseholdSums>();
const sumsOnDay = new WeakMap<Population, Map<number, HouseholdSums>>();
/** Aggregates of date-free conditions per household, by the set of household sums (see householdAggregate). */
const keptAggregates = new WeakMap<object, Map<string, Uint8Array | Float64Array>>();

/** Household sizes and sums of income (empty = 0) and medical spending (empty = 0) over all members. */
function allMemberSums(p: Population): HouseholdSums {
  let sums = memberSums.get(p);
  if (sums) return sums;
  const nh = p.householdIds.length;
  sums = { size: new Float64Array(nh), income: new Float64Array(nh), medical: new Float64Array(nh) };
  for (let i = 0; i < p.n; i++) {
    const h = p.household[i]!;
    sums.size[h]!++;
    const inc = p.income[i]!;
    if (inc === inc) sums.income[h]! += inc;
    const med = p.medical[i]!;
    if (med === med) sums.medical[h]! += med;
  }
  memberSums.set(p, sums);
  return sums;
}

/** Facts that do not depend on the date: their columns are kept with the population. */
const DATE_FREE: ReadonlySet<string> = new Set([
  ...Object.keys(CODED_FACTS),
  'disability_grade',
  'income',
  'medical_oop',
  'local',
  'severe_disability',
  'able_supporter',
]);
const dateFreeFacts = new WeakMap<Population, Map<string, Column>>();
/** Columns that live as long as their population (worth a household-order copy). */
const kept = new WeakSet<object>();

type Typed = Int32Array | Uint8Array | Float64Array | Uint16Array;
const inMemberOrder = new WeakMap<Typed, Typed>();

// The age computation is the dates module's; exported here too, where it always was.
export { completedYears };

/**
 * The population seen on one date: which residents exist (born on or before D), and every fact
 * as a column, computed on first use and kept. Implements the columnar source of the rule engine.
 */
export class PopulationOnDate implements ColumnSource, CompileSource {
  readonly n: number;
  readonly day: number;
  /** 1 for residents born on or before D: a resident born after D does not exist on D. */
  readonly exists: Uint8Array;
  private readonly cache = new Map<string, Column>();
  private tagColumn: ((code: string) => Column) | undefined;

  /** `exists`, when given, is who exists on the date, already known (a re-evaluation keeps it). */
  constructor(
    readonly population: Population,
    readonly asOf: string,
    private readonly params: (name: string) => number = (name) => {
      throw new Error(`no parameter ${name}`);
    },
    exists?: Uint8Array,
  ) {
    this.n = population.n;
    this.day = dateKey(asOf);
    if (exists) {
      this.exists = exists;
    } else {
      this.exists = new Uint8Array(this.n);
      const b = population.birth;
      for (let i = 0; i < this.n; i++) this.exists[i] = b[i]! <= this.day ? 1 : 0;
    }
  }

  get household(): Int32Array {
    return this.population.household;
  }
  get memberStart(): Int32Array {
    return this.population.memberStart;
  }
  get memberIndex(): Int32Array {
    return this.population.memberIndex;
  }
  get birth(): Int32Array {
    return this.population.birth;
  }

  /**
   * A person column copied into household order (position k holds memberIndex[k]'s value), so
   * that a loop over a household's members reads memory in sequence instead of jumping through
   * a million-element array. Kept per column for as long as the column lives.
   */
  memberOrder<A extends Typed>(data: A): A | undefined {
    let out = inMemberOrder.get(data) as A | undefined;
    if (!out) {
      if (!kept.has(data)) return undefined;
      const mi = this.population.memberIndex;
      out = new (data.constructor as new (n: number) => A)(mi.length);
      for (let k = 0; k < mi.length; k++) out[k] = data[mi[k]!]!;
      inMemberOrder.set(data, out);
    }
    return out;
  }

  private ages: Int16Array | undefined;

  memberAges(): Int16Array {
    if (!this.ages) {
      kept.add(this.population.birth);
      const born = this.memberOrder(this.population.birth)!;
      const day = this.day;
      this.ages = new Int16Array(born.length); // ages fit; a quarter of the memory to stream through
      for (let k = 0; k < born.length; k++) this.ages[k] = completedYears(born[k]!, day);
    }
    return this.ages;
  }

  isFact(name: string): boolean {
    return FACT_NAMES.has(name);
  }

  /**
   * any / all / count of a condition of date-free facts (`any(chronic_illness == "是")`) for every
   * household, kept per set of members born (the same on every date on which the same members
   * exist, like the household sums) and computed once, by the compiled aggregate itself.
   */
  householdAggregate(fn: 'any' | 'all' | 'count', inner: Expr): Uint8Array | Float64Array | undefined {
    if (!this.readsDateFreeFactsOnly(inner)) return undefined;
    const basis = this.householdBasis();
    let kept = keptAggregates.get(basis);
    if (!kept) keptAggregates.set(basis, (kept = new Map()));
    const e = call(fn, [inner]);
    const key = printRule(e);
    let values = kept.get(key);
    if (!values) {
      // Each household at one of its members (any member: the aggregate reads the household).
      const { households, persons } = householdRepresentatives(this.population);
      values = fn === 'count' ? new Float64Array(households.length) : new Uint8Array(households.length);
      // Compiled without this method, so the aggregate is a loop over the members.
      const plain = Object.create(this, { householdAggregate: { value: undefined } }) as PopulationOnDate;
      compileRules([{ rule: e, kind: fn === 'count' ? 'number' : 'truth' }], plain).runHouseholds(households, persons, [
        values,
      ]);
      kept.set(key, values);
    }
    return values;
  }

  /** Whether an expression reads only person facts that are the same on every date, and literals. */
  readsDateFreeFactsOnly(e: Expr): boolean {
    if (e.kind === 'ref') return FACT_NAMES.has(e.name) && DATE_FREE.has(e.name);
    if (e.kind === 'call' || e.kind === 'tag') return false;
    return childrenOf(e).every((c) => this.readsDateFreeFactsOnly(c));
  }

  /** A household fact as one value per household (for compiled rules), or undefined for a person fact. */
  householdFact(name: string): Float64Array | undefined {
    switch (name) {
      case 'household.size':
        return this.householdSums().size;
      case 'household.income':
        return this.householdSums().income;
      case 'household.medical':
        return this.householdSums().medical;
      case 'household.pc_income':
        return this.householdLevel('pc_income');
      case 'household.pc_assets':
        return this.householdLevel('pc_assets');
      case 'household.housing_area':
        return this.population.housingArea;
      default:
        return undefined;
    }
  }

  /** Lets selections and rules read tags (set by the tag index that owns them). */
  setTagSource(source: (code: string) => Column): void {
    this.tagColumn = source;
  }

  param(name: string): number {
    return this.params(name);
  }

  tag(code: string): Column {
    if (!this.tagColumn) throw new Error('tags are not available here');
    return this.tagColumn(code);
  }

  fact(name: string): Column {
    // Parameters share the reference syntax with facts (`income < LIBAO`): they are constants here.
    if (!FACT_NAMES.has(name)) return { type: 'const', value: this.param(name) };
    let c = this.cache.get(name);
    if (!c) {
      if (DATE_FREE.has(name)) {
        // The same on every date: computed once per population, shared by every date's view.
        let shared = dateFreeFacts.get(this.population);
        if (!shared) dateFreeFacts.set(this.population, (shared = new Map()));
        c = shared.get(name);
        if (!c) {
          c = this.computeFact(name);
          if (c.type !== 'const') kept.add(c.data);
          shared.set(name, c);
        }
      } else {
        c = this.computeFact(name);
      }
      this.cache.set(name, c);
    }
    return c;
  }

  /** any / all / count of a per-person truth over each household's existing members, per person. */
  aggregate(fn: 'any' | 'all' | 'count', truth: Uint8Array, sel: Int32Array | null = null): Column {
    const p = this.population;
    const nh = p.householdIds.length;
    const hh = p.household;
    if (fn === 'count') {
      const count = new Float64Array(nh);
      const unknown = new Uint8Array(nh);
      for (let i = 0; i < this.n; i++) {
        if (!this.exists[i]) continue;
        const t = truth[i]!;
        if (t === T) count[hh[i]!]!++;
        else if (t === U) unknown[hh[i]!] = 1;
      }
      for (let h = 0; h < nh; h++) if (unknown[h]) count[h] = NaN;
      if (sel) {
        const data = new Float64Array(sel.length);
        for (let k = 0; k < sel.length; k++) data[k] = count[hh[sel[k]!]!]!;
        return { type: 'number', data };
      }
      return this.perPerson(count);
    }
    // any: Kleene OR over members (start F, max); all: Kleene AND (start T, min).
    const acc = new Uint8Array(nh).fill(fn === 'any' ? F : T);
    for (let i = 0; i < this.n; i++) {
      if (!this.exists[i]) continue;
      const h = hh[i]!;
      const t = truth[i]!;
      const a = acc[h]!;
      acc[h] = fn === 'any' ? (t > a ? t : a) : t < a ? t : a;
    }
    if (sel) {
      const data = new Uint8Array(sel.length);
      for (let k = 0; k < sel.length; k++) data[k] = acc[hh[sel[k]!]!]!;
      return { type: 'boolean', data };
    }
    const data = new Uint8Array(this.n);
    for (let i = 0; i < this.n; i++) data[i] = acc[hh[i]!]!;
    return { type: 'boolean', data };
  }

  /**
   * A fact at some rows: household facts are read through the member's household from the
   * household-level arrays, ages computed at those rows only, so that a narrowed evaluation never
   * builds the million-row column.
   */
  factAt(name: string, sel: Int32Array): Column {
    if (!FACT_NAMES.has(name)) return { type: 'const', value: this.param(name) };
    const cached = this.cache.get(name);
    if (cached) return gather(cached, sel);
    const m = sel.length;
    const p = this.population;
    const hh = p.household;
    const viaHousehold = (byHousehold: Float64Array): Column => {
      const data = new Float64Array(m);
      for (let k = 0; k < m; k++) data[k] = byHousehold[hh[sel[k]!]!]!;
      return { type: 'number', data };
    };
    switch (name) {
      case 'age': {
        const data = new Float64Array(m);
        for (let k = 0; k < m; k++) data[k] = completedYears(p.birth[sel[k]!]!, this.day);
        return { type: 'number', data };
      }
      case 'household.size':
        return viaHousehold(this.householdSums().size);
      case 'household.income':
        return viaHousehold(this.householdSums().income);
      case 'household.medical':
        return viaHousehold(this.householdSums().medical);
      case 'household.pc_income':
        return viaHousehold(this.householdLevel('pc_income'));
      case 'household.pc_assets':
        return viaHousehold(this.householdLevel('pc_assets'));
      case 'household.housing_area':
        return viaHousehold(p.housingArea);
      default:
        return gather(this.fact(name), sel);
    }
  }

  private householdLevel(name: 'pc_income' | 'pc_assets'): Float64Array {
    const key = `#household:${name}`;
    const cached = this.cache.get(key) as unknown as Float64Array | undefined;
    if (cached) return cached;
    const sums = this.householdSums();
    // On a date when every member exists the sums are the population's own, and so are these.
    let shared = perCapita.get(sums);
    if (!shared) perCapita.set(sums, (shared = {}));
    const known = shared[name];
    if (known) {
      this.cache.set(key, known as unknown as Column);
      return known;
    }
    const { size, income } = sums;
    const a = this.population.assets;
    // A household with no member on D (all born later) has no per-capita figure: unknown, not ∞.
    const out =
      name === 'pc_income'
        ? this.byHousehold((h) => (size[h] === 0 ? NaN : income[h]! / size[h]!))
        : this.byHousehold((h) => {
            const v = a[h]!;
            return size[h] === 0 ? NaN : (v === v ? v : 0) / size[h]!;
          });
    shared[name] = out;
    this.cache.set(key, out as unknown as Column);
    return out;
  }

  call(fn: string, arg: string): Column {
    const key = `${fn}(${arg})`;
    let c = this.cache.get(key);
    if (!c) {
      c = this.computeCall(fn, arg);
      this.cache.set(key, c);
    }
    return c;
  }

  private numbers(name: string): Float64Array {
    return (this.fact(name) as { data: Float64Array }).data;
  }

  private truth(name: string): Uint8Array {
    return (this.fact(name) as { data: Uint8Array }).data;
  }

  /**
   * Per-household sums over the members that exist on D: the sums over everyone are kept with the
   * population (they do not depend on the date), and the few not yet born on D are taken out.
   */
  /**
   * What the household facts of this date are computed from: the same object on every date on
   * which the same members exist (then every household fact is the same), for caches keyed by it.
   */
  householdBasis(): object {
    return this.householdSums();
  }

  private householdSums(): HouseholdSums {
    const cached = this.cache.get('#household-sums') as unknown as HouseholdSums | undefined;
    if (cached) return cached;
    const p = this.population;
    const all = allMemberSums(p);
    // Dates on which some members are not born yet: the sums of a date are kept (a few dates) so
    // that views of the same date share them, and the indexes keyed by them.
    let byDay = sumsOnDay.get(p);
    if (!byDay) sumsOnDay.set(p, (byDay = new Map()));
    const known = byDay.get(this.day);
    if (known) {
      this.cache.set('#household-sums', known as unknown as Column);
      return known;
    }
    let sums = all;
    for (let i = 0; i < this.n; i++) {
      if (this.exists[i]) continue;
      if (sums === all) sums = { size: all.size.slice(), income: all.income.slice(), medical: all.medical.slice() };
      const h = p.household[i]!;
      sums.size[h]!--;
      const inc = p.income[i]!;
      if (inc === inc) sums.income[h]! -= inc;
      const med = p.medical[i]!;
      if (med === med) sums.medical[h]! -= med;
    }
    if (byDay.size >= 8) byDay.delete(byDay.keys().next().value as number);
    byDay.set(this.day, sums);
    this.cache.set('#household-sums', sums as unknown as Column);
    return sums;
  }

  /** A household-level column spread to the members (a gather, no closure per person). */
  private perPerson(byHousehold: Float64Array): Column {
    const data = new Float64Array(this.n);
    const hh = this.population.household;
    for (let i = 0; i < this.n; i++) data[i] = byHousehold[hh[i]!]!;
    return { type: 'number', data };
  }

  private byHousehold(f: (h: number) => number): Float64Array {
    const nh = this.population.householdIds.length;
    const out = new Float64Array(nh);
    for (let h = 0; h < nh; h++) out[h] = f(h);
    return out;
  }

  private computeFact(name: string): Column {
    const p = this.population;
    const n = this.n;
    if (name in CODED_FACTS)
      return {
        type: 'string',
        data: p.coded[name as CodedFact],
        values: CODED_FACTS[name as CodedFact],
        ...(NONE_WHEN_EMPTY.has(name) ? { emptyIsNone: true } : {}),
      };
    switch (name) {
      case 'age': {
        const data = new Float64Array(n);
        for (let i = 0; i < n; i++) data[i] = completedYears(p.birth[i]!, this.day);
        return { type: 'number', data };
      }
      case 'disability_grade': {
        const data = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const g = p.disabilityGrade[i]!;
          data[i] = g === 0 ? NaN : g;
        }
        return { type: 'number', data, emptyIsNone: true };
      }
      case 'income':
      case 'medical_oop': {
        const src = name === 'income' ? p.income : p.medical;
        const data = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = src[i]!;
          data[i] = v === v ? v : 0;
        }
        return { type: 'number', data };
      }
      case 'local': {
        const h = p.coded.hukou;
        const data = new Uint8Array(n);
        for (let i = 0; i < n; i++) data[i] = h[i] === 0 ? U : h[i] === 1 ? T : F;
        return { type: 'boolean', data };
      }
      case 'severe_disability': {
        const g = p.disabilityGrade;
        const cat = p.coded.disability_category;
        const mental = [
          CODED_FACTS.disability_category.indexOf('智力') + 1,
          CODED_FACTS.disability_category.indexOf('精神') + 1,
        ];
        const data = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const x = g[i]!;
          data[i] = x === 1 || x === 2 || (x === 3 && (cat[i] === mental[0] || cat[i] === mental[1])) ? T : F;
        }
        return { type: 'boolean', data };
      }
      case 'able_supporter': {
        const data = new Uint8Array(n);
        for (let i = 0; i < n; i++) data[i] = p.ableSupporter[i] ? T : F;
        return { type: 'boolean', data };
      }
      case 'no_work_capacity': {
        // labor_capacity = 无, or age ≥ 60, or age < 16, or severe_disability (three-valued OR).
        const lc = p.coded.labor_capacity;
        const none = CODED_FACTS.labor_capacity.indexOf('无') + 1;
        const severe = this.truth('severe_disability');
        const birth = p.birth;
        const day = this.day;
        const data = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const a = completedYears(birth[i]!, day);
          data[i] = lc[i] === none || a >= 60 || a < 16 || severe[i] === T ? T : lc[i] === 0 ? U : F;
        }
        return { type: 'boolean', data };
      }
      case 'household.size':
        return this.perPerson(this.householdSums().size);
      case 'household.income':
        return this.perPerson(this.householdSums().income);
      case 'household.pc_income':
        return this.perPerson(this.householdLevel('pc_income'));
      case 'household.pc_assets':
        return this.perPerson(this.householdLevel('pc_assets'));
      case 'household.medical':
        return this.perPerson(this.householdSums().medical);
      case 'household.housing_area':
        return this.perPerson(p.housingArea);
      default:
        throw new Error(`unknown fact ${name}`);
    }
  }

  private computeCall(fn: string, arg: string): Column {
    const data = new Uint8Array(this.n);
    if (fn === 'holds') {
      // holds(p, X): an enrollment with start ≤ D and (end empty or D ≤ end).
      const list = this.population.enrollments.get(arg);
      if (list)
        for (let k = 0; k < list.person.length; k++)
          if (list.start[k]! <= this.day && this.day <= list.end[k]!) data[list.person[k]!] = T;
      return { type: 'boolean', data };
    }
    if (fn === 'identity') {
      const list = this.population.identityTags.get(arg);
      if (list) for (const i of list) data[i] = T;
      return { type: 'boolean', data };
    }
    throw new Error(`unknown function ${fn}`);
  }

  /** One person's facts, for explanations: the same columns read at one position. */
  person(i: number): ScalarSource {
    const read = (c: Column): LiteralValue => {
      switch (c.type) {
        case 'const':
          return c.value;
        case 'number': {
          const v = c.data[i]!;
          return v === v ? v : null;
        }
        case 'boolean': {
          const v = c.data[i]!;
          return v === U ? null : v === T;
        }
        case 'string': {
          const k = c.data[i]!;
          return k === 0 ? null : c.values[k - 1]!;
        }
      }
    };
    return {
      emptyIsNone: (name) => NONE_WHEN_EMPTY.has(name),
      aggregate: (fn, e) => read(this.aggregate(fn, evaluateTruth(e, this), null)),
      fact: (name) => read(this.fact(name)),
      call: (fn, arg) => read(this.call(fn, arg)),
      param: (name) => this.param(name),
      tag: (code) => read(this.tag(code)) as boolean | null,
    };
  }
}
