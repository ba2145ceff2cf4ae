/**
 * Where a snapshot's rows come from: a folder of CSV files (streamed), an .xlsx workbook (one
 * sheet per table), or rows made in memory (the demo). Each yields the text of each row's fields
 * in the order of its header, with the line (CSV) or sheet row (workbook) they stand on, so
 * reports can name the place.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { TABLES, type TableName } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import { csvFileReader } from './csv-reader.ts';
import { xlsxTables } from './xlsx-reader.ts';

export { csvFileReader, csvPathOf } from './csv-reader.ts';
export { cellText } from './xlsx-reader.ts';

/** Bounds a snapshot's readers take (the defaults: csv-reader.ts CSV_LIMITS, xlsx-reader.ts XLSX_LIMITS). */
export interface SourceLimits {
  /** Rows a table may hold (5,000,000 by default). */
  readonly maxRows?: number;
}

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
  /** Where it was opened from, so that another thread can open it again (import.offthread.ts). */
  readonly origin?: SourceOrigin;
}

/** The arguments of openSource that opened a source. */
export interface SourceOrigin {
  readonly path: string;
  readonly name?: string;
  readonly limits: SourceLimits;
}

export function csvFolderSource(folder: string, limits: SourceLimits = {}): SnapshotSource {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new AppError('TJ_IMPORT_BAD_FILE', `找不到快照文件夹 ${folder}`);
  }
  const tables: Partial<Record<TableName, TableReader>> = {};
  for (const table of TABLES) {
    const path = join(folder, `${table}.csv`);
    if (existsSync(path)) tables[table] = csvFileReader(path, `${table}.csv`, limits);
  }
  if (Object.keys(tables).length === 0) {
    throw new AppError('TJ_IMPORT_BAD_FILE', `${folder} 中没有交换格式的表（households.csv、residents.csv …）`);
  }
  return { name: basename(folder), tables, origin: { path: folder, limits } };
}

/** An .xlsx workbook: a table per sheet named like it, streamed (xlsx-reader.ts). */
export async function xlsxSource(
  path: string,
  name = basename(path),
  limits: SourceLimits = {},
): Promise<SnapshotSource> {
  const tables = await xlsxTables(path, name, limits);
  if (Object.keys(tables).length === 0) {
    throw new AppError('TJ_IMPORT_BAD_FILE', `${name} 中没有交换格式的工作表（households、residents …）`);
  }
  return { name, tables, origin: { path, name, limits } };
}

/** Opens a CSV folder, a single table's .csv file, or an .xlsx workbook. */
export async function openSource(path: string, name?: string, limits: SourceLimits = {}): Promise<SnapshotSource> {
  if (!existsSync(path)) throw new AppError('TJ_IMPORT_BAD_FILE', `找不到 ${path}`);
  if (statSync(path).isDirectory()) return csvFolderSource(path, limits);
  if (/\.xlsx$/i.test(name ?? path)) return xlsxSource(path, name, limits);
  if (/\.csv$/i.test(name ?? path)) {
    const file = basename(name ?? path);
    const table = file.replace(/\.csv$/i, '') as TableName;
    if (!(TABLES as readonly string[]).includes(table)) {
      throw new AppError(
        'TJ_IMPORT_BAD_FILE',
        `${file} 不是交换格式的表名（应为 ${TABLES.map((t) => `${t}.csv`).join('、')}）`,
      );
    }
    return { name: file, tables: { [table]: csvFileReader(path, file, limits) }, origin: { path, name: file, limits } };
  }
  throw new AppError('TJ_IMPORT_BAD_FILE', `${name ?? path}：只接受 CSV 文件夹、.csv 或 .xlsx`);
}

/** What an import notes about its files for the summary: those read in an encoding other than UTF-8. */
export async function sourceNotes(source: SnapshotSource): Promise<string[]> {
  const notes: string[] = [];
  for (const reader of Object.values(source.tables)) {
    if (!reader?.encoding) continue;
    const encoding = await reader.encoding().catch(() => null);
    if (encoding === 'gb18030')
      notes.push(`${reader.file} 不是 UTF-8 编码，已按 GB18030（GBK）读取；请核对姓名等中文是否正确`);
  }
  return notes;
}
