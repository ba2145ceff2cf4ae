import {
  CompiledQuery,
  PostgresAdapter,
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from 'kysely';
import type { DB } from '../../db/schema.ts';
import { AppError } from '../../errors.ts';
import type { Scope } from '../auth/scope.ts';
import { nowIso } from '../../clock.ts';
import type { AuditAction } from './audit.actions.ts';
import { chainEvents, checkpointMessage, type AuditEvent, type ChainedRow, type ChainTail } from './audit.chain.ts';
import { signMessage, type AuditKey } from './audit.keys.ts';
import { checkSinceLastCheckpoint, verifyAuditLog, type VerifyResult } from './audit.verify.ts';

/** A signed checkpoint every this many rows. */
export const CHECKPOINT_EVERY = 1000;

/**
 * The key of PostgreSQL's advisory lock that serialises appends to the chain: 'tingjian' as
 * eight ASCII bytes (Kysely's migrations use a lock of their own, another number).
 */
const CHAIN_LOCK = sql.raw('8388354580254630254');

const isPostgres = (db: Kysely<DB>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * The statements of an append, compiled once per dialect: building and compiling a query with
 * Kysely costs more than running it on SQLite, and every audited read appends.
 */
interface Statements {
  readonly tail: CompiledQuery<{ id: number; hash: string }>;
  /** One row's insert; its parameters in the order of ROW_COLUMNS. */
  readonly insertOne: string;
}
const ROW_COLUMNS = ['id', 'at', 'actor', 'action', 'target', 'detail', 'prev_hash', 'hash'] as const;
const compiled = new Map<boolean, Statements>();

function statements(ex: Kysely<DB>, postgres: boolean): Statements {
  let s = compiled.get(postgres);
  if (!s) {
    const placeholder = Object.fromEntries(ROW_COLUMNS.map((c) => [c, c === 'id' ? 0 : ''])) as unknown as ChainedRow;
    s = {
      tail: ex.selectFrom('audit_log').select(['id', 'hash']).orderBy('id', 'desc').limit(1).compile(),
      insertOne: ex.insertInto('audit_log').values(placeholder).compile().sql,
    };
    compiled.set(postgres, s);
  }
  return s;
}

const BEGIN_IMMEDIATE = CompiledQuery.raw('BEGIN IMMEDIATE');
const COMMIT = CompiledQuery.raw('COMMIT');
const ROLLBACK = CompiledQuery.raw('ROLLBACK');

/**
 * The one place that extends the chain: takes the chain's lock in `ex` (a transaction; on SQLite
 * its write lock already serialises), reads the last row inside it and inserts `events` after it.
 * The tail is read every time, under the lock: another process may have appended (a command-line
 * import on the same SQLite file, another node on PostgreSQL), and reading it costs about what a
 * cache's own check would (PRAGMA data_version is a statement too).
 */
export async function appendChained(
  ex: Kysely<DB>,
  events: readonly AuditEvent[],
  postgres = isPostgres(ex),
): Promise<ChainedRow[]> {
  const s = statements(ex, postgres);
  if (postgres) await sql`SELECT pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(ex);
  const tail = (await ex.executeQuery(s.tail)).rows[0];
  const rows = chainEvents(tail ? { id: Number(tail.id), hash: tail.hash } : null, events);
  if (rows.length === 1) {
    const r = rows[0]!;
    await ex.executeQuery(
      CompiledQuery.raw(
        s.insertOne,
        ROW_COLUMNS.map((c) => r[c]),
      ),
    );
  } else {
    for (let i = 0; i < rows.length; i += 500)
      await ex
        .insertInto('audit_log')
        .values(rows.slice(i, i + 500))
        .execute();
  }
  return rows;
}

export interface AuditOptions {
  /** Signs the checkpoints; without it rows are chained and the next writer with a key signs. */
  readonly key?: AuditKey | null;
  readonly checkpointEvery?: number;
}

export interface AuditFilter {
  /** Only events of this area (an org code prefix): by its accounts, or about its residents, households and units; null: all. */
  readonly area: string | null;
  readonly actor?: string;
  /** Exact, or a prefix ending in '*' ('resident.*'). */
  readonly action?: string;
  readonly target?: string;
  /** Events that name this person (see search). */
  readonly idNumber?: string;
  /** ISO instants: from inclusive, to exclusive. */
  readonly from?: string;
  readonly to?: string;
  readonly maxId?: number;
  readonly limit: number;
  readonly offset: number;
}

export interface AuditListRow {
  readonly id: number;
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly detail: string;
  readonly display_name: string | null;
  readonly org_code: string | null;
}

export interface Checkpoint {
  readonly id: number;
  readonly at: string;
  readonly lastAuditId: number;
  readonly hash: string;
}

/**
 * The audit trail: who read or wrote what, as a hash chain with signed checkpoints
 * (audit.chain.ts). Writers pass their transaction so that the event is stored together with the
 * change or not at all.
 */
export class AuditRepository {
  readonly checkpointEvery: number;
  protected readonly key: AuditKey | null;
  private readonly postgres: boolean;
  /** Below this id no checkpoint can be due (read again from the database when it is reached). */
  private checkpointDueAt = 0;
  /** The newest checkpoint this process has seen committed: an older newest one later means checkpoints were deleted. */
  private checkpointSeen = 0;

  constructor(
    protected readonly db: Kysely<DB>,
    options: AuditOptions = {},
  ) {
    this.key = options.key ?? null;
    this.checkpointEvery = options.checkpointEvery ?? CHECKPOINT_EVERY;
    this.postgres = isPostgres(db);
  }

  /**
   * `at`: when it happened, if not now (an event kept while the writer was busy: audit.deferred.ts).
   * In a caller's transaction the chain stays locked until that transaction ends (on PostgreSQL
   * other appends wait for it): record last, just before the commit.
   */
  async record(
    scope: Scope,
    action: AuditAction,
    target: string,
    detail: Record<string, unknown> = {},
    trx?: Transaction<DB>,
    at: string = nowIso(),
  ): Promise<void> {
    await this.append([{ at, actor: scope.username, action, target, detail: JSON.stringify(detail) }], trx);
  }

  /** Appends events in order: in `trx` when given, else in a short transaction of their own. */
  async append(events: readonly AuditEvent[], trx?: Transaction<DB>): Promise<ChainedRow[]> {
    if (events.length === 0) return [];
    if (trx) return this.appendAndCheckpoint(trx, events, true);
    return this.inChainTransaction((ex) => this.appendAndCheckpoint(ex, events, false));
  }

  /**
   * A transaction that holds the chain from the read of its tail to the commit. SQLite: BEGIN
   * IMMEDIATE takes the file's write lock first, so another process (a command-line import)
   * cannot append between the read and the insert; a busy lock fails as SQLITE_BUSY, which
   * audit.deferred.ts answers by keeping the event.
   */
  protected async inChainTransaction<T>(work: (ex: Kysely<DB>) => Promise<T>): Promise<T> {
    if (this.postgres) return this.db.transaction().execute(work);
    return this.db.connection().execute(async (c) => {
      await c.executeQuery(BEGIN_IMMEDIATE);
      try {
        const result = await work(c);
        await c.executeQuery(COMMIT);
        return result;
      } catch (err) {
        await c.executeQuery(ROLLBACK).catch(() => undefined);
        throw err;
      }
    });
  }

  private async appendAndCheckpoint(
    ex: Kysely<DB>,
    events: readonly AuditEvent[],
    callersTransaction: boolean,
  ): Promise<ChainedRow[]> {
    const rows = await appendChained(ex, events, this.postgres);
    const last = rows[rows.length - 1]!;
    if (this.key && last.id >= this.checkpointDueAt) await this.checkpointIfDue(ex, last, callersTransaction);
    return rows;
  }

  /** Signs a checkpoint at `last` when the newest one is `checkpointEvery` rows or more behind. */
  private async checkpointIfDue(ex: Kysely<DB>, last: ChainTail, callersTransaction: boolean): Promise<void> {
    const newest = await ex
      .selectFrom('audit_checkpoint')
      .select(['id', 'last_audit_id'])
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
    const newestId = Number(newest?.id ?? 0);
    const since = Number(newest?.last_audit_id ?? 0);
    if (last.id - since < this.checkpointEvery) {
      this.checkpointDueAt = since + this.checkpointEvery;
      return;
    }
    // Not before another N rows, whatever happens below: a refusal is logged once per N rows.
    this.checkpointDueAt = last.id + this.checkpointEvery;
    if (newestId < this.checkpointSeen) {
      console.error(
        `审计日志：最新的检查点是 id=${newestId}，本进程此前已见到 id=${this.checkpointSeen}：检查点被删除，不再签名新的检查点；请运行 tingjian audit verify`,
      );
      return;
    }
    // A caller's transaction may still roll back: only what this process committed counts as seen.
    if (!callersTransaction) this.checkpointSeen = newestId;
    const problem = await checkSinceLastCheckpoint(ex, this.key!.publicKey, last.id);
    if (problem) {
      console.error(`审计日志被改动，未签名新的检查点：${problem.message}；请运行 tingjian audit verify`);
      return;
    }
    const written = await this.writeCheckpoint(ex, last, newestId + 1);
    if (!callersTransaction) this.checkpointSeen = written.id;
  }

  private async writeCheckpoint(ex: Kysely<DB>, last: ChainTail, id: number): Promise<Checkpoint> {
    const row = { id, at: nowIso(), last_audit_id: last.id, hash: last.hash };
    await ex
      .insertInto('audit_checkpoint')
      .values({ ...row, signature: signMessage(this.key!, checkpointMessage(row)) })
      .execute();
    return { id, at: row.at, lastAuditId: last.id, hash: last.hash };
  }

  /**
   * A checkpoint now (`tingjian audit checkpoint`): records the request, then signs the chain up
   * to and with that row. Refused when the chain since the last checkpoint does not verify.
   */
  async checkpoint(scope: Scope): Promise<Checkpoint> {
    const key = this.requireKey();
    return this.inChainTransaction(async (ex) => {
      const [last] = await appendChained(
        ex,
        [
          {
            at: nowIso(),
            actor: scope.username,
            action: 'audit.checkpoint' satisfies AuditAction,
            target: 'audit_log',
            detail: JSON.stringify({ key: key.fingerprint }),
          },
        ],
        this.postgres,
      );
      const newest = await ex
        .selectFrom('audit_checkpoint')
        .select('id')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst();
      if (Number(newest?.id ?? 0) < this.checkpointSeen)
        throw new AppError(
          'TJ_AUDIT_TAMPERED',
          `审计日志的检查点被删除（最新的是 id=${Number(newest?.id ?? 0)}，本进程此前已见到 id=${this.checkpointSeen}），不能签名新的检查点；请运行 tingjian audit verify 查看`,
        );
      const problem = await checkSinceLastCheckpoint(ex, key.publicKey, last!.id);
      if (problem)
        throw new AppError(
          'TJ_AUDIT_TAMPERED',
          `审计日志自上一个检查点以来被改动，不能签名新的检查点：${problem.message}；请运行 tingjian audit verify 查看`,
          problem,
        );
      const written = await this.writeCheckpoint(ex, last!, Number(newest?.id ?? 0) + 1);
      this.checkpointDueAt = last!.id + this.checkpointEvery;
      this.checkpointSeen = written.id;
      return written;
    });
  }

  /** The whole chain and every checkpoint, checked with the public key of this repository's key. */
  async verify(): Promise<VerifyResult> {
    const key = this.requireKey();
    return verifyAuditLog(this.db, key.publicKey, { checkpointEvery: this.checkpointEvery, keyPath: key.path });
  }

  private requireKey(): AuditKey {
    if (!this.key) throw new AppError('TJ_CONFIG', '审计日志没有签名密钥：请设置 TINGJIAN_AUDIT_KEY');
    return this.key;
  }

  /** One page of the log, newest first, and how many match (GET /api/audit; the service checks the role). */
  async search(f: AuditFilter): Promise<{ rows: AuditListRow[]; total: number }> {
    const matches = (eb: ExpressionBuilder<DB & { a: DB['audit_log']; u: DB['app_user'] }, 'a' | 'u'>) => {
      const all: Array<Expression<SqlBool>> = [];
      if (f.area !== null) {
        const area = `${f.area}%`;
        all.push(
          eb.or([
            // By someone whose account belongs to the area…
            eb('u.org_code', 'like', area),
            // …or about a resident, a household or a unit of the area.
            eb.and([
              eb('a.target', 'like', 'resident:%'),
              eb.exists(
                eb
                  .selectFrom('resident as r')
                  .select('r.id_number')
                  .where('r.id_number', '=', sql<string>`substr(a.target, 10)`)
                  .where('r.committee_code', 'like', area),
              ),
            ]),
            eb.and([
              eb('a.target', 'like', 'household:%'),
              eb.exists(
                eb
                  .selectFrom('household as h')
                  .select('h.household_id')
                  .where('h.household_id', '=', sql<string>`substr(a.target, 11)`)
                  .where('h.committee_code', 'like', area),
              ),
            ]),
            eb('a.target', 'like', `org:${area}`),
          ]),
        );
      }
      if (f.actor) all.push(eb('a.actor', '=', f.actor));
      if (f.action)
        all.push(
          f.action.endsWith('*') ? eb('a.action', 'like', `${f.action.slice(0, -1)}%`) : eb('a.action', '=', f.action),
        );
      if (f.target) all.push(eb('a.target', '=', f.target));
      if (f.idNumber) {
        const id = f.idNumber;
        // Who looked at this person: their 360 view and other reads of them, lists that showed
        // them (the ids are in the detail), and views of the household they belong to now.
        all.push(
          eb.or([
            eb('a.target', '=', `resident:${id}`),
            eb('a.detail', 'like', `%${id}%`),
            eb(
              'a.target',
              '=',
              sql<string>`'household:' || (SELECT household_id FROM resident WHERE id_number = ${id})`,
            ),
          ]),
        );
      }
      if (f.from) all.push(eb('a.at', '>=', f.from));
      if (f.to) all.push(eb('a.at', '<', f.to));
      if (f.maxId !== undefined) all.push(eb('a.id', '<=', f.maxId));
      return eb.and(all);
    };
    const base = () =>
      this.db.selectFrom('audit_log as a').leftJoin('app_user as u', 'u.username', 'a.actor').where(matches);
    const rows = await base()
      .select(['a.id', 'a.at', 'a.actor', 'a.action', 'a.target', 'a.detail', 'u.display_name', 'u.org_code'])
      .orderBy('a.id', 'desc')
      .limit(f.limit)
      .offset(f.offset)
      .execute();
    const total = await base()
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return { rows: rows.map((r) => ({ ...r, id: Number(r.id) })), total: Number(total.n) };
  }

  recent(limit: number, actor?: string) {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
    if (actor) q = q.where('actor', '=', actor);
    return q.execute();
  }
}
