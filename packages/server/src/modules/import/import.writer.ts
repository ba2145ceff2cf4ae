/**
 * The import's own thread (import.offthread.ts): opens the database anew, opens the source again
 * from its path, imports it in one transaction and sends back the summary, or the error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../../db/database.ts';
import { AppError } from '../../errors.ts';
import { runInBackground } from '../../ts-worker.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import { OrgRepository } from '../org/org.repository.ts';
import { OrgService } from '../org/org.service.ts';
import type { WriterMessage, WriterRequest } from './import.offthread.ts';
import { ImportReportRepository } from './import-report.repository.ts';
import { ImportRepository } from './import.repository.ts';
import { ImportService } from './import.service.ts';
import { openSource } from './sources.ts';

// Requests first: this thread (and the parse worker it starts) takes what they leave of the cores.
runInBackground();

const request = workerData as WriterRequest;
const port = parentPort!;
const send = (m: WriterMessage) => port.postMessage(m);

try {
  const database = await openDatabase(request.database);
  try {
    const org = new OrgService(new OrgRepository(database.db));
    await org.refresh();
    // The trail without the signing key (it stays with the main process): rows are chained here, and the next writer with the key signs.
    const imports = new ImportService(
      new ImportRepository(database.db, database.dialect, database.sqlite),
      new ImportReportRepository(database.db),
      new AuditRepository(database.db),
      org,
    );
    const source = await openSource(request.origin.path, request.origin.name, request.origin.limits);
    const { summary, touched } = await imports.importHere(request.scope, source, {
      worker: request.worker,
      onProgress: (progress) => send({ type: 'progress', progress }),
    });
    send({
      type: 'done',
      summary: { ...summary, report: summary.report.toTransfer() },
      persons: [...touched.persons],
      households: [...touched.households],
    });
  } finally {
    await database.close();
  }
} catch (err) {
  if (err instanceof AppError) send({ type: 'error', code: err.code, message: err.message, details: err.details });
  else
    send({
      type: 'error',
      message: err instanceof Error ? err.message : String(err),
      stack: err instanceof Error ? err.stack : undefined,
    });
}
