/** The import result as tables for the page: counts per table in the format's order, and a total. */
import type { ImportSummary, TableCounts } from '../../api/types.ts';

/**
 * The upload's answer: the summary carries the first rejected cells only (at most 1,000), the
 * exact counts, and where the full report is (GET, the importer and their district admin).
 * Optional: a server of before sent the whole report in `rejected`.
 */
export interface ImportAnswer extends ImportSummary {
  rejectedCells?: number;
  reportTruncated?: boolean;
  reportUrl?: string;
  /** What the import noted about its files (e.g. a file read as GB18030). */
  notes?: string[];
}

export interface ReportState {
  /** Cells listed on the page. */
  readonly shown: number;
  /** Cells rejected in all. */
  readonly cells: number;
  /** Whether the page lists only the first cells: the full report is then a download from the server. */
  readonly truncated: boolean;
  /** Where the full report is downloaded from; null when the page holds all of it. */
  readonly url: string | null;
}

export function reportState(answer: ImportAnswer): ReportState {
  const shown = answer.rejected.length;
  const cells = answer.rejectedCells ?? shown;
  const truncated = answer.reportTruncated ?? cells > shown;
  return { shown, cells, truncated, url: truncated ? (answer.reportUrl ?? null) : null };
}

/** The exchange format's tables, in the order a snapshot is imported. */
export const TABLE_ORDER = ['households', 'residents', 'relations', 'enrollments', 'identity_tags'] as const;

export const ACCEPTED_EXTENSIONS = ['.xlsx', '.csv', '.zip'] as const;

export interface CountRow extends TableCounts {
  table: string;
  isTotal: boolean;
}

export function countRows(tables: ImportSummary['tables']): CountRow[] {
  const names = Object.keys(tables).sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  const rows = names.map((table) => ({ table, isTotal: false, ...tables[table]! }));
  if (rows.length > 1) {
    const total: CountRow = { table: '', isTotal: true, read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
    for (const r of rows) {
      total.read += r.read;
      total.inserted += r.inserted;
      total.updated += r.updated;
      total.unchanged += r.unchanged;
      total.rejected += r.rejected;
    }
    rows.push(total);
  }
  return rows;
}

function rank(table: string): number {
  const i = (TABLE_ORDER as readonly string[]).indexOf(table);
  return i === -1 ? TABLE_ORDER.length : i;
}

/** Whether the server will take the file: a workbook, one CSV table, or a zipped CSV folder. */
export function acceptsFile(name: string): boolean {
  const lower = name.toLowerCase();
  return ACCEPTED_EXTENSIONS.some((ext) => lower.endsWith(ext));
}

/** The distinct files named in the report, for the table's filter. */
export function reportFiles(rejected: ImportSummary['rejected']): string[] {
  return [...new Set(rejected.map((r) => r.file))].sort(
    (a, b) => rank(a.replace(/\.csv$/, '')) - rank(b.replace(/\.csv$/, '')) || a.localeCompare(b),
  );
}

/** The download name of the rejection report, e.g. changning-small-rejected-run7.csv. */
export function reportFilename(summary: Pick<ImportSummary, 'runId' | 'source'>): string {
  const base =
    summary.source
      .split(/[\\/]/)
      .pop()!
      .replace(/\.(xlsx|csv|zip)$/i, '')
      .replace(/[^\w.\-\u4e00-\u9fff]+/g, '_') || 'import';
  return `${base}-rejected-run${summary.runId}.csv`;
}

/** "12.3 MB": file sizes for the upload list. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(v >= 100 ? 0 : 1)} ${units[i]}`;
}
