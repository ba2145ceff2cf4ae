/**
 * Where a snapshot's rows come from: a folder of CSV files (streamed), an .xlsx workbook (one
 * sheet per table), or rows made in memory (the demo). Each yields the text of each row's fields
 * in the order of its header, with the line (CSV) or sheet row (workbook) they stand on, so
 * reports can name the place.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import { TABLES, type TableName } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import { csvFileReader } from './csv-reader.ts';

export { csvFileReader, csvPathOf } from './csv-reader.ts';

export interface SourceRow {
  readonly line: number;
  /** The row's fields as text, in the order of the header (`TableReader.columns`). */
  readonly values: string[];
  /** A problem of the row's shape found while reading (e.g. a wrong number of fields). */
  readonly problem?: string;
}

export interface TableReader {
  /** The name used in reports: the CSV file name, e.g. `residents.csv`. */
  readonly file: string;
  readonly columns: () => Promise<string[]>;
  /**
   * The rows in batches (a batch per chunk read): per-row async steps cost too much at a million.
   * Each call reads from the start (the import reads a table again to confirm repeated rows).
   */
  readonly rows: () => AsyncIterable<SourceRow[]>;
  /** Rough size for progress bars: bytes for CSV, rows for a workbook. */
  readonly total: number;
  /** Progress so far in the same unit as total. */
  readonly done: () => number;
  /** The text encoding the file is read in (CSV: UTF-8, or GB18030 when its bytes say so). */
  readonly encoding?: () => Promise<string>;
}

export interface SnapshotSource {
  readonly name: string;
  readonly tables: Partial<Record<TableName, TableReader>>;
}

export function csvFolderSource(folder: string): SnapshotSource {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new AppError('TJ_IMPORT_BAD_FILE', `找不到快照文件夹 ${folder}`);
  }
  const tables: Partial<Record<TableName, TableReader>> = {};
  for (const table of TABLES) {
    const path = join(folder, `${table}.csv`);
    if (existsSync(path)) tables[table] = csvFileReader(path, `${table}.csv`);
  }
  if (Object.keys(tables).length === 0) {
    throw new AppError('TJ_IMPORT_BAD_FILE', `${folder} 中没有交换格式的表（households.csv、residents.csv …）`);
  }
  return { name: basename(folder), tables };
}

/** Text of a workbook cell as the exchange format writes it (dates as YYYY-MM-DD). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Spreadsheet dates carry no zone; exceljs gives them as UTC midnight.
    return value.toISOString().slice(0, 10);
  }
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

export async function xlsxSource(path: string, name = basename(path)): Promise<SnapshotSource> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.readFile(path);
  } catch (err) {
    throw new AppError('TJ_IMPORT_BAD_FILE', `${name} 不是可读取的 .xlsx 工作簿：${(err as Error).message}`);
  }
  const tables: Partial<Record<TableName, TableReader>> = {};
  for (const table of TABLES) {
    const sheet = workbook.getWorksheet(table);
    if (!sheet) continue;
    let done = 0;
    const header = (sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => cellText(v).trim());
    tables[table] = {
      file: `${table}.csv`,
      columns: async () => header,
      total: Math.max(sheet.rowCount - 1, 0),
      done: () => done,
      rows: async function* () {
        let batch: SourceRow[] = [];
        for (let r = 2; r <= sheet.rowCount; r++) {
          const row = sheet.getRow(r);
          done = r - 1;
          if (!row.hasValues) continue;
          batch.push({ line: r, values: header.map((_, c) => cellText(row.getCell(c + 1).value)) });
          if (batch.length >= 1000) { yield batch; batch = []; }
        }
        if (batch.length > 0) yield batch;
      },
    };
  }
  if (Object.keys(tables).length === 0) {
    throw new AppError('TJ_IMPORT_BAD_FILE', `${name} 中没有交换格式的工作表（households、residents …）`);
  }
  return { name, tables };
}

/** Opens a CSV folder, a single table's .csv file, or an .xlsx workbook. */
export async function openSource(path: string, name?: string): Promise<SnapshotSource> {
  if (!existsSync(path)) throw new AppError('TJ_IMPORT_BAD_FILE', `找不到 ${path}`);
  if (statSync(path).isDirectory()) return csvFolderSource(path);
  if (/\.xlsx$/i.test(name ?? path)) return xlsxSource(path, name);
  if (/\.csv$/i.test(name ?? path)) {
    const file = basename(name ?? path);
    const table = file.replace(/\.csv$/i, '') as TableName;
    if (!(TABLES as readonly string[]).includes(table)) {
      throw new AppError('TJ_IMPORT_BAD_FILE', `${file} 不是交换格式的表名（应为 ${TABLES.map((t) => `${t}.csv`).join('、')}）`);
    }
    return { name: file, tables: { [table]: csvFileReader(path, file) } };
  }
  throw new AppError('TJ_IMPORT_BAD_FILE', `${name ?? path}：只接受 CSV 文件夹、.csv 或 .xlsx`);
}
