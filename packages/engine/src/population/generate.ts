/**
 * A synthetic but plausible population of a Shanghai district on its real neighbourhood
 * committees, streamed household by household (constant memory at a million residents), with
 * the take-up gap the product exists to close: about a third of the people entitled to a benefit
 * do not receive it. The last three households are the three stories of reference-policies.md.
 */
import { ageOn, addDays, yearsBefore, type IsoDate } from '../dates.ts';
import type { EnrollmentRow, HouseholdRow, IdentityTagRow, RelationRow, ResidentRow } from '../exchange.ts';
import { idCheckCharacter } from '../ids.ts';
import { isSevereDisability } from '../terms.ts';
import { personName, surnameOf } from './names.ts';
import { Random } from './random.ts';

export interface DemoOptions {
  /** Approximate number of residents. */
  residents: number;
  /** The demo's "today": ages and stories are relative to it. */
  asOf: IsoDate;
  seed?: number;
  committees: ReadonlyArray<{ code: string; name: string }>;
}

export type DemoRecord =
  | { table: 'households'; row: HouseholdRow }
  | { table: 'residents'; row: ResidentRow }
  | { table: 'relations'; row: RelationRow }
  | { table: 'enrollments'; row: EnrollmentRow }
  | { table: 'identity_tags'; row: IdentityTagRow };

/** What the disability federation's system reports for the third story's woman. */
export const STORY_DISABILITY_RECORD = { grade: 1, category: '肢体' } as const;

type Gender = '男' | '女';
type Kind = 'elderAlone' | 'elderCouple' | 'couple' | 'family' | 'threeGen' | 'singleParent' | 'singleYoung' | 'elderWithChild';

// Household mix chosen so that about 37% of residents are 60+ (Changning's registered population
// is among Shanghai's oldest), about 10% are under 15, and 8% of households are elders alone.
const KINDS: ReadonlyArray<readonly [Kind, number]> = [
  ['elderAlone', 9], ['elderCouple', 22], ['couple', 10], ['family', 20], ['threeGen', 9], ['singleParent', 4], ['singleYoung', 11], ['elderWithChild', 15],
];
const LOCAL_REGIONS: ReadonlyArray<readonly [string, number]> = [['310105', 55], ['310104', 10], ['310101', 8], ['310106', 6], ['310107', 8], ['310112', 7], ['310110', 6]];
const OTHER_REGIONS = ['340104', '510104', '430102', '320102', '410102', '370102', '350102', '420102', '330102', '360102'];
const LIBAO = 1510; // 低保标准 from 2023-07-01 (reference pack); the demo's enrollments use it

interface Person {
  row: ResidentRow;
  age: number;
  role: 'head' | 'spouse' | 'child' | 'parent';
}

export function* generateDemoPopulation(options: DemoOptions): Generator<DemoRecord> {
  if (options.committees.length === 0) throw new RangeError('no committees to place households in');
  const g = new Generator2(options);
  yield* g.run();
}

/** The ids of the story people, for tests and the UI. */
export function demoStoryIds(options: DemoOptions): { tekunMan: string; widowedMother: string; daughter: string; disabledWoman: string } {
  const ids: Record<string, string> = {};
  for (const rec of generateDemoPopulation({ ...options, residents: 0 })) {
    if (rec.table !== 'residents') continue;
    const hh = rec.row.household_id;
    if (hh.endsWith('S1')) ids.tekunMan = rec.row.id_number;
    else if (hh.endsWith('S2')) ids[rec.row.relation_to_head === '户主' ? 'widowedMother' : 'daughter'] = rec.row.id_number;
    else if (hh.endsWith('S3') && rec.row.relation_to_head === '户主') ids.disabledWoman = rec.row.id_number;
  }
  return ids as { tekunMan: string; widowedMother: string; daughter: string; disabledWoman: string };
}

class Generator2 {
  private readonly rng: Random;
  private readonly used = new Map<string, number>();
  private householdNo = 0;
  private outsideNo = 0;

  constructor(private readonly o: DemoOptions) {
    this.rng = new Random(o.seed ?? 20261128);
  }

  *run(): Generator<DemoRecord> {
    let people = 0;
    while (people < this.o.residents) {
      const hh = this.household();
      people += hh.members.length;
      yield* this.emit(hh.household, hh.members, hh.outside);
    }
    yield* this.stories();
  }

  // ---------- people ----------

  private idFor(region: string, birth: IsoDate, gender: Gender): string {
    const key = region + birth;
    const n = this.used.get(key) ?? 0;
    this.used.set(key, n + 1);
    // Sequence: odd for men, even for women; 001-989 for the population, 991-999 kept for the stories.
    const seq = (n % 494) * 2 + (gender === '男' ? 1 : 2);
    const first17 = `${region}${birth.replaceAll('-', '')}${String(Math.min(seq, 999)).padStart(3, '0')}`;
    return first17 + idCheckCharacter(first17);
  }

  private birthFor(age: number): IsoDate {
    // A birthday uniformly in the year that gives exactly `age` on the as-of date.
    const latest = yearsBefore(this.o.asOf, age);
    return addDays(latest, -this.rng.int(0, 364));
  }

  /** A story person's id: a reserved sequence, so the id does not depend on the population size. */
  private storyId(birth: IsoDate, gender: Gender, k: number): string {
    const first17 = `310105${birth.replaceAll('-', '')}${990 + k * 2 + (gender === '男' ? 1 : 2) - 2}`;
    return first17 + idCheckCharacter(first17);
  }

  private person(age: number, gender: Gender, householdId: string, relation: string, local: boolean, surname?: string): ResidentRow {
    const birth = this.birthFor(age);
    const region = local ? this.rng.weighted(LOCAL_REGIONS) : this.rng.pick(OTHER_REGIONS);
    const id = this.idFor(region, birth, gender);
    const disabled = this.rng.chance(age >= 60 ? 0.07 : 0.03);
    const grade = disabled ? this.rng.weighted([[1, 10], [2, 15], [3, 25], [4, 50]] as const) : null;
    const category = disabled ? this.rng.weighted([['肢体', 45], ['视力', 10], ['听力', 15], ['言语', 5], ['智力', 10], ['精神', 10], ['多重', 5]] as const) : null;
    const chronic = this.rng.chance(age >= 60 ? 0.25 : age >= 18 ? 0.05 : 0.01);
    let employment: string;
    let school: string | null = null;
    if (age < 3) employment = '无';
    else if (age < 6) { employment = '在校'; school = '学前'; }
    else if (age < 12) { employment = '在校'; school = '小学'; }
    else if (age < 15) { employment = '在校'; school = '初中'; }
    else if (age < 18) { employment = '在校'; school = this.rng.chance(0.3) ? '中职' : '高中'; }
    else if (age < 23 && this.rng.chance(0.55)) { employment = '在校'; school = '高校'; }
    else if (age >= (gender === '男' ? 60 : 55)) employment = this.rng.chance(0.9) ? '退休' : '无';
    else employment = this.rng.weighted([['在职', 74], ['灵活就业', 8], ['失业', 7], ['无', 11]] as const);
    let income = 0;
    if (employment === '在职') income = Math.round(Math.min(60000, Math.max(2700, this.rng.logNormal(8500, 0.55))));
    else if (employment === '退休') income = Math.round(this.rng.chance(0.06) ? this.rng.int(0, 1400) : this.rng.int(3200, 8500));
    else if (employment === '灵活就业') income = this.rng.int(900, 4200);
    else if (employment === '失业' || employment === '无') income = age >= 18 && this.rng.chance(0.3) ? this.rng.int(200, 1500) : 0;
    const severe = isSevereDisability(grade, category);
    const labor = age < 16 || severe || age >= 80 ? '无' : age >= 60 || grade !== null || chronic ? this.rng.weighted([['部分', 60], ['无', 25], ['有', 15]] as const) : '有';
    const marital = relation === '配偶' || relation === '户主' && age >= 25 && this.rng.chance(0.6) ? '已婚' : age < 22 ? '未婚' : this.rng.weighted([['未婚', 40], ['离异', 30], ['丧偶', 30]] as const);
    return {
      id_number: id, name: personName(this.rng, gender, surname), gender, birth_date: birth, household_id: householdId,
      relation_to_head: relation, hukou: local ? '本市' : '外省市', marital_status: marital,
      disability_grade: grade, disability_category: category, monthly_income_yuan: income, employment, school_stage: school,
      labor_capacity: labor, chronic_illness: chronic ? '是' : '否',
      medical_oop_12m_yuan: chronic ? Math.round(this.rng.logNormal(9000, 0.8)) : this.rng.chance(0.3) ? this.rng.int(100, 3000) : 0,
      phone: `1${this.rng.pick(['3', '5', '7', '8', '9'])}${String(this.rng.int(0, 999_999_999)).padStart(9, '0')}`,
    };
  }

  private elderAge(): number {
    // 60-98, weighted towards the sixties and seventies; about a third of elders are 80+.
    return this.rng.weighted([[this.rng.int(60, 69), 36], [this.rng.int(70, 79), 30], [this.rng.int(80, 89), 25], [this.rng.int(90, 98), 9]] as const);
  }

  // ---------- households ----------

  private household(): { household: HouseholdRow; members: Person[]; outside: RelationRow[] } {
    const id = `D${String(++this.householdNo).padStart(7, '0')}`;
    const kind = this.rng.weighted(KINDS);
    const local = kind === 'singleYoung' ? this.rng.chance(0.45) : this.rng.chance(0.86);
    const surname = surnameOf(this.rng);
    const members: Person[] = [];
    const add = (age: number, gender: Gender, relation: string, role: Person['role'], sameSurname = false) => {
      const row = this.person(age, gender, id, relation, local, sameSurname ? surname : undefined);
      members.push({ row, age, role });
      return row;
    };
    const g = (): Gender => (this.rng.chance(0.5) ? '男' : '女');
    switch (kind) {
      case 'elderAlone': add(this.elderAge(), this.rng.chance(0.62) ? '女' : '男', '户主', 'head', true); break;
      case 'elderCouple': { const a = this.elderAge(); add(a, '男', '户主', 'head', true); add(Math.max(60, a + this.rng.int(-5, 2)), '女', '配偶', 'spouse'); break; }
      case 'couple': { const a = this.rng.int(24, 59); add(a, '男', '户主', 'head', true); add(Math.max(22, a + this.rng.int(-5, 3)), '女', '配偶', 'spouse'); break; }
      case 'family': {
        const a = this.rng.int(28, 55);
        add(a, '男', '户主', 'head', true); add(a + this.rng.int(-4, 2), '女', '配偶', 'spouse');
        const kids = this.rng.chance(0.25) ? 2 : 1;
        for (let k = 0; k < kids; k++) add(Math.max(0, Math.min(a - 22, this.rng.int(0, 26))), g(), '子女', 'child', true);
        break;
      }
      case 'threeGen': {
        const a = this.rng.int(30, 50);
        add(a, '男', '户主', 'head', true); add(a + this.rng.int(-4, 2), '女', '配偶', 'spouse');
        add(this.rng.int(0, 15), g(), '子女', 'child', true);
        const e = Math.max(60, a + this.rng.int(24, 34));
        add(e, '女', '父母', 'parent');
        if (this.rng.chance(0.5)) add(e + this.rng.int(0, 4), '男', '父母', 'parent', true);
        break;
      }
      case 'singleParent': { const a = this.rng.int(28, 52); add(a, this.rng.chance(0.8) ? '女' : '男', '户主', 'head'); add(this.rng.int(3, 17), g(), '子女', 'child'); break; }
      case 'singleYoung': add(this.rng.int(20, 45), g(), '户主', 'head'); break;
      case 'elderWithChild': { const e = this.elderAge(); add(e, g(), '户主', 'head', true); add(Math.max(25, e - this.rng.int(24, 34)), g(), '子女', 'child', true); break; }
    }
    const committee = this.rng.pick(this.o.committees).code;
    const n = members.length;
    const tiny = kind === 'elderAlone' ? this.rng.chance(0.15) : this.rng.chance(0.05);
    const area = tiny ? this.rng.int(7, 9) * n : Math.round(this.rng.int(15, 45) * n + this.rng.int(0, 30));
    const household: HouseholdRow = {
      household_id: id, committee_code: committee,
      address: `${this.rng.pick(['长宁路', '延安西路', '虹桥路', '仙霞路', '天山路', '中山西路', '古北路', '江苏路', '武夷路', '北新泾路', '哈密路', '剑河路'])}${this.rng.int(1, 1800)}弄${this.rng.int(1, 80)}号${this.rng.int(101, 2402)}室`,
      housing_type: this.rng.weighted([['自有', 52], ['租赁', 18], ['公房', 22], ['其他', 8]] as const),
      housing_area_m2: area,
      financial_assets_yuan: Math.round(this.rng.chance(0.15) ? this.rng.int(0, 20000) : this.rng.logNormal(150000, 1.1)),
    };
    // Relatives outside the registry: elders' children living elsewhere, a sibling in another province.
    const outside: RelationRow[] = [];
    for (const p of members) {
      const taken = new Set(members.map((m) => m.row.name));
      if (p.age >= 60 && !members.some((m) => m.role === 'child' || (p.role === 'parent' && m.role !== 'parent'))) {
        const children = this.rng.weighted([[0, 8], [1, 50], [2, 35], [3, 7]] as const);
        for (let c = 0; c < children; c++) outside.push(this.outsideRelative(p, '子女', this.rng.chance(0.85) ? '是' : '否', taken));
      }
      if (p.age >= 18 && this.rng.chance(0.1)) outside.push(this.outsideRelative(p, '兄弟姐妹', this.rng.chance(0.7) ? '是' : '否', taken));
    }
    return { household, members, outside };
  }

  private outsideRelative(p: Person, relation: string, able: string, taken: Set<string>): RelationRow {
    const gender: Gender = this.rng.chance(0.5) ? '男' : '女';
    const age = relation === '子女' ? Math.max(20, p.age - this.rng.int(24, 36)) : Math.max(18, p.age + this.rng.int(-8, 8));
    const known = this.rng.chance(0.6);
    this.outsideNo++;
    let name = personName(this.rng, gender, relation === '子女' && p.row.gender === '男' ? p.row.name.slice(0, 1) : undefined);
    // Two relatives of one person never share a name: the rows would repeat.
    while (taken.has(name)) name = personName(this.rng, gender);
    taken.add(name);
    return {
      id_number: p.row.id_number, relative_name: name,
      relative_id_number: known ? this.idFor(this.rng.pick(OTHER_REGIONS), this.birthFor(age), gender) : null,
      relation, able_to_support: able,
    };
  }

  private *emit(household: HouseholdRow, members: Person[], outside: RelationRow[], enroll = true): Generator<DemoRecord> {
    yield { table: 'households', row: household };
    for (const m of members) yield { table: 'residents', row: m.row };
    const relations: RelationRow[] = [...outside];
    const canSupport = (p: Person) => p.age >= 18 && p.age < 70 && (p.row.monthly_income_yuan ?? 0) >= 3000 ? '是' : '否';
    for (const a of members) {
      for (const b of members) {
        if (a === b) continue;
        let rel: string | null = null;
        if ((a.role === 'head' && b.role === 'spouse') || (a.role === 'spouse' && b.role === 'head')) rel = '配偶';
        else if ((a.role === 'head' || a.role === 'spouse') && b.role === 'child') rel = '子女';
        else if (a.role === 'child' && (b.role === 'head' || b.role === 'spouse')) rel = '父母';
        else if ((a.role === 'head') && b.role === 'parent') rel = '父母';
        else if (a.role === 'parent' && b.role === 'head') rel = '子女';
        else if (a.role === 'parent' && b.role === 'parent') rel = '配偶';
        if (rel) relations.push({ id_number: a.row.id_number, relative_name: b.row.name, relative_id_number: b.row.id_number, relation: rel, able_to_support: canSupport(b) });
      }
    }
    for (const r of relations) yield { table: 'relations', row: r };
    if (enroll) for (const e of this.enrollments(household, members, relations)) yield { table: 'enrollments', row: e };
    for (const m of members) {
      if (m.age < 18) continue;
      if (this.rng.chance(0.08)) yield { table: 'identity_tags', row: { id_number: m.row.id_number, tag: '中共党员' } };
      if (this.rng.chance(0.05)) yield { table: 'identity_tags', row: { id_number: m.row.id_number, tag: '志愿者' } };
      if (m.row.gender === '男' && m.age >= 30 && this.rng.chance(0.04)) yield { table: 'identity_tags', row: { id_number: m.row.id_number, tag: '退役军人' } };
      if (m.age >= 40 && this.rng.chance(0.02)) yield { table: 'identity_tags', row: { id_number: m.row.id_number, tag: '社区骨干' } };
    }
  }

  /**
   * Enrollments from a simplified reading of the reference pack on the as-of date: about 70% of
   * the entitled are enrolled (the take-up gap), a few enrolled people are no longer entitled
   * (reviews), and some past enrollments have ended.
   */
  private enrollments(h: HouseholdRow, members: Person[], relations: RelationRow[]): EnrollmentRow[] {
    const n = members.length;
    const pc = members.reduce((s, m) => s + (m.row.monthly_income_yuan ?? 0), 0) / n;
    const pcAssets = (h.financial_assets_yuan ?? 0) / n;
    const out: EnrollmentRow[] = [];
    const since = () => addDays(this.o.asOf, -this.rng.int(30, 1400));
    for (const m of members) {
      const r = m.row;
      const local = r.hukou === '本市';
      const severe = isSevereDisability(r.disability_grade, r.disability_category);
      const noWork = r.labor_capacity === '无' || m.age >= 60 || m.age < 16 || severe;
      const supporter = relations.some((x) => x.id_number === r.id_number && ['配偶', '父母', '子女'].includes(x.relation) && x.able_to_support === '是');
      const tekun = local && (m.age >= 60 || m.age < 18 || r.disability_grade !== null) && noWork && (r.monthly_income_yuan ?? 0) < LIBAO && !supporter;
      const dibao = local && !tekun && pc < LIBAO && pcAssets <= 60000;
      const low = local && !tekun && pc >= LIBAO && pc < 2 * LIBAO && pcAssets <= 120000;
      const entitled: string[] = [];
      if (tekun) entitled.push('TEKUN');
      if (dibao) entitled.push('DIBAO');
      if (low) entitled.push('LOW_INCOME');
      if (local && r.disability_grade !== null && (dibao || low) && !tekun) entitled.push('DISABLED_LIVING');
      if (local && severe && !tekun) entitled.push('SEVERE_DISABLED_CARE');
      if (r.school_stage && r.school_stage !== '学前' && (tekun || dibao || low)) entitled.push('EDU_AID');
      if (m.age >= 60 && n === 1) entitled.push('ELDER_ALONE');
      if (local && m.age >= 16 && m.age < (r.gender === '男' ? 60 : 50) && (r.employment === '失业' || r.employment === '无') && (r.labor_capacity === '有' || r.labor_capacity === '部分') && (dibao || low)) entitled.push('WELFARE_JOB');
      for (const code of entitled) {
        if (this.rng.chance(0.7)) out.push({ id_number: r.id_number, benefit_code: code, start_date: since(), end_date: null });
      }
      // Circumstances changed since: still paid, no longer entitled (a review for the workers).
      if (!low && !dibao && local && pc < 3 * LIBAO && this.rng.chance(0.03)) out.push({ id_number: r.id_number, benefit_code: 'LOW_INCOME', start_date: since(), end_date: null });
      // An enrollment that ended in the past.
      if (entitled.length === 0 && this.rng.chance(0.01)) {
        const start = addDays(this.o.asOf, -this.rng.int(800, 2000));
        out.push({ id_number: r.id_number, benefit_code: 'DIBAO', start_date: start, end_date: addDays(start, this.rng.int(90, 700)) });
      }
    }
    return out;
  }

  // ---------- the three stories ----------

  private *stories(): Generator<DemoRecord> {
    const huayang = this.o.committees.find((c) => c.code.startsWith('310105001')) ?? this.o.committees[0]!;
    const beixinjing = this.o.committees.find((c) => c.code.startsWith('310105011')) ?? this.o.committees[0]!;
    const plain = (row: Partial<ResidentRow> & Pick<ResidentRow, 'id_number' | 'name' | 'gender' | 'birth_date' | 'household_id'>): ResidentRow => ({
      relation_to_head: '户主', hukou: '本市', marital_status: '已婚', disability_grade: null, disability_category: null, monthly_income_yuan: 0,
      employment: '无', school_stage: null, labor_capacity: '有', chronic_illness: '否', medical_oop_12m_yuan: 0, phone: '13900000000', ...row,
    });
    const person = (row: ResidentRow, role: Person['role']): Person => ({ row, role, age: ageOn(row.birth_date, this.o.asOf) });

    // 1. 老郭: unmarried, grade-4 physical disability, alone in 9 m², his 60th birthday is today.
    const guoBirth = yearsBefore(this.o.asOf, 60);
    const guo = plain({
      id_number: this.storyId(guoBirth, '男', 1), name: '郭建国', gender: '男', birth_date: guoBirth, household_id: 'DSTORY-S1',
      marital_status: '未婚', disability_grade: 4, disability_category: '肢体', monthly_income_yuan: 0, employment: '无', labor_capacity: '部分', phone: '13900000001',
    });
    yield* this.emit(
      { household_id: 'DSTORY-S1', committee_code: huayang.code, address: '华阳路112弄3号201室', housing_type: '公房', housing_area_m2: 9, financial_assets_yuan: 3000 },
      [person(guo, 'head')],
      [{ id_number: guo.id_number, relative_name: '郭秀兰', relative_id_number: this.idFor('340104', this.birthFor(64), '女'), relation: '兄弟姐妹', able_to_support: '是' }],
      false,
    );

    // 2. 侯: a widowed mother doing odd jobs, and her 15-year-old daughter at a vocational school.
    const motherBirth = addDays(yearsBefore(this.o.asOf, 43), -100);
    const daughterBirth = addDays(yearsBefore(this.o.asOf, 15), -200);
    const mother = plain({
      id_number: this.storyId(motherBirth, '女', 2), name: '侯丽', gender: '女', birth_date: motherBirth, household_id: 'DSTORY-S2',
      marital_status: '丧偶', monthly_income_yuan: 1200, employment: '灵活就业', labor_capacity: '有', phone: '13900000002',
    });
    const daughter = plain({
      id_number: this.storyId(daughterBirth, '女', 3), name: '侯欣怡', gender: '女', birth_date: daughterBirth, household_id: 'DSTORY-S2',
      relation_to_head: '子女', marital_status: '未婚', employment: '在校', school_stage: '中职', labor_capacity: '无', phone: '13900000003',
    });
    yield* this.emit(
      { household_id: 'DSTORY-S2', committee_code: huayang.code, address: '华阳路58弄12号402室', housing_type: '租赁', housing_area_m2: 28, financial_assets_yuan: 8000 },
      [person(mother, 'head'), person(daughter, 'child')], [], false,
    );

    // 3. 李阿姨: no disability on record yet; the federation's record (grade 1, physical) arrives later.
    const liBirth = addDays(yearsBefore(this.o.asOf, 62), -50);
    const li = plain({
      id_number: this.storyId(liBirth, '女', 4), name: '李桂英', gender: '女', birth_date: liBirth, household_id: 'DSTORY-S3',
      marital_status: '丧偶', monthly_income_yuan: 4200, employment: '退休', labor_capacity: '部分', phone: '13900000004',
    });
    yield* this.emit(
      { household_id: 'DSTORY-S3', committee_code: beixinjing.code, address: '北新泾路300弄6号101室', housing_type: '自有', housing_area_m2: 48, financial_assets_yuan: 90000 },
      [person(li, 'head')],
      [{ id_number: li.id_number, relative_name: '李明', relative_id_number: null, relation: '子女', able_to_support: '是' }],
      false,
    );
  }
}

