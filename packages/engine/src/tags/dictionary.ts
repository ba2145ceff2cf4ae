/**
 * The tag dictionary (标签字典): tags per org level, and the reference dictionary of
 * shared/spec/tag-dictionary.md, which ships as data. Each tag's "holds for p on D" is a rule of
 * the rule language — imported tags read imported facts (holds(), identity()), rule tags read
 * resident data — so the one evaluator serves all of them; manual tags are set by workers.
 */
export const TAG_CATEGORIES = ['救助类', '自治类', '身份类'] as const;
export type TagCategory = (typeof TAG_CATEGORIES)[number];
export const TAG_SOURCES = ['imported', 'rule', 'manual'] as const;
export type TagSource = (typeof TAG_SOURCES)[number];
export const TAG_SOURCE_LABELS: Record<TagSource, string> = {
  imported: '数据导入',
  rule: '规则生成',
  manual: '人工标注',
};

export interface TagDefinition {
  readonly code: string;
  readonly category: TagCategory;
  readonly source: TagSource;
  /** The org unit that owns it: visible and usable there and below, never in a sibling or parent. */
  readonly ownerCode: string;
  readonly description: string;
  /** For imported and rule tags: when it holds, in the rule language. Null for manual tags. */
  readonly rule: string | null;
}

type Level = 'city' | 'district' | 'street';
interface ReferenceTag {
  code: string;
  category: TagCategory;
  level: Level;
  source: TagSource;
  rule: string | null;
  description: string;
}

/** The reference dictionary; codes, levels and conditions exactly as tag-dictionary.md gives them. */
export const REFERENCE_TAGS: readonly ReferenceTag[] = [
  {
    code: '低保',
    category: '救助类',
    level: 'city',
    source: 'imported',
    rule: 'holds("DIBAO")',
    description: '享受最低生活保障',
  },
  {
    code: '特困',
    category: '救助类',
    level: 'city',
    source: 'imported',
    rule: 'holds("TEKUN")',
    description: '特困人员供养对象',
  },
  {
    code: '低收入',
    category: '救助类',
    level: 'city',
    source: 'imported',
    rule: 'holds("LOW_INCOME")',
    description: '低收入困难家庭成员',
  },
  {
    code: '支出型贫困',
    category: '救助类',
    level: 'city',
    source: 'imported',
    rule: 'holds("EXPENDITURE_POOR")',
    description: '支出型贫困家庭成员',
  },
  {
    code: '残疾人两项补贴',
    category: '救助类',
    level: 'city',
    source: 'imported',
    rule: 'holds("DISABLED_LIVING") || holds("SEVERE_DISABLED_CARE")',
    description: '困难残疾人生活补贴或重度残疾人护理补贴',
  },
  {
    code: '教育救助',
    category: '救助类',
    level: 'city',
    source: 'imported',
    rule: 'holds("EDU_AID")',
    description: '享受教育救助（助学金）',
  },
  {
    code: '重残',
    category: '救助类',
    level: 'district',
    source: 'rule',
    rule: 'severe_disability',
    description: '重度残疾：1、2级，或3级智力、精神残疾',
  },
  {
    code: '大病',
    category: '救助类',
    level: 'district',
    source: 'rule',
    rule: 'chronic_illness == "是"',
    description: '患有经认定的大病或慢性病',
  },
  {
    code: '困境儿童',
    category: '救助类',
    level: 'district',
    source: 'rule',
    rule: 'age < 18 && !able_supporter',
    description: '未满18岁且无有能力抚养的父母等法定义务人',
  },
  {
    code: '社会帮扶',
    category: '救助类',
    level: 'district',
    source: 'manual',
    rule: null,
    description: '由社会组织或慈善力量帮扶（“9+1+N”中的“1”），由工作人员标注',
  },
  {
    code: '中共党员',
    category: '身份类',
    level: 'district',
    source: 'imported',
    rule: 'identity("中共党员")',
    description: '来自组织部门的身份信息',
  },
  {
    code: '志愿者',
    category: '身份类',
    level: 'district',
    source: 'imported',
    rule: 'identity("志愿者")',
    description: '注册志愿者',
  },
  {
    code: '社区骨干',
    category: '自治类',
    level: 'district',
    source: 'imported',
    rule: 'identity("社区骨干")',
    description: '社区自治骨干',
  },
  {
    code: '退役军人',
    category: '身份类',
    level: 'street',
    source: 'imported',
    rule: 'identity("退役军人")',
    description: '来自退役军人事务部门的身份信息',
  },
  {
    code: '独居老人',
    category: '身份类',
    level: 'street',
    source: 'rule',
    rule: 'age >= 60 && household.size == 1',
    description: '年满60岁且独自居住',
  },
  {
    code: '高龄老人',
    category: '身份类',
    level: 'street',
    source: 'rule',
    rule: 'age >= 80',
    description: '年满80岁（生日当天起）',
  },
  {
    code: '0-3岁儿童',
    category: '身份类',
    level: 'street',
    source: 'rule',
    rule: 'age <= 3',
    description: '0至3周岁儿童',
  },
];

/**
 * The reference dictionary laid on a deployment: city and district tags once, street tags once
 * per street or town, each street owning its copy (tag-dictionary.md, "In the demo ...").
 */
export function referenceDictionary(units: {
  cityCode: string;
  districtCode: string;
  streetCodes: readonly string[];
}): TagDefinition[] {
  return REFERENCE_TAGS.flatMap((t) => {
    const owners =
      t.level === 'city' ? [units.cityCode] : t.level === 'district' ? [units.districtCode] : units.streetCodes;
    return owners.map((ownerCode) => ({
      code: t.code,
      category: t.category,
      source: t.source,
      ownerCode,
      description: t.description,
      rule: t.rule,
    }));
  });
}

/** A tag owned by `ownerCode` is visible to a worker of `scopeCode` when it owns the scope's unit or an ancestor. */
export function tagVisibleTo(ownerCode: string, scopeCode: string): boolean {
  // The whole deployment (the command line, scope '') sees every tag.
  return scopeCode === '' || scopeCode.startsWith(ownerCode);
}

/** Only the owning unit's own workers change a tag: lower levels add, never change a higher level's. */
export function tagEditableBy(ownerCode: string, scopeCode: string): boolean {
  return ownerCode === scopeCode;
}

/** A tag applies to the residents of its owner's subtree only. */
export function tagAppliesTo(ownerCode: string, committeeCode: string): boolean {
  return committeeCode.startsWith(ownerCode);
}

/**
 * Whether a new tag code would clash: codes are unique within a scope, so the code may not be
 * used by a tag the new owner can see (an ancestor's or its own) nor by one below it (whose
 * workers would then see two tags of that code).
 */
export function tagCodeClashes(
  code: string,
  ownerCode: string,
  existing: ReadonlyArray<Pick<TagDefinition, 'code' | 'ownerCode'>>,
): boolean {
  return existing.some(
    (t) => t.code === code && (ownerCode.startsWith(t.ownerCode) || t.ownerCode.startsWith(ownerCode)),
  );
}
