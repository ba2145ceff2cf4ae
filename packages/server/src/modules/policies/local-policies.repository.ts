/** SQL of local policies: every version of every code; published versions are never rewritten. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, LocalPolicyTable } from '../../db/schema.ts';

export type LocalPolicyRow = Selectable<LocalPolicyTable>;

export class LocalPolicyRepository {
  constructor(private readonly db: Kysely<DB>) {}

  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Every version, by code then version (the table holds a few versions per local policy). */
  async all(trx?: Transaction<DB>): Promise<LocalPolicyRow[]> {
    return (trx ?? this.db).selectFrom('local_policy').selectAll().orderBy('code').orderBy('version').execute();
  }

  async versionsOf(code: string, trx?: Transaction<DB>): Promise<LocalPolicyRow[]> {
    return (trx ?? this.db)
      .selectFrom('local_policy')
      .selectAll()
      .where('code', '=', code)
      .orderBy('version')
      .execute();
  }

  async insert(row: Omit<LocalPolicyRow, 'id'>, trx: Transaction<DB>): Promise<void> {
    await trx.insertInto('local_policy').values(row).execute();
  }

  /** Rewrites a draft; a published or withdrawn version is left alone (the status is in the WHERE). */
  async updateDraft(
    code: string,
    version: number,
    definition: string,
    by: string,
    at: string,
    trx: Transaction<DB>,
  ): Promise<number> {
    const r = await trx
      .updateTable('local_policy')
      .set({ definition, updated_by: by, updated_at: at })
      .where('code', '=', code)
      .where('version', '=', version)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  async publish(code: string, version: number, by: string, at: string, trx: Transaction<DB>): Promise<number> {
    const r = await trx
      .updateTable('local_policy')
      .set({ status: 'published', published_by: by, published_at: at })
      .where('code', '=', code)
      .where('version', '=', version)
      .where('status', '=', 'draft')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }

  /** Marks a published version withdrawn: its definition and publication stay as they were. */
  async withdraw(code: string, version: number, by: string, at: string, trx: Transaction<DB>): Promise<number> {
    const r = await trx
      .updateTable('local_policy')
      .set({ status: 'withdrawn', withdrawn_by: by, withdrawn_at: at })
      .where('code', '=', code)
      .where('version', '=', version)
      .where('status', '=', 'published')
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  }
}
