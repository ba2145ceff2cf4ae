/**
 * An import's rejection report, in bounded memory. A 16 KB zip of 8 million bad rows made 8
 * million RejectedCell objects (each reason a string that could keep a megabyte batch of CSV text
 * alive), a Set of 8 million "file:line" strings to count them, and a report string too long for
 * the response: 4.3 GB, and a 500 after the import had committed.
 *
 * Here each cell costs two small integers and two references to interned, copied strings, up to
 * `stored` cells (1,000,000 by default); past that only the counts go on, and the report says so
 * in its last line. The counts are always exact: cells, rows in all and rows per file (the cells
 * of one row are added one after another: a row is rejected by one step of the import).
 *
 * The order is the report's of before: files in the order they first appear, by line within a
 * file, cells of one line in the order added (a stable sort once, when the report is read).
 */
import { csvLine } from '../../csv.ts';
import type { RejectedCell } from './import.prepare.ts';

export interface RejectionReportLimits {
  /** Cells the summary (HTTP answer, page) carries. */
  readonly first: number;
  /** Cells kept for the full report; past this the report only counts. */
  readonly stored: number;
}

/** A report as plain data (RejectionReport.toTransfer). */
export interface RejectionReportData {
  readonly limits: RejectionReportLimits;
  readonly files: readonly string[];
  readonly rowsPerFile: readonly number[];
  readonly fileOf: readonly number[];
  readonly lineOf: readonly number[];
  readonly columnOf: readonly string[];
  readonly reasonOf: readonly string[];
  readonly count: number;
  readonly rowCount: number;
}

export const REPORT_LIMITS: RejectionReportLimits = { first: 1_000, stored: 1_000_000 };

export const REPORT_HEADER = 'file,line,column,reason';

/** Reasons longer than this are cut (the engine's reasons quote at most 20 characters of a value). */
const REASON_MAX = 300;
/** Distinct strings interned; past this each is still copied, just not shared. */
const INTERN_MAX = 100_000;

/** A copy of a string that shares no memory with the text it was cut from (a slice keeps its parent alive). */
function detached(s: string): string {
  return Buffer.from(s, 'utf8').toString('utf8');
}

export class RejectionReport {
  readonly limits: RejectionReportLimits;
  private readonly files: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  private readonly rowsPerFile: number[] = [];
  private readonly interned = new Map<string, string>();
  // The stored cells, as parallel arrays (no object per cell).
  private readonly fileOf: number[] = [];
  private readonly lineOf: number[] = [];
  private readonly columnOf: string[] = [];
  private readonly reasonOf: string[] = [];
  private count = 0;
  private rowCount = 0;
  private lastFile = -1;
  private lastLine = -1;
  private order: Uint32Array | null = null;

  constructor(limits: Partial<RejectionReportLimits> = {}) {
    this.limits = { first: limits.first ?? REPORT_LIMITS.first, stored: limits.stored ?? REPORT_LIMITS.stored };
  }

  private intern(s: string): string {
    const known = this.interned.get(s);
    if (known !== undefined) return known;
    const copy = detached(s.length > REASON_MAX ? `${s.slice(0, REASON_MAX)}…` : s);
    if (this.interned.size < INTERN_MAX) this.interned.set(copy, copy);
    return copy;
  }

  add(cell: RejectedCell): void {
    let f = this.fileIndex.get(cell.file);
    if (f === undefined) {
      f = this.files.length;
      this.files.push(detached(cell.file));
      this.fileIndex.set(this.files[f]!, f);
      this.rowsPerFile.push(0);
    }
    this.count++;
    if (f !== this.lastFile || cell.line !== this.lastLine) {
      this.rowCount++;
      this.rowsPerFile[f]!++;
      this.lastFile = f;
      this.lastLine = cell.line;
    }
    if (this.fileOf.length >= this.limits.stored) return;
    this.fileOf.push(f);
    this.lineOf.push(cell.line);
    this.columnOf.push(this.intern(cell.column));
    this.reasonOf.push(this.intern(cell.reason));
    this.order = null;
  }

  addAll(cells: Iterable<RejectedCell>): void {
    for (const c of cells) this.add(c);
  }

  /** Rejected cells (a row with two bad cells counts twice). */
  get cells(): number {
    return this.count;
  }

  /** Rejected rows. */
  get rows(): number {
    return this.rowCount;
  }

  /** Rejected rows of one file (e.g. `residents.csv`). */
  rowsIn(file: string): number {
    const f = this.fileIndex.get(file);
    return f === undefined ? 0 : this.rowsPerFile[f]!;
  }

  /** Whether `first` holds fewer cells than were rejected (the page then offers the download). */
  get truncated(): boolean {
    return this.count > this.limits.first;
  }

  /** Whether the full report lists every rejected cell (false past `limits.stored`). */
  get complete(): boolean {
    return this.count <= this.limits.stored;
  }

  /** The stored cells' indexes in report order: by first appearance of the file, then line, then as added. */
  private sorted(): Uint32Array {
    if (this.order) return this.order;
    const n = this.fileOf.length;
    const order = new Uint32Array(n);
    let inOrder = true;
    for (let i = 0; i < n; i++) {
      order[i] = i;
      if (
        i > 0 &&
        (this.fileOf[i]! < this.fileOf[i - 1]! ||
          (this.fileOf[i] === this.fileOf[i - 1] && this.lineOf[i]! < this.lineOf[i - 1]!))
      )
        inOrder = false;
    }
    // File indexes are numbered in order of first appearance, so they sort as the files do.
    if (!inOrder) order.sort((a, b) => this.fileOf[a]! - this.fileOf[b]! || this.lineOf[a]! - this.lineOf[b]! || a - b);
    this.order = order;
    return order;
  }

  private cell(i: number): RejectedCell {
    return {
      file: this.files[this.fileOf[i]!]!,
      line: this.lineOf[i]!,
      column: this.columnOf[i]!,
      reason: this.reasonOf[i]!,
    };
  }

  /** The first `limits.first` cells of the report, for the summary. */
  get first(): RejectedCell[] {
    const order = this.sorted();
    const out: RejectedCell[] = [];
    for (let k = 0; k < order.length && k < this.limits.first; k++) out.push(this.cell(order[k]!));
    return out;
  }

  /** What the last line of an incomplete report says. */
  private note(): string {
    const n = (x: number) => x.toLocaleString('en-US');
    return `报告只列出了前 ${n(this.limits.stored)} 个被拒绝的单元格；本次共拒绝 ${n(this.count)} 个单元格（${n(this.rowCount)} 行），其余未列出：请先修正上面列出的问题`;
  }

  /** The full report as CSV text (header, one line per cell, a note when incomplete), in chunks of about `lines` lines. */
  *csvChunks(lines = 4096): Generator<string> {
    const order = this.sorted();
    let part: string[] = [REPORT_HEADER];
    for (let k = 0; k < order.length; k++) {
      const i = order[k]!;
      part.push(csvLine([this.files[this.fileOf[i]!], this.lineOf[i], this.columnOf[i], this.reasonOf[i]]));
      if (part.length >= lines) {
        yield `${part.join('\n')}\n`;
        part = [];
      }
    }
    if (!this.complete) part.push(csvLine(['', '', '', this.note()]));
    if (part.length > 0) yield `${part.join('\n')}\n`;
  }

  /** The report as plain data, for another thread (structured clone keeps no class). */
  toTransfer(): RejectionReportData {
    return {
      limits: this.limits,
      files: this.files,
      rowsPerFile: this.rowsPerFile,
      fileOf: this.fileOf,
      lineOf: this.lineOf,
      columnOf: this.columnOf,
      reasonOf: this.reasonOf,
      count: this.count,
      rowCount: this.rowCount,
    };
  }

  /** The report another thread sent (toTransfer). */
  static fromTransfer(d: RejectionReportData): RejectionReport {
    const r = new RejectionReport(d.limits);
    d.files.forEach((f, i) => {
      r.files.push(f);
      r.fileIndex.set(f, i);
    });
    r.rowsPerFile.push(...d.rowsPerFile);
    for (let i = 0; i < d.fileOf.length; i++) {
      r.fileOf.push(d.fileOf[i]!);
      r.lineOf.push(d.lineOf[i]!);
      r.columnOf.push(d.columnOf[i]!);
      r.reasonOf.push(d.reasonOf[i]!);
    }
    r.count = d.count;
    r.rowCount = d.rowCount;
    return r;
  }

  /** The whole report as one string (for small reports and tests; a large one goes out by csvChunks). */
  csv(): string {
    return [...this.csvChunks()].join('');
  }
}

/** The report CSV of some cells (the summary's first ones): the same text the full report starts with. */
export function firstRowsCsv(cells: readonly RejectedCell[]): string {
  return `${[REPORT_HEADER, ...cells.map((r) => csvLine([r.file, r.line, r.column, r.reason]))].join('\n')}\n`;
}
