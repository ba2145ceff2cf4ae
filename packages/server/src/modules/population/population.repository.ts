/** Reads the whole registry for the in-memory columns, table by table, in pages. */
import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../../db/migrations.ts';
import { nextTurn, READ_PAGE as PAGE } from '../../db/paging.ts';
import type { DB } from '../../db/schema.ts';

export class PopulationRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * Pages of a table in storage order: SQLite by rowid (reading through a secondary index would
   * be random I/O at a million rows), PostgreSQL by its key, or by `ctid` (its storage order, a
   * TID range scan) for the tables without a key of their own.
   */
  private async *pages<T>(
    table: 'household' | 'resident' | 'relation' | 'enrollment' | 'identity_tag',
    columns: readonly string[],
    key: string,
  ): AsyncGenerator<T[]> {
    const cols = columns.map((c) => sql.ref(c));
    if (this.dialect === 'sqlite') {
      let after = 0;
      for (;;) {
        const rows = (
          await sql<
            Record<string, unknown>
          >`select ${sql.join(cols)}, rowid as _row from ${sql.table(table)} where rowid > ${after} order by rowid limit ${PAGE}`.execute(
            this.db,
          )
        ).rows;
        if (rows.length === 0) return;
        yield rows as T[];
        after = rows[rows.length - 1]!._row as number;
        if (rows.length < PAGE) return;
        await nextTurn();
      }
    }
    let after = key === 'ctid' ? '(0,0)' : '';
    for (;;) {
      const rows = (
        await sql<
          Record<string, unknown>
        >`select ${sql.join(cols)}, ${sql.ref(key)} as _key from ${sql.table(table)} where ${sql.ref(key)} > ${after} order by ${sql.ref(key)} limit ${PAGE}`.execute(
          this.db,
        )
      ).rows;
      if (rows.length === 0) return;
      yield rows as T[];
      after = rows[rows.length - 1]!._key as string;
      if (rows.length < PAGE) return;
    }
  }

  households() {
    return this.pages<{
      household_id: string;
      committee_code: string;
      housing_area_m2: number | null;
      financial_assets_yuan: number | null;
    }>('household', ['household_id', 'committee_code', 'housing_area_m2', 'financial_assets_yuan'], 'household_id');
  }

  residents() {
    return this.pages<{
      id_number: string;
      birth_date: string;
      household_id: string;
      gender: string | null;
      hukou: string | null;
      marital_status: string | null;
      disability_grade: number | null;
      disability_category: string | null;
      monthly_income_yuan: number | null;
      employment: string | null;
      school_stage: string | null;
      labor_capacity: string | null;
      chronic_illness: string | null;
      medical_oop_12m_yuan: number | null;
    }>(
      'resident',
      [
        'id_number',
        'birth_date',
        'household_id',
        'gender',
        'hukou',
        'marital_status',
        'disability_grade',
        'disability_category',
        'monthly_income_yuan',
        'employment',
        'school_stage',
        'labor_capacity',
        'chronic_illness',
        'medical_oop_12m_yuan',
      ],
      'id_number',
    );
  }

  /** Residents with a legal supporter able to support them (able_supporter): one row each. */
  async ableSupporters(): Promise<string[]> {
    if (this.dialect === 'sqlite') {
      // SQLite answers DISTINCT by walking relation_person and fetching every row through it
      // (4.3 s for 2.2 million relations, in one statement); the table in storage order and a Set
      // here take 0.3 s, in pages.
      const out = new Set<string>();
      for await (const page of this.pages<{ id_number: string; relation: string; able_to_support: string | null }>(
        'relation',
        ['id_number', 'relation', 'able_to_support'],
        'ctid',
      )) {
        for (const r of page)
          if (r.able_to_support === '是' && (r.relation === '配偶' || r.relation === '父母' || r.relation === '子女'))
            out.add(r.id_number);
      }
      return [...out];
    }
    const rows = await this.db
      .selectFrom('relation')
      .select('id_number')
      .distinct()
      .where('able_to_support', '=', '是')
      .where('relation', 'in', ['配偶', '父母', '子女'])
      .execute();
    return rows.map((r) => r.id_number);
  }

  /** The registry's state: the last import run (every change to the registry comes through one). */
  async storageVersion(): Promise<string> {
    const row = await this.db
      .selectFrom('import_run')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    return `run:${row?.id ?? 0}`;
  }

  async readImage(): Promise<{ version: string; data: Uint8Array } | undefined> {
    return this.db
      .selectFrom('population_image')
      .select(['version', 'data'])
      .where('key', '=', 'current')
      .executeTakeFirst();
  }

  async writeImage(version: string, data: Uint8Array, at: string): Promise<void> {
    await this.db
      .insertInto('population_image')
      .values({ key: 'current', version, data, written_at: at })
      .onConflict((oc) => oc.column('key').doUpdateSet({ version, data, written_at: at }))
      .execute();
  }

  /** Everything the population holds about some residents and households, for a patch after a small change. */
  async rowsFor(
    ids: readonly string[],
    householdIds: readonly string[],
  ): Promise<{
    households: Array<{
      household_id: string;
      committee_code: string;
      housing_area_m2: number | null;
      financial_assets_yuan: number | null;
    }>;
    residents: Array<{
      id_number: string;
      birth_date: string;
      household_id: string;
      gender: string | null;
      hukou: string | null;
      marital_status: string | null;
      disability_grade: number | null;
      disability_category: string | null;
      monthly_income_yuan: number | null;
      employment: string | null;
      school_stage: string | null;
      labor_capacity: string | null;
      chronic_illness: string | null;
      medical_oop_12m_yuan: number | null;
    }>;
    able: Set<string>;
    enrollments: Array<{ id_number: string; benefit_code: string; start_date: string; end_date: string | null }>;
    identityTags: Array<{ id_number: string; tag: string }>;
  }> {
    const out = {
      households: [] as never[],
      residents: [] as never[],
      able: new Set<string>(),
      enrollments: [] as never[],
      identityTags: [] as never[],
    } as Awaited<ReturnType<PopulationRepository['rowsFor']>>;
    for (let k = 0; k < householdIds.length; k += 500) {
      const chunk = householdIds.slice(k, k + 500);
      out.households.push(
        ...(await this.db
          .selectFrom('household')
          .select(['household_id', 'committee_code', 'housing_area_m2', 'financial_assets_yuan'])
          .where('household_id', 'in', chunk)
          .execute()),
      );
    }
    for (let k = 0; k < ids.length; k += 500) {
      const chunk = ids.slice(k, k + 500);
      out.residents.push(
        ...(await this.db
          .selectFrom('resident')
          .select([
            'id_number',
            'birth_date',
            'household_id',
            'gender',
            'hukou',
            'marital_status',
            'disability_grade',
            'disability_category',
            'monthly_income_yuan',
            'employment',
            'school_stage',
            'labor_capacity',
            'chronic_illness',
            'medical_oop_12m_yuan',
          ])
          .where('id_number', 'in', chunk)
          .execute()),
      );
      for (const r of await this.db
        .selectFrom('relation')
        .select('id_number')
        .distinct()
        .where('id_number', 'in', chunk)
        .where('able_to_support', '=', '是')
        .where('relation', 'in', ['配偶', '父母', '子女'])
        .execute())
        out.able.add(r.id_number);
      out.enrollments.push(
        ...(await this.db
          .selectFrom('enrollment')
          .select(['id_number', 'benefit_code', 'start_date', 'end_date'])
          .where('id_number', 'in', chunk)
          .execute()),
      );
      out.identityTags.push(
        ...(await this.db
          .selectFrom('identity_tag')
          .select(['id_number', 'tag'])
          .where('id_number', 'in', chunk)
          .execute()),
      );
    }
    return out;
  }

  enrollments() {
    return this.pages<{ id_number: string; benefit_code: string; start_date: string; end_date: string | null }>(
      'enrollment',
      ['id_number', 'benefit_code', 'start_date', 'end_date'],
      'ctid',
    );
  }

  identityTags() {
    return this.pages<{ id_number: string; tag: string }>('identity_tag', ['id_number', 'tag'], 'ctid');
  }
}
