/**
 * An import written by a thread of its own. On SQLite every statement is synchronous, and an
 * import of a million rows does some 50 s of work on the thread that runs it: comparing rows,
 * building the batches, and the garbage collections of its maps (scavenges of 10–45 ms each, a
 * few every second). Run on the thread that answers requests, that work stopped every request for
 * 45–160 ms some 135 times in a re-import of the million (bench/serving-child.ts), however finely
 * it yielded. Here the import runs in a worker with its own connection to the same database (its
 * own V8 heap and collector); the requests' thread keeps its read connection (WAL readers do not
 * wait for the writer) and only learns of the commit. PostgreSQL takes the same path: its rows are
 * compared in JavaScript too.
 *
 * The summary comes back whole (the rejection report as plain data), with the people and
 * households the import changed, so that the caller's caches follow as after an import in place.
 */
import type { ImportProgress } from './import.service.ts';
import type { DatabaseOptions } from '../../db/database.ts';
import { AppError, type ErrorCode } from '../../errors.ts';
import { startTsWorker } from '../../ts-worker.ts';
import type { Scope } from '../auth/scope.ts';
import type { ImportOutcome, ImportSummary } from './import.service.ts';
import { RejectionReport, type RejectionReportData } from './rejection-report.ts';
import type { SourceOrigin } from './sources.ts';

export interface WriterRequest {
  readonly database: DatabaseOptions;
  readonly scope: Scope;
  readonly origin: SourceOrigin;
  /** The parse worker's choice (ImportOptions.worker). */
  readonly worker?: boolean;
}

export type WriterMessage =
  | { readonly type: 'progress'; readonly progress: ImportProgress }
  | {
      readonly type: 'done';
      readonly summary: Omit<ImportSummary, 'report'> & { readonly report: RejectionReportData };
      readonly persons: string[];
      readonly households: string[];
    }
  | {
      readonly type: 'error';
      readonly code?: string;
      readonly message: string;
      readonly details?: unknown;
      readonly stack?: string;
    };

export function importOffThread(
  request: WriterRequest & { readonly onProgress?: (p: ImportProgress) => void },
): Promise<ImportOutcome> {
  const { onProgress, ...data } = request;
  return new Promise<ImportOutcome>((resolve, reject) => {
    const worker = startTsWorker(new URL('./import.writer.ts', import.meta.url), { workerData: data });
    let settled = false;
    const settle = (f: () => void) => {
      if (settled) return;
      settled = true;
      f();
    };
    worker.on('message', (m: WriterMessage) => {
      if (m.type === 'progress') onProgress?.(m.progress);
      else if (m.type === 'done') {
        const summary: ImportSummary = { ...m.summary, report: RejectionReport.fromTransfer(m.summary.report) };
        settle(() => resolve({ summary, touched: { persons: new Set(m.persons), households: new Set(m.households) } }));
      } else {
        const err = m.code ? new AppError(m.code as ErrorCode, m.message, m.details) : new Error(m.message);
        if (!m.code && m.stack) err.stack = m.stack;
        settle(() => reject(err));
      }
    });
    worker.on('error', (err) => settle(() => reject(err)));
    // Gone without an answer (killed, out of memory): its transaction rolled back with it.
    worker.on('exit', (code) => settle(() => reject(new Error(`导入线程意外退出（${code}），本次导入未提交`))));
  });
}
