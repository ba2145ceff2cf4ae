/**
 * Terms of the reference policy pack (shared/spec/reference-policies.md) that more than one
 * capability uses. Each says which definition it implements.
 */
import type { BenefitCode } from './exchange.ts';

/** severe_disability(p): grade 1 or 2, or grade 3 with category 智力 or 精神. */
export function isSevereDisability(grade: number | null, category: string | null): boolean {
  return grade === 1 || grade === 2 || (grade === 3 && (category === '智力' || category === '精神'));
}

/** The benefit (policy) codes with their Chinese names, as in the reference pack. */
export const BENEFIT_NAMES: Readonly<Record<BenefitCode, string>> = {
  DIBAO: '最低生活保障',
  LOW_INCOME: '低收入困难家庭',
  EXPENDITURE_POOR: '支出型贫困家庭',
  TEKUN: '特困人员供养',
  DISABLED_LIVING: '困难残疾人生活补贴',
  SEVERE_DISABLED_CARE: '重度残疾人护理补贴',
  EDU_AID: '教育救助',
  ELDER_ALONE: '独居老人关爱',
  WELFARE_JOB: '公益性岗位',
};
