/**
 * The audit trail when SQLite's one writer is busy. An import holds the writer for its whole
 * transaction (seconds to a minute), and another process's import holds the file's write lock;
 * an audited read then waited for it (the 360 view hung until the import ended) or failed with
 * SQLITE_BUSY (500). Reads must go on: an event recorded outside a transaction while the writer
 * is busy is kept in order, with its own time, and written as soon as the writer is free. Events
 * written inside a transaction (writes) are never deferred: they commit with their change.
 *
 * Kept in memory and, when a spool file is given, appended to it as they are kept (one JSON line
 * each, written before the read is answered): a crash while the writer is busy (kill -9 in the
 * middle of an import) loses nothing, since the next start writes the spool into the chain first
 * (`recover`). The append is not fsynced: a power cut may still lose the last events. `pending`
 * says how many are kept.
 */
import { existsSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import type { Kysely, Transaction } from 'kysely';
import { nowIso } from '../../clock.ts';
import type { DB } from '../../db/schema.ts';
import type { Scope } from '../auth/scope.ts';
import type { AuditAction } from './audit.actions.ts';
import type { AuditEvent } from './audit.chain.ts';
import { AuditRepository, type AuditOptions } from './audit.repository.ts';

/** SQLite's answer when another connection holds the lock past the busy timeout. */
const isBusy = (err: unknown) => (err as { code?: string } | null)?.code === 'SQLITE_BUSY';
const RETRY_MS = 500;

export class DeferringAuditRepository extends AuditRepository {
  private readonly kept: AuditEvent[] = [];
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  /** The spool's file descriptor while it holds events. */
  private spoolFd: number | null = null;

  /**
   * `writerBusy`: whether a statement now would wait for the writer (database.reads.writerBusy).
   * `spool`: the file that holds the kept events until they are written (beside the database).
   */
  constructor(
    db: Kysely<DB>,
    private readonly writerBusy: () => boolean,
    options: AuditOptions & { readonly spool?: string } = {},
  ) {
    super(db, options);
    this.spool = options.spool ?? null;
  }

  private readonly spool: string | null;

  /**
   * At start: the events a previous process kept and did not write (it crashed, or was killed,
   * while the writer was busy), written into the chain in their order before anything new. Those
   * already in the chain (it wrote them and died before emptying the spool) are not written twice;
   * a last line cut short by the crash is skipped and said. Returns how many were written.
   */
  async recover(): Promise<number> {
    if (!this.spool || !existsSync(this.spool)) return 0;
    const events: AuditEvent[] = [];
    const lines = readFileSync(this.spool, 'utf8')
      .split('\n')
      .filter((l) => l !== '');
    lines.forEach((line, i) => {
      try {
        const e = JSON.parse(line) as AuditEvent;
        if (
          typeof e.at === 'string' &&
          typeof e.actor === 'string' &&
          typeof e.action === 'string' &&
          typeof e.target === 'string' &&
          typeof e.detail === 'string'
        )
          events.push(e);
        else throw new Error('字段不全');
      } catch {
        console.error(`审计暂存文件 ${this.spool} 第 ${i + 1} 行不完整（上次进程写到一半时退出），已跳过`);
      }
    });
    let fresh = events;
    if (events.length > 0) {
      const since = events.reduce((m, e) => (e.at < m ? e.at : m), events[0]!.at);
      const key = (e: { at: string; actor: string; action: string; target: string; detail: string }) =>
        [e.at, e.actor, e.action, e.target, e.detail].join('\u0001');
      const stored = new Set(
        (
          await this.db
            .selectFrom('audit_log')
            .select(['at', 'actor', 'action', 'target', 'detail'])
            .where('at', '>=', since)
            .execute()
        ).map(key),
      );
      fresh = events.filter((e) => !stored.has(key(e)));
      await this.append(fresh);
    }
    rmSync(this.spool, { force: true });
    return fresh.length;
  }

  get pending(): number {
    return this.kept.length;
  }

  override async record(
    scope: Scope,
    action: AuditAction,
    target: string,
    detail: Record<string, unknown> = {},
    trx?: Transaction<DB>,
    at: string = nowIso(),
  ): Promise<void> {
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
    this.flushing ??= this.write().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private keep(event: AuditEvent): void {
    this.kept.push(event);
    if (this.spool) {
      this.spoolFd ??= openSync(this.spool, 'a', 0o600);
      writeSync(this.spoolFd, `${JSON.stringify(event)}\n`);
    }
    this.schedule();
  }

  /** The spool holds what is still kept, and nothing once all is written. */
  private respool(): void {
    if (!this.spool || this.spoolFd === null) return;
    closeSync(this.spoolFd);
    this.spoolFd = null;
    if (this.kept.length === 0) {
      rmSync(this.spool, { force: true });
      return;
    }
    writeFileSync(this.spool, this.kept.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
    this.spoolFd = openSync(this.spool, 'a', 0o600);
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
      this.respool();
    }
    this.schedule();
  }
}
