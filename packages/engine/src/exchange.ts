/**
 * The exchange format (shared/spec/exchange-format.md): table definitions and the validation of
 * one row on its own. Checks that need other rows or the stored registry (duplicate keys, unknown
 * households, people rejected elsewhere in the snapshot) are made by the importer.
 */
import { isIsoDate } from './dates.ts';
import { idBirthDate, idGender, idNumberProblem } from './ids.ts';

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

export type ColumnType =
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
const COMMITTEE_CODE = /^\d{12}$/;

/** Why a column's trimmed, non-empty text is wrong, or null. */
type TextCheck = (text: string) => string | null;

function textCheck(type: ColumnType): TextCheck {
  switch (type.kind) {
    case 'text':
      return () => null;
    case 'id':
      return idNumberProblem;
    case 'code':
    case 'integer-code': {
      const known = new Set(type.values);
      const expected = type.kind === 'code' ? `应为：${type.values.join(' / ')}` : `应为空或 ${type.values.join(' / ')}`;
      return (text) => (known.has(text) ? null : `未知代码“${text}”，${expected}`);
    }
    case 'date':
      return (text) => (isIsoDate(text) ? null : `“${text}”不是存在的日期（YYYY-MM-DD）`);
    case 'decimal':
      return (text) => (!DECIMAL.test(text) ? `“${text}”不是数字` : Number(text) < 0 ? `“${text}”不能为负数` : null);
    case 'committee':
      return (text) => (COMMITTEE_CODE.test(text) ? null : `“${text}”不是12位居委会代码`);
  }
}

/** Whether a column's values are numbers (Number(text)); the others are text. */
export function isNumericColumn(type: ColumnType): boolean {
  return type.kind === 'decimal' || type.kind === 'integer-code';
}

/**
 * The checks of one row of a table whose fields are given by position: `record[i]` is the field
 * named `header[i]`. It pushes the table's values, in COLUMNS order, onto `out` as trimmed text
 * ('' for unknown; numbers as written; for residents, a birth date or gender left empty is read
 * from the id number) and returns null, or returns every problem found, each naming its column
 * (what it pushed is then to be dropped).
 */
export type RecordCheck = (record: ReadonlyArray<string | undefined>, out: string[]) => CellProblem[] | null;

/**
 * The spec's checks of one row on its own, made once per file header: an import checks a million
 * rows, and a column → text object per row, a typed row per row and a look-up of each column's
 * type cost it more than the checks themselves. validateRow is this check too.
 */
export function recordCheck(table: TableName, header: readonly string[]): RecordCheck {
  const columns = COLUMNS[table].map(([column, type]) => ({
    column,
    at: header.indexOf(column),
    required: type.kind === 'committee' || ('required' in type && type.required === true),
    check: textCheck(type),
  }));
  const names = columns.map((c) => c.column) as string[];
  const residents = table === 'residents';
  const ID = names.indexOf('id_number');
  const BIRTH = names.indexOf('birth_date');
  const GENDER = names.indexOf('gender');
  return (record, out) => {
    const base = out.length;
    let problems: CellProblem[] | null = null;
    for (const c of columns) {
      const field = c.at < 0 ? undefined : record[c.at];
      const text = field === undefined ? '' : field.trim();
      out.push(text);
      if (text === '') {
        if (c.required) (problems ??= []).push({ column: c.column, reason: '必填项为空' });
        continue;
      }
      const reason = c.check(text);
      if (reason !== null) (problems ??= []).push({ column: c.column, reason });
    }
    if (residents && !problems?.some((p) => p.column === 'id_number')) {
      // birth_date and gender must agree with the id number; where empty, the id number supplies them.
      const id = out[base + ID]!;
      const birthDate = idBirthDate(id);
      const birth = out[base + BIRTH]!;
      if (birth === '') out[base + BIRTH] = birthDate;
      else if (!problems?.some((p) => p.column === 'birth_date') && birth !== birthDate) {
        (problems ??= []).push({ column: 'birth_date', reason: `出生日期 ${birth} 与身份证号中的 ${birthDate} 不一致` });
      }
      const gender = idGender(id);
      const given = out[base + GENDER]!;
      if (given === '') out[base + GENDER] = gender;
      else if (!problems?.some((p) => p.column === 'gender') && given !== gender) {
        (problems ??= []).push({ column: 'gender', reason: `性别“${given}”与身份证号（${gender}）不一致` });
      }
    }
    return problems;
  };
}

const ROW_CHECKS = new Map<TableName, RecordCheck>();

/**
 * Validates one row given as column → text (empty string or missing = unknown). Returns the typed
 * row, or every problem found, each naming its column.
 */
export function validateRow<T extends TableName>(table: T, cells: Readonly<Record<string, string | undefined>>): RowResult<T> {
  const columns = COLUMNS[table];
  let check = ROW_CHECKS.get(table);
  if (!check) {
    check = recordCheck(table, columns.map(([c]) => c));
    ROW_CHECKS.set(table, check);
  }
  const texts: string[] = [];
  const problems = check(columns.map(([c]) => cells[c]), texts);
  if (problems) return { ok: false, problems };
  const row: Record<string, string | number | null> = {};
  columns.forEach(([column, type], i) => {
    const text = texts[i]!;
    row[column] = text === '' ? null : isNumericColumn(type) ? Number(text) : text;
  });
  return { ok: true, row: row as unknown as RowByTable[T] };
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
