/** SQL of stored assessments. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export class AssessmentRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async history(householdId: string) {
    return this.db.selectFrom('assessment_record').selectAll().where('household_id', '=', householdId).orderBy('id', 'desc').execute();
  }

  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async insertWith(trx: Transaction<DB>, row: { household_id: string; as_of: string; framework_code: string; framework_version: number; score: number; band: string; deprived: string; unknown: string; recorded_by: string; recorded_at: string }) {
    await trx.insertInto('assessment_record').values(row).execute();
  }
}
