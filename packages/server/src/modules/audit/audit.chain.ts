/**
 * The audit trail as a hash chain. Each row carries the hash of the row before it (`prev_hash`,
 * GENESIS for the first) and its own hash over a canonical encoding of its fields, so a row
 * edited, deleted or inserted after the fact no longer fits the chain; signed checkpoints
 * (audit.keys.ts) fix the chain's state every so many rows, so a rewrite of the chain from some
 * row on does not fit the next checkpoint.
 *
 * The encoding is versioned ('tingjian.audit.v1'): an outside verifier can recompute every hash
 * with any SHA-256 and JSON implementation. Never change v1 (migration 011 chained the rows
 * stored before it with it): a new encoding gets a new tag.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

/** The `prev_hash` of the first row. */
export const GENESIS = '0'.repeat(64);

/** An event as it is stored, before it gets its place in the chain. */
export interface AuditEvent {
  readonly at: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  /** JSON text, hashed as stored. */
  readonly detail: string;
}

export interface ChainedRow extends AuditEvent {
  readonly id: number;
  readonly prev_hash: string;
  readonly hash: string;
}

/** The last row of the chain: where the next one attaches. */
export interface ChainTail {
  readonly id: number;
  readonly hash: string;
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * SHA-256 (hex) of `["tingjian.audit.v1", id, at, actor, action, target, detail, prev_hash]` as
 * JSON: a fixed order, JSON's string escaping, no separators that a field could contain.
 */
export function rowHash(r: Omit<ChainedRow, 'hash'>): string {
  return sha256(JSON.stringify(['tingjian.audit.v1', r.id, r.at, r.actor, r.action, r.target, r.detail, r.prev_hash]));
}

/**
 * The rows for `events` appended after `tail` (null: an empty log). Ids are assigned here, one
 * after the other: a gap in the ids of a chained log is a deleted row.
 */
export function chainEvents(tail: ChainTail | null, events: readonly AuditEvent[]): ChainedRow[] {
  let id = tail?.id ?? 0;
  let prev = tail?.hash ?? GENESIS;
  return events.map((e) => {
    id += 1;
    const row = { id, at: e.at, actor: e.actor, action: e.action, target: e.target, detail: e.detail, prev_hash: prev };
    prev = rowHash(row);
    return { ...row, hash: prev };
  });
}

/** What a checkpoint signs: the chain up to `last_audit_id` has the hash `hash` (as of `at`). */
export function checkpointMessage(c: {
  readonly at: string;
  readonly last_audit_id: number;
  readonly hash: string;
}): Buffer {
  return Buffer.from(JSON.stringify(['tingjian.audit.checkpoint.v1', c.last_audit_id, c.hash, c.at]), 'utf8');
}

/** The meta key under which migration 011 keeps the last id it chained (gaps up to it predate the chain). */
export const LEGACY_LAST_ID_KEY = 'audit_chain_legacy_last_id';

/**
 * Migration 011: chains the rows stored before it, in id order, and remembers the last id it
 * chained. Their ids may have gaps that are no deletion (PostgreSQL's identity skips the ids of
 * rolled-back transactions); the verifier accepts a gap up to that id when the chain links.
 */
// Run by migration 011, on the schema of that time (Kysely<any>, as migrations are).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function chainStoredRows(db: Kysely<any>): Promise<void> {
  const BATCH = 200;
  let tail: ChainTail | null = null;
  for (;;) {
    const rows: Array<AuditEvent & { id: number }> = await db
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor', 'action', 'target', 'detail'])
      .where('id', '>', tail?.id ?? 0)
      .orderBy('id')
      .limit(BATCH)
      .execute();
    if (rows.length === 0) break;
    const chained: ChainedRow[] = [];
    let prev = tail?.hash ?? GENESIS;
    for (const r of rows) {
      const row = {
        id: Number(r.id),
        at: r.at,
        actor: r.actor,
        action: r.action,
        target: r.target,
        detail: r.detail,
        prev_hash: prev,
      };
      prev = rowHash(row);
      chained.push({ ...row, hash: prev });
    }
    // One statement per batch (portable: CASE works the same on both databases).
    const cases = (column: 'prev_hash' | 'hash') =>
      sql.join(
        chained.map((r) => sql`WHEN ${r.id} THEN ${r[column]}`),
        sql` `,
      );
    await sql`UPDATE audit_log SET prev_hash = CASE id ${cases('prev_hash')} END, hash = CASE id ${cases('hash')} END WHERE id IN (${sql.join(chained.map((r) => r.id))})`.execute(
      db,
    );
    tail = chained[chained.length - 1]!;
  }
  await db
    .insertInto('meta')
    .values({ key: LEGACY_LAST_ID_KEY, value: String(tail?.id ?? 0) })
    .execute();
}
