/**
 * The audit trail when SQLite's one writer is busy. An import holds the writer for its whole
 * transaction (seconds to a minute), and another process's import holds the file's write lock;
 * an audited read then waited for it (the 360 view hung until the import ended) or failed with
 * SQLITE_BUSY (500). Reads must go on: an event recorded outside a transaction while the writer
 * is busy is kept in order, with its own time, and written as soon as the writer is free. Events
 * written inside a transaction (writes) are never deferred: they commit with their change.
 *
 * Kept in memory: a crash while the writer is busy loses the events kept meanwhile (at most the
 * reads of one import's duration); `pending` says how many there are.
 */
import type { Kysely, Transaction } from 'kysely';
import { nowIso } from '../../clock.ts';
import type { DB } from '../../db/schema.ts';
import type { Scope } from '../auth/scope.ts';
import type { AuditEvent } from './audit.chain.ts';
import { AuditRepository, type AuditOptions } from './audit.repository.ts';

/** SQLite's answer when another connection holds the lock past the busy timeout. */
const isBusy = (err: unknown) => (err as { code?: string } | null)?.code === 'SQLITE_BUSY';
const RETRY_MS = 500;

export class DeferringAuditRepository extends AuditRepository {
  private readonly kept: AuditEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  /** `writerBusy`: whether a statement now would wait for the writer (database.reads.writerBusy). */
  constructor(db: Kysely<DB>, private readonly writerBusy: () => boolean, options: AuditOptions = {}) {
    super(db, options);
  }

  get pending(): number {
    return this.kept.length;
  }

  override async record(scope: Scope, action: string, target: string, detail: Record<string, unknown> = {}, trx?: Transaction<DB>, at: string = nowIso()): Promise<void> {
    if (trx) return super.record(scope, action, target, detail, trx, at);
    // Its text now: the caller may change the object after.
    const event: AuditEvent = { at, actor: scope.username, action, target, detail: JSON.stringify(detail) };
    if (this.writerBusy()) return this.keep(event);
    // Behind events already kept, so that the trail stays in order.
    if (this.kept.length > 0) await this.flush();
    if (this.kept.length > 0) return this.keep(event);
    try {
      await this.append([event]);
    } catch (err) {
      if (!isBusy(err)) throw err;
      this.keep(event);
    }
  }

  /** Writes what was kept (also called when an import ends). */
  flush(): Promise<void> {
    this.flushing ??= this.write().finally(() => { this.flushing = null; });
    return this.flushing;
  }

  private keep(event: AuditEvent): void {
    this.kept.push(event);
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.kept.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.flush();
    }, RETRY_MS);
    this.timer.unref();
  }

  private async write(): Promise<void> {
    while (this.kept.length > 0) {
      if (this.writerBusy()) break;
      // Many at once: one transaction, one read of the chain's tail.
      const batch = this.kept.slice(0, 500);
      try {
        await this.append(batch);
      } catch (err) {
        if (!isBusy(err)) console.error('审计日志写入失败，稍后重试：', err);
        break;
      }
      this.kept.splice(0, batch.length);
    }
    this.schedule();
  }
}
