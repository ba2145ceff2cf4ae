/**
 * The registry as columns: every resident a dense number (0…n−1, in id_number order, so that a
 * walk over a bitmap of residents yields them sorted), every fact a typed array. Built once from
 * storage, then read by tag indexes, policy scans and assessments without touching the database.
 * A million residents take about 60 MB here, most of it the id strings.
 */
import { dateKey, dateOfKey } from '../dates.ts';
import {
  DISABILITY_CATEGORIES,
  EMPLOYMENTS,
  GENDERS,
  HUKOU,
  LABOR_CAPACITIES,
  MARITAL_STATUSES,
  SCHOOL_STAGES,
  YES_NO,
} from '../exchange.ts';

/** The code-valued resident columns and their dictionaries; code 0 is empty / unknown. */
export const CODED_FACTS = {
  gender: GENDERS,
  hukou: HUKOU,
  marital_status: MARITAL_STATUSES,
  disability_category: DISABILITY_CATEGORIES,
  employment: EMPLOYMENTS,
  school_stage: SCHOOL_STAGES,
  labor_capacity: LABOR_CAPACITIES,
  chronic_illness: YES_NO,
} as const;
export type CodedFact = keyof typeof CODED_FACTS;
const CODED_NAMES = Object.keys(CODED_FACTS) as CodedFact[];

// Date keys (yyyymmdd) are the dates module's; exported here too, where they always were.
export { dateKey };
export const OPEN_END = 99_999_999;

export interface PersonInput {
  id_number: string;
  birth_date: string;
  household_id: string;
  gender: string | null;
  hukou: string | null;
  marital_status: string | null;
  disability_grade: number | null;
  disability_category: string | null;
  monthly_income_yuan: number | null;
  employment: string | null;
  school_stage: string | null;
  labor_capacity: string | null;
  chronic_illness: string | null;
  medical_oop_12m_yuan: number | null;
}

export interface HouseholdInput {
  household_id: string;
  committee_code: string;
  housing_area_m2: number | null;
  financial_assets_yuan: number | null;
}

/** Benefit periods of one benefit code, one entry per enrollment row. */
export interface PeriodList {
  readonly person: Int32Array;
  readonly start: Int32Array;
  readonly end: Int32Array;
}

export interface Population {
  readonly n: number;
  /** id numbers in ascending order; the position is the resident's dense number. */
  readonly ids: readonly string[];
  /** Dense number of an id number (binary search over the sorted ids: no million-entry map to build). */
  readonly indexOf: Lookup;
  readonly birth: Int32Array;
  readonly household: Int32Array;
  readonly coded: Readonly<Record<CodedFact, Uint8Array>>;
  /** 0 = no certified disability. */
  readonly disabilityGrade: Uint8Array;
  readonly income: Float64Array;
  readonly medical: Float64Array;
  /** 1 when a 配偶, 父母 or 子女 relation is able to support (able_supporter). */
  readonly ableSupporter: Uint8Array;
  readonly householdIds: readonly string[];
  readonly householdIndex: Lookup;
  readonly householdCommittee: Uint16Array;
  readonly housingArea: Float64Array;
  readonly assets: Float64Array;
  /** Committee codes (12 digits), indexed by householdCommittee. */
  readonly committees: readonly string[];
  /** Members of household h: memberIndex[memberStart[h] … memberStart[h+1]). */
  readonly memberStart: Int32Array;
  readonly memberIndex: Int32Array;
  readonly enrollments: ReadonlyMap<string, PeriodList>;
  /** identity_tags.csv facts: tag → dense numbers. */
  readonly identityTags: ReadonlyMap<string, Int32Array>;
}

export interface Lookup {
  get(key: string): number | undefined;
  has(key: string): boolean;
}

/** Looks ids up in an ascending array by binary search. */
export function sortedLookup(sorted: readonly string[]): Lookup {
  const get = (key: string): number | undefined => {
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = sorted[mid]!;
      if (v === key) return mid;
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  return { get, has: (key) => get(key) !== undefined };
}

/**
 * Positions of many ids at once, given in ascending order: a galloping merge over the sorted ids,
 * so that looking up a hundred thousand assignments costs one pass, not a hundred thousand
 * binary searches over a million strings. -1 where an id is not there.
 */
export function positionsOfSorted(sorted: readonly string[], keys: readonly string[]): Int32Array {
  const out = new Int32Array(keys.length).fill(-1);
  let at = 0;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (k > 0 && key < keys[k - 1]!) throw new Error('positionsOfSorted: keys must be ascending');
    // Gallop forward to bracket the key, then binary search inside the bracket.
    let step = 1;
    let hi = at;
    while (hi < sorted.length && sorted[hi]! < key) {
      at = hi + 1;
      hi += step;
      step *= 2;
    }
    let lo = at;
    hi = Math.min(hi, sorted.length - 1);
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid]! < key) lo = mid + 1;
      else hi = mid - 1;
    }
    at = lo;
    if (at < sorted.length && sorted[at] === key) out[k] = at;
  }
  return out;
}

/** A lookup by position in an unsorted array, its map built on first use. */
export function lazyLookup(values: readonly string[]): Lookup {
  let map: Map<string, number> | undefined;
  const m = () => (map ??= new Map(values.map((v, i) => [v, i])));
  return { get: (key) => m().get(key), has: (key) => m().has(key) };
}

const LEGAL_SUPPORTERS = new Set(['配偶', '父母', '子女']);

class GrowableInts {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
  done(): Int32Array {
    return this.data.slice(0, this.length);
  }
}

/**
 * Collects storage rows into a Population: households first, then residents, then relations,
 * enrollments and identity tags, each in any order.
 */
export class PopulationBuilder {
  private readonly householdIds: string[] = [];
  private readonly householdIndex = new Map<string, number>();
  private readonly hhCommittee: number[] = [];
  private readonly hhArea: number[] = [];
  private readonly hhAssets: number[] = [];
  private readonly committeeIndex = new Map<string, number>();
  private readonly committees: string[] = [];
  private readonly ids: string[] = [];
  private readonly indexOf = new Map<string, number>();
  private cap = 0;
  private birth = new Int32Array(0);
  private household = new Int32Array(0);
  private coded = {} as Record<CodedFact, Uint8Array>;
  private grade = new Uint8Array(0);
  private income = new Float64Array(0);
  private medical = new Float64Array(0);
  private able = new Uint8Array(0);
  private readonly periods = new Map<string, { person: GrowableInts; start: GrowableInts; end: GrowableInts }>();
  private readonly identity = new Map<string, GrowableInts>();

  constructor(expectedResidents = 1024) {
    this.grow(Math.max(16, expectedResidents));
  }

  private grow(cap: number): void {
    const copy = <A extends Int32Array | Uint8Array | Float64Array>(old: A, make: (n: number) => A) => {
      const a = make(cap);
      a.set(old);
      return a;
    };
    this.birth = copy(this.birth, (k) => new Int32Array(k));
    this.household = copy(this.household, (k) => new Int32Array(k));
    for (const name of CODED_NAMES)
      this.coded[name] = copy(this.coded[name] ?? new Uint8Array(0), (k) => new Uint8Array(k));
    this.grade = copy(this.grade, (k) => new Uint8Array(k));
    this.income = copy(this.income, (k) => new Float64Array(k));
    this.medical = copy(this.medical, (k) => new Float64Array(k));
    this.able = copy(this.able, (k) => new Uint8Array(k));
    this.cap = cap;
  }

  addHousehold(h: HouseholdInput): void {
    if (this.householdIndex.has(h.household_id)) return;
    let c = this.committeeIndex.get(h.committee_code);
    if (c === undefined) {
      c = this.committees.length;
      this.committees.push(h.committee_code);
      this.committeeIndex.set(h.committee_code, c);
    }
    this.householdIndex.set(h.household_id, this.householdIds.length);
    this.householdIds.push(h.household_id);
    this.hhCommittee.push(c);
    this.hhArea.push(h.housing_area_m2 ?? NaN);
    this.hhAssets.push(h.financial_assets_yuan ?? NaN);
  }

  /** Residents may come in any order (storage order is fastest to read); dense numbers follow id order. */
  addResident(p: PersonInput): void {
    if (this.sealed) throw new Error('residents must be added before relations, enrollments and identity tags');
    const i = this.ids.length;
    const h = this.householdIndex.get(p.household_id);
    if (h === undefined) throw new Error(`resident ${p.id_number}: household ${p.household_id} was not added`);
    if (i === this.cap) this.grow(this.cap * 2);
    this.ids.push(p.id_number);
    this.birth[i] = dateKey(p.birth_date);
    this.household[i] = h;
    for (const name of CODED_NAMES) {
      const v = p[name];
      this.coded[name][i] = v === null ? 0 : (CODED_FACTS[name] as readonly string[]).indexOf(v) + 1;
    }
    this.grade[i] = p.disability_grade ?? 0;
    this.income[i] = p.monthly_income_yuan ?? NaN;
    this.medical[i] = p.medical_oop_12m_yuan ?? NaN;
  }

  private sealed = false;

  /** Puts the residents in id order (once): every column is permuted alike. */
  private seal(): void {
    if (this.sealed) return;
    this.sealed = true;
    const n = this.ids.length;
    const order = Array.from({ length: n }, (_, i) => i);
    const ids = this.ids;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (ids[i - 1]! >= ids[i]!) sorted = false;
    if (!sorted) {
      order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
      const permute = <A extends Int32Array | Uint8Array | Float64Array>(col: A): A => {
        const out = col.slice(0, n) as A;
        for (let i = 0; i < n; i++) out[i] = col[order[i]!]!;
        return out;
      };
      this.birth = permute(this.birth);
      this.household = permute(this.household);
      for (const name of CODED_NAMES) this.coded[name] = permute(this.coded[name]);
      this.grade = permute(this.grade);
      this.income = permute(this.income);
      this.medical = permute(this.medical);
      const sortedIds = order.map((k) => ids[k]!);
      this.ids.length = 0;
      for (const id of sortedIds) this.ids.push(id);
    }
    for (let i = 1; i < n; i++)
      if (this.ids[i - 1] === this.ids[i]) throw new Error(`resident ${this.ids[i]} added twice`);
    this.cap = Math.max(n, 1);
    this.able = new Uint8Array(this.cap);
    for (let i = 0; i < n; i++) this.indexOf.set(this.ids[i]!, i);
  }

  addRelation(idNumber: string, relation: string, ableToSupport: string | null): void {
    this.seal();
    const i = this.indexOf.get(idNumber);
    if (i !== undefined && ableToSupport === '是' && LEGAL_SUPPORTERS.has(relation)) this.able[i] = 1;
  }

  addEnrollment(idNumber: string, benefit: string, start: string, end: string | null): void {
    this.seal();
    const i = this.indexOf.get(idNumber);
    if (i === undefined) return;
    let list = this.periods.get(benefit);
    if (!list)
      this.periods.set(
        benefit,
        (list = { person: new GrowableInts(), start: new GrowableInts(), end: new GrowableInts() }),
      );
    list.person.push(i);
    list.start.push(dateKey(start));
    list.end.push(end === null ? OPEN_END : dateKey(end));
  }

  addIdentityTag(idNumber: string, tagName: string): void {
    this.seal();
    const i = this.indexOf.get(idNumber);
    if (i === undefined) return;
    let list = this.identity.get(tagName);
    if (!list) this.identity.set(tagName, (list = new GrowableInts()));
    list.push(i);
  }

  build(): Population {
    this.seal();
    const n = this.ids.length;
    const nh = this.householdIds.length;
    // Members of each household, as one flat array with offsets (CSR): no per-household arrays.
    const memberStart = new Int32Array(nh + 1);
    for (let i = 0; i < n; i++) memberStart[this.household[i]! + 1]!++;
    for (let h = 0; h < nh; h++) memberStart[h + 1]! += memberStart[h]!;
    const fill = memberStart.slice(0, nh);
    const memberIndex = new Int32Array(n);
    for (let i = 0; i < n; i++) memberIndex[fill[this.household[i]!]!++] = i;
    const coded = {} as Record<CodedFact, Uint8Array>;
    for (const name of CODED_NAMES) coded[name] = this.coded[name].slice(0, n);
    return {
      n,
      ids: this.ids,
      indexOf: sortedLookup(this.ids),
      birth: this.birth.slice(0, n),
      household: this.household.slice(0, n),
      coded,
      disabilityGrade: this.grade.slice(0, n),
      income: this.income.slice(0, n),
      medical: this.medical.slice(0, n),
      ableSupporter: this.able.slice(0, n),
      householdIds: this.householdIds,
      householdIndex: this.householdIndex,
      householdCommittee: Uint16Array.from(this.hhCommittee),
      housingArea: Float64Array.from(this.hhArea),
      assets: Float64Array.from(this.hhAssets),
      committees: this.committees,
      memberStart,
      memberIndex,
      enrollments: new Map(
        [...this.periods].map(([k, v]) => [k, { person: v.person.done(), start: v.start.done(), end: v.end.done() }]),
      ),
      identityTags: new Map([...this.identity].map(([k, v]) => [k, v.done()])),
    };
  }
}

/** The members of some households (person numbers, ascending). */
export function membersOf(p: Population, households: ArrayLike<number>): Int32Array {
  const people: number[] = [];
  for (let x = 0; x < households.length; x++) {
    const h = households[x]!;
    for (let k = p.memberStart[h]!; k < p.memberStart[h + 1]!; k++) people.push(p.memberIndex[k]!);
  }
  return Int32Array.from(people).sort();
}

const representatives = new WeakMap<Population, { households: Int32Array; persons: Int32Array }>();

/**
 * Every household (0 … nh−1) with one of its members (0 for a household with none), for
 * evaluating a household condition once per household; kept per population.
 */
export function householdRepresentatives(p: Population): {
  readonly households: Int32Array;
  readonly persons: Int32Array;
} {
  let r = representatives.get(p);
  if (!r) {
    const nh = p.householdIds.length;
    const households = new Int32Array(nh);
    const persons = new Int32Array(nh);
    for (let h = 0; h < nh; h++) {
      households[h] = h;
      persons[h] = p.memberStart[h + 1]! > p.memberStart[h]! ? p.memberIndex[p.memberStart[h]!]! : 0;
    }
    representatives.set(p, (r = { households, persons }));
  }
  return r;
}

/**
 * A population of just some households (with everything about their members), for re-evaluating
 * the people one change touches without rescanning everyone.
 */
export function subPopulation(p: Population, householdIndices: readonly number[]): Population {
  const b = new PopulationBuilder(16);
  for (const h of householdIndices) {
    b.addHousehold({
      household_id: p.householdIds[h]!,
      committee_code: p.committees[p.householdCommittee[h]!]!,
      housing_area_m2: Number.isNaN(p.housingArea[h]!) ? null : p.housingArea[h]!,
      financial_assets_yuan: Number.isNaN(p.assets[h]!) ? null : p.assets[h]!,
    });
  }
  const people = membersOf(p, householdIndices);
  const decode = (name: CodedFact, i: number) => {
    const c = p.coded[name][i]!;
    return c === 0 ? null : CODED_FACTS[name][c - 1]!;
  };
  for (const i of people) {
    b.addResident({
      id_number: p.ids[i]!,
      birth_date: dateOfKey(p.birth[i]!),
      household_id: p.householdIds[p.household[i]!]!,
      gender: decode('gender', i),
      hukou: decode('hukou', i),
      marital_status: decode('marital_status', i),
      disability_grade: p.disabilityGrade[i] === 0 ? null : p.disabilityGrade[i]!,
      disability_category: decode('disability_category', i),
      monthly_income_yuan: Number.isNaN(p.income[i]!) ? null : p.income[i]!,
      employment: decode('employment', i),
      school_stage: decode('school_stage', i),
      labor_capacity: decode('labor_capacity', i),
      chronic_illness: decode('chronic_illness', i),
      medical_oop_12m_yuan: Number.isNaN(p.medical[i]!) ? null : p.medical[i]!,
    });
  }
  for (const i of people) if (p.ableSupporter[i]) b.addRelation(p.ids[i]!, '配偶', '是');
  const enrolled = byPerson(p.n, p.enrollments, (l) => l.person);
  const tagged = byPerson(p.n, p.identityTags, (l) => l);
  for (const i of people) {
    for (let x = enrolled.start[i]!; x < enrolled.start[i + 1]!; x++) {
      const list = enrolled.lists[enrolled.list[x]!]!;
      const k = enrolled.at[x]!;
      b.addEnrollment(
        p.ids[i]!,
        enrolled.keys[enrolled.list[x]!]!,
        dateOfKey(list.start[k]!),
        list.end[k] === OPEN_END ? null : dateOfKey(list.end[k]!),
      );
    }
    for (let x = tagged.start[i]!; x < tagged.start[i + 1]!; x++)
      b.addIdentityTag(p.ids[i]!, tagged.keys[tagged.list[x]!]!);
  }
  return b.build();
}

/** Entries of per-code person lists, grouped by person: person i's are start[i] … start[i+1]. */
interface ByPerson<L> {
  readonly keys: readonly string[];
  readonly lists: readonly L[];
  readonly start: Int32Array;
  /** Which list (index into keys) and which position in it. */
  readonly list: Int32Array;
  readonly at: Int32Array;
}
const byPersonCache = new WeakMap<object, ByPerson<unknown>>();

/**
 * The enrollments or identity tags of each person, found without walking every list (a cut-out
 * of one household must not cost a pass over all the registry's benefits). Built once per map:
 * a patched population that left them as they were shares the map, and so the index.
 */
function byPerson<L>(n: number, map: ReadonlyMap<string, L>, persons: (l: L) => Int32Array): ByPerson<L> {
  const cached = byPersonCache.get(map) as ByPerson<L> | undefined;
  if (cached) return cached;
  const keys = [...map.keys()];
  const lists = keys.map((k) => map.get(k)!);
  const start = new Int32Array(n + 1);
  for (const l of lists) {
    const ps = persons(l);
    for (let k = 0; k < ps.length; k++) start[ps[k]! + 1]!++;
  }
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!;
  const fill = start.slice(0, n);
  const list = new Int32Array(start[n]!);
  const at = new Int32Array(start[n]!);
  lists.forEach((l, j) => {
    const ps = persons(l);
    for (let k = 0; k < ps.length; k++) {
      const x = fill[ps[k]!]!++;
      list[x] = j;
      at[x] = k;
    }
  });
  const out = { keys, lists, start, list, at };
  byPersonCache.set(map, out);
  return out;
}

/** What an import changed about residents who were already in the registry (same households). */
export interface PopulationPatch {
  readonly households?: readonly HouseholdInput[];
  readonly residents?: readonly PersonInput[];
  /** The able_supporter fact of these residents, recomputed from their relations. */
  readonly ableSupporter?: ReadonlyMap<string, boolean>;
  /** The whole list of enrollments of these residents (replacing what they had). */
  readonly enrollments?: ReadonlyMap<
    string,
    ReadonlyArray<{ benefit_code: string; start_date: string; end_date: string | null }>
  >;
  /** The whole list of identity tags of these residents. */
  readonly identityTags?: ReadonlyMap<string, readonly string[]>;
}

/** Whether the given residents' lists of enrollments are those the population already has. */
function sameEnrollments(
  p: Population,
  lists: NonNullable<PopulationPatch['enrollments']>,
  personOf: (id: string) => number | null,
): boolean {
  const want = new Map<number, string[]>();
  for (const [id, rows] of lists)
    want.set(
      personOf(id)!,
      rows.map(
        (e) => `${e.benefit_code} ${dateKey(e.start_date)} ${e.end_date === null ? OPEN_END : dateKey(e.end_date)}`,
      ),
    );
  const enrolled = byPerson(p.n, p.enrollments, (l) => l.person);
  for (const [i, rows] of want) {
    const mine: string[] = [];
    for (let x = enrolled.start[i]!; x < enrolled.start[i + 1]!; x++) {
      const l = enrolled.lists[enrolled.list[x]!]!;
      const k = enrolled.at[x]!;
      mine.push(`${enrolled.keys[enrolled.list[x]!]} ${l.start[k]} ${l.end[k]}`);
    }
    if (mine.length !== rows.length || mine.sort().join('|') !== [...rows].sort().join('|')) return false;
  }
  return true;
}

/** Whether the given residents' identity tags are those the population already has. */
function sameIdentityTags(
  p: Population,
  lists: NonNullable<PopulationPatch['identityTags']>,
  personOf: (id: string) => number | null,
): boolean {
  const tagged = byPerson(p.n, p.identityTags, (l) => l);
  for (const [id, tags] of lists) {
    const i = personOf(id)!;
    const mine: string[] = [];
    for (let x = tagged.start[i]!; x < tagged.start[i + 1]!; x++) mine.push(tagged.keys[tagged.list[x]!]!);
    if (mine.length !== tags.length || mine.sort().join('|') !== [...tags].sort().join('|')) return false;
  }
  return true;
}

/**
 * The population after a change to residents and households it already has: the columns are
 * copied and the changed entries rewritten, so numbering, households and members stay as they
 * are. Returns null when the change is structural (a new or unknown resident or household, a move
 * to another household, a committee not in the population): then build the population anew.
 */
export function patchPopulation(p: Population, patch: PopulationPatch): Population | null {
  const householdUpdates: Array<[number, HouseholdInput]> = [];
  for (const h of patch.households ?? []) {
    const at = p.householdIndex.get(h.household_id);
    if (at === undefined) return null;
    householdUpdates.push([at, h]);
  }
  const personUpdates: Array<[number, PersonInput]> = [];
  for (const r of patch.residents ?? []) {
    const at = p.indexOf.get(r.id_number);
    if (at === undefined || p.householdIds[p.household[at]!] !== r.household_id) return null;
    personUpdates.push([at, r]);
  }
  const committeeIndex = new Map(p.committees.map((c, k) => [c, k]));
  for (const [, h] of householdUpdates) if (!committeeIndex.has(h.committee_code)) return null;
  const personOf = (id: string): number | null => p.indexOf.get(id) ?? null;
  for (const map of [patch.ableSupporter, patch.enrollments, patch.identityTags]) {
    if (map) for (const id of map.keys()) if (personOf(id) === null) return null;
  }

  // A column is copied only when a changed row's value differs in it: the others stay shared
  // with the previous population (and so do the columns derived from them).
  type Numbers = Int32Array | Uint8Array | Uint16Array | Float64Array;
  // The copies made here: the callers pass back what `set` returned, so a column already copied
  // is written in place (copying it again for each changed row made a patch of 1,000 residents
  // of a million copy ~1,000 columns of a million: 30 s on the requests' thread).
  const copies = new Set<Numbers>();
  const set = <A extends Numbers>(col: A, i: number, v: number): A => {
    if (Object.is(col[i], v)) return col;
    if (copies.has(col)) {
      col[i] = v;
      return col;
    }
    const copy = col.slice() as A;
    copies.add(copy);
    copy[i] = v;
    return copy;
  };
  let householdCommittee = p.householdCommittee;
  let housingArea = p.housingArea;
  let assets = p.assets;
  for (const [h, x] of householdUpdates) {
    householdCommittee = set(householdCommittee, h, committeeIndex.get(x.committee_code)!);
    housingArea = set(housingArea, h, x.housing_area_m2 ?? NaN);
    assets = set(assets, h, x.financial_assets_yuan ?? NaN);
  }
  let birth = p.birth;
  const coded = { ...p.coded } as Record<CodedFact, Uint8Array>;
  let disabilityGrade = p.disabilityGrade;
  let income = p.income;
  let medical = p.medical;
  for (const [i, r] of personUpdates) {
    birth = set(birth, i, dateKey(r.birth_date));
    for (const name of CODED_NAMES) {
      const v = r[name];
      coded[name] = set(coded[name], i, v === null ? 0 : (CODED_FACTS[name] as readonly string[]).indexOf(v) + 1);
    }
    disabilityGrade = set(disabilityGrade, i, r.disability_grade ?? 0);
    income = set(income, i, r.monthly_income_yuan ?? NaN);
    medical = set(medical, i, r.medical_oop_12m_yuan ?? NaN);
  }
  let ableSupporter = p.ableSupporter;
  for (const [id, able] of patch.ableSupporter ?? []) ableSupporter = set(ableSupporter, personOf(id)!, able ? 1 : 0);

  let enrollments = p.enrollments;
  if (patch.enrollments && patch.enrollments.size > 0 && !sameEnrollments(p, patch.enrollments, personOf)) {
    const replaced = new Set([...patch.enrollments.keys()].map((id) => personOf(id)!));
    const lists = new Map<string, { person: number[]; start: number[]; end: number[] }>();
    const list = (code: string) => {
      let l = lists.get(code);
      if (!l) lists.set(code, (l = { person: [], start: [], end: [] }));
      return l;
    };
    for (const [code, l] of p.enrollments) {
      const out = list(code);
      for (let k = 0; k < l.person.length; k++) {
        if (replaced.has(l.person[k]!)) continue;
        out.person.push(l.person[k]!);
        out.start.push(l.start[k]!);
        out.end.push(l.end[k]!);
      }
    }
    for (const [id, rows] of patch.enrollments) {
      const i = personOf(id)!;
      for (const e of rows) {
        const out = list(e.benefit_code);
        out.person.push(i);
        out.start.push(dateKey(e.start_date));
        out.end.push(e.end_date === null ? OPEN_END : dateKey(e.end_date));
      }
    }
    enrollments = new Map(
      [...lists]
        .filter(([, l]) => l.person.length > 0)
        .map(([code, l]) => [
          code,
          { person: Int32Array.from(l.person), start: Int32Array.from(l.start), end: Int32Array.from(l.end) },
        ]),
    );
  }
  let identityTags = p.identityTags;
  if (patch.identityTags && patch.identityTags.size > 0 && !sameIdentityTags(p, patch.identityTags, personOf)) {
    const replaced = new Set([...patch.identityTags.keys()].map((id) => personOf(id)!));
    const lists = new Map<string, number[]>();
    for (const [tag, l] of p.identityTags)
      lists.set(
        tag,
        [...l].filter((i) => !replaced.has(i)),
      );
    for (const [id, tags] of patch.identityTags)
      for (const tag of tags) {
        let l = lists.get(tag);
        if (!l) lists.set(tag, (l = []));
        l.push(personOf(id)!);
      }
    identityTags = new Map(
      [...lists].filter(([, l]) => l.length > 0).map(([tag, l]) => [tag, Int32Array.from(l.sort((a, b) => a - b))]),
    );
  }
  return {
    ...p,
    birth,
    coded,
    disabilityGrade,
    income,
    medical,
    ableSupporter,
    householdCommittee,
    housingArea,
    assets,
    enrollments,
    identityTags,
  };
}
