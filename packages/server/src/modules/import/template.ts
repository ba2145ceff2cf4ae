/**
 * The import template: an .xlsx workbook with a sheet per table of the exchange format
 * (docs/spec/exchange-format.md), its header row in the format's own column names (an import takes
 * no column mapping) with a Chinese note on each, and a 说明 sheet that says in Chinese what every
 * column holds, its type or codes, and whether it is required. Id numbers, phones, dates and keys
 * are text-formatted columns, so Excel keeps an 18-digit id number as typed instead of rounding it.
 */
import { COLUMNS, TABLES, type ColumnType, type TableName } from '@tingjian/engine';
import ExcelJS from 'exceljs';

const TABLE_LABELS: Record<TableName, string> = {
  households: '家庭（每户一行）',
  residents: '居民（每人一行）',
  relations: '亲属关系（与赡养、抚养、扶养义务有关）',
  enrollments: '正在享受的救助待遇',
  identity_tags: '其他部门的身份信息',
};

/** What each column holds, in Chinese (after the spec's "meaning" column). */
const COLUMN_LABELS: Record<string, string> = {
  'households.household_id': '家庭编号：来源系统中的户编号，唯一',
  'households.committee_code': '所属居委会的 12 位统计代码（区县代码 + 街镇 + 居委会）',
  'households.address': '住址',
  'households.housing_type': '住房性质',
  'households.housing_area_m2': '住房使用面积（平方米）',
  'households.financial_assets_yuan': '家庭存款、储蓄和有价证券合计（元）',
  'residents.id_number': '公民身份号码（18 位，GB 11643-1999），出生日期和性别须与之相符',
  'residents.name': '姓名',
  'residents.gender': '性别',
  'residents.birth_date': '出生日期',
  'residents.household_id': '所在家庭的家庭编号（households 表中的编号）',
  'residents.relation_to_head': '与户主关系（仅供参考）',
  'residents.hukou': '户籍：本市或外省市',
  'residents.marital_status': '婚姻状况',
  'residents.disability_grade': '残疾等级（1 级最重）；无残疾留空',
  'residents.disability_category': '残疾类别；无残疾留空',
  'residents.monthly_income_yuan': '本人月收入（元）：工资、养老金等经常性收入，不含社会救助金',
  'residents.employment': '就业状况',
  'residents.school_stage': '在读学段；不在读留空',
  'residents.labor_capacity': '劳动能力（按评定）',
  'residents.chronic_illness': '是否经认定患有重大疾病或慢性病',
  'residents.medical_oop_12m_yuan': '近 12 个月自付医疗费用（元）',
  'residents.phone': '联系电话',
  'relations.id_number': '本人的公民身份号码',
  'relations.relative_name': '亲属姓名',
  'relations.relative_id_number': '亲属的公民身份号码（知道时填写）',
  'relations.relation': '亲属是本人的什么人',
  'relations.able_to_support': '该亲属实际是否有赡养、抚养或扶养能力（在世且有能力）',
  'enrollments.id_number': '享受待遇者的公民身份号码',
  'enrollments.benefit_code': '待遇的政策代码（见政策库，如 DIBAO、TEKUN）',
  'enrollments.start_date': '开始日期',
  'enrollments.end_date': '结束日期；仍在享受留空',
  'identity_tags.id_number': '公民身份号码',
  'identity_tags.tag': '身份，如 中共党员、志愿者、退役军人、社区骨干',
};

function typeText(type: ColumnType): string {
  switch (type.kind) {
    case 'id':
      return '18 位身份证号（文本）';
    case 'committee':
      return '12 位数字（文本）';
    case 'date':
      return '日期，YYYY-MM-DD';
    case 'decimal':
      return '数字';
    case 'code':
    case 'integer-code':
      return `取值：${type.values.join(' / ')}`;
    case 'text':
      return `文本，至多 ${type.max} 字`;
  }
}

function required(type: ColumnType): boolean {
  return type.kind === 'committee' || ('required' in type && type.required === true);
}

/** Columns kept as text in Excel: ids, codes, keys, dates and phones would otherwise be turned into numbers or dates. */
function asText(type: ColumnType): boolean {
  return type.kind !== 'decimal';
}

/** What a column's note says; the committee code with an example of the deployment's own (`committee`), when given. */
function columnLabel(table: TableName, column: string, committee: string | undefined): string {
  const label = COLUMN_LABELS[`${table}.${column}`];
  if (label === undefined) return '';
  return table === 'households' && column === 'committee_code' && committee ? `${label}，如 ${committee}` : label;
}

/** The template; `committee`: a committee code of the deployment, shown as the example of households.committee_code. */
export async function importTemplate(committee?: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '听见 Tingjian';
  const guide = wb.addWorksheet('说明');
  guide.addRow([
    '听见 导入模板：每张工作表是交换格式的一张表，第一行的列名不可改动；从第二行起每行一条记录。空单元格表示未知或不适用。不需要的表可以删除整张工作表。',
  ]);
  guide.addRow([]);
  const head = guide.addRow(['工作表', '列名', '含义', '类型与取值', '必填']);
  head.font = { bold: true };
  for (const table of TABLES) {
    for (const [column, type] of COLUMNS[table]) {
      guide.addRow([
        `${table}（${TABLE_LABELS[table]}）`,
        column,
        columnLabel(table, column, committee),
        typeText(type),
        required(type) ? '是' : '',
      ]);
    }
  }
  guide.columns = [{ width: 34 }, { width: 24 }, { width: 60 }, { width: 48 }, { width: 6 }];
  for (const table of TABLES) {
    const ws = wb.addWorksheet(table);
    const row = ws.addRow(COLUMNS[table].map(([c]) => c));
    row.font = { bold: true };
    COLUMNS[table].forEach(([column, type], k) => {
      const cell = row.getCell(k + 1);
      cell.note = `${columnLabel(table, column, committee) || column}\n${typeText(type)}${required(type) ? '\n必填' : ''}`;
      const col = ws.getColumn(k + 1);
      col.width = Math.max(14, column.length + 4);
      if (asText(type)) col.numFmt = '@';
    });
    ws.views = [{ state: 'frozen', ySplit: 1 }];
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
