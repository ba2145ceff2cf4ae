/**
 * .xlsx workbooks streamed: one sheet per table, row by row, never the whole workbook in memory
 * (a 300k-row workbook read with `workbook.xlsx.readFile` held the server for 50 s).
 *
 * The parsing is exceljs's streaming reader (`stream.xlsx.WorkbookReader`: its workbook, styles
 * and shared-strings parsers and its `WorksheetReader`), but the archive is opened here, with
 * yauzl and the upload's inflate budget (unzip.ts: an .xlsx is a zip, and can be a zip bomb), and
 * each part is decoded here with a streaming, strict UTF-8 TextDecoder. exceljs decodes every
 * inflated chunk on its own, so a Chinese character cut by a chunk boundary became U+FFFD: 69
 * of 50,000 names in a test workbook. Its parsers take text as readily as bytes.
 *
 * Shared strings and styles (for date cells) are read once per workbook and kept while the
 * workbook's readers live; a sheet is read again from the archive by each pass over its rows.
 */
import { basename } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import ExcelJS from 'exceljs';
import type yauzl from 'yauzl';
import { TABLES, type TableName } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import { CSV_LIMITS, sizeText } from './csv-reader.ts';
import type { SourceRow, TableReader } from './sources.ts';
import { InflateBudget, openZip, withDefaults, ZIP_LIMITS, zipEntries, type ZipLimits } from './unzip.ts';

export interface XlsxLimits extends ZipLimits {
  /** Rows of a sheet, the header not counted. */
  readonly maxRows: number;
  /** Characters of one cell's text. */
  readonly maxCellChars: number;
}

/** A workbook has more parts than a zipped snapshot (themes, styles, one file per sheet …). */
/**
 * A workbook has more parts than a zipped snapshot (themes, styles, one per sheet), and a sheet's
 * XML is some five times the CSV of its rows: a million rows (Excel's own limit is 1,048,576) are
 * about 0.6 GB. Streamed, that costs no memory, so a sheet may be 1 GiB and the parts 2 GiB.
 */
export const XLSX_LIMITS: XlsxLimits = {
  ...ZIP_LIMITS,
  maxEntryBytes: 1 << 30,
  maxTotalBytes: 2 ** 31,
  maxEntries: 256,
  maxRows: CSV_LIMITS.maxRows,
  maxCellChars: CSV_LIMITS.maxFieldChars,
};

/** What exceljs's WorkbookReader does inside `parse()`, called here part by part (see above). */
interface BookParts {
  _parseRels(stream: Readable): Promise<void>;
  _parseWorkbook(stream: Readable): Promise<void>;
  _parseStyles(stream: Readable): Promise<void>;
  _parseSharedStrings(stream: Readable): AsyncIterable<unknown>;
  _parseWorksheet(
    stream: Readable,
    sheetNo: string,
  ): Iterable<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
  workbookRels?: Array<{ Id: string; Target: string }>;
  model?: { sheets?: Array<{ name: string; rId: string }> };
}

function badFile(message: string): AppError {
  return new AppError('TJ_IMPORT_BAD_FILE', message);
}

/** Text of a workbook cell as the exchange format writes it (dates as YYYY-MM-DD). */
export function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Spreadsheet dates carry no zone; exceljs gives them as UTC midnight.
    return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  }
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(15)));
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'object') {
    if ('richText' in value && Array.isArray(value.richText)) return value.richText.map((r) => r.text ?? '').join('');
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('text' in value) return String(value.text);
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/** Inflated bytes → text, strictly UTF-8 (the XML of every .xlsx), counting the bytes for progress. */
class PartText extends Transform {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  bytes = 0;
  constructor(private readonly problem: () => AppError) {
    super({ readableObjectMode: true });
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      return callback(this.problem());
    }
    if (text.length > 0) this.push(text);
    callback();
  }
  override _flush(callback: TransformCallback): void {
    try {
      const rest = this.decoder.decode();
      if (rest.length > 0) this.push(rest);
    } catch {
      return callback(this.problem());
    }
    callback();
  }
}

interface SheetPart {
  readonly entry: string;
  /** The inflated size its headers declare: progress only, never trusted as a bound. */
  readonly size: number;
}

/** One workbook: where its sheets are, and (once read) its styles and shared strings. */
export class XlsxBook {
  private prepared: Promise<void> | null = null;
  private readonly budget: InflateBudget;

  private constructor(
    readonly path: string,
    readonly name: string,
    readonly limits: XlsxLimits,
    readonly sheets: ReadonlyMap<string, SheetPart>,
    private readonly book: ExcelJS.stream.xlsx.WorkbookReader & BookParts,
  ) {
    this.budget = new InflateBudget(name, limits, '.xlsx 工作簿');
  }

  private static unreadable(name: string, err: unknown): AppError {
    if (err instanceof AppError) return err;
    const message = (err as Error).message ?? String(err);
    // saxes: "line:column: what"
    const xml = /^(\d+):(\d+): (.*)$/s.exec(message);
    if (xml)
      return badFile(
        `${name} 不是可读取的 .xlsx 工作簿：其中的 XML 第 ${xml[1]} 行第 ${xml[2]} 列有误（${xml[3]}），工作簿可能已损坏`,
      );
    return badFile(`${name} 不是可读取的 .xlsx 工作簿：${message}`);
  }

  /** Lists the sheets (workbook.xml and its relationships): a few KB, whatever the size of the workbook. */
  static async open(path: string, name = basename(path), limits: Partial<XlsxLimits> = {}): Promise<XlsxBook> {
    const bounds = withDefaults(XLSX_LIMITS, limits);
    const book = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      sharedStrings: 'cache',
      styles: 'cache',
      worksheets: 'emit',
      hyperlinks: 'ignore',
      entries: 'ignore',
    }) as ExcelJS.stream.xlsx.WorkbookReader & BookParts;
    const budget = new InflateBudget(name, bounds, '.xlsx 工作簿');
    const entries = new Map<string, yauzl.Entry>();
    const zip = await openZip(path, name, bounds, '.xlsx 工作簿');
    try {
      for await (const e of zipEntries(zip, name, '.xlsx 工作簿')) entries.set(e.fileName, e);
      const part = async (entry: string, read: (text: Readable) => Promise<void>) => {
        const e = entries.get(entry);
        if (!e) throw badFile(`${name} 不是 .xlsx 工作簿：缺少 ${entry}`);
        await read(await XlsxBook.text(zip, e, budget, name));
      };
      await part('xl/workbook.xml', (s) => book._parseWorkbook(s));
      await part('xl/_rels/workbook.xml.rels', (s) => book._parseRels(s));
    } catch (err) {
      throw XlsxBook.unreadable(name, err);
    } finally {
      zip.close();
    }
    const sheets = new Map<string, SheetPart>();
    for (const sheet of book.model?.sheets ?? []) {
      const target = book.workbookRels?.find((r) => r.Id === sheet.rId)?.Target;
      if (!target) continue;
      // Targets are relative to xl/ ("worksheets/sheet1.xml"), or absolute ("/xl/worksheets/sheet1.xml").
      const entry = target.startsWith('/') ? target.slice(1) : `xl/${target}`;
      const e = entries.get(entry);
      if (e) sheets.set(sheet.name, { entry, size: e.uncompressedSize });
    }
    return new XlsxBook(path, name, bounds, sheets, book);
  }

  private static async text(
    zip: yauzl.ZipFile,
    entry: yauzl.Entry,
    budget: InflateBudget,
    name: string,
  ): Promise<PartText> {
    const bytes = await budget.open(zip, entry);
    const text = new PartText(() => badFile(`${name} 中的 ${entry.fileName} 不是有效的 UTF-8 文本，工作簿可能已损坏`));
    bytes.on('error', (err: Error) => text.destroy(err));
    text.on('close', () => bytes.destroy());
    return bytes.pipe(text);
  }

  /** Opens the archive and gives the text of its parts by name; closed when `work` ends. */
  private async withZip<T>(work: (text: (entry: string) => Promise<PartText | null>) => Promise<T>): Promise<T> {
    const zip = await openZip(this.path, this.name, this.limits, '.xlsx 工作簿');
    try {
      const entries = new Map<string, yauzl.Entry>();
      for await (const e of zipEntries(zip, this.name, '.xlsx 工作簿')) entries.set(e.fileName, e);
      return await work(async (entry) => {
        const e = entries.get(entry);
        return e ? XlsxBook.text(zip, e, this.budget, this.name) : null;
      });
    } finally {
      zip.close();
    }
  }

  /** Styles (which number formats are dates) and shared strings, read once. */
  private prepare(): Promise<void> {
    this.prepared ??= this.withZip(async (text) => {
      const styles = await text('xl/styles.xml');
      if (styles) await this.book._parseStyles(styles);
      const strings = await text('xl/sharedStrings.xml');
      if (strings)
        for await (const _ of this.book._parseSharedStrings(strings)) {
          /* kept by the parser ('cache') */
        }
    });
    return this.prepared;
  }

  /**
   * The rows of a sheet in batches of at most 1000: the first row with values is the header
   * (`onHeader`; with `headerOnly` reading stops there), then each row's values in the header's
   * order, with its row number in the sheet. `onBytes`: the sheet's bytes inflated so far.
   */
  async *rows(
    sheet: string,
    onHeader: (header: string[]) => void,
    onBytes: (bytes: number) => void,
    headerOnly = false,
  ): AsyncGenerator<SourceRow[]> {
    const part = this.sheets.get(sheet);
    if (!part) return;
    const { maxRows, maxCellChars } = this.limits;
    let zip: yauzl.ZipFile | null = null;
    let text: PartText | null = null;
    try {
      await this.prepare();
      zip = await openZip(this.path, this.name, this.limits, '.xlsx 工作簿');
      let entry: yauzl.Entry | undefined;
      for await (const e of zipEntries(zip, this.name, '.xlsx 工作簿'))
        if (e.fileName === part.entry) {
          entry = e;
          break;
        }
      if (!entry) return;
      text = await XlsxBook.text(zip, entry, this.budget, this.name);
      const sheetNo = /sheet(\d+)\.xml$/.exec(part.entry)?.[1] ?? '0';
      const parsed = [...this.book._parseWorksheet(text, sheetNo)][0]?.value;
      if (!parsed) return;
      let header: string[] | null = null;
      let count = 0;
      let batch: SourceRow[] = [];
      for await (const row of parsed) {
        onBytes(text.bytes);
        if (!row.hasValues) continue;
        if (!header) {
          header = Array.from((row.values as ExcelJS.CellValue[]).slice(1), (v) => cellText(v).trim());
          onHeader(header);
          if (headerOnly) return;
          continue;
        }
        if (++count > maxRows)
          throw badFile(
            `${this.name} 的工作表 ${sheet} 超过每张表 ${maxRows.toLocaleString('en-US')} 行的上限，文件未导入：请分成几个快照分批导入`,
          );
        const values = new Array<string>(header.length);
        for (let c = 0; c < header.length; c++) {
          const v = cellText(row.getCell(c + 1).value);
          if (v.length > maxCellChars)
            throw badFile(
              `${this.name} 的工作表 ${sheet} 第 ${row.number} 行有一个单元格超过 ${sizeText(maxCellChars)}，文件未导入`,
            );
          values[c] = v;
        }
        batch.push({ line: row.number, values });
        if (batch.length >= 1000) {
          yield batch;
          batch = [];
        }
      }
      if (!header) onHeader([]);
      if (batch.length > 0) yield batch;
    } catch (err) {
      throw XlsxBook.unreadable(this.name, err);
    } finally {
      text?.destroy();
      zip?.close();
    }
  }
}

/** A workbook's readers and what a worker thread needs to open the same (import.threads.ts). */
export interface XlsxSpec {
  readonly path: string;
  readonly name: string;
  readonly table: TableName;
  readonly limits: XlsxLimits;
}
const xlsxSpecs = new WeakMap<TableReader, XlsxSpec>();
export function xlsxSpecOf(reader: TableReader): XlsxSpec | undefined {
  return xlsxSpecs.get(reader);
}

/** The tables of a workbook: a reader per sheet named like a table. */
export async function xlsxTables(
  path: string,
  name = basename(path),
  limits: Partial<XlsxLimits> = {},
): Promise<Partial<Record<TableName, TableReader>>> {
  const book = await XlsxBook.open(path, name, limits);
  const tables: Partial<Record<TableName, TableReader>> = {};
  for (const table of TABLES) if (book.sheets.has(table)) tables[table] = xlsxTableReader(book, table);
  return tables;
}

export function xlsxTableReader(book: XlsxBook, table: TableName): TableReader {
  const file = `${table}.csv`;
  let header: string[] | null = null;
  let done = 0;
  const onHeader = (h: string[]) => {
    header = h;
  };
  const onBytes = (b: number) => {
    done = b;
  };
  const reader: TableReader = {
    file,
    columns: async () => {
      if (!header) for await (const _ of book.rows(table, onHeader, onBytes, true)) break;
      return header ?? [];
    },
    rows: () => book.rows(table, onHeader, onBytes),
    total: book.sheets.get(table)?.size ?? 0,
    done: () => done,
    encoding: async () => 'utf-8',
  };
  xlsxSpecs.set(reader, { path: book.path, name: book.name, table, limits: book.limits });
  return reader;
}
