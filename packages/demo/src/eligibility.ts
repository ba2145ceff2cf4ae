/**
 * A compact re-statement of the reference pack's rules (shared/spec/reference-policies.md), used
 * only to decide whom the demo enrolls. It is not the product's rule engine: it looks at one
 * household at a time, takes eligibility alone for "X(p)" (ignoring enrollments the generator
 * itself writes), and is kept simple on purpose. The scan of the real engine over the generated
 * data is the authority; this only has to be close enough that about 70% of the entitled are
 * enrolled and the rest become leads.
 */
import { isSevereDisability, type BenefitCode, type IsoDate } from '@tingjian/engine';

export type { BenefitCode };

/** Dated parameter values of the reference pack: [first day in force, value], oldest first. */
const LIBAO: ReadonlyArray<readonly [IsoDate, number]> = [
  ['2020-07-01', 1240],
  ['2021-07-01', 1330],
  ['2022-07-01', 1420],
  ['2023-07-01', 1510],
];
const TEKUN_MINOR_AGE: ReadonlyArray<readonly [IsoDate, number]> = [
  ['2014-05-01', 16],
  ['2021-07-01', 18],
];
const CITY_AVG_INCOME: ReadonlyArray<readonly [IsoDate, number]> = [
  ['2021-01-01', 72232],
  ['2022-01-01', 78027],
  ['2023-01-01', 79610],
  ['2024-01-01', 84834],
  ['2025-01-01', 88366],
];
const DIBAO_ASSETS_PC = 60000;
const LOW_INCOME_ASSETS_PC = 120000;

function inForce(table: ReadonlyArray<readonly [IsoDate, number]>, name: string, asOf: IsoDate): number {
  let value: number | undefined;
  for (const [from, v] of table) if (from <= asOf) value = v;
  if (value === undefined) throw new RangeError(`${asOf} is before the first value of ${name} in the reference pack`);
  return value;
}

export interface PolicyParameters {
  readonly libao: number;
  readonly tekunMinorAge: number;
  readonly cityAvgIncome: number;
}

/** The parameter values in force on `asOf`; a date before the pack's first values is an error. */
export function parametersOn(asOf: IsoDate): PolicyParameters {
  return {
    libao: inForce(LIBAO, 'LIBAO', asOf),
    tekunMinorAge: inForce(TEKUN_MINOR_AGE, 'TEKUN_MINOR_AGE', asOf),
    cityAvgIncome: inForce(CITY_AVG_INCOME, 'CITY_AVG_INCOME', asOf),
  };
}

/** What the rules need to know about one member. */
export interface MemberFacts {
  readonly age: number;
  readonly male: boolean;
  readonly local: boolean;
  readonly disabilityGrade: number | null;
  readonly disabilityCategory: string | null;
  readonly income: number;
  readonly employment: string | null;
  readonly schoolStage: string | null;
  readonly laborCapacity: string | null;
  readonly medical: number;
  /** Has a 配偶, 父母 or 子女 relations row with able_to_support = 是. */
  readonly ableSupporter: boolean;
}

export interface HouseholdFacts {
  readonly members: ReadonlyArray<MemberFacts>;
  readonly financialAssets: number;
}

/** Household-wide figures of the pack's terms. */
export interface HouseholdFigures {
  readonly n: number;
  readonly hhIncome: number;
  readonly pcIncome: number;
  readonly pcAssets: number;
  readonly medical: number;
}

export function householdFigures(h: HouseholdFacts): HouseholdFigures {
  const n = h.members.length;
  let hhIncome = 0;
  let medical = 0;
  for (const m of h.members) {
    hhIncome += m.income;
    medical += m.medical;
  }
  return { n, hhIncome, pcIncome: n > 0 ? hhIncome / n : 0, pcAssets: n > 0 ? h.financialAssets / n : 0, medical };
}

const SCHOOL_AID_STAGES = new Set(['小学', '初中', '高中', '中职', '高校']);

/** The benefit codes each member is eligible for, in member order. */
export function eligibleBenefits(h: HouseholdFacts, p: PolicyParameters): BenefitCode[][] {
  const f = householdFigures(h);
  const { libao } = p;
  const dibaoHousehold = f.pcIncome < libao && f.pcAssets <= DIBAO_ASSETS_PC;
  const lowIncomeHousehold = f.pcIncome >= libao && f.pcIncome < 2 * libao && f.pcAssets <= LOW_INCOME_ASSETS_PC;
  const expenditureHousehold =
    f.pcIncome >= libao &&
    12 * f.pcIncome < p.cityAvgIncome &&
    f.pcAssets <= LOW_INCOME_ASSETS_PC &&
    ((12 * f.hhIncome - f.medical) / (12 * f.n) < libao || f.medical >= 0.4 * 12 * f.hhIncome);

  return h.members.map((m) => {
    const out: BenefitCode[] = [];
    const severe = isSevereDisability(m.disabilityGrade, m.disabilityCategory);
    const noWorkCapacity = m.laborCapacity === '无' || m.age >= 60 || m.age < 16 || severe;
    const tekun =
      m.local &&
      (m.age >= 60 || m.age < p.tekunMinorAge || m.disabilityGrade !== null) &&
      noWorkCapacity &&
      m.income < libao &&
      !m.ableSupporter;
    if (tekun) out.push('TEKUN');
    const dibao = m.local && dibaoHousehold && !tekun;
    const lowIncome = m.local && lowIncomeHousehold && !tekun;
    const expenditure = m.local && expenditureHousehold && !tekun;
    if (dibao) out.push('DIBAO');
    if (lowIncome) out.push('LOW_INCOME');
    if (expenditure) out.push('EXPENDITURE_POOR');
    if (m.local && m.disabilityGrade !== null && (dibao || lowIncome) && !tekun) out.push('DISABLED_LIVING');
    if (m.local && severe && !tekun) out.push('SEVERE_DISABLED_CARE');
    if (m.schoolStage !== null && SCHOOL_AID_STAGES.has(m.schoolStage) && (dibao || lowIncome || expenditure || tekun))
      out.push('EDU_AID');
    if (m.age >= 60 && f.n === 1) out.push('ELDER_ALONE');
    if (
      m.local &&
      m.age >= 16 &&
      m.age < (m.male ? 60 : 50) &&
      (m.employment === '失业' || m.employment === '无') &&
      (m.laborCapacity === '有' || m.laborCapacity === '部分') &&
      (dibao || lowIncome)
    )
      out.push('WELFARE_JOB');
    return out;
  });
}
