/**
 * The self-screener's answers → POST /api/screener. The form lets a resident leave things blank
 * (no income, no medical costs, no disability); the request says them as the server expects:
 * 0 yuan, null grade. A disability category without a grade, or a school stage of someone not in
 * school, is dropped rather than sent as a contradiction.
 */
import type {
  ScreenerMember,
  ScreenerMemberResult,
  ScreenerPolicyResult,
  ScreenerRequest,
} from '../../api/policies.ts';

export const GENDERS = ['男', '女'] as const satisfies readonly ScreenerMember['gender'][];
export const HUKOU = ['本市', '外省市'] as const satisfies readonly ScreenerMember['hukou'][];
export const EMPLOYMENT = [
  '在职',
  '灵活就业',
  '失业',
  '退休',
  '在校',
  '无',
] as const satisfies readonly ScreenerMember['employment'][];
export const SCHOOL_STAGES = ['学前', '小学', '初中', '高中', '中职', '高校'] as const satisfies readonly NonNullable<
  ScreenerMember['schoolStage']
>[];
export const LABOR_CAPACITY = ['有', '部分', '无'] as const satisfies readonly ScreenerMember['laborCapacity'][];
export const DISABILITY_CATEGORIES = [
  '视力',
  '听力',
  '言语',
  '肢体',
  '智力',
  '精神',
  '多重',
] as const satisfies readonly NonNullable<ScreenerMember['disabilityCategory']>[];
export const YES_NO = ['是', '否'] as const;
export const MAX_MEMBERS = 12;
export const MAX_LABEL = 20;

/** One member as the form holds it: anything may still be blank. 0 as grade = no disability certificate. */
export interface MemberAnswers {
  label?: string | null;
  age?: number | null;
  gender?: ScreenerMember['gender'] | null;
  hukou?: ScreenerMember['hukou'] | null;
  monthlyIncomeYuan?: number | null;
  medicalOop12mYuan?: number | null;
  disabilityGrade?: number | null;
  disabilityCategory?: ScreenerMember['disabilityCategory'];
  employment?: ScreenerMember['employment'] | null;
  schoolStage?: ScreenerMember['schoolStage'];
  laborCapacity?: ScreenerMember['laborCapacity'] | null;
  chronicIllness?: '是' | '否' | null;
  hasSupporter?: '是' | '否' | null;
}

export interface ScreenerAnswers {
  financialAssetsYuan?: number | null;
  housingAreaM2?: number | null;
  members: MemberAnswers[];
}

/** A new member's answers: the common case filled in, the rest left for the resident. */
export const NEW_MEMBER: MemberAnswers = {
  hukou: '本市',
  monthlyIncomeYuan: 0,
  medicalOop12mYuan: 0,
  disabilityGrade: 0,
  chronicIllness: '否',
};

/** The answers a required question still lacks, by field name (the form marks them too). */
export function missingAnswers(m: MemberAnswers): string[] {
  const required = ['age', 'gender', 'hukou', 'employment', 'laborCapacity', 'hasSupporter'] as const;
  return required.filter((k) => m[k] === null || m[k] === undefined);
}

const money = (v: number | null | undefined) =>
  typeof v === 'number' && Number.isFinite(v) && v > 0 ? Math.round(v * 100) / 100 : 0;

export function toMember(m: MemberAnswers): ScreenerMember {
  const missing = missingAnswers(m);
  if (missing.length > 0) throw new Error(`unanswered: ${missing.join(', ')}`);
  const grade =
    typeof m.disabilityGrade === 'number' && m.disabilityGrade >= 1 && m.disabilityGrade <= 4
      ? m.disabilityGrade
      : null;
  const label = (m.label ?? '').trim().slice(0, MAX_LABEL);
  return {
    ...(label !== '' ? { label } : {}),
    age: Math.min(120, Math.max(0, Math.round(m.age!))),
    gender: m.gender!,
    hukou: m.hukou!,
    monthlyIncomeYuan: money(m.monthlyIncomeYuan),
    medicalOop12mYuan: money(m.medicalOop12mYuan),
    disabilityGrade: grade,
    disabilityCategory: grade !== null ? (m.disabilityCategory ?? null) : null,
    employment: m.employment!,
    schoolStage: m.employment === '在校' ? (m.schoolStage ?? null) : null,
    laborCapacity: m.laborCapacity!,
    chronicIllness: m.chronicIllness ?? '否',
    hasSupporter: m.hasSupporter!,
  };
}

export function toScreenerRequest(a: ScreenerAnswers): ScreenerRequest {
  const area = a.housingAreaM2;
  return {
    household: {
      financialAssetsYuan: money(a.financialAssetsYuan),
      ...(typeof area === 'number' && Number.isFinite(area) && area >= 0 ? { housingAreaM2: area } : {}),
    },
    members: a.members.slice(0, MAX_MEMBERS).map(toMember),
  };
}

export interface ResultGroups {
  /** The rules say yes: worth applying. */
  likely: ScreenerPolicyResult[];
  /** Undecided on what was answered: ask the service centre. */
  maybe: ScreenerPolicyResult[];
  /** The rules say no, with the conditions not met. */
  unlikely: ScreenerPolicyResult[];
}

/**
 * A condition on the school stage cannot be decided for someone without one, but the resident
 * said they are not in school: for them it is not met (the request has no "not in school" stage to
 * send). A result undecided only for that reason becomes a "no"; the rules are an "all of", so one
 * unmet condition decides it.
 */
export function settleForAnswers(
  r: ScreenerPolicyResult,
  answers: Pick<MemberAnswers, 'employment'> | undefined,
): ScreenerPolicyResult {
  if (!answers || answers.employment === '在校' || r.eligible !== 'unknown') return r;
  const reasons = r.reasons.map((x) =>
    x.met === 'unknown' && /\bschool_stage\b/.test(x.code) ? { ...x, met: 'fail' as const } : x,
  );
  if (reasons.some((x) => x.met === 'unknown') || !reasons.some((x) => x.met === 'fail')) return r;
  return { ...r, eligible: 'fail', monthlyAmountYuan: null, reasons };
}

/** A member's results by how likely they are, each group in the pack's order. */
export function groupResults(
  member: Pick<ScreenerMemberResult, 'results'>,
  answers?: Pick<MemberAnswers, 'employment'>,
): ResultGroups {
  const results = member.results.map((r) => settleForAnswers(r, answers));
  return {
    likely: results.filter((r) => r.eligible === 'pass'),
    maybe: results.filter((r) => r.eligible === 'unknown'),
    unlikely: results.filter((r) => r.eligible === 'fail'),
  };
}

/** The conditions a "no" failed on, to say in a line why not. */
export function unmetReasons(r: Pick<ScreenerPolicyResult, 'reasons'>): string[] {
  return r.reasons.filter((x) => x.met === 'fail').map((x) => x.text);
}
