/**
 * Codes the server sends, with their names in both languages: benefits (the reference policy
 * pack's codes and Chinese names are the engine's, @tingjian/engine/browser), roles, org levels
 * and the registry's enumerations.
 */
import { BENEFIT_CODES as CODES, BENEFIT_NAMES, type BenefitCode } from '@tingjian/engine/browser';
import type { Entry, Lang } from './i18n.ts';

const BENEFIT_NAMES_EN: Readonly<Record<BenefitCode, string>> = {
  DIBAO: 'Minimum living allowance (dibao)',
  LOW_INCOME: 'Low-income household',
  EXPENDITURE_POOR: 'Expenditure-poor household',
  TEKUN: 'Extreme-poverty support (tekun)',
  DISABLED_LIVING: 'Living allowance, disabled in hardship',
  SEVERE_DISABLED_CARE: 'Care allowance, severe disability',
  EDU_AID: 'Education aid',
  ELDER_ALONE: 'Care for elders living alone',
  WELFARE_JOB: 'Public-welfare job',
};

export const BENEFITS: Readonly<Record<string, Entry>> = Object.fromEntries(
  CODES.map((c) => [c, { zh: BENEFIT_NAMES[c], en: BENEFIT_NAMES_EN[c] }]),
);
export const BENEFIT_CODES: readonly string[] = CODES;

export const ROLE_NAMES: Readonly<Record<string, Entry>> = {
  district: { zh: '区级管理员', en: 'District administrator' },
  street: { zh: '街镇工作人员', en: 'Street / town worker' },
  committee: { zh: '居委工作人员', en: 'Committee worker' },
  adviser: { zh: '救助顾问', en: 'Assistance adviser' },
  system: { zh: '系统', en: 'System' },
};

export const LEVEL_NAMES: Readonly<Record<string, Entry>> = {
  city: { zh: '市', en: 'City' },
  district: { zh: '区', en: 'District' },
  street: { zh: '街道（镇）', en: 'Street / town' },
  committee: { zh: '居委会', en: 'Neighbourhood committee' },
};

/** The registry's Chinese values with English names, for the English UI. */
export const VALUES: Readonly<Record<string, string>> = {
  男: 'Male',
  女: 'Female',
  本市: 'Shanghai hukou',
  外省市: 'Other province',
  户主: 'Head',
  配偶: 'Spouse',
  子女: 'Child',
  父母: 'Parent',
  兄弟姐妹: 'Sibling',
  孙子女: 'Grandchild',
  祖父母: 'Grandparent',
  其他: 'Other',
  未婚: 'Single',
  已婚: 'Married',
  离异: 'Divorced',
  丧偶: 'Widowed',
  视力: 'Visual',
  听力: 'Hearing',
  言语: 'Speech',
  肢体: 'Physical',
  智力: 'Intellectual',
  精神: 'Psychosocial',
  多重: 'Multiple',
  在职: 'Employed',
  灵活就业: 'Flexible work',
  失业: 'Unemployed',
  退休: 'Retired',
  在校: 'In school',
  无: 'None',
  学前: 'Pre-school',
  小学: 'Primary',
  初中: 'Junior secondary',
  高中: 'Senior secondary',
  中职: 'Vocational',
  高校: 'Higher education',
  有: 'Full',
  部分: 'Partial',
  是: 'Yes',
  否: 'No',
  自有: 'Owned',
  租赁: 'Rented',
  公房: 'Public housing',
};

function pick(map: Readonly<Record<string, Entry>>, code: string, lang: Lang, fallback?: string): string {
  const entry = map[code];
  return entry ? entry[lang] : (fallback ?? code);
}

export const benefitName = (code: string, lang: Lang, fallback?: string) => pick(BENEFITS, code, lang, fallback);
export const roleName = (role: string, lang: Lang, fallback?: string) => pick(ROLE_NAMES, role, lang, fallback);
export const levelName = (level: string, lang: Lang) => pick(LEVEL_NAMES, level, lang);

/** A registry value (男, 本市, 已婚 …) in the UI language; Chinese as stored. */
export function valueName(value: string | null | undefined, lang: Lang): string {
  if (value === null || value === undefined || value === '') return '—';
  return lang === 'zh' ? value : (VALUES[value] ?? value);
}
