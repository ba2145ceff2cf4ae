/**
 * Where an import's prepared batches come from: a worker thread for the CSV files or workbook
 * sheets of a large snapshot, else prepareTable in place. On the two-core machine of the issue's
 * benchmark the reading and checking of a million residents (about 15 s of CPU) then overlaps the
 * writes and index builds of the main thread instead of adding to them; and a workbook's XML is
 * parsed off the thread that answers requests (a 300k-row workbook read in place held it 50 s).
 */
import type { Worker } from 'node:worker_threads';
import type { TableName } from '@tingjian/engine';
import { AppError, type ErrorCode } from '../../errors.ts';
import { startTsWorker } from '../../ts-worker.ts';
import { csvSpecOf, type CsvLimits } from './csv-reader.ts';
import { prepareTable, type PreparedBatch } from './import.prepare.ts';
import type { TableReader } from './sources.ts';
import { xlsxSpecOf, type XlsxLimits } from './xlsx-reader.ts';

/** A table the worker reads: a CSV file, or a sheet of a workbook. */
export type WorkerFile =
  | {
      readonly kind: 'csv';
      readonly table: TableName;
      readonly path: string;
      readonly file: string;
      readonly limits: CsvLimits;
    }
  | {
      readonly kind: 'xlsx';
      readonly table: TableName;
      readonly path: string;
      readonly name: string;
      readonly limits: XlsxLimits;
    };

function workerFileOf(table: TableName, reader: TableReader): WorkerFile | undefined {
  const csv = csvSpecOf(reader);
  if (csv) return { kind: 'csv', table, path: csv.path, file: reader.file, limits: csv.limits };
  const xlsx = xlsxSpecOf(reader);
  if (xlsx) return { kind: 'xlsx', table, path: xlsx.path, name: xlsx.name, limits: xlsx.limits };
  return undefined;
}

/**
 * Below this many bytes of CSV or sheet XML a thread's start-up (loading the engine anew) costs
 * more than it saves; a sheet's XML is several times its CSV, so a workbook crosses it at some
 * ten thousand rows, and the parse of anything larger stays off the requests' thread.
 */
const WORKER_MIN_BYTES = 4 << 20;
/**
 * Batches (a chunk of about 1 MB of CSV each) the worker may run ahead of the writer: enough to
 * keep it busy with the next table while the main thread builds the indexes of the last one. At a
 * million residents the seven resident indexes take ~7 s, in which the worker prepares ~80 MB of
 * relations; with 40 it stopped half-way and the main thread then waited ~1.3 s for relations
 * (80 holds ~100 MB more at that moment; peak RSS stays ~1.25 GB, set by the residents' load).
 */
const AHEAD = 80;

/**
 * The worker's young generation: every field it reads is a short-lived string, and with V8's
 * default (about 48 MB) its scavenges, which run on helper threads too, took ~3 s of a million
 * residents' import and slowed the writer on the other core. 96 MB: the import 21-26 s -> 20-24 s
 * (interleaved runs), peak RSS +60 MB; 192 MB gained 0.5 s more for 140 MB more.
 */
const YOUNG_GENERATION_MB = 96;

type Message =
  | { type: 'batch'; table: TableName; batch: PreparedBatch }
  | { type: 'end'; table: TableName }
  | { type: 'error'; code?: string; message: string };

export class PreparedTables {
  private worker: Worker | null = null;
  private readonly queue: Message[] = [];
  private failure: Error | null = null;
  private wake: (() => void) | null = null;

  /** `useWorker`: true or false forces the choice; undefined decides by the size of the CSV files. */
  constructor(readers: ReadonlyArray<readonly [TableName, TableReader]>, useWorker?: boolean) {
    const files = readers.flatMap(([table, reader]) => {
      const f = workerFileOf(table, reader);
      return f ? [f] : [];
    });
    const bytes = readers.reduce((n, [table, r]) => n + (workerFileOf(table, r) ? r.total : 0), 0);
    if (files.length > 0 && (useWorker ?? bytes >= WORKER_MIN_BYTES)) this.start(files);
    this.inWorker = new Set(this.worker ? files.map((f) => f.table) : []);
  }

  private readonly inWorker: Set<TableName>;

  private start(files: WorkerFile[]): void {
    const worker = startTsWorker(new URL('./import.worker.ts', import.meta.url), {
      workerData: { files, ahead: AHEAD },
      resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
    });
    worker.on('message', (m: Message) => {
      this.queue.push(m);
      this.poke();
    });
    worker.on('error', (err) => {
      this.failure ??= err;
      this.poke();
    });
    worker.on('exit', (code) => {
      this.failure ??= new Error(`导入的工作线程意外退出（${code}）`);
      this.poke();
    });
    this.worker = worker;
  }

  private poke(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private async next(): Promise<Message> {
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.failure) throw this.failure;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** The prepared batches of one table; tables must be taken in the order given to the constructor. */
  async *batches(table: TableName, reader: TableReader): AsyncGenerator<PreparedBatch> {
    if (!this.inWorker.has(table)) {
      yield* prepareTable(table, reader);
      return;
    }
    for (;;) {
      const m = await this.next();
      if (m.type === 'error') throw m.code ? new AppError(m.code as ErrorCode, m.message) : new Error(m.message);
      if (m.table !== table) throw new Error(`导入的工作线程送来了 ${m.table}，应为 ${table}`);
      if (m.type === 'end') return;
      this.worker!.postMessage('ack');
      yield m.batch;
    }
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) {
      w.removeAllListeners('exit');
      await w.terminate();
    }
  }
}
