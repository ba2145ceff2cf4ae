/** Reads the whole registry for the in-memory columns, table by table, in large pages. */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../db/migrations.ts';
import type { DB } from '../../db/schema.ts';

const PAGE = 100_000;

export class PopulationRepository {
  constructor(private readonly db: Kysely<DB>, private readonly dialect: Dialect) {}

  /**
   * Pages of a table in storage order: SQLite by rowid (reading through a secondary index would
   * be random I/O at a million rows), PostgreSQL by its key.
   */
  private async *pages<T>(table: 'household' | 'resident' | 'relation' | 'enrollment' | 'identity_tag', columns: readonly string[], key: string): AsyncGenerator<T[]> {
    const cols = columns.map((c) => sql.ref(c));
    if (this.dialect === 'sqlite') {
      let after = 0;
      for (;;) {
        const rows = (await sql<Record<string, unknown>>`select ${sql.join(cols)}, rowid as _row from ${sql.table(table)} where rowid > ${after} order by rowid limit ${PAGE}`.execute(this.db)).rows;
        if (rows.length === 0) return;
        yield rows as T[];
        after = rows[rows.length - 1]!._row as number;
        if (rows.length < PAGE) return;
      }
    }
    let after = '';
    for (;;) {
      const rows = (await sql<Record<string, unknown>>`select ${sql.join(cols)}, ${sql.ref(key)} as _key from ${sql.table(table)} where ${sql.ref(key)} > ${after} order by ${sql.ref(key)} limit ${PAGE}`.execute(this.db)).rows;
      if (rows.length === 0) return;
      yield rows as T[];
      after = rows[rows.length - 1]!._key as string;
      if (rows.length < PAGE) return;
    }
  }

  households() {
    return this.pages<{ household_id: string; committee_code: string; housing_area_m2: number | null; financial_assets_yuan: number | null }>(
      'household', ['household_id', 'committee_code', 'housing_area_m2', 'financial_assets_yuan'], 'household_id');
  }

  residents() {
    return this.pages<{
      id_number: string; birth_date: string; household_id: string; gender: string | null; hukou: string | null; marital_status: string | null;
      disability_grade: number | null; disability_category: string | null; monthly_income_yuan: number | null; employment: string | null;
      school_stage: string | null; labor_capacity: string | null; chronic_illness: string | null; medical_oop_12m_yuan: number | null;
    }>('resident', ['id_number', 'birth_date', 'household_id', 'gender', 'hukou', 'marital_status', 'disability_grade', 'disability_category',
      'monthly_income_yuan', 'employment', 'school_stage', 'labor_capacity', 'chronic_illness', 'medical_oop_12m_yuan'], 'id_number');
  }

  relations() {
    return this.pages<{ id_number: string; relation: string; able_to_support: string | null }>('relation', ['id_number', 'relation', 'able_to_support'], 'row_key');
  }

  enrollments() {
    return this.pages<{ id_number: string; benefit_code: string; start_date: string; end_date: string | null }>('enrollment', ['id_number', 'benefit_code', 'start_date', 'end_date'], 'row_key');
  }

  identityTags() {
    return this.pages<{ id_number: string; tag: string }>('identity_tag', ['id_number', 'tag'], 'row_key');
  }
}
