/**
 * The exchange format (shared/spec/exchange-format.md): table definitions and the validation of
 * one row on its own. Checks that need other rows or the stored registry (duplicate keys, unknown
 * households, people rejected elsewhere in the snapshot) are made by the importer.
 */
import { digits, isIsoDate } from './dates.ts';
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
  'DIBAO',
  'LOW_INCOME',
  'EXPENDITURE_POOR',
  'TEKUN',
  'DISABLED_LIVING',
  'SEVERE_DISABLED_CARE',
  'EDU_AID',
  'ELDER_ALONE',
  'WELFARE_JOB',
] as const;
export type BenefitCode = (typeof BENEFIT_CODES)[number];

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

/**
 * What a text column may hold: `name` a person's name (no control, format or bidirectional
 * characters: they hide or reorder what a worker reads), `phone` digits, `+`, `-` and spaces, `free`
 * any text on one line. Every text column refuses control characters and line breaks, and the
 * replacement character U+FFFD (what a GBK file read as UTF-8 turns into).
 */
export type TextForm = 'name' | 'phone' | 'free';

export type ColumnType =
  | { kind: 'text'; required?: boolean; form: TextForm; max: number }
  | { kind: 'id'; required?: boolean }
  | { kind: 'code'; values: readonly string[]; required?: boolean }
  | { kind: 'date'; required?: boolean }
  | { kind: 'decimal'; required?: boolean }
  | { kind: 'integer-code'; values: readonly string[] }
  | { kind: 'committee' };

/** The longest name, in characters (code points): the longest names on record are far shorter. */
export const NAME_MAX = 50;
/** The longest phone number: an international number with spaces and an extension fits. */
export const PHONE_MAX = 20;
/** The longest free text (an address). */
export const FREE_TEXT_MAX = 500;
/** The longest source-system key (household_id). */
export const KEY_MAX = 64;
/** The longest identity tag (中共党员, 退役军人 …). */
export const TAG_MAX = 50;
/** Digits before the decimal point of an amount or area: 15 stay exact as a double. */
export const DECIMAL_INTEGER_DIGITS = 15;
/** The longest decimal text: a workbook's number cell writes up to 15 significant digits. */
export const DECIMAL_MAX = 24;

const NAME: ColumnType = { kind: 'text', required: true, form: 'name', max: NAME_MAX };

export const COLUMNS: {
  readonly [T in TableName]: ReadonlyArray<readonly [keyof RowByTable[T] & string, ColumnType]>;
} = {
  households: [
    ['household_id', { kind: 'text', required: true, form: 'free', max: KEY_MAX }],
    ['committee_code', { kind: 'committee' }],
    ['address', { kind: 'text', form: 'free', max: FREE_TEXT_MAX }],
    ['housing_type', { kind: 'code', values: HOUSING_TYPES }],
    ['housing_area_m2', { kind: 'decimal' }],
    ['financial_assets_yuan', { kind: 'decimal' }],
  ],
  residents: [
    ['id_number', { kind: 'id', required: true }],
    ['name', NAME],
    ['gender', { kind: 'code', values: GENDERS }],
    ['birth_date', { kind: 'date' }],
    ['household_id', { kind: 'text', required: true, form: 'free', max: KEY_MAX }],
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
    ['phone', { kind: 'text', form: 'phone', max: PHONE_MAX }],
  ],
  relations: [
    ['id_number', { kind: 'id', required: true }],
    ['relative_name', { kind: 'text', form: 'name', max: NAME_MAX }],
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
    ['tag', { kind: 'text', required: true, form: 'free', max: TAG_MAX }],
  ],
};

export interface CellProblem {
  readonly column: string;
  readonly reason: string;
}

export type RowResult<T extends TableName> = { ok: true; row: RowByTable[T] } | { ok: false; problems: CellProblem[] };

/** Why a column's trimmed, non-empty text is wrong, or null. */
type TextCheck = (text: string) => string | null;

/** Text quoted in a reason, cut short: a reason must not carry a 64 KiB field into the report. */
function quote(text: string): string {
  return text.length <= 24 ? `“${text}”` : `“${text.slice(0, 20)}…”（共 ${text.length} 个字符）`;
}

/** Code points of a text (a character outside the BMP, such as 𠮷, is one character in two code units). */
function characters(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}

const hex = (c: number) => `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;

/**
 * The first character a text column may not hold, described, or null. A loop over char codes
 * rather than a regular expression: it runs on every text cell of a million-row import.
 */
function badCharacter(text: string, name: boolean): string | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) continue; // printable ASCII, the common case
    if (c === 0x0a || c === 0x0d || c === 0x2028 || c === 0x2029) return '含有换行符';
    if (c === 0x09) return '含有制表符';
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return `含有控制字符 ${hex(c)}`;
    if (c === 0xfffd) return '含有替换字符 U+FFFD：文件可能不是 UTF-8 编码（如 GBK），请另存为 UTF-8 后重新导入';
    if (c >= 0xd800 && c <= 0xdfff) {
      const d = text.charCodeAt(i + 1);
      if (c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
      return `含有不成对的代理字符 ${hex(c)}`;
    }
    if (c === 0xfffe || c === 0xffff) return `含有非字符 ${hex(c)}`;
    // Zero-width and bidirectional controls hide or reorder what a worker reads in a name.
    if (
      name &&
      ((c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) || c === 0xfeff)
    ) {
      return `含有不可见的格式字符 ${hex(c)}`;
    }
  }
  return null;
}

function isPhoneCharacter(c: number): boolean {
  return (c >= 48 && c <= 57) || c === 43 || c === 45 || c === 32; // digits + - space
}

/** Why a decimal's text is not a number the format takes, or null: `-`? digits (`.` digits?)?, read by char code. */
function decimalProblem(text: string): string | null {
  let i = text.charCodeAt(0) === 45 ? 1 : 0;
  let whole = 0;
  let fraction = 0;
  let point = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (point) fraction++;
      else whole++;
    } else if (c === 46 && !point) {
      point = true;
    } else {
      return `${quote(text)}不是数字`;
    }
  }
  if (whole + fraction === 0) return `${quote(text)}不是数字`;
  if (whole > DECIMAL_INTEGER_DIGITS || text.length > DECIMAL_MAX)
    return `${quote(text)}位数过多：整数部分至多 ${DECIMAL_INTEGER_DIGITS} 位，全长至多 ${DECIMAL_MAX} 个字符`;
  if (text.charCodeAt(0) === 45) return `${quote(text)}不能为负数`;
  return null;
}

function textCheck(type: ColumnType): TextCheck {
  switch (type.kind) {
    case 'text': {
      const { form, max } = type;
      const unit = form === 'name' ? '姓名' : form === 'phone' ? '电话' : '文字';
      if (form === 'phone') {
        return (text) => {
          if (text.length > max) return `电话过长：${text.length} 个字符，至多 ${max} 个`;
          for (let i = 0; i < text.length; i++) {
            if (!isPhoneCharacter(text.charCodeAt(i))) return `电话 ${quote(text)} 只能由数字、+、- 和空格组成`;
          }
          return null;
        };
      }
      return (text) => {
        // A length first (cheap): counting characters only when the code units are over.
        if (text.length > max && characters(text) > max)
          return `${unit}过长：${characters(text)} 个字符，至多 ${max} 个`;
        return badCharacter(text, form === 'name');
      };
    }
    case 'id':
      return idNumberProblem;
    case 'code':
    case 'integer-code': {
      const known = new Set(type.values);
      const expected =
        type.kind === 'code' ? `应为：${type.values.join(' / ')}` : `应为空或 ${type.values.join(' / ')}`;
      return (text) => (known.has(text) ? null : `未知代码${quote(text)}，${expected}`);
    }
    case 'date':
      return (text) => (isIsoDate(text) ? null : `${quote(text)}不是存在的日期（YYYY-MM-DD）`);
    case 'decimal':
      return decimalProblem;
    case 'committee':
      return (text) => (text.length === 12 && digits(text, 0, 12) >= 0 ? null : `${quote(text)}不是12位居委会代码`);
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
        (problems ??= []).push({
          column: 'birth_date',
          reason: `出生日期 ${birth} 与身份证号中的 ${birthDate} 不一致`,
        });
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
export function validateRow<T extends TableName>(
  table: T,
  cells: Readonly<Record<string, string | undefined>>,
): RowResult<T> {
  const columns = COLUMNS[table];
  let check = ROW_CHECKS.get(table);
  if (!check) {
    check = recordCheck(
      table,
      columns.map(([c]) => c),
    );
    ROW_CHECKS.set(table, check);
  }
  const texts: string[] = [];
  const problems = check(
    columns.map(([c]) => cells[c]),
    texts,
  );
  if (problems) return { ok: false, problems };
  const row: Record<string, string | number | null> = {};
  columns.forEach(([column, type], i) => {
    const text = texts[i]!;
    row[column] = text === '' ? null : isNumericColumn(type) ? Number(text) : text;
  });
  return { ok: true, row: row as unknown as RowByTable[T] };
}

/** The whole-row key of the tables upserted by their whole row (relations, enrollments, identity tags). */
export function wholeRowKey(
  table: 'relations' | 'enrollments' | 'identity_tags',
  row: RelationRow | EnrollmentRow | IdentityTagRow,
): string {
  return COLUMNS[table].map(([c]) => (row as unknown as Record<string, unknown>)[c] ?? '').join('\u001f');
}

/** The key a table's rows are upserted by, as text. */
export function rowKey<T extends TableName>(table: T, row: RowByTable[T]): string {
  if (table === 'households') return (row as HouseholdRow).household_id;
  if (table === 'residents') return (row as ResidentRow).id_number;
  return wholeRowKey(table as 'relations', row as RelationRow);
}
