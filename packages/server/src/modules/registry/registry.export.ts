/**
 * Spreadsheet export of a resident list (exceljs). Every cell is written as a string in a text
 * format, never as a formula: a value beginning with =, +, - or @ (a name, an address) must not
 * become a formula when the file is opened (spreadsheet formula injection).
 */
import ExcelJS from 'exceljs';
import type { ResidentExportItem } from './registry.service.ts';

const COLUMNS: Array<[string, (r: ResidentExportItem) => string]> = [
  ['姓名', (r) => r.name],
  ['身份证号（脱敏）', (r) => r.idNumberMasked],
  ['性别', (r) => r.gender],
  ['出生日期', (r) => r.birthDate],
  ['户籍', (r) => r.hukou ?? ''],
  ['残疾等级', (r) => (r.disabilityGrade === null ? '' : String(r.disabilityGrade))],
  ['家庭编号', (r) => r.householdId],
  ['居委会', (r) => r.committeeName],
  ['居委会代码', (r) => r.committeeCode],
  ['联系电话（脱敏）', (r) => r.phoneMasked ?? ''],
];

export async function workbookOf(sheetName: string, header: string[], rows: string[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = '听见 Tingjian';
  const ws = wb.addWorksheet(sheetName);
  ws.addRow(header).font = { bold: true };
  for (const r of rows) ws.addRow(r.map((v) => ({ richText: [{ text: v }] })));
  ws.columns.forEach((c) => {
    c.numFmt = '@';
    c.width = 18;
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

export function residentsWorkbook(rows: readonly ResidentExportItem[]): Promise<Buffer> {
  return workbookOf(
    '居民',
    COLUMNS.map(([h]) => h),
    rows.map((r) => COLUMNS.map(([, get]) => get(r))),
  );
}
