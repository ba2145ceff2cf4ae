/**
 * Starts a worker thread on one of the server's TypeScript modules. The worker loads TypeScript
 * natively when the process already runs under tsx (its flags pass to workers), else by
 * registering tsx's loader in the worker first (the CLI registers it through its API, vitest
 * through its own transform). Written here because Node's Worker takes a JavaScript entry only.
 */
import { readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

export function startTsWorker(entry: URL, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  // The ESM entry of tsx's API (require.resolve names its CommonJS twin).
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  const code = `
    const entry = ${JSON.stringify(entry.href)};
    import(entry).catch(async (err) => {
      if (err?.code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw err;
      const { register } = await import(${JSON.stringify(tsx)});
      register();
      await import(entry + '?tsx'); // a new URL: the failed import of entry stays cached
    });`;
  return new Worker(code, { ...options, eval: true });
}

/**
 * Lowers the calling thread's scheduling priority (Linux: nice 10 for this thread alone, found
 * through /proc/thread-self; threads it starts afterwards inherit it). For an import's threads: on
 * a machine of two cores the import's writer and reader otherwise take the cores in equal shares
 * with the thread that answers requests, and a request waits for its turn; at nice 10 the
 * scheduler gives that thread about nine tenths of a contended core, and the import still has
 * every idle cycle. Elsewhere (no /proc) a no-op.
 */
export function runInBackground(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, 10);
  } catch {
    // Not Linux, or not allowed: the thread keeps its priority.
  }
}
