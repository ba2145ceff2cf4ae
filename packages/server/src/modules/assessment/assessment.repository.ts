/** SQL of stored assessments, framework versions and home-visit answers. */
import type { Kysely, Transaction } from 'kysely';
import type { AssessmentFrameworkTable, DB } from '../../db/schema.ts';

export type FrameworkRow = Omit<AssessmentFrameworkTable, 'id'> & { id: number };

export class AssessmentRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async history(householdId: string) {
    return this.db
      .selectFrom('assessment_record')
      .selectAll()
      .where('household_id', '=', householdId)
      .orderBy('id', 'desc')
      .execute();
  }

  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  async insertWith(
    trx: Transaction<DB>,
    row: {
      household_id: string;
      as_of: string;
      framework_code: string;
      framework_version: number;
      score: number;
      band: string;
      deprived: string;
      unknown: string;
      recorded_by: string;
      recorded_at: string;
    },
  ) {
    await trx.insertInto('assessment_record').values(row).execute();
  }

  // Framework versions

  async frameworkVersions(code: string): Promise<FrameworkRow[]> {
    return this.db
      .selectFrom('assessment_framework')
      .selectAll()
      .where('code', '=', code)
      .orderBy('version', 'desc')
      .execute();
  }

  async frameworkVersion(code: string, version: number, trx?: Transaction<DB>): Promise<FrameworkRow | undefined> {
    return (trx ?? this.db)
      .selectFrom('assessment_framework')
      .selectAll()
      .where('code', '=', code)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  async insertFramework(trx: Transaction<DB>, row: Omit<FrameworkRow, 'id'>) {
    await trx.insertInto('assessment_framework').values(row).execute();
  }

  async updateDraft(trx: Transaction<DB>, code: string, version: number, definition: string, updatedAt: string) {
    await trx
      .updateTable('assessment_framework')
      .set({ definition, updated_at: updatedAt })
      .where('code', '=', code)
      .where('version', '=', version)
      .where('status', '=', 'draft')
      .execute();
  }

  async markPublished(trx: Transaction<DB>, code: string, version: number, by: string, at: string) {
    await trx
      .updateTable('assessment_framework')
      .set({ status: 'published', published_by: by, published_at: at, updated_at: at })
      .where('code', '=', code)
      .where('version', '=', version)
      .execute();
  }

  // Home-visit answers

  /** A household's answers, oldest first (so that a later answer to the same question counts). */
  async visitAnswers(householdId: string) {
    return this.db
      .selectFrom('visit_answer')
      .selectAll()
      .where('household_id', '=', householdId)
      .orderBy('id', 'asc')
      .execute();
  }

  async insertVisitAnswers(
    trx: Transaction<DB>,
    rows: Array<{
      household_id: string;
      fact: string;
      member_id_number: string | null;
      value: string;
      visit_date: string;
      answered_by: string;
      answered_at: string;
    }>,
  ) {
    if (rows.length > 0) await trx.insertInto('visit_answer').values(rows).execute();
  }

  /** Names of a household's members, to word the questions. */
  async memberNames(householdId: string) {
    return this.db
      .selectFrom('resident')
      .select(['id_number', 'name', 'relation_to_head'])
      .where('household_id', '=', householdId)
      .execute();
  }
}
