/**
 * Small writes that must not wait for an import: a login's session, a logout, the failure count
 * of an account. While another thread's import holds SQLite's write lock (import.offthread.ts)
 * such a write would wait the busy timeout with the event loop stopped and then fail, so nobody
 * could sign in for the import's minute. Here they are queued in order and written as soon as the
 * writer is free; the repositories that queue them answer from what is queued meanwhile (a new
 * session is valid at once). The queue lives in memory: a crash while the writer is busy loses
 * the queued sessions (their users sign in again) and failure counts (the per-address limit,
 * login-guard.ts, still holds).
 */

/** SQLite's answer when another connection holds the lock past the busy timeout. */
export const isBusy = (err: unknown): boolean => (err as { code?: string } | null)?.code === 'SQLITE_BUSY';

const RETRY_MS = 250;

export class WriteBehind {
  private readonly queue: Array<() => Promise<void>> = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  /** `busy`: whether a write now would wait for another writer (database.reads.writerBusy). */
  constructor(private readonly busy: () => boolean) {}

  /** Writes queued and not yet written. */
  get pending(): number {
    return this.queue.length;
  }

  /** Writes now, or, while the writer is busy (or turns out to be), after what is queued. Returns whether it was written now. */
  async write(work: () => Promise<void>): Promise<boolean> {
    if (this.queue.length === 0 && !this.busy()) {
      try {
        await work();
        return true;
      } catch (err) {
        if (!isBusy(err)) throw err;
      }
    }
    this.queue.push(work);
    this.schedule();
    return false;
  }

  /** Writes what is queued, in order (also called when the writer becomes free). */
  flush(): Promise<void> {
    this.flushing ??= this.drain().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0 && !this.busy()) {
      try {
        await this.queue[0]!();
      } catch (err) {
        if (isBusy(err)) break;
        // Not the lock: the write itself is wrong (a user deleted meanwhile); said, and dropped.
        console.error('延后的写入失败，已放弃：', err);
      }
      this.queue.shift();
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, RETRY_MS);
    this.timer.unref();
  }
}
