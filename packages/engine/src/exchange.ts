/**
 * The exchange format (shared/spec/exchange-format.md): table definitions and the validation of
 * one row on its own. Checks that need other rows or the stored registry (duplicate keys, unknown
 * households, people rejected elsewhere in the snapshot) are made by the importer.
 */
import { isIsoDate } from './dates.ts';
import { checkIdNumber, type IdCheck } from './ids.ts';

export const TABLES = ['households', 'residents', 'relations', 'enrollments', 'identity_tags'] as const;
export type TableName = (typeof TABLES)[number];

export const HOUSING_TYPES = ['自有', '租赁', '公房', '其他'] as const;
export const GENDERS = ['男', '女'] as const;
export const RELATIONS_TO_HEAD = ['户主', '配偶', '子女', '父母', '兄弟姐妹', '孙子女', '祖父母', '其他'] as const;
export const HUKOU = ['本市', '外省市'] as const;
export const MARITAL_STATUSES = ['未婚', '已婚', '离异', '丧偶'] as const;
export const DISABILITY_GRADES = ['1', '2', '3', '4'] as const;
export const DISABILITY_CATEGORIES = ['视力', '听力', '言语', '肢体', '智力', '精神', '多重'] as const;
export const EMPLOYMENTS = ['在职', '灵活就业', '失业', '退休', '在校', '无'] as const;
export const SCHOOL_STAGES = ['学前', '小学', '初中', '高中', '中职', '高校'] as const;
export const LABOR_CAPACITIES = ['有', '部分', '无'] as const;
export const YES_NO = ['是', '否'] as const;
export const KIN_RELATIONS = ['配偶', '父母', '子女', '兄弟姐妹', '祖父母', '孙子女'] as const;
/** The policy codes of reference-policies.md: the benefit codes an enrollment may carry. */
export const BENEFIT_CODES = [
  'DIBAO', 'LOW_INCOME', 'EXPENDITURE_POOR', 'TEKUN', 'DISABLED_LIVING', 'SEVERE_DISABLED_CARE', 'EDU_AID', 'ELDER_ALONE', 'WELFARE_JOB',
] as const;

export interface HouseholdRow {
  household_id: string;
  committee_code: string;
  address: string | null;
  housing_type: string | null;
  housing_area_m2: number | null;
  financial_assets_yuan: number | null;
}

export interface ResidentRow {
  id_number: string;
  name: string;
  gender: string;
  birth_date: string;
  household_id: string;
  relation_to_head: string | null;
  hukou: string | null;
  marital_status: string | null;
  disability_grade: number | null;
  disability_category: string | null;
  monthly_income_yuan: number | null;
  employment: string | null;
  school_stage: string | null;
  labor_capacity: string | null;
  chronic_illness: string | null;
  medical_oop_12m_yuan: number | null;
  phone: string | null;
}

export interface RelationRow {
  id_number: string;
  relative_name: string | null;
  relative_id_number: string | null;
  relation: string;
  able_to_support: string | null;
}

export interface EnrollmentRow {
  id_number: string;
  benefit_code: string;
  start_date: string;
  end_date: string | null;
}

export interface IdentityTagRow {
  id_number: string;
  tag: string;
}

export interface RowByTable {
  households: HouseholdRow;
  residents: ResidentRow;
  relations: RelationRow;
  enrollments: EnrollmentRow;
  identity_tags: IdentityTagRow;
}

type ColumnType =
  | { kind: 'text'; required?: boolean }
  | { kind: 'id'; required?: boolean }
  | { kind: 'code'; values: readonly string[]; required?: boolean }
  | { kind: 'date'; required?: boolean }
  | { kind: 'decimal'; required?: boolean }
  | { kind: 'integer-code'; values: readonly string[] }
  | { kind: 'committee' };

export const COLUMNS: { readonly [T in TableName]: ReadonlyArray<readonly [keyof RowByTable[T] & string, ColumnType]> } = {
  households: [
    ['household_id', { kind: 'text', required: true }],
    ['committee_code', { kind: 'committee' }],
    ['address', { kind: 'text' }],
    ['housing_type', { kind: 'code', values: HOUSING_TYPES }],
    ['housing_area_m2', { kind: 'decimal' }],
    ['financial_assets_yuan', { kind: 'decimal' }],
  ],
  residents: [
    ['id_number', { kind: 'id', required: true }],
    ['name', { kind: 'text', required: true }],
    ['gender', { kind: 'code', values: GENDERS }],
    ['birth_date', { kind: 'date' }],
    ['household_id', { kind: 'text', required: true }],
    ['relation_to_head', { kind: 'code', values: RELATIONS_TO_HEAD }],
    ['hukou', { kind: 'code', values: HUKOU }],
    ['marital_status', { kind: 'code', values: MARITAL_STATUSES }],
    ['disability_grade', { kind: 'integer-code', values: DISABILITY_GRADES }],
    ['disability_category', { kind: 'code', values: DISABILITY_CATEGORIES }],
    ['monthly_income_yuan', { kind: 'decimal' }],
    ['employment', { kind: 'code', values: EMPLOYMENTS }],
    ['school_stage', { kind: 'code', values: SCHOOL_STAGES }],
    ['labor_capacity', { kind: 'code', values: LABOR_CAPACITIES }],
    ['chronic_illness', { kind: 'code', values: YES_NO }],
    ['medical_oop_12m_yuan', { kind: 'decimal' }],
    ['phone', { kind: 'text' }],
  ],
  relations: [
    ['id_number', { kind: 'id', required: true }],
    ['relative_name', { kind: 'text' }],
    ['relative_id_number', { kind: 'id' }],
    ['relation', { kind: 'code', values: KIN_RELATIONS, required: true }],
    ['able_to_support', { kind: 'code', values: YES_NO }],
  ],
  enrollments: [
    ['id_number', { kind: 'id', required: true }],
    ['benefit_code', { kind: 'code', values: BENEFIT_CODES, required: true }],
    ['start_date', { kind: 'date', required: true }],
    ['end_date', { kind: 'date' }],
  ],
  identity_tags: [
    ['id_number', { kind: 'id', required: true }],
    ['tag', { kind: 'text', required: true }],
  ],
};

export interface CellProblem {
  readonly column: string;
  readonly reason: string;
}

export type RowResult<T extends TableName> =
  | { ok: true; row: RowByTable[T] }
  | { ok: false; problems: CellProblem[] };

const DECIMAL = /^-?(\d+(\.\d*)?|\.\d+)$/;

/**
 * Validates one row given as column → text (empty string or missing = unknown). Returns the typed
 * row, or every problem found, each naming its column.
 */
export function validateRow<T extends TableName>(table: T, cells: Readonly<Record<string, string | undefined>>): RowResult<T> {
  const problems: CellProblem[] = [];
  const row: Record<string, string | number | null> = {};
  /** The check of the id_number column, kept for the residents' birth date and gender. */
  let idCheck: IdCheck | undefined;
  for (const [column, type] of COLUMNS[table]) {
    const text = (cells[column] ?? '').trim();
    if (text === '') {
      if ((type.kind === 'committee') || ('required' in type && type.required)) problems.push({ column, reason: '必填项为空' });
      row[column] = null;
      continue;
    }
    switch (type.kind) {
      case 'text':
        row[column] = text;
        break;
      case 'id': {
        const check = checkIdNumber(text);
        if (column === 'id_number') idCheck = check;
        if (!check.ok) problems.push({ column, reason: check.reason });
        row[column] = text;
        break;
      }
      case 'code':
        if (!type.values.includes(text)) problems.push({ column, reason: `未知代码“${text}”，应为：${type.values.join(' / ')}` });
        row[column] = text;
        break;
      case 'integer-code':
        if (!type.values.includes(text)) problems.push({ column, reason: `未知代码“${text}”，应为空或 ${type.values.join(' / ')}` });
        row[column] = Number(text);
        break;
      case 'date':
        if (!isIsoDate(text)) problems.push({ column, reason: `“${text}”不是存在的日期（YYYY-MM-DD）` });
        row[column] = text;
        break;
      case 'decimal': {
        if (!DECIMAL.test(text)) {
          problems.push({ column, reason: `“${text}”不是数字` });
        } else if (Number(text) < 0) {
          problems.push({ column, reason: `“${text}”不能为负数` });
        }
        row[column] = Number(text);
        break;
      }
      case 'committee':
        if (!/^\d{12}$/.test(text)) problems.push({ column, reason: `“${text}”不是12位居委会代码` });
        row[column] = text;
        break;
    }
  }
  if (table === 'residents' && problems.every((p) => p.column !== 'id_number')) {
    // birth_date and gender must agree with the id number; where empty, the id number supplies them.
    const check = idCheck ?? checkIdNumber(row.id_number as string);
    if (check.ok) {
      if (row.birth_date === null) row.birth_date = check.birthDate;
      else if (problems.every((p) => p.column !== 'birth_date') && row.birth_date !== check.birthDate) {
        problems.push({ column: 'birth_date', reason: `出生日期 ${String(row.birth_date)} 与身份证号中的 ${check.birthDate} 不一致` });
      }
      if (row.gender === null) row.gender = check.gender;
      else if (problems.every((p) => p.column !== 'gender') && row.gender !== check.gender) {
        problems.push({ column: 'gender', reason: `性别“${String(row.gender)}”与身份证号（${check.gender}）不一致` });
      }
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, row: row as unknown as RowByTable[T] };
}

/** The whole-row key of the tables upserted by their whole row (relations, enrollments, identity tags). */
export function wholeRowKey(table: 'relations' | 'enrollments' | 'identity_tags', row: RelationRow | EnrollmentRow | IdentityTagRow): string {
  return COLUMNS[table].map(([c]) => (row as unknown as Record<string, unknown>)[c] ?? '').join('\u001f');
}

/** The key a table's rows are upserted by, as text. */
export function rowKey<T extends TableName>(table: T, row: RowByTable[T]): string {
  if (table === 'households') return (row as HouseholdRow).household_id;
  if (table === 'residents') return (row as ResidentRow).id_number;
  return wholeRowKey(table as 'relations', row as RelationRow);
}
