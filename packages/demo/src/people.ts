/**
 * Building blocks shared by the synthetic households and the story households: turning a person
 * sketch (who, how old, how related) into exchange-format rows with a valid, unique id number,
 * and the relations, enrollments and identity tags around them.
 */
import {
  formatIsoDate,
  isLeapYear,
  isSevereDisability,
  toDayNumber,
  yearsBefore,
  type EnrollmentRow,
  type IdentityTagRow,
  type IsoDate,
  type RelationRow,
  type ResidentRow,
} from '@tingjian/engine';
import { dateOfDay } from './id-allocator.ts';
import type { BenefitCode, MemberFacts } from './eligibility.ts';
import type { Rng } from './random.ts';

export type Kin = '配偶' | '父母' | '子女' | '兄弟姐妹' | '祖父母' | '孙子女';

/** A relative who is not in the registry (a child living elsewhere, a sister in another province). */
export interface OutsideRelative {
  readonly name: string;
  /** Filled where the source system knows it; allocated like everyone's, so it never collides. */
  readonly idNumber: string | null;
  readonly relation: Kin;
  readonly able: boolean;
}

/** One member of a household being built. Indices refer to the household's member list. */
export interface Member {
  male: boolean;
  age: number;
  surname: string;
  name: string;
  idNumber: string;
  birthDate: IsoDate;
  relationToHead: string;
  local: boolean;
  marital: string;
  /** Index of the spouse in the same household, or -1. */
  spouse: number;
  /** Indices of parents in the same household. */
  parents: number[];
  disabilityGrade: number | null;
  disabilityCategory: string | null;
  income: number;
  employment: string;
  schoolStage: string | null;
  laborCapacity: string;
  chronic: boolean;
  medical: number | null;
  phone: string | null;
  outside: OutsideRelative[];
}

/** Birth-day windows per age: born in [lo, hi] (day numbers) ⇔ age on asOf is that age. */
export class AgeCalendar {
  readonly asOf: IsoDate;
  readonly asOfDay: number;
  private readonly lo: Int32Array;
  private readonly hi: Int32Array;
  static readonly MAX_AGE = 110;

  constructor(asOf: IsoDate) {
    this.asOf = asOf;
    this.asOfDay = toDayNumber(asOf);
    this.lo = new Int32Array(AgeCalendar.MAX_AGE + 1);
    this.hi = new Int32Array(AgeCalendar.MAX_AGE + 1);
    for (let a = 0; a <= AgeCalendar.MAX_AGE; a++) {
      // age(p) ≥ a exactly when birth_date ≤ yearsBefore(asOf, a) (dates.ts).
      this.hi[a] = toDayNumber(yearsBefore(asOf, a));
      this.lo[a] = toDayNumber(yearsBefore(asOf, a + 1)) + 1;
    }
  }

  /** A uniformly random birth day for someone `age` years old on asOf. */
  birthDay(rng: Rng, age: number): number {
    const a = Math.max(0, Math.min(AgeCalendar.MAX_AGE, Math.round(age)));
    return rng.int(this.lo[a]!, this.hi[a]!);
  }

  /** The day someone born on `birthDate` turns `age` (29 February birthdays count from 1 March in other years). */
  static birthdayAt(birthDate: IsoDate, age: number): IsoDate {
    const y = Number(birthDate.slice(0, 4)) + age;
    const month = Number(birthDate.slice(5, 7));
    const day = Number(birthDate.slice(8, 10));
    if (month === 2 && day === 29 && !isLeapYear(y)) return formatIsoDate(y, 3, 1);
    return formatIsoDate(y, month, day);
  }
}

/**
 * Whether a relative "can in fact provide support (alive, has means)": an adult who is not
 * severely disabled and either has an income above the 低保 line or is of working age and able to
 * work. Children at school, and elders living on less than the line, cannot.
 */
export function canSupport(m: Member, libao: number): boolean {
  if (m.age < 18 || m.employment === '在校') return false;
  if (isSevereDisability(m.disabilityGrade, m.disabilityCategory)) return false;
  return m.income >= libao || (m.age < 60 && m.laborCapacity === '有');
}

/** The resident row of a member. */
export function residentRow(m: Member, householdId: string): ResidentRow {
  return {
    id_number: m.idNumber,
    name: m.name,
    gender: m.male ? '男' : '女',
    birth_date: m.birthDate,
    household_id: householdId,
    relation_to_head: m.relationToHead,
    hukou: m.local ? '本市' : '外省市',
    marital_status: m.marital,
    disability_grade: m.disabilityGrade,
    disability_category: m.disabilityCategory,
    monthly_income_yuan: m.income,
    employment: m.employment,
    school_stage: m.schoolStage,
    labor_capacity: m.laborCapacity,
    chronic_illness: m.chronic ? '是' : '否',
    medical_oop_12m_yuan: m.medical,
    phone: m.phone,
  };
}

/**
 * Relations rows of every member: both directions of each tie inside the household (spouses,
 * parents and children, grandparents and grandchildren), then the ties to relatives elsewhere.
 */
export function relationRows(members: ReadonlyArray<Member>, libao: number): RelationRow[][] {
  const rows: RelationRow[][] = members.map(() => []);
  members.forEach((m, i) => {
    if (m.spouse >= 0) tie(rows, members, i, m.spouse, '配偶', libao);
    for (const p of m.parents) {
      tie(rows, members, i, p, '父母', libao);
      tie(rows, members, p, i, '子女', libao);
      for (const g of members[p]!.parents) {
        tie(rows, members, i, g, '祖父母', libao);
        tie(rows, members, g, i, '孙子女', libao);
      }
    }
  });
  members.forEach((m, i) => {
    for (const o of m.outside) {
      rows[i]!.push({
        id_number: m.idNumber,
        relative_name: o.name,
        relative_id_number: o.idNumber,
        relation: o.relation,
        able_to_support: o.able ? '是' : '否',
      });
    }
  });
  return rows;
}

/** The row saying that members[to] is `relation` to members[from]. */
function tie(
  rows: RelationRow[][],
  members: ReadonlyArray<Member>,
  from: number,
  to: number,
  relation: Kin,
  libao: number,
): void {
  const r = members[to]!;
  rows[from]!.push({
    id_number: members[from]!.idNumber,
    relative_name: r.name,
    relative_id_number: r.idNumber,
    relation,
    able_to_support: canSupport(r, libao) ? '是' : '否',
  });
}

/** The rule-relevant facts of a member, given the relations rows written for it. */
export function memberFacts(m: Member, relations: ReadonlyArray<RelationRow>): MemberFacts {
  return {
    age: m.age,
    male: m.male,
    local: m.local,
    disabilityGrade: m.disabilityGrade,
    disabilityCategory: m.disabilityCategory,
    income: m.income,
    employment: m.employment,
    schoolStage: m.schoolStage,
    laborCapacity: m.laborCapacity,
    medical: m.medical ?? 0,
    ableSupporter: relations.some(
      (r) => (r.relation === '配偶' || r.relation === '父母' || r.relation === '子女') && r.able_to_support === '是',
    ),
  };
}

export function enrollment(m: Member, code: BenefitCode, start: IsoDate, end: IsoDate | null = null): EnrollmentRow {
  return {
    id_number: m.idNumber,
    benefit_code: code,
    start_date: start < m.birthDate ? m.birthDate : start,
    end_date: end,
  };
}

export function tag(m: Member, t: string): IdentityTagRow {
  return { id_number: m.idNumber, tag: t };
}

/** A date `days` days before asOf. */
export function daysBefore(cal: AgeCalendar, days: number): IsoDate {
  return dateOfDay(cal.asOfDay - days);
}
