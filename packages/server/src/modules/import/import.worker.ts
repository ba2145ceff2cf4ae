/**
 * The import's worker thread: reads and checks the CSV files of a snapshot (import.prepare.ts)
 * while the main thread writes. Started by PreparedTables (import.threads.ts) with the files in
 * the order the main thread takes them; it runs at most `ahead` batches in front of the writer, so
 * a slow disk write cannot pile up a whole table in memory.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TableName } from '@tingjian/engine';
import { csvFileReader } from './csv-reader.ts';
import { prepareTable } from './import.prepare.ts';

const { files, ahead } = workerData as { files: Array<{ table: TableName; path: string; file: string }>; ahead: number };
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

try {
  for (const f of files) {
    for await (const batch of prepareTable(f.table, csvFileReader(f.path, f.file))) {
      while (inFlight >= ahead) await new Promise<void>((resolve) => { wake = resolve; });
      inFlight++;
      port.postMessage({ type: 'batch', table: f.table, batch });
    }
    port.postMessage({ type: 'end', table: f.table });
  }
} catch (err) {
  const e = err as { code?: string; message?: string };
  port.postMessage({ type: 'error', code: e.code, message: e.message ?? String(err) });
}
