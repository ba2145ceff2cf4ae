/**
 * One synthetic household at a time: its shape, its people and their circumstances, the
 * relations around them and the benefits they do (and do not) receive.
 *
 * The population is meant to look like the registered population of an ageing central Shanghai
 * district such as 长宁 to the people who work there: about 37% aged 60+ and 10% 80+ (长宁's
 * registered population is among the city's oldest), about 10% under 15 (Shanghai's fertility is
 * among the lowest in the world), 15-20% with a hukou from another province, small homes in the
 * old lane streets, and a minority of households in hardship of whom about 30% receive nothing.
 * The rates are round numbers chosen for plausibility, not statistics to rely on.
 */
import {
  ageOn,
  formatIsoDate,
  isSevereDisability,
  type EnrollmentRow,
  type HouseholdRow,
  type IdentityTagRow,
  type RelationRow,
} from '@tingjian/engine';
import { eligibleBenefits, householdFigures, type PolicyParameters } from './eligibility.ts';
import { dateOfDay, type IdAllocator } from './id-allocator.ts';
import { pickGivenName, pickSurname } from './names.ts';
import {
  AgeCalendar,
  daysBefore,
  enrollment,
  memberFacts,
  relationRows,
  tag,
  type Kin,
  type Member,
  type OutsideRelative,
} from './people.ts';
import { isOldHousingStreet, pickAddress, pickPhone, pickProvincialRegion, pickShanghaiRegion } from './places.ts';
import { clamp, roundTo, Weighted, type Rng } from './random.ts';

export interface BuildContext {
  readonly rng: Rng;
  readonly cal: AgeCalendar;
  readonly ids: IdAllocator;
  readonly params: PolicyParameters;
}

export interface BuiltHousehold {
  readonly household: HouseholdRow;
  readonly members: ReadonlyArray<Member>;
  readonly relations: ReadonlyArray<ReadonlyArray<RelationRow>>;
  readonly enrollments: ReadonlyArray<EnrollmentRow>;
  readonly tags: ReadonlyArray<IdentityTagRow>;
}

type Kind =
  | 'elderAlone'
  | 'elderCouple'
  | 'elderWithChild'
  | 'oldestWithChildren'
  | 'couple'
  | 'family'
  | 'threeGenerations'
  | 'singleParent'
  | 'singleYoung'
  | 'singleMiddle';

/** Hardship of the household: below the 低保 line, between one and two lines, or neither. */
type Tier = 'poor' | 'near' | 'normal';

interface KindProfile {
  /** Relative frequency among households. */
  readonly weight: number;
  /** Share of these households whose members hold a hukou of another province. */
  readonly nonLocal: number;
  /** Shares of these households in the poor and near-poor tiers. */
  readonly poor: number;
  readonly near: number;
}

/**
 * The mix of household shapes. Weights are tuned (see the test) so that about 8% of households are
 * elders living alone, 37% of people are 60+, 10% are 80+, 10% are under 15, with about 2.4
 * people per household as in the central districts. Migrants (外省市) concentrate in young renters
 * and young families; elders are almost all local. Hardship concentrates where it does in the
 * assistance rolls: single parents, single middle-aged people (often disabled), elders alone.
 */
const KINDS: Readonly<Record<Kind, KindProfile>> = {
  elderAlone: { weight: 7.6, nonLocal: 0.01, poor: 0.07, near: 0.07 },
  elderCouple: { weight: 22, nonLocal: 0.02, poor: 0.02, near: 0.035 },
  elderWithChild: { weight: 8, nonLocal: 0.02, poor: 0.05, near: 0.06 },
  oldestWithChildren: { weight: 6.5, nonLocal: 0.01, poor: 0.03, near: 0.04 },
  couple: { weight: 11, nonLocal: 0.28, poor: 0.015, near: 0.02 },
  family: { weight: 16, nonLocal: 0.2, poor: 0.02, near: 0.025 },
  threeGenerations: { weight: 6, nonLocal: 0.14, poor: 0.02, near: 0.03 },
  singleParent: { weight: 3.5, nonLocal: 0.1, poor: 0.18, near: 0.12 },
  singleYoung: { weight: 10, nonLocal: 0.55, poor: 0.02, near: 0.02 },
  singleMiddle: { weight: 4, nonLocal: 0.15, poor: 0.15, near: 0.08 },
};
const kinds = new Weighted(Object.entries(KINDS).map(([k, p]) => [k as Kind, p.weight] as const));

/** Age bands [from, to, weight] picked by weight, then uniformly within the band. */
class AgeBands {
  private readonly bands: Weighted<readonly [number, number]>;
  constructor(bands: ReadonlyArray<readonly [number, number, number]>) {
    this.bands = new Weighted(bands.map(([a, b, w]) => [[a, b] as const, w] as const));
  }
  pick(rng: Rng): number {
    const [a, b] = this.bands.pick(rng);
    return rng.int(a, b);
  }
}

// Elders living alone are older than elders in couples: most are widows who outlived a husband.
const ELDER_ALONE_AGES = new AgeBands([
  [60, 64, 9],
  [65, 69, 13],
  [70, 74, 16],
  [75, 79, 15],
  [80, 84, 18],
  [85, 89, 17],
  [90, 94, 9],
  [95, 100, 3],
]);
// The 1950s-60s birth cohorts are large, so couples in their sixties dominate.
const ELDER_COUPLE_AGES = new AgeBands([
  [60, 64, 18],
  [65, 69, 22],
  [70, 74, 21],
  [75, 79, 15],
  [80, 84, 13],
  [85, 89, 8],
  [90, 95, 3],
]);
const OLDEST_AGES = new AgeBands([
  [80, 84, 30],
  [85, 89, 36],
  [90, 94, 24],
  [95, 101, 10],
]);
const YOUNG_SINGLE_AGES = new AgeBands([
  [20, 24, 20],
  [25, 29, 35],
  [30, 34, 28],
  [35, 39, 17],
]);
const COUPLE_HUSBAND_AGES = new AgeBands([
  [24, 29, 16],
  [30, 34, 18],
  [35, 39, 14],
  [40, 44, 12],
  [45, 49, 13],
  [50, 54, 14],
  [55, 59, 13],
]);
const MOTHER_AGES = new AgeBands([
  [25, 29, 7],
  [30, 34, 17],
  [35, 39, 22],
  [40, 44, 21],
  [45, 49, 18],
  [50, 55, 15],
]);

const ELDER_ALONE_MARITAL = new Weighted<string>([
  ['丧偶', 72],
  ['离异', 12],
  ['未婚', 10],
  ['已婚', 6],
]);
const SINGLE_PARENT_MARITAL = new Weighted<string>([
  ['离异', 70],
  ['丧偶', 25],
  ['未婚', 5],
]);
const SINGLE_MIDDLE_MARITAL = new Weighted<string>([
  ['离异', 50],
  ['未婚', 35],
  ['丧偶', 15],
]);
const ADULT_CHILD_AT_HOME_MARITAL = new Weighted<string>([
  ['未婚', 60],
  ['离异', 35],
  ['丧偶', 5],
]);

// Disability grade 1 is the most severe and the rarest (certified disabilities in China are
// mostly grades 3-4).
const DISABILITY_GRADES = new Weighted<number>([
  [1, 11],
  [2, 19],
  [3, 28],
  [4, 42],
]);
const ADULT_DISABILITY = new Weighted<string>([
  ['肢体', 45],
  ['视力', 12],
  ['听力', 14],
  ['言语', 1],
  ['智力', 7],
  ['精神', 15],
  ['多重', 6],
]);
// Among the oldest, sight and hearing losses dominate; among children, intellectual disability and
// autism (certified under 精神).
const OLD_DISABILITY = new Weighted<string>([
  ['肢体', 40],
  ['视力', 21],
  ['听力', 25],
  ['言语', 1],
  ['智力', 1],
  ['精神', 5],
  ['多重', 7],
]);
const CHILD_DISABILITY = new Weighted<string>([
  ['智力', 35],
  ['精神', 20],
  ['听力', 15],
  ['肢体', 15],
  ['多重', 10],
  ['视力', 4],
  ['言语', 1],
]);

/** Shanghai's minimum monthly wage from 2023-07-01: nobody 在职 full time earns less. */
const MINIMUM_WAGE = 2690;

export class HouseholdBuilder {
  private readonly rng: Rng;
  private readonly cal: AgeCalendar;
  private readonly ids: IdAllocator;
  private readonly libao: number;
  /** The year the current school year began (it begins on 1 September). */
  private readonly schoolYear: number;

  constructor(private readonly ctx: BuildContext) {
    this.rng = ctx.rng;
    this.cal = ctx.cal;
    this.ids = ctx.ids;
    this.libao = ctx.params.libao;
    const month = Number(ctx.cal.asOf.slice(5, 7));
    this.schoolYear = Number(ctx.cal.asOf.slice(0, 4)) - (month >= 9 ? 0 : 1);
  }

  build(householdId: string, committeeCode: string): BuiltHousehold {
    const rng = this.rng;
    const kind = kinds.pick(rng);
    const profile = KINDS[kind];
    const local = !rng.chance(profile.nonLocal);
    const homeRegion = local ? null : pickProvincialRegion(rng);
    const t = rng.next();
    const tier: Tier = t < profile.poor ? 'poor' : t < profile.poor + profile.near ? 'near' : 'normal';

    const members = this.compose(kind, local, homeRegion, tier);
    for (const m of members) this.circumstances(m, tier, kind);
    this.fitIncomeToTier(members, tier);

    const household = this.householdRow(householdId, committeeCode, members, tier, local);
    const relations = relationRows(members, this.libao);
    const enrollments = this.enrollments(members, relations, household, tier);
    const tags = members.flatMap((m) => this.identityTags(m));
    return { household, members, relations, enrollments, tags };
  }

  // ---- people and their ties ------------------------------------------------------------------

  /** A member with identity allocated; circumstances are filled in later. */
  private person(
    male: boolean,
    age: number,
    surname: string,
    relationToHead: string,
    marital: string,
    region: string,
    local: boolean,
  ): Member {
    const requested = this.cal.birthDay(this.rng, age);
    const id = this.ids.allocate(region, requested, male);
    // A full id slot moves the birth day back a day, which can add a year at a birthday.
    const realAge =
      id.birthDay === requested ? clamp(Math.round(age), 0, AgeCalendar.MAX_AGE) : ageFromDay(this.cal, id.birthDay);
    return {
      male,
      age: realAge,
      surname,
      name: surname + pickGivenName(this.rng, Number(id.birthDate.slice(0, 4)), male),
      idNumber: id.idNumber,
      birthDate: id.birthDate,
      relationToHead,
      local,
      marital,
      spouse: -1,
      parents: [],
      disabilityGrade: null,
      disabilityCategory: null,
      income: 0,
      employment: '无',
      schoolStage: null,
      laborCapacity: '有',
      chronic: false,
      medical: null,
      phone: null,
      outside: [],
    };
  }

  /**
   * The region code in a member's id number. Locals were mostly born in Shanghai (children of
   * 长宁 households mostly in 长宁); about 8% of local adults of working age came from another
   * province and later gained a Shanghai hukou, keeping their original id number. Migrants carry
   * their home region, shared by most of the family.
   */
  private regionFor(local: boolean, homeRegion: string | null, age: number): string {
    const rng = this.rng;
    if (!local) return homeRegion !== null && rng.chance(0.75) ? homeRegion : pickProvincialRegion(rng);
    if (age < 18) return rng.chance(0.8) ? '310105' : pickShanghaiRegion(rng);
    if (age >= 25 && age < 60 && rng.chance(0.08)) return pickProvincialRegion(rng);
    return pickShanghaiRegion(rng);
  }

  /** A spouse marrying into a household: in local households, 6% still hold a hukou elsewhere. */
  private spouseOf(
    m: Member,
    index: number,
    members: Member[],
    age: number,
    relationToHead: string,
    local: boolean,
    homeRegion: string | null,
  ): Member {
    const spouseLocal = local && !this.rng.chance(0.06);
    const s = this.person(
      !m.male,
      age,
      pickSurname(this.rng),
      relationToHead,
      '已婚',
      this.regionFor(spouseLocal, spouseLocal ? null : (homeRegion ?? pickProvincialRegion(this.rng)), age),
      spouseLocal,
    );
    members.push(s);
    s.spouse = index;
    m.spouse = members.length - 1;
    m.marital = '已婚';
    return s;
  }

  private child(
    parents: number[],
    members: Member[],
    age: number,
    surname: string,
    relationToHead: string,
    local: boolean,
    homeRegion: string | null,
    male = this.rng.chance(0.515),
  ): Member {
    // Migrants' children are registered where a parent is, mostly the father.
    const parent = members[parents.find((i) => members[i]!.male) ?? parents[0] ?? -1];
    const region =
      !local && parent !== undefined && this.rng.chance(0.9)
        ? parent.idNumber.slice(0, 6)
        : this.regionFor(local, homeRegion, age);
    const c = this.person(male, age, surname, relationToHead, '未婚', region, local);
    if (c.age >= 30 && this.rng.chance(0.12)) c.marital = '离异';
    c.parents = parents;
    members.push(c);
    return c;
  }

  /**
   * A relative living elsewhere, with an id number where the source system would know one. Names
   * in `taken` are avoided: two brothers are not both called 王伟, and two rows without an id
   * would otherwise be the same relations row, which the import rejects as a repeated key.
   */
  private outsider(
    relation: Kin,
    male: boolean,
    age: number,
    surname: string,
    region: string,
    able: boolean,
    idKnown: number,
    taken?: Set<string>,
  ): OutsideRelative {
    const rng = this.rng;
    const a = clamp(Math.round(age), 0, AgeCalendar.MAX_AGE);
    const birthYear = Number(this.cal.asOf.slice(0, 4)) - a;
    let name = surname + pickGivenName(rng, birthYear, male);
    for (let tries = 0; taken?.has(name); tries++)
      name = surname + pickGivenName(rng, tries < 20 ? birthYear : 2010, male);
    taken?.add(name);
    const idNumber = rng.chance(idKnown) ? this.ids.allocate(region, this.cal.birthDay(rng, a), male).idNumber : null;
    return { name, idNumber, relation, able };
  }

  /**
   * Children living elsewhere of an elder (or of a couple: the same children appear in both
   * spouses' relations). Most can and do support their parents; in poor households fewer can.
   */
  private childrenElsewhere(
    parents: Member[],
    count: number,
    tier: Tier,
    local: boolean,
    homeRegion: string | null,
  ): void {
    const rng = this.rng;
    const father = parents.find((p) => p.male);
    const mother = parents.find((p) => !p.male) ?? parents[0]!;
    const familyName = father?.surname ?? pickSurname(rng);
    const ableRate = tier === 'poor' ? 0.5 : tier === 'near' ? 0.8 : 0.92;
    let age = mother.age - rng.int(23, 34);
    const names = new Set<string>();
    for (let i = 0; i < count && age >= 18; i++) {
      const region = local ? pickShanghaiRegion(rng) : (homeRegion ?? pickProvincialRegion(rng));
      const rel = this.outsider('子女', rng.chance(0.5), age, familyName, region, rng.chance(ableRate), 0.6, names);
      for (const p of parents) p.outside.push(rel);
      age -= rng.int(2, 7);
    }
  }

  private siblingsElsewhere(m: Member, count: number, provincialShare: number): void {
    const rng = this.rng;
    const names = new Set([m.name]);
    for (let i = 0; i < count; i++) {
      const region = rng.chance(provincialShare) ? pickProvincialRegion(rng) : pickShanghaiRegion(rng);
      m.outside.push(
        this.outsider(
          '兄弟姐妹',
          rng.chance(0.5),
          m.age + rng.int(-10, 10),
          m.surname,
          region,
          rng.chance(0.45),
          0.3,
          names,
        ),
      );
    }
  }

  /** Parents living elsewhere of a younger adult, while they are likely alive. */
  private parentsElsewhere(m: Member, share: number, local: boolean, homeRegion: string | null): void {
    const rng = this.rng;
    if (!rng.chance(share)) return;
    const fatherAge = m.age + rng.int(24, 34);
    if (fatherAge > 92) return;
    const region = local ? pickShanghaiRegion(rng) : (homeRegion ?? pickProvincialRegion(rng));
    const ableRate = fatherAge < 70 ? 0.65 : 0.35;
    const names = new Set<string>();
    m.outside.push(this.outsider('父母', true, fatherAge, m.surname, region, rng.chance(ableRate), 0.5, names));
    if (rng.chance(0.85))
      m.outside.push(
        this.outsider(
          '父母',
          false,
          fatherAge - rng.int(0, 4),
          pickSurname(rng),
          region,
          rng.chance(ableRate),
          0.5,
          names,
        ),
      );
  }

  private compose(kind: Kind, local: boolean, homeRegion: string | null, tier: Tier): Member[] {
    const rng = this.rng;
    const members: Member[] = [];

    switch (kind) {
      case 'elderAlone': {
        const e = this.adult(
          members,
          local,
          homeRegion,
          rng.chance(0.33),
          ELDER_ALONE_AGES.pick(rng),
          '户主',
          ELDER_ALONE_MARITAL.pick(rng),
        );
        if (e.marital === '已婚') {
          // A spouse in a nursing home or hospital: married, yet living alone, and unable to support.
          e.outside.push(
            this.outsider(
              '配偶',
              !e.male,
              e.age + rng.int(-3, 5),
              pickSurname(rng),
              pickShanghaiRegion(rng),
              false,
              0.9,
            ),
          );
        }
        const children = e.marital === '未婚' ? 0 : pickCount(rng, [8, 45, 30, 17]);
        this.childrenElsewhere([e], children, tier, local, homeRegion);
        // Those without children mostly have a brother or sister somewhere, who owes them nothing in law.
        if (children === 0 && rng.chance(0.7)) this.siblingsElsewhere(e, rng.int(1, 2), 0.3);
        break;
      }
      case 'elderCouple': {
        const husbandAge = ELDER_COUPLE_AGES.pick(rng);
        const husbandHead = rng.chance(0.75);
        const h = this.adult(members, local, homeRegion, true, husbandAge, husbandHead ? '户主' : '配偶', '已婚');
        this.spouseOf(
          h,
          0,
          members,
          clamp(Math.round(husbandAge - rng.normal(2.5, 3)), 55, 105),
          husbandHead ? '配偶' : '户主',
          local,
          homeRegion,
        );
        this.childrenElsewhere(members, pickCount(rng, [6, 50, 30, 14]), tier, local, homeRegion);
        break;
      }
      case 'elderWithChild': {
        // An elder (or elderly couple) with an unmarried or divorced adult child who never left or came back.
        const couple = rng.chance(0.4);
        const elderHead = rng.chance(0.7);
        const first = this.adult(
          members,
          local,
          homeRegion,
          couple || rng.chance(0.3),
          couple ? ELDER_COUPLE_AGES.pick(rng) : ELDER_ALONE_AGES.pick(rng),
          elderHead ? '户主' : '父母',
          couple ? '已婚' : '丧偶',
        );
        if (couple)
          this.spouseOf(
            first,
            0,
            members,
            clamp(Math.round(first.age - rng.normal(2.5, 3)), 55, 105),
            elderHead ? '配偶' : '父母',
            local,
            homeRegion,
          );
        const parents = members.map((_, i) => i);
        const mother = members.find((m) => !m.male);
        const childAge = Math.max(22, (mother?.age ?? first.age - 2) - rng.int(24, 38));
        const familyName = members.find((m) => m.male)?.surname ?? pickSurname(rng);
        const c = this.child(parents, members, childAge, familyName, elderHead ? '子女' : '户主', local, homeRegion);
        c.marital = ADULT_CHILD_AT_HOME_MARITAL.pick(rng);
        if (rng.chance(0.45))
          this.childrenElsewhere(members.slice(0, parents.length), rng.int(1, 2), tier, local, homeRegion);
        break;
      }
      case 'oldestWithChildren': {
        // A very old widowed parent who moved in with a child's couple, themselves near or past 60.
        const parentHead = rng.chance(0.25);
        const p = this.adult(
          members,
          local,
          homeRegion,
          rng.chance(0.28),
          OLDEST_AGES.pick(rng),
          parentHead ? '户主' : '父母',
          '丧偶',
        );
        const blood = this.child(
          [0],
          members,
          Math.max(45, p.age - rng.int(24, 36)),
          p.male ? p.surname : pickSurname(rng),
          parentHead ? '子女' : '户主',
          local,
          homeRegion,
        );
        const spouse = this.spouseOf(
          blood,
          1,
          members,
          clamp(Math.round(blood.age + (blood.male ? -1 : 1) * rng.normal(2, 2.5)), 40, 95),
          parentHead ? '其他' : '配偶',
          local,
          homeRegion,
        );
        if (rng.chance(0.25)) {
          const grandAge = Math.min(blood.age, spouse.age) - rng.int(25, 33);
          if (grandAge >= 18) {
            const father = blood.male ? blood : spouse;
            this.child([1, 2], members, grandAge, father.surname, parentHead ? '孙子女' : '子女', local, homeRegion);
          }
        }
        break;
      }
      case 'couple': {
        const husbandAge = COUPLE_HUSBAND_AGES.pick(rng);
        const husbandHead = rng.chance(0.7);
        const h = this.adult(members, local, homeRegion, true, husbandAge, husbandHead ? '户主' : '配偶', '已婚');
        const w = this.spouseOf(
          h,
          0,
          members,
          clamp(Math.round(husbandAge - rng.normal(2, 2.5)), 20, 70),
          husbandHead ? '配偶' : '户主',
          local,
          homeRegion,
        );
        if (w.age >= 45) this.childrenElsewhere(members, pickCount(rng, [15, 75, 10]), tier, local, homeRegion);
        else for (const m of members) this.parentsElsewhere(m, 0.25, m.local, homeRegion);
        break;
      }
      case 'family': {
        const motherAge = MOTHER_AGES.pick(rng);
        const fatherHead = rng.chance(0.7);
        const fatherAge = Math.max(22, Math.round(motherAge + rng.normal(2, 2.5)));
        const f = this.adult(members, local, homeRegion, true, fatherAge, fatherHead ? '户主' : '配偶', '已婚');
        const mo = this.spouseOf(f, 0, members, motherAge, fatherHead ? '配偶' : '户主', local, homeRegion);
        this.addChildren(
          members,
          [0, 1],
          mo.age,
          pickCount(rng, [0, 72, 26, 2]),
          rng.chance(0.92) ? f.surname : mo.surname,
          '子女',
          local,
          homeRegion,
          40,
        );
        for (const m of [f, mo]) this.parentsElsewhere(m, 0.2, m.local, homeRegion);
        break;
      }
      case 'threeGenerations': {
        // Grandparents helping to raise grandchildren: the parents of one of the young couple.
        const kidAge = rng.int(0, 15);
        const motherAge = kidAge + rng.int(24, 36);
        const fatherAge = Math.max(22, Math.round(motherAge + rng.normal(2, 2.5)));
        const bloodIsFather = rng.chance(0.65);
        const seniorCouple = rng.chance(0.55);
        const seniorHead = rng.chance(0.45);
        const bloodAge = bloodIsFather ? fatherAge : motherAge;
        const seniorMale = seniorCouple || rng.chance(0.3);
        const g = this.adult(
          members,
          local,
          homeRegion,
          seniorMale,
          bloodAge + rng.int(25, 34),
          seniorHead ? '户主' : '父母',
          seniorCouple ? '已婚' : rng.chance(0.9) ? '丧偶' : '离异',
        );
        if (seniorCouple)
          this.spouseOf(
            g,
            0,
            members,
            clamp(Math.round(g.age - rng.normal(2.5, 3)), 45, 100),
            seniorHead ? '配偶' : '父母',
            local,
            homeRegion,
          );
        const seniors = members.map((_, i) => i);
        const bloodSurname = seniorMale ? g.surname : pickSurname(rng);
        const blood = this.child(
          seniors,
          members,
          bloodAge,
          bloodSurname,
          seniorHead ? '子女' : '户主',
          local,
          homeRegion,
          bloodIsFather,
        );
        const bloodIndex = members.length - 1;
        const inLaw = this.spouseOf(
          blood,
          bloodIndex,
          members,
          bloodIsFather ? motherAge : fatherAge,
          seniorHead ? '其他' : '配偶',
          local,
          homeRegion,
        );
        const father = bloodIsFather ? blood : inLaw;
        this.addChildren(
          members,
          [bloodIndex, bloodIndex + 1],
          kidAge,
          rng.chance(0.3) ? 2 : 1,
          father.surname,
          seniorHead ? '孙子女' : '子女',
          local,
          homeRegion,
          15,
          kidAge,
        );
        break;
      }
      case 'singleParent': {
        const p = this.adult(
          members,
          local,
          homeRegion,
          rng.chance(0.2),
          rng.int(30, 55),
          '户主',
          SINGLE_PARENT_MARITAL.pick(rng),
        );
        const kidsSurname = p.male || rng.chance(0.15) ? p.surname : pickSurname(rng);
        this.addChildren(members, [0], p.age, rng.chance(0.85) ? 1 : 2, kidsSurname, '子女', local, homeRegion, 22);
        if (p.marital !== '丧偶') {
          // The other parent, living elsewhere, still owes the children support.
          const other = this.outsider(
            '父母',
            !p.male,
            p.age + rng.int(-3, 5),
            kidsSurname === p.surname ? pickSurname(rng) : kidsSurname,
            local ? pickShanghaiRegion(rng) : (homeRegion ?? pickProvincialRegion(rng)),
            rng.chance(0.6),
            0.6,
          );
          for (const c of members.slice(1)) c.outside.push(other);
        }
        this.parentsElsewhere(p, 0.3, local, homeRegion);
        break;
      }
      case 'singleYoung': {
        const age = YOUNG_SINGLE_AGES.pick(rng);
        const y = this.adult(
          members,
          local,
          homeRegion,
          rng.chance(0.55),
          age,
          '户主',
          age >= 27 && rng.chance(0.08) ? '离异' : '未婚',
        );
        this.parentsElsewhere(y, 0.7, local, homeRegion);
        break;
      }
      case 'singleMiddle': {
        const s = this.adult(
          members,
          local,
          homeRegion,
          rng.chance(0.55),
          rng.int(40, 59),
          '户主',
          SINGLE_MIDDLE_MARITAL.pick(rng),
        );
        if (s.marital !== '未婚' && rng.chance(0.6)) this.childrenElsewhere([s], 1, tier, local, homeRegion);
        if (s.age < 52) this.parentsElsewhere(s, 0.4, local, homeRegion);
        if (rng.chance(0.4)) this.siblingsElsewhere(s, 1, 0.2);
        break;
      }
    }
    return members;
  }

  /** An adult member of the household being composed. */
  private adult(
    members: Member[],
    local: boolean,
    homeRegion: string | null,
    male: boolean,
    age: number,
    role: string,
    marital: string,
    surname?: string,
  ): Member {
    const m = this.person(
      male,
      age,
      surname ?? pickSurname(this.rng),
      role,
      marital,
      this.regionFor(local, homeRegion, age),
      local,
    );
    members.push(m);
    return m;
  }

  /**
   * Children of a couple or single parent: the first born when the mother was 23-36 (Shanghai's
   * mean age at first birth is about 30), later ones two to eight years apart.
   */
  private addChildren(
    members: Member[],
    parents: number[],
    motherAge: number,
    count: number,
    surname: string,
    role: string,
    local: boolean,
    homeRegion: string | null,
    maxAge: number,
    firstAge?: number,
  ): void {
    const rng = this.rng;
    let age = firstAge ?? motherAge - rng.int(23, 36);
    if (age < 0) age = rng.int(0, Math.max(0, motherAge - 23));
    if (age > maxAge) age = rng.int(3, maxAge);
    for (let i = 0; i < count && age >= 0; i++) {
      this.child(parents, members, age, surname, role, local, homeRegion);
      age -= rng.int(2, 8);
    }
  }

  // ---- circumstances -----------------------------------------------------------------------------

  /** Disability, schooling, work, income, health and phone of one member, by age and hardship. */
  private circumstances(m: Member, tier: Tier, kind: Kind): void {
    const rng = this.rng;
    const age = m.age;

    // Certified disability rises steeply with age (Shanghai's roll is about 4-5% of residents);
    // it is both a cause and a consequence of hardship, hence the tier factor.
    const baseDisability = age < 18 ? 0.008 : age < 60 ? 0.025 : age < 80 ? 0.062 : 0.12;
    const disabilityFactor = (tier === 'poor' ? 2.2 : tier === 'near' ? 1.6 : 1) * (kind === 'singleMiddle' ? 2 : 1);
    if (rng.chance(baseDisability * disabilityFactor)) {
      m.disabilityGrade = DISABILITY_GRADES.pick(rng);
      m.disabilityCategory = (age < 18 ? CHILD_DISABILITY : age >= 75 ? OLD_DISABILITY : ADULT_DISABILITY).pick(rng);
    }
    const severe = isSevereDisability(m.disabilityGrade, m.disabilityCategory);

    // Certified serious or chronic illness: about a quarter of elders, one in twenty otherwise.
    const chronicRate =
      (age >= 60 ? 0.24 : age >= 18 ? 0.06 : 0.02) * (tier === 'poor' ? 1.4 : tier === 'near' ? 1.2 : 1);
    m.chronic = rng.chance(chronicRate);

    this.workAndSchool(m, tier, severe);
    m.income = this.income(m, tier);
    m.laborCapacity = this.laborCapacity(m, severe);
    m.medical = this.medical(m, tier);
    m.phone = pickPhone(rng, age);
  }

  private workAndSchool(m: Member, tier: Tier, severe: boolean): void {
    const rng = this.rng;
    const age = m.age;
    if (age < 3) {
      m.employment = '无';
      return;
    }
    if (age < 18) {
      m.employment = '在校';
      // Shanghai splits upper secondary roughly 60:40 between 普高 and 中职.
      m.schoolStage = age < 6 ? '学前' : age < 12 ? '小学' : age < 15 ? '初中' : rng.chance(0.62) ? '高中' : '中职';
      return;
    }
    // About 60% of young locals are at university (fewer among migrants' children); a few study on.
    const universityRate = age <= 22 ? (m.local ? 0.62 : 0.3) : age <= 24 ? 0.12 : 0;
    if (rng.chance(universityRate)) {
      m.employment = '在校';
      m.schoolStage = '高校';
      return;
    }
    // Retirement: men at 60, women at 50 (workers) or 55 (cadres) under the rules most of today's
    // retirees retired by; a few men re-employed after 60.
    const retired = m.male
      ? (age >= 60 && !(age < 65 && rng.chance(0.1))) || (age >= 55 && rng.chance(0.05))
      : age >= 55 || (age >= 50 && rng.chance(0.55));
    if (retired) {
      // Some never had a job with a pension (more among older women and in hardship).
      const never = tier === 'poor' ? 0.45 : age >= 80 && !m.male ? 0.1 : 0.05;
      m.employment = rng.chance(never) ? '无' : '退休';
      return;
    }
    if (severe && rng.chance(0.7)) {
      m.employment = '无';
      return;
    }
    const r = rng.next();
    // Working-age employment: most are employed; hardship means unemployment and odd jobs.
    const [work, flexible, unemployed] =
      tier === 'poor' ? [0.08, 0.45, 0.8] : tier === 'near' ? [0.4, 0.75, 0.9] : [0.85, 0.93, 0.96];
    m.employment = r < work ? '在职' : r < flexible ? '灵活就业' : r < unemployed ? '失业' : '无';
  }

  /** Own regular monthly income in yuan (wages, pensions; never social assistance). */
  private income(m: Member, tier: Tier): number {
    const rng = this.rng;
    switch (m.employment) {
      case '在职': {
        if (tier === 'poor') return roundTo(rng.real(MINIMUM_WAGE, 3100), 10);
        if (tier === 'near') return roundTo(rng.real(MINIMUM_WAGE, 4200), 10);
        // Wages are log-normal: median about 9,000 yuan (a little less for migrants and older
        // workers), so most fall between 4,000 and 30,000.
        const median = (m.local ? 9000 : 7500) * (m.age >= 50 ? 0.9 : 1);
        return roundTo(clamp(rng.logNormal(median, 0.5), MINIMUM_WAGE, 60000), 10);
      }
      case '退休': {
        if (tier === 'poor') return roundTo(rng.real(1100, 1500), 10);
        if (tier === 'near') return roundTo(rng.real(1600, 3000), 10);
        // Urban employees' pensions average about 5,000 yuan; the oldest retired on less.
        if (!m.local) return roundTo(rng.real(1500, 4000), 10); // a pension from the home province
        return roundTo(clamp(rng.normal(m.age >= 80 ? 4500 : 4900, 950), 3000, 9800), 10);
      }
      case '灵活就业':
        // Odd jobs, delivery, cleaning by the hour: less than a wage, and irregular.
        return roundTo(
          tier === 'poor' ? rng.real(400, 1500) : tier === 'near' ? rng.real(1500, 3500) : rng.real(1800, 5000),
          10,
        );
      case '失业':
        // Unemployment insurance (about 2,000 yuan) while it lasts; odd jobs otherwise.
        if (tier === 'normal') return rng.chance(0.5) ? roundTo(rng.real(1900, 2200), 10) : 0;
        return rng.chance(0.3) ? roundTo(rng.real(200, 1000), 10) : 0;
      case '无':
        // Elders without an employee pension may have the small residents' pension (城乡居民养老金).
        if (m.age >= 60 && m.local && rng.chance(tier === 'poor' ? 0.5 : 0.9)) return roundTo(rng.real(1250, 1700), 10);
        return 0;
      default:
        return 0; // 在校 and 学前: children and students have no income of their own
    }
  }

  private laborCapacity(m: Member, severe: boolean): string {
    const rng = this.rng;
    const age = m.age;
    if (age < 16) return '无';
    // Someone severely disabled who still holds a job (福利企业, sheltered work) can do some work.
    if (severe) return m.employment === '在职' || m.employment === '灵活就业' ? '部分' : '无';
    if (m.disabilityGrade === 3) return rng.chance(0.8) ? '部分' : '无';
    if (m.disabilityGrade === 4) return rng.chance(0.6) ? '部分' : '有';
    if (age >= 70) return rng.chance(m.chronic ? 0.9 : 0.7) ? '无' : '部分';
    if (age >= 60)
      return m.chronic ? (rng.chance(0.5) ? '无' : '部分') : rng.chance(0.3) ? '有' : rng.chance(0.8) ? '部分' : '无';
    if (m.chronic) return rng.chance(0.5) ? '部分' : '有';
    return '有';
  }

  /**
   * Out-of-pocket medical spending over 12 months. Chronic illness costs thousands a year; a few
   * serious illnesses (cancer, dialysis) cost tens of thousands, which is what makes a household
   * 支出型贫困. Migrants' records are often missing (no local medical insurance data).
   */
  private medical(m: Member, tier: Tier): number | null {
    const rng = this.rng;
    if (!m.local && rng.chance(0.35)) return null;
    if (m.chronic) {
      if (rng.chance(tier === 'normal' ? 0.06 : 0.12)) return roundTo(rng.real(40000, 200000), 10);
      return roundTo(clamp(rng.logNormal(7000, 0.8), 800, 60000), 10);
    }
    if (rng.chance(m.age < 18 ? 0.5 : 0.45)) return 0;
    return roundTo(clamp(rng.logNormal(m.age < 18 ? 400 : 900, 0.9), 50, 8000), 10);
  }

  /**
   * Makes incomes agree with the household's tier: per-head income below the 低保 line for
   * 'poor', between one and two lines for 'near'. Independent draws would rarely put a
   * multi-person household there; hardship is a household condition.
   */
  private fitIncomeToTier(members: Member[], tier: Tier): void {
    if (tier === 'normal') return;
    const rng = this.rng;
    const n = members.length;
    const total = members.reduce((s, m) => s + m.income, 0);
    const pc = total / n;
    const lo = tier === 'poor' ? 0 : this.libao;
    const hi = tier === 'poor' ? this.libao : 2 * this.libao;
    if (pc >= lo && pc < hi) return;
    const target = tier === 'poor' ? this.libao * rng.real(0.3, 0.92) : this.libao * rng.real(1.08, 1.9);
    if (total === 0) {
      // Nobody earns: give the oldest adult a small pension or odd jobs.
      const earner = members.reduce((a, b) => (b.age > a.age ? b : a));
      if (earner.age < 16) return;
      earner.employment = earner.age >= 60 ? '退休' : '灵活就业';
      earner.income = roundTo(target * n, 10);
      return;
    }
    const factor = target / pc;
    for (const m of members) {
      if (m.income === 0) continue;
      m.income = roundTo(m.income * factor, 10);
      if (m.employment === '在职' && m.income < MINIMUM_WAGE) m.employment = '灵活就业';
    }
    // Rounding could cross a boundary; nudge back inside.
    const after = members.reduce((s, m) => s + m.income, 0) / n;
    if (after >= hi || after < lo) {
      const earner = members.find((m) => m.income > 0)!;
      earner.income = Math.max(0, earner.income + roundTo((target - after) * n, 10));
    }
  }

  // ---- the household ------------------------------------------------------------------------------

  private householdRow(
    householdId: string,
    committeeCode: string,
    members: Member[],
    tier: Tier,
    local: boolean,
  ): HouseholdRow {
    const rng = this.rng;
    const n = members.length;
    const elderly = members.every((m) => m.age >= 55);
    const oldStreet = isOldHousingStreet(committeeCode.slice(0, 9));

    // Tenure: most locals own (the 1990s housing reform sold public flats to sitting tenants);
    // public tenancies (公房) remain common in the old lane streets and among the poor; migrants rent.
    let housingType: string;
    if (!local) housingType = rng.chance(0.85) ? '租赁' : rng.chance(0.8) ? '自有' : '其他';
    else {
      const publicShare = (oldStreet ? 0.38 : 0.2) + (tier === 'normal' ? 0 : 0.2);
      const r = rng.next();
      housingType =
        r < publicShare ? '公房' : r < publicShare + 0.09 ? '租赁' : r < publicShare + 0.12 ? '其他' : '自有';
    }

    // Usable floor area. Old lane rooms and partitioned rentals (群租) are tiny: a few households
    // live on less than 10 m² a head, which the needs assessment counts as 居住困境.
    let area: number;
    switch (housingType) {
      case '自有':
        area = clamp(rng.logNormal(38 + 14 * Math.min(n, 5), 0.3), 25, 260);
        break;
      case '公房':
        area = clamp(rng.logNormal(21 + 7 * Math.min(n, 5), 0.35), 7, 80);
        break;
      case '租赁':
        area =
          n === 1
            ? clamp(rng.logNormal(16, 0.45), 6, 60)
            : clamp(rng.logNormal(28 + 9 * Math.min(n, 5), 0.35), 12, 120);
        break;
      default:
        area = clamp(rng.logNormal(20, 0.4), 8, 60);
    }
    if (tier !== 'normal') area *= 0.85;
    area = Math.round(area * 10) / 10;

    // Savings are very unequal (log-normal); elders who own their home have the most, the poor
    // little — though some poor households hold more than the 低保 asset limit and so do not qualify.
    let assets: number | null;
    if (rng.chance(0.03)) assets = null;
    else if (tier === 'poor') assets = roundTo(clamp(rng.logNormal(9000, 1.1), 0, 200000), 100);
    else if (tier === 'near') assets = roundTo(clamp(rng.logNormal(35000, 0.9), 0, 400000), 100);
    else {
      const median = !local ? 50000 : elderly ? 300000 : 200000;
      assets = roundTo(clamp(rng.logNormal(median, 1), 0, 8000000), 100);
    }

    return {
      household_id: householdId,
      committee_code: committeeCode,
      address: pickAddress(rng, committeeCode, housingType === '公房' && area / n < 12),
      housing_type: housingType,
      housing_area_m2: area,
      financial_assets_yuan: assets,
    };
  }

  // ---- benefits -----------------------------------------------------------------------------------

  /**
   * Enrollments: about 70% of the entitled receive each benefit (the "silent minority" is the
   * rest), household benefits being taken up by the whole household at once; people in a household
   * already on 低保/低收入 are more likely to be reached for the individual benefits too. A few
   * households still hold a benefit their circumstances no longer justify (review findings), and
   * some hold ones that ended in the past.
   */
  private enrollments(
    members: Member[],
    relations: ReadonlyArray<ReadonlyArray<RelationRow>>,
    household: HouseholdRow,
    tier: Tier,
  ): EnrollmentRow[] {
    const rng = this.rng;
    const cal = this.cal;
    const facts = members.map((m, i) => memberFacts(m, relations[i]!));
    const eligible = eligibleBenefits(
      { members: facts, financialAssets: household.financial_assets_yuan ?? 0 },
      this.ctx.params,
    );
    const out: EnrollmentRow[] = [];

    const reached = rng.chance(0.7);
    const householdStart = daysBefore(cal, rng.int(20, 6 * 365));
    let householdEnrolled = false;
    members.forEach((m, i) => {
      for (const code of eligible[i]!) {
        if ((code === 'DIBAO' || code === 'LOW_INCOME' || code === 'EXPENDITURE_POOR') && reached) {
          out.push(enrollment(m, code, householdStart));
          householdEnrolled = true;
        }
      }
    });
    members.forEach((m, i) => {
      for (const code of eligible[i]!) {
        switch (code) {
          case 'TEKUN':
            if (rng.chance(0.7))
              out.push(
                enrollment(
                  m,
                  code,
                  m.age >= 60
                    ? later(sixtieth(m), daysBefore(cal, rng.int(20, 8 * 365)))
                    : daysBefore(cal, rng.int(20, 8 * 365)),
                ),
              );
            break;
          case 'ELDER_ALONE':
            if (rng.chance(0.7))
              out.push(enrollment(m, code, later(sixtieth(m), daysBefore(cal, rng.int(20, 6 * 365)))));
            break;
          case 'SEVERE_DISABLED_CARE':
            if (rng.chance(0.72)) out.push(enrollment(m, code, daysBefore(cal, rng.int(30, 8 * 365))));
            break;
          case 'DISABLED_LIVING':
            if (rng.chance(householdEnrolled ? 0.85 : 0.35))
              out.push(enrollment(m, code, householdEnrolled ? householdStart : daysBefore(cal, rng.int(30, 4 * 365))));
            break;
          case 'EDU_AID':
            if (rng.chance(householdEnrolled ? 0.88 : 0.4))
              out.push(enrollment(m, code, formatIsoDate(this.schoolYear - rng.int(0, 2), 9, 1)));
            break;
          case 'WELFARE_JOB':
            if (rng.chance(householdEnrolled ? 0.85 : 0.45))
              out.push(enrollment(m, code, daysBefore(cal, rng.int(30, 3 * 365))));
            break;
          default:
            break; // household benefits handled above
        }
      }
    });

    const anyEligible = eligible.some((codes) => codes.length > 0);
    const locals = members.filter((m) => m.local);
    if (tier === 'normal' && !anyEligible && locals.length > 0) {
      const f = householdFigures({ members: facts, financialAssets: household.financial_assets_yuan ?? 0 });
      if (f.pcIncome >= 2 * this.libao && f.pcIncome < 3.5 * this.libao && rng.chance(0.012)) {
        // Still on 低收入 though someone has since found work: a review case.
        const start = daysBefore(cal, rng.int(2 * 365, 6 * 365));
        for (const m of locals) out.push(enrollment(m, 'LOW_INCOME', start));
      } else if (members.some((m) => m.age >= 30 && m.age < 60) && rng.chance(0.01)) {
        // 低保 in the past, ended when circumstances improved.
        const end = daysBefore(cal, rng.int(200, 3 * 365));
        const start = daysBefore(cal, rng.int(4 * 365, 10 * 365));
        for (const m of locals) if (m.birthDate <= end) out.push(enrollment(m, 'DIBAO', start, end));
      }
    }
    if (members.length > 1) {
      // An elder who lived alone when enrolled in 独居老人关爱, and no longer does: a review case.
      for (const m of members)
        if (m.age >= 62 && rng.chance(0.006))
          out.push(enrollment(m, 'ELDER_ALONE', later(sixtieth(m), daysBefore(cal, rng.int(365, 5 * 365)))));
    }
    return out;
  }

  // ---- identity tags ------------------------------------------------------------------------------

  /**
   * Identity facts from other departments. Party members are about 8% of adults (China: about 99
   * million of 1.1 billion adults; older urban cohorts more). Registered community volunteers are
   * mostly active retirees. Veterans are mostly men. 社区骨干 (building leaders, residents'
   * representatives) are few and drawn from party members and volunteers.
   */
  private identityTags(m: Member): IdentityTagRow[] {
    const rng = this.rng;
    const age = m.age;
    if (age < 18) return [];
    const out: IdentityTagRow[] = [];
    const partyRate = (age < 30 ? 0.042 : age < 60 ? 0.08 : age < 80 ? 0.105 : 0.115) * (m.local ? 1 : 0.5);
    const party = rng.chance(partyRate);
    if (party) out.push(tag(m, '中共党员'));
    const volunteerRate = (age >= 60 && age <= 75 ? 0.1 : age < 60 ? 0.035 : 0.02) * (party ? 2 : 1);
    const volunteer = rng.chance(volunteerRate);
    if (volunteer) out.push(tag(m, '志愿者'));
    if (age >= 20 && rng.chance(m.male ? 0.075 : 0.004)) out.push(tag(m, '退役军人'));
    const coreRate = (age >= 55 && age <= 80 ? 0.025 : 0.005) * (party || volunteer ? 4 : 1);
    if (m.local && rng.chance(coreRate)) out.push(tag(m, '社区骨干'));
    return out;
  }
}

function sixtieth(m: Member): string {
  return AgeCalendar.birthdayAt(m.birthDate, 60);
}

function later(a: string, b: string): string {
  return a > b ? a : b;
}

/** Picks 0, 1, 2... with the given weights. */
function pickCount(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let x = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    x -= weights[i]!;
    if (x < 0) return i;
  }
  return weights.length - 1;
}

function ageFromDay(cal: AgeCalendar, birthDay: number): number {
  return ageOn(dateOfDay(birthDay), cal.asOf);
}
