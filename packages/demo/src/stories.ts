/**
 * The three stories of reference-policies.md ("The stories the pack must tell"), taken from the
 * 长宁 "社区云+精准帮扶" article, as households of the demo population:
 *
 * 1. 老郭 of 华阳路街道: unmarried, grade-4 physical disability, alone in 9 m², no income but a
 *    disability allowance, one sister in another province. He turns 60 on the demo's as-of date,
 *    which makes him a TEKUN and ELDER_ALONE lead that day and neither the day before.
 * 2. A widowed mother of 华阳路街道, out of work and doing odd jobs, with a 15-year-old daughter at a
 *    中职 school: below the 低保 line (DIBAO leads), the daughter an EDU_AID lead, the mother a
 *    WELFARE_JOB lead. (In the article the girl's father died when she was three months old.)
 * 3. 李阿姨 of 北新泾街道: no disability on the registry; her grade-1 physical disability record
 *    arrives later from the disability federation (STORY_DISABILITY_RECORD) and makes her a
 *    SEVERE_DISABLED_CARE lead.
 *
 * Their id numbers are allocated before the rest of the population, so they depend only on the
 * as-of date and never collide with anyone else's, whatever the population's size.
 */
import { toDayNumber, yearsBefore, type HouseholdRow } from '@tingjian/engine';
import type { IdAllocator } from './id-allocator.ts';
import type { AgeCalendar, Member } from './people.ts';
import { pickAddress, pickLaneRoomAddress } from './places.ts';
import type { Rng } from './random.ts';

/** What the disability federation's system reports for the third story's woman. */
export const STORY_DISABILITY_RECORD = { grade: 1, category: '肢体' } as const;

export interface DemoStories {
  tekunMan: string;
  widowedMother: string;
  daughter: string;
  disabledWoman: string;
}

interface StoryHousehold {
  /** The street (9-digit code) whose committee the household belongs to. */
  readonly street: string;
  /** Which of that street's committees (0 = the first given). */
  readonly nth: number;
  readonly members: Member[];
  readonly housing: Omit<HouseholdRow, 'household_id' | 'committee_code' | 'address'>;
}

export interface StoryPlan {
  readonly ids: DemoStories;
  readonly households: ReadonlyArray<StoryHousehold>;
}

const HUAYANG = '310105001';
const BEIXINJING = '310105011';

export function planStories(cal: AgeCalendar, ids: IdAllocator): StoryPlan {
  /** Someone `years` old on asOf whose birthday was `daysPast` days ago (0 = today). */
  const born = (years: number, daysPast: number): number => toDayNumber(yearsBefore(cal.asOf, years)) - daysPast;
  const person = (
    p: Partial<Member> & Pick<Member, 'male' | 'age' | 'surname' | 'name' | 'relationToHead' | 'marital'>,
    region: string,
    birthDay: number,
  ): Member => {
    const id = ids.allocate(region, birthDay, p.male);
    if (id.birthDay !== birthDay) throw new Error('story ids must be allocated first');
    return {
      idNumber: id.idNumber,
      birthDate: id.birthDate,
      local: true,
      spouse: -1,
      parents: [],
      disabilityGrade: null,
      disabilityCategory: null,
      income: 0,
      employment: '无',
      schoolStage: null,
      laborCapacity: '有',
      chronic: false,
      medical: 0,
      phone: null,
      outside: [],
      ...p,
    };
  };
  const relative = (region: string, years: number, daysPast: number, male: boolean): string =>
    ids.allocate(region, born(years, daysPast), male).idNumber;

  // 1. 老郭: 60 today. labor_capacity 部分, not 无: until today nothing made him no_work_capacity,
  //    so the day before his birthday he was not TEKUN; from today age ≥ 60 does.
  const guo = person(
    {
      male: true,
      age: 60,
      surname: '郭',
      name: '郭建国',
      relationToHead: '户主',
      marital: '未婚',
      disabilityGrade: 4,
      disabilityCategory: '肢体',
      income: 0,
      employment: '无',
      laborCapacity: '部分',
      medical: 1350,
      phone: '13601738264',
    },
    '310105',
    born(60, 0),
  );
  // His only relative: an older sister settled in 安徽. Whether she can help does not matter to
  // TEKUN: siblings are not legal supporters. (In the article she does put him up during the repairs.)
  guo.outside.push({ name: '郭桂芳', idNumber: relative('340104', 64, 97, false), relation: '兄弟姐妹', able: true });

  // 2. The widowed mother, 42, unemployed with odd jobs (1,200 yuan a month), and her daughter, 15.
  const mother = person(
    {
      male: false,
      age: 42,
      surname: '周',
      name: '周丽娟',
      relationToHead: '户主',
      marital: '丧偶',
      income: 1200,
      employment: '失业',
      laborCapacity: '有',
      medical: 640,
      phone: '13817452096',
    },
    '310105',
    born(42, 137),
  );
  const daughter = person(
    {
      male: false,
      age: 15,
      surname: '侯',
      name: '侯欣怡',
      relationToHead: '子女',
      marital: '未婚',
      income: 0,
      employment: '在校',
      schoolStage: '中职',
      laborCapacity: '无',
      medical: 280,
      phone: '15921603378',
      parents: [0],
    },
    '310105',
    born(15, 200),
  );

  // 3. 李阿姨, 62, retired, living with her husband; a son elsewhere. Comfortable enough for no
  //    means-tested benefit, so the disability record alone changes her findings.
  const husband = person(
    {
      male: true,
      age: 65,
      surname: '王',
      name: '王建华',
      relationToHead: '户主',
      marital: '已婚',
      income: 5230,
      employment: '退休',
      laborCapacity: '部分',
      medical: 2100,
      phone: '13585716642',
      spouse: 1,
    },
    '310105',
    born(65, 210),
  );
  const li = person(
    {
      male: false,
      age: 62,
      surname: '李',
      name: '李秀珍',
      relationToHead: '配偶',
      marital: '已婚',
      income: 4310,
      employment: '退休',
      laborCapacity: '部分',
      chronic: true,
      medical: 8650,
      phone: '13918620457',
      spouse: 0,
    },
    '310105',
    born(62, 75),
  );
  const son = { name: '王磊', idNumber: relative('310105', 36, 160, true), relation: '子女' as const, able: true };
  husband.outside.push(son);
  li.outside.push(son);

  return {
    ids: {
      tekunMan: guo.idNumber,
      widowedMother: mother.idNumber,
      daughter: daughter.idNumber,
      disabledWoman: li.idNumber,
    },
    households: [
      {
        street: HUAYANG,
        nth: 0,
        members: [guo],
        housing: { housing_type: '公房', housing_area_m2: 9, financial_assets_yuan: 3200 },
      },
      {
        street: HUAYANG,
        nth: 1,
        members: [mother, daughter],
        housing: { housing_type: '公房', housing_area_m2: 22, financial_assets_yuan: 8000 },
      },
      {
        street: BEIXINJING,
        nth: 0,
        members: [husband, li],
        housing: { housing_type: '自有', housing_area_m2: 68.5, financial_assets_yuan: 210000 },
      },
    ],
  };
}

/**
 * The committee of a story household: the nth committee of its street among those given (the
 * first if there are fewer), or, in a deployment without that street, the first committee.
 */
export function storyCommittee(committees: ReadonlyArray<{ code: string }>, street: string, nth: number): string {
  const inStreet = committees.filter((c) => c.code.startsWith(street));
  const chosen = inStreet[Math.min(nth, inStreet.length - 1)] ?? committees[0];
  if (!chosen) throw new RangeError('no committees to place households in');
  return chosen.code;
}

/** The household row of a story household. */
export function storyHouseholdRow(
  h: StoryHousehold,
  householdId: string,
  committeeCode: string,
  rng: Rng,
): HouseholdRow {
  // 老郭's 9 m² is a room of an old lane house; the others live in ordinary flats.
  const tiny = h.housing.housing_area_m2 !== null && h.housing.housing_area_m2 < 12;
  return {
    household_id: householdId,
    committee_code: committeeCode,
    address: tiny ? pickLaneRoomAddress(rng, committeeCode) : pickAddress(rng, committeeCode, false),
    ...h.housing,
  };
}
