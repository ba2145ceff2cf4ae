/**
 * Checks the audit trail: the hash chain row by row and the signed checkpoints
 * (`tingjian audit verify`, GET /api/audit/verify). Also checks the stretch since the last
 * checkpoint before a new one is signed, so that a writer never signs over a rewritten chain.
 */
import type { KeyObject } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { checkpointMessage, GENESIS, LEGACY_LAST_ID_KEY, rowHash, type ChainedRow } from './audit.chain.ts';
import { verifyMessage } from './audit.keys.ts';

export type ProblemKind = 'edited' | 'deleted' | 'chain' | 'unchained' | 'checkpoint' | 'tail';

export interface AuditProblem {
  readonly kind: ProblemKind;
  /** The row it is about (its place in the log, 1 = the oldest, and its id), when there is one. */
  readonly ordinal: number | null;
  readonly id: number | null;
  readonly checkpointId: number | null;
  /** In Chinese, naming the row and what is wrong with it. */
  readonly message: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  readonly rows: number;
  readonly checkpoints: number;
  readonly lastId: number | null;
  /** The newest checkpoint: its hash can be noted down elsewhere and compared later. */
  readonly lastCheckpoint: {
    readonly id: number;
    readonly lastAuditId: number;
    readonly hash: string;
    readonly at: string;
  } | null;
  /** In order of the rows, the first bad row first; at most MAX_PROBLEMS. */
  readonly problems: readonly AuditProblem[];
  /** How many there were (more than `problems` holds when the list was cut). */
  readonly problemCount: number;
  readonly summary: string;
}

export const MAX_PROBLEMS = 100;
const PAGE = 2000;

const row = (n: number, id: number) => `第 ${n} 条（id=${id}）`;
const range = (a: number, b: number) => (a === b ? `id=${a}` : `id=${a}–${b}`);
const describeRow = (r: ChainedRow) => `${r.at} ${r.actor} ${r.action} ${r.target}`;

/**
 * Walks rows in id order and notes what does not fit. Starts at the beginning of the log, or
 * after a row already trusted (a checkpoint's). Each row is compared with the previous row as
 * stored, so one edit is reported once, at the row edited.
 */
export class ChainWalker {
  readonly problems: AuditProblem[] = [];
  problemCount = 0;
  rows = 0;
  private prev: { id: number; hash: string; ordinal: number } | null;

  /**
   * `legacyLastId`: gaps up to this id predate the chain (migration 011). `start`: the trusted row
   * to go on from; its place in the log is not known then, and rows are named by id alone.
   */
  constructor(
    private readonly legacyLastId: number,
    start: { id: number; hash: string } | null = null,
  ) {
    this.prev = start ? { ...start, ordinal: 0 } : null;
    this.named = start ? (_n, id) => `id=${id} 的记录` : row;
  }

  private readonly named: (n: number, id: number) => string;

  note(p: AuditProblem): void {
    this.problemCount++;
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(p);
  }

  get last(): { id: number; hash: string; ordinal: number } | null {
    return this.prev;
  }

  push(r: ChainedRow): void {
    const n = ++this.rows;
    const prev = this.prev;
    this.prev = { id: r.id, hash: r.hash, ordinal: n };
    const at = { ordinal: n, id: r.id, checkpointId: null };
    if (r.hash === '') {
      this.note({
        kind: 'unchained',
        ...at,
        message: `${this.named(n, r.id)}没有哈希，不在链中（${describeRow(r)}）：它未经审计模块写入，或哈希被清除`,
      });
      return;
    }
    if (rowHash(r) !== r.hash) {
      this.note({
        kind: 'edited',
        ...at,
        message: `${this.named(n, r.id)}被改动：内容与其哈希不符（现为 ${describeRow(r)}）`,
      });
      return;
    }
    const expectedPrev = prev?.hash ?? GENESIS;
    const firstMissing = (prev?.id ?? 0) + 1;
    const links = r.prev_hash === expectedPrev;
    if (r.id > firstMissing && !(links && r.id <= this.legacyLastId)) {
      const what = links ? '被删除，其后各条的哈希已被重算' : '被删除';
      this.note({
        kind: 'deleted',
        ordinal: n,
        id: firstMissing,
        checkpointId: null,
        message: `${this.named(n, r.id)}之前缺少 ${range(firstMissing, r.id - 1)} 的记录：记录${what}（id 不连续）`,
      });
      return;
    }
    if (r.id < firstMissing) {
      this.note({
        kind: 'chain',
        ...at,
        message: `${this.named(n, r.id)}的 id 不大于前一条（id=${prev?.id}）：记录被插入或改号`,
      });
      return;
    }
    if (!links) {
      this.note(
        prev
          ? {
              kind: 'chain',
              ordinal: prev.ordinal,
              id: prev.id,
              checkpointId: null,
              message: `${this.named(prev.ordinal, prev.id)}被改动并重算了哈希：下一条（id=${r.id}）记下的前一条哈希与它不符，链条在此断开`,
            }
          : {
              kind: 'chain',
              ...at,
              message: `${this.named(n, r.id)}记下的前一条哈希不是链的起点：它之前的记录被删除，链条断开`,
            },
      );
    }
  }
}

interface CheckpointRow {
  id: number;
  at: string;
  last_audit_id: number;
  hash: string;
  signature: string;
}

/** Rows of the log in id order, a page at a time (the log can hold millions). */
export async function* auditRows(db: Kysely<DB>, afterId = 0, upToId?: number): AsyncGenerator<ChainedRow> {
  let last = afterId;
  for (;;) {
    let q = db
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor', 'action', 'target', 'detail', 'prev_hash', 'hash'])
      .where('id', '>', last);
    if (upToId !== undefined) q = q.where('id', '<=', upToId);
    const page = await q.orderBy('id').limit(PAGE).execute();
    for (const r of page) yield { ...r, id: Number(r.id) };
    if (page.length < PAGE) return;
    last = Number(page[page.length - 1]!.id);
  }
}

export async function legacyLastId(db: Kysely<DB>): Promise<number> {
  const v = await db.selectFrom('meta').select('value').where('key', '=', LEGACY_LAST_ID_KEY).executeTakeFirst();
  return v ? Number(v.value) : 0;
}

export interface VerifyOptions {
  /** How often the writer signs a checkpoint: more than twice as many rows after the last one means checkpoints were deleted. */
  readonly checkpointEvery: number;
  /** For messages: where the key came from. */
  readonly keyPath?: string;
}

/** Walks the whole log and every checkpoint. */
export async function verifyAuditLog(
  db: Kysely<DB>,
  publicKey: KeyObject,
  options: VerifyOptions,
): Promise<VerifyResult> {
  // Checkpoints first: a row written while the walk runs is then at most unchecked, never missing.
  const checkpoints: CheckpointRow[] = (
    await db.selectFrom('audit_checkpoint').selectAll().orderBy('id').execute()
  ).map((c) => ({ ...c, id: Number(c.id), last_audit_id: Number(c.last_audit_id) }));
  const walker = new ChainWalker(await legacyLastId(db));
  const byRow = new Map<number, CheckpointRow[]>();
  for (const c of checkpoints) byRow.set(c.last_audit_id, [...(byRow.get(c.last_audit_id) ?? []), c]);
  const seen = new Set<number>();
  const checkpointProblems: AuditProblem[] = [];
  const ordinalOf = new Map<number, number>();
  for await (const r of auditRows(db)) {
    walker.push(r);
    const here = byRow.get(r.id);
    if (!here) continue;
    ordinalOf.set(r.id, walker.rows);
    for (const c of here) {
      seen.add(c.id);
      if (c.hash !== r.hash) {
        checkpointProblems.push({
          kind: 'checkpoint',
          ordinal: walker.rows,
          id: r.id,
          checkpointId: c.id,
          message: `${row(walker.rows, r.id)}的哈希与检查点（id=${c.id}，${c.at}）签下的不符：该条或它之前的记录被改动并重算了哈希`,
        });
      }
    }
  }
  const badKey = options.keyPath ? `，或密钥文件 ${options.keyPath} 不是签名时的那一个` : '';
  let previous: CheckpointRow | null = null;
  for (const c of checkpoints) {
    const at = {
      kind: 'checkpoint' as const,
      ordinal: ordinalOf.get(c.last_audit_id) ?? null,
      id: c.last_audit_id,
      checkpointId: c.id,
    };
    if (!verifyMessage(publicKey, checkpointMessage(c), c.signature)) {
      checkpointProblems.push({
        ...at,
        message: `检查点（id=${c.id}，至 id=${c.last_audit_id}）的签名无效：检查点被伪造或改动${badKey}`,
      });
    } else if (!seen.has(c.id)) {
      checkpointProblems.push({
        ...at,
        message: `检查点（id=${c.id}，${c.at}）指向 id=${c.last_audit_id} 的记录，但该记录已不存在：日志尾部被截断，或该条被删除`,
      });
    }
    if (previous && c.id !== previous.id + 1) {
      checkpointProblems.push({ ...at, message: `缺少检查点 ${range(previous.id + 1, c.id - 1)}：检查点被删除` });
    }
    if (previous && c.last_audit_id < previous.last_audit_id) {
      checkpointProblems.push({
        ...at,
        message: `检查点（id=${c.id}）指向的记录 id=${c.last_audit_id} 早于前一个检查点的 id=${previous.last_audit_id}：检查点被改动`,
      });
    }
    previous = c;
  }
  const last = walker.last;
  const newest = checkpoints[checkpoints.length - 1];
  const since = last ? last.ordinal - (newest ? (ordinalOf.get(newest.last_audit_id) ?? last.ordinal) : 0) : 0;
  if (since > 2 * options.checkpointEvery) {
    checkpointProblems.push({
      kind: 'tail',
      ordinal: last!.ordinal,
      id: last!.id,
      checkpointId: newest?.id ?? null,
      message: `${newest ? `最后一个检查点（id=${newest.id}）之后` : '没有任何检查点，'}有 ${since} 条记录（每 ${options.checkpointEvery} 条应有一个检查点）：检查点可能被删除`,
    });
  }
  for (const p of checkpointProblems) walker.note(p);
  const problems = [...walker.problems].sort(
    (a, b) => (a.id ?? Infinity) - (b.id ?? Infinity) || (a.ordinal ?? 0) - (b.ordinal ?? 0),
  );
  const ok = walker.problemCount === 0;
  return {
    ok,
    rows: walker.rows,
    checkpoints: checkpoints.length,
    lastId: last?.id ?? null,
    lastCheckpoint: newest
      ? { id: newest.id, lastAuditId: newest.last_audit_id, hash: newest.hash, at: newest.at }
      : null,
    problems,
    problemCount: walker.problemCount,
    summary: ok
      ? `审计日志完整：${walker.rows} 条，${checkpoints.length} 个签名检查点`
      : `审计日志有 ${walker.problemCount} 处问题（共 ${walker.rows} 条，${checkpoints.length} 个检查点）；第一处：${problems[0]!.message}`,
  };
}

/**
 * Before a new checkpoint is signed: the last checkpoint's signature is good, its row still has
 * its hash, and the rows since fit the chain. The first problem found, or null.
 */
export async function checkSinceLastCheckpoint(
  db: Kysely<DB>,
  publicKey: KeyObject,
  upToId: number,
): Promise<AuditProblem | null> {
  const cp = await db.selectFrom('audit_checkpoint').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
  let start: { id: number; hash: string } | null = null;
  if (cp) {
    const c = { ...cp, id: Number(cp.id), last_audit_id: Number(cp.last_audit_id) };
    const at = { kind: 'checkpoint' as const, ordinal: null, id: c.last_audit_id, checkpointId: c.id };
    if (!verifyMessage(publicKey, checkpointMessage(c), c.signature))
      return { ...at, message: `上一个检查点（id=${c.id}）的签名无效` };
    const r = await db
      .selectFrom('audit_log')
      .select(['id', 'at', 'actor', 'action', 'target', 'detail', 'prev_hash', 'hash'])
      .where('id', '=', c.last_audit_id)
      .executeTakeFirst();
    if (!r) return { ...at, message: `上一个检查点（id=${c.id}）指向的记录 id=${c.last_audit_id} 已不存在` };
    if (r.hash !== c.hash)
      return { ...at, message: `id=${c.last_audit_id} 的记录的哈希与上一个检查点（id=${c.id}）签下的不符` };
    if (rowHash({ ...r, id: c.last_audit_id }) !== r.hash)
      return {
        ...at,
        kind: 'edited',
        message: `id=${c.last_audit_id} 的记录（上一个检查点所在）被改动：内容与其哈希不符`,
      };
    start = { id: c.last_audit_id, hash: c.hash };
  }
  const walker = new ChainWalker(await legacyLastId(db), start);
  for await (const r of auditRows(db, start?.id ?? 0, upToId)) {
    walker.push(r);
    if (walker.problemCount > 0) return walker.problems[0]!;
  }
  return null;
}
