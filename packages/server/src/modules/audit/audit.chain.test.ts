/**
 * The audit trail is tamper-evident: rows edited, deleted, rewritten with a recomputed hash or cut
 * off at the tail are each found, and the row named; a clean log verifies. Each case tampers the
 * way someone with the database file but not the key would: with SQL.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, type Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDatabase, type Database } from '../../db/database.ts';
import { migrationProvider } from '../../db/migrations.ts';
import type { DB } from '../../db/schema.ts';
import { DIALECTS, freshDatabase, type TestDialect } from '../../test/helpers.ts';
import type { Scope } from '../auth/scope.ts';
import { GENESIS, rowHash } from './audit.chain.ts';
import { loadAuditKey, type AuditKey } from './audit.keys.ts';
import { DeferringAuditRepository } from './audit.deferred.ts';
import { AuditRepository } from './audit.repository.ts';

const worker: Scope = { username: 'w', role: 'committee', orgCode: '310105001001' };
const EVERY = 4;

/** Sets a row's detail and, when asked, its hash as if recomputed by someone who knows the encoding. */
async function rewrite(db: Kysely<DB>, id: number, detail: string, recompute: boolean): Promise<void> {
  await db.updateTable('audit_log').set({ detail }).where('id', '=', id).execute();
  if (!recompute) return;
  const r = await db.selectFrom('audit_log').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  await db
    .updateTable('audit_log')
    .set({ hash: rowHash({ ...r, id: Number(r.id) }) })
    .where('id', '=', id)
    .execute();
}

/** Rewrites the chain from `id` on, as a careful forger would: every later row gets a fitting prev_hash and hash. */
async function rechainFrom(db: Kysely<DB>, id: number): Promise<void> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('id', '>=', id - 1)
    .orderBy('id')
    .execute();
  let prev = rows[0]!.id < id ? rows.shift()!.hash : GENESIS;
  for (const r of rows) {
    const hash = rowHash({ ...r, id: Number(r.id), prev_hash: prev });
    await db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('id', '=', r.id).execute();
    prev = hash;
  }
}

/** Another connection to the same database, as another process or server node has. */
function secondConnection(database: Database): Promise<Database> {
  if (database.dialect === 'sqlite') return openDatabase({ sqlitePath: database.location });
  const url = new URL(process.env.TINGJIAN_TEST_PG_URL!);
  url.pathname = new URL(database.location).pathname;
  return openDatabase({ postgresUrl: url.toString() });
}

for (const dialect of DIALECTS) {
  describe(`the audit chain (${dialect})`, () => {
    let database: Database;
    let dir: string;
    let key: AuditKey;
    let audit: AuditRepository;
    let db: Kysely<DB>;

    beforeEach(async () => {
      database = await freshDatabase(dialect as TestDialect);
      db = database.db;
      dir = mkdtempSync(join(tmpdir(), 'tingjian-audit-key-'));
      key = loadAuditKey(join(dir, 'audit-key.pem'));
      audit = new AuditRepository(db, { key, checkpointEvery: EVERY });
    });
    afterEach(async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    });

    /** Ten events: reads on their own, writes inside a transaction; checkpoints after rows 4 and 8. */
    async function tenEvents(): Promise<void> {
      for (let i = 1; i <= 10; i++) {
        if (i % 3 === 0)
          await db.transaction().execute((trx) => audit.record(worker, 'tag.update', `tag:${i}`, { n: i }, trx));
        else
          await audit.record(worker, 'resident.view', `resident:31010519450101${String(i).padStart(4, '0')}`, { n: i });
      }
    }

    it('a clean log verifies: ids one after the other, each row naming the hash of the one before, signed checkpoints', async () => {
      await tenEvents();
      const rows = await db.selectFrom('audit_log').selectAll().orderBy('id').execute();
      expect(rows.map((r) => Number(r.id))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
      expect(rows[0]!.prev_hash).toBe(GENESIS);
      for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.hash);
      const checkpoints = await db.selectFrom('audit_checkpoint').selectAll().orderBy('id').execute();
      expect(checkpoints.map((c) => [Number(c.id), Number(c.last_audit_id)])).toEqual([
        [1, 4],
        [2, 8],
      ]);
      const result = await audit.verify();
      expect(result.problems).toEqual([]);
      expect(result.ok).toBe(true);
      expect(result.summary).toBe('审计日志完整：10 条，2 个签名检查点');
    });

    it('finds a row whose detail was edited, and names it', async () => {
      await tenEvents();
      await rewrite(db, 5, '{"n":"nothing to see"}', false);
      const result = await audit.verify();
      expect(result.ok).toBe(false);
      expect(result.problems[0]).toMatchObject({ kind: 'edited', id: 5, ordinal: 5 });
      expect(result.problems[0]!.message).toMatch(/^第 5 条（id=5）被改动：内容与其哈希不符/);
      expect(result.problemCount).toBe(1);
    });

    it('finds a deleted row by the gap in the ids', async () => {
      await tenEvents();
      await db.deleteFrom('audit_log').where('id', '=', 6).execute();
      const result = await audit.verify();
      expect(result.problems[0]).toMatchObject({ kind: 'deleted', id: 6 });
      expect(result.problems[0]!.message).toMatch(/^第 6 条（id=7）之前缺少 id=6 的记录：记录被删除/);
    });

    it('finds a row edited with its hash recomputed: the next row no longer links to it', async () => {
      await tenEvents();
      await rewrite(db, 5, '{"n":"nothing to see"}', true);
      const result = await audit.verify();
      expect(result.problems[0]).toMatchObject({ kind: 'chain', id: 5 });
      expect(result.problems[0]!.message).toMatch(/^第 5 条（id=5）被改动并重算了哈希：下一条（id=6）/);
      // Only that link breaks: the rows after it and the checkpoint at row 8 still fit.
      expect(result.problemCount).toBe(1);
    });

    it('finds a row edited with the whole chain after it rewritten: the next signed checkpoint does not fit', async () => {
      await tenEvents();
      await rewrite(db, 5, '{"n":"nothing to see"}', true);
      await rechainFrom(db, 6);
      const result = await audit.verify();
      expect(result.ok).toBe(false);
      expect(result.problems[0]).toMatchObject({ kind: 'checkpoint', id: 8, checkpointId: 2 });
      expect(result.problems[0]!.message).toMatch(/^第 8 条（id=8）的哈希与检查点（id=2，.*）签下的不符/);
    });

    it('finds a tail cut off after a checkpoint: the checkpoint points at a row that is gone', async () => {
      await tenEvents();
      await db.deleteFrom('audit_log').where('id', '>=', 7).execute();
      const result = await audit.verify();
      expect(result.problems[0]).toMatchObject({ kind: 'checkpoint', id: 8, checkpointId: 2 });
      expect(result.problems[0]!.message).toMatch(
        /^检查点（id=2，.*）指向 id=8 的记录，但该记录已不存在：日志尾部被截断/,
      );
    });

    it('finds a forged or edited checkpoint by its signature, and a deleted one by the gap in their ids', async () => {
      await tenEvents();
      await audit.record(worker, 'resident.view', 'resident:x', {}); // 11
      await audit.record(worker, 'resident.view', 'resident:x', {}); // 12, checkpoint 3
      await db.updateTable('audit_checkpoint').set({ at: '2020-01-01T00:00:00.000Z' }).where('id', '=', 1).execute();
      await db.deleteFrom('audit_checkpoint').where('id', '=', 2).execute();
      const result = await audit.verify();
      expect(result.problems.map((p) => [p.kind, p.checkpointId])).toEqual([
        ['checkpoint', 1],
        ['checkpoint', 3],
      ]);
      expect(result.problems[0]!.message).toMatch(/^检查点（id=1，至 id=4）的签名无效/);
      expect(result.problems[1]!.message).toMatch(/^缺少检查点 id=2：检查点被删除/);
    });

    it('checks signatures with the public key of the key file: another key does not verify them', async () => {
      await tenEvents();
      const other = new AuditRepository(db, { key: loadAuditKey(join(dir, 'other.pem')), checkpointEvery: EVERY });
      const result = await other.verify();
      expect(result.problems.map((p) => p.kind)).toEqual(['checkpoint', 'checkpoint']);
      expect(result.problems[0]!.message).toContain(`或密钥文件 ${join(dir, 'other.pem')} 不是签名时的那一个`);
    });

    it('finds checkpoints deleted from the tail: too many rows after the last one', async () => {
      for (let i = 0; i < 3 * EVERY; i++) await audit.record(worker, 'resident.view', `resident:${i}`, {});
      // Someone rewrites row 2 and everything after it, and deletes the checkpoints that would tell.
      await rewrite(db, 2, '{"n":"x"}', true);
      await rechainFrom(db, 3);
      await db.deleteFrom('audit_checkpoint').execute();
      const result = await audit.verify();
      expect(result.problems.map((p) => p.kind)).toEqual(['tail']);
      expect(result.problems[0]!.message).toMatch(
        /没有任何检查点，有 12 条记录（每 4 条应有一个检查点）：检查点可能被删除/,
      );
    });

    it('never signs a checkpoint over a rewritten chain', async () => {
      const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        for (let i = 0; i < EVERY; i++) await audit.record(worker, 'resident.view', `resident:${i}`, {}); // checkpoint 1 at row 4
        await audit.record(worker, 'resident.view', 'resident:5', {});
        await audit.record(worker, 'resident.view', 'resident:6', {});
        // (The newest row could be rewritten unseen until a checkpoint covers it: row 5 has a successor.)
        await rewrite(db, 5, '{"n":"x"}', true);
        for (let i = 0; i < 2; i++) await audit.record(worker, 'resident.view', `resident:${i}`, {}); // row 8 would be checkpoint 2
        expect((await db.selectFrom('audit_checkpoint').select('id').execute()).map((c) => Number(c.id))).toEqual([1]);
        expect(errors.mock.calls.map((c) => String(c[0])).join('\n')).toMatch(
          /审计日志被改动，未签名新的检查点：id=5 的记录被改动并重算了哈希/,
        );
        await expect(audit.checkpoint(worker)).rejects.toMatchObject({ code: 'TJ_AUDIT_TAMPERED' });
        expect((await audit.verify()).problems[0]).toMatchObject({ kind: 'chain', id: 5 });
      } finally {
        errors.mockRestore();
      }
    });

    it('signs a checkpoint on demand, over its own audit row', async () => {
      await audit.record(worker, 'resident.view', 'resident:1', {});
      const cp = await audit.checkpoint({ username: 'system', role: 'system', orgCode: '' });
      expect(cp).toMatchObject({ id: 1, lastAuditId: 2 });
      const last = await db.selectFrom('audit_log').selectAll().where('id', '=', 2).executeTakeFirstOrThrow();
      expect([last.action, last.actor, last.hash]).toEqual(['audit.checkpoint', 'system', cp.hash]);
      expect((await audit.verify()).summary).toBe('审计日志完整：2 条，1 个签名检查点');
    });

    it('rolls back with the writer: a write that fails leaves no row and no hole in the chain', async () => {
      await audit.record(worker, 'resident.view', 'resident:1', {});
      await expect(
        db.transaction().execute(async (trx) => {
          await audit.record(worker, 'tag.update', 'tag:1', {}, trx);
          throw new Error('the write failed');
        }),
      ).rejects.toThrow('the write failed');
      await audit.record(worker, 'resident.view', 'resident:2', {});
      expect((await db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => Number(r.id))).toEqual([
        1, 2,
      ]);
      expect((await audit.verify()).ok).toBe(true);
    });

    it('keeps one chain when another process appends between two of ours (the tail is read every time)', async () => {
      // A second connection of its own, as a command-line import or another server node has.
      const other = await secondConnection(database);
      try {
        const theirs = new AuditRepository(other.db, { key, checkpointEvery: EVERY });
        for (let i = 0; i < 6; i++)
          await (i % 2 === 0 ? audit : theirs).record(worker, 'resident.view', `resident:${i}`, { i });
        const result = await audit.verify();
        expect(result.problems).toEqual([]);
        expect(result.rows).toBe(6);
      } finally {
        await other.close();
      }
    });

    if (dialect === 'sqlite') {
      it('chains the events kept while a transaction holds the writer, in order, when it is free', async () => {
        const deferring = new DeferringAuditRepository(db, () => database.reads!.writerBusy, {
          key,
          checkpointEvery: EVERY,
        });
        await db.transaction().execute(async (trx) => {
          for (let i = 0; i < 5; i++) await deferring.record(worker, 'resident.view', `resident:${i}`, { i });
          expect(deferring.pending).toBe(5);
          await deferring.record(worker, 'tag.update', 'tag:1', {}, trx);
        });
        await deferring.flush();
        expect(deferring.pending).toBe(0);
        const rows = await db.selectFrom('audit_log').select(['id', 'target']).orderBy('id').execute();
        expect(rows.map((r) => r.target)).toEqual([
          'tag:1',
          'resident:0',
          'resident:1',
          'resident:2',
          'resident:3',
          'resident:4',
        ]);
        expect((await deferring.verify()).summary).toBe('审计日志完整：6 条，1 个签名检查点');
      });
    }

    if (dialect === 'postgres') {
      it('serialises concurrent writers of two nodes: no fork, no id taken twice', async () => {
        const node2 = await secondConnection(database);
        try {
          const second = new AuditRepository(node2.db, { key, checkpointEvery: EVERY });
          const writes: Array<Promise<void>> = [];
          for (let i = 0; i < 60; i++) {
            const repo = i % 2 === 0 ? audit : second;
            writes.push(
              i % 3 === 0
                ? (i % 2 === 0 ? db : node2.db)
                    .transaction()
                    .execute((trx) => repo.record(worker, 'tag.update', `tag:${i}`, { i }, trx))
                : repo.record(worker, 'resident.view', `resident:${i}`, { i }),
            );
          }
          await Promise.all(writes);
          const result = await audit.verify();
          expect(result.problems).toEqual([]);
          expect(result.rows).toBe(60);
          expect(result.lastId).toBe(60);
        } finally {
          await node2.close();
        }
      });
    }

    it('migration 011 chains the rows stored before it, gaps of the old ids included, and a later deletion is still found', async () => {
      const raw = db as unknown as Kysely<any>;
      const migrator = new Migrator({ db: raw, provider: migrationProvider(dialect) });
      expect((await migrator.migrateTo('010_search_indexes_hold_the_area')).error).toBeUndefined();
      // PostgreSQL's identity skips the ids of rolled-back transactions: 3 never was.
      for (const id of [1, 2, 4, 5]) {
        await raw
          .insertInto('audit_log')
          .values({
            id,
            at: `2026-11-0${id}T08:00:00.000Z`,
            actor: 'old',
            action: 'resident.view',
            target: `resident:${id}`,
            detail: '{}',
          })
          .execute();
      }
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      await audit.record(worker, 'resident.view', 'resident:new', {});
      const rows = await db.selectFrom('audit_log').select(['id', 'prev_hash', 'hash']).orderBy('id').execute();
      expect(rows.map((r) => Number(r.id))).toEqual([1, 2, 4, 5, 6]);
      expect(rows.every((r) => r.hash.length === 64)).toBe(true);
      expect((await audit.verify()).summary).toBe('审计日志完整：5 条，1 个签名检查点');
      await db.deleteFrom('audit_log').where('id', '=', 2).execute();
      const result = await audit.verify();
      expect(result.problems[0]).toMatchObject({ kind: 'deleted', id: 2 });
      expect(result.problems[0]!.message).toMatch(/^第 2 条（id=4）之前缺少 id=2–3 的记录/);
      // And back down: the columns and the checkpoints go.
      expect((await migrator.migrateTo('010_search_indexes_hold_the_area')).error).toBeUndefined();
      const columns = (await raw.introspection.getTables())
        .find((t) => t.name === 'audit_log')!
        .columns.map((c) => c.name);
      expect(columns).not.toContain('hash');
    });
  });
}

describe('the checkpoint key', () => {
  it('is created with mode 0600 when missing, and read back the same', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-audit-key-'));
    try {
      const path = join(dir, 'sub', 'audit-key.pem');
      const first = loadAuditKey(path);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(loadAuditKey(path).fingerprint).toBe(first.fingerprint);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the file and the reason when it is not a usable key', async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-audit-key-'));
    try {
      writeFileSync(join(dir, 'bad.pem'), 'not a key');
      expect(() => loadAuditKey(join(dir, 'bad.pem'))).toThrow(
        new RegExp(`审计签名密钥 ${join(dir, 'bad.pem')} 不是有效的 PEM 私钥`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
