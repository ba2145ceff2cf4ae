/**
 * Stored rejection reports (table import_report, migration 012): the full CSV of a run, in parts,
 * with who ran it and their area; and the look-up of a run committed since a given id, with which
 * the upload route answers truly when something fails after an import has committed.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Scope } from '../auth/scope.ts';

/** Characters per stored part: big enough for few rows, small enough that no part is a burden to hold. */
const PART_CHARS = 1 << 20;

export interface ReportOwner {
  readonly actor: string;
  readonly orgCode: string;
}

export interface CommittedRun {
  readonly runId: number;
  readonly source: string;
  readonly summary: { tables?: Record<string, unknown>; rejectedRows?: number };
}

export class ImportReportRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Stores the full report of a run (`RejectionReport.csvChunks()`), replacing any stored for it; in the import's transaction. */
  async save(runId: number, by: Scope, chunks: Iterable<string>, trx: Transaction<DB>): Promise<void> {
    await trx.deleteFrom('import_report').where('run_id', '=', runId).execute();
    let part = 0;
    let buffer: string[] = [];
    let size = 0;
    const flush = async () => {
      if (buffer.length === 0 && part > 0) return;
      await trx
        .insertInto('import_report')
        .values({ run_id: runId, part: part++, actor: by.username, org_code: by.orgCode, csv: buffer.join('') })
        .execute();
      buffer = [];
      size = 0;
    };
    for (const chunk of chunks) {
      buffer.push(chunk);
      size += chunk.length;
      if (size >= PART_CHARS) await flush();
    }
    await flush();
  }

  /** Who ran the import whose report is stored, or null when none is. */
  async owner(runId: number): Promise<ReportOwner | null> {
    const row = await this.db
      .selectFrom('import_report')
      .select(['actor', 'org_code'])
      .where('run_id', '=', runId)
      .where('part', '=', 0)
      .executeTakeFirst();
    return row ? { actor: row.actor, orgCode: row.org_code } : null;
  }

  /** The stored report's text, part by part (one part in memory at a time). */
  async *parts(runId: number): AsyncGenerator<string> {
    for (let part = 0; ; part++) {
      const row = await this.db
        .selectFrom('import_report')
        .select('csv')
        .where('run_id', '=', runId)
        .where('part', '=', part)
        .executeTakeFirst();
      if (!row) return;
      yield row.csv;
    }
  }

  /** The id of the latest import run (0 when there is none). */
  async latestRunId(): Promise<number> {
    const row = await this.db
      .selectFrom('import_run')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return Number(row?.id ?? 0);
  }

  /** The latest run of `actor` after run `after` from `source`: a run row exists only once its import committed. */
  async committedSince(after: number, actor: string, source: string): Promise<CommittedRun | null> {
    const row = await this.db
      .selectFrom('import_run')
      .select(['id', 'source_name', 'summary'])
      .where('id', '>', after)
      .where('actor', '=', actor)
      .where('source_name', '=', source)
      .orderBy('id', 'desc')
      .executeTakeFirst();
    if (!row) return null;
    let summary: CommittedRun['summary'] = {};
    try {
      summary = JSON.parse(row.summary) as CommittedRun['summary'];
    } catch {
      // a run whose summary was not written: its id still says it committed
    }
    return { runId: Number(row.id), source: row.source_name, summary };
  }
}
