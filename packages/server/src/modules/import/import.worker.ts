/**
 * The import's worker thread: reads and checks the CSV files or workbook sheets of a snapshot
 * (import.prepare.ts) while the main thread writes. Started by PreparedTables (import.threads.ts) with the files in
 * the order the main thread takes them; it runs at most `ahead` batches in front of the writer, so
 * a slow disk write cannot pile up a whole table in memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { csvFileReader } from './csv-reader.ts';
import { prepareTable } from './import.prepare.ts';
import type { WorkerFile } from './import.threads.ts';
import type { TableReader } from './sources.ts';
import type { XlsxBook } from './xlsx-reader.ts';

const { files, ahead } = workerData as { files: WorkerFile[]; ahead: number };
const port = parentPort!;
let inFlight = 0;
let wake: (() => void) | null = null;
port.on('message', (m: unknown) => {
  if (m === 'ack') {
    inFlight--;
    wake?.();
    wake = null;
  }
});

/** One book per workbook: its shared strings are read once for all its sheets. */
const books = new Map<string, Promise<XlsxBook>>();
async function readerOf(f: WorkerFile): Promise<TableReader> {
  if (f.kind === 'csv') return csvFileReader(f.path, f.file, f.limits);
  // Loaded only for a workbook: a CSV import's worker starts without exceljs.
  const { XlsxBook, xlsxTableReader } = await import('./xlsx-reader.ts');
  let book = books.get(f.path);
  if (!book) books.set(f.path, (book = XlsxBook.open(f.path, f.name, f.limits)));
  return xlsxTableReader(await book, f.table);
}

try {
  for (const f of files) {
    for await (const batch of prepareTable(f.table, await readerOf(f))) {
      while (inFlight >= ahead)
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
      inFlight++;
      port.postMessage({ type: 'batch', table: f.table, batch });
    }
    port.postMessage({ type: 'end', table: f.table });
  }
} catch (err) {
  const e = err as { code?: string; message?: string };
  port.postMessage({ type: 'error', code: e.code, message: e.message ?? String(err) });
}
