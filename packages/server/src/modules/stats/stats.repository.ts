/** Reads for the dashboard figures: the residents in key order, page by page, and benefit holders. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Dialect } from '../../db/migrations.ts';
import { nextTurn, READ_PAGE } from '../../db/paging.ts';

export interface ResidentFacts {
  id_number: string;
  committee_code: string;
  household_id: string;
  birth_date: string;
  gender: string;
  disability_grade: number | null;
  disability_category: string | null;
  chronic_illness: string | null;
}

export class StatsRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /**
   * All residents, in pages. SQLite pages by rowid, the table's storage order (paging by the id
   * index costs 10 s of random reads at a million); PostgreSQL pages by id number.
   */
  async *residents(size = READ_PAGE): AsyncGenerator<ResidentFacts[]> {
    const columns = [
      'id_number',
      'committee_code',
      'household_id',
      'birth_date',
      'gender',
      'disability_grade',
      'disability_category',
      'chronic_illness',
    ] as const;
    if (this.dialect === 'sqlite') {
      let afterRow = 0;
      for (;;) {
        const rows = await this.db
          .selectFrom('resident')
          .select([...columns, sql<number>`rowid`.as('row')])
          .where(sql<number>`rowid`, '>', afterRow)
          .orderBy(sql`rowid`)
          .limit(size)
          .execute();
        if (rows.length === 0) return;
        yield rows;
        afterRow = rows[rows.length - 1]!.row;
        if (rows.length < size) return;
        await nextTurn();
      }
    }
    let after = '';
    for (;;) {
      const rows = await this.db
        .selectFrom('resident')
        .select([
          'id_number',
          'committee_code',
          'household_id',
          'birth_date',
          'gender',
          'disability_grade',
          'disability_category',
          'chronic_illness',
        ])
        .where('id_number', '>', after)
        .orderBy('id_number')
        .limit(size)
        .execute();
      if (rows.length === 0) return;
      yield rows;
      after = rows[rows.length - 1]!.id_number;
      if (rows.length < size) return;
    }
  }

  /** Households per committee. */
  async householdsByCommittee(): Promise<Array<{ code: string; n: number }>> {
    const rows = await this.db
      .selectFrom('household')
      .select(['committee_code as code', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('committee_code')
      .execute();
    return rows.map((r) => ({ code: r.code, n: Number(r.n) }));
  }

  /** People holding each benefit on a date, per committee (reference-policies.md: holds(p, X)). */
  async benefitHoldersByCommittee(asOf: string): Promise<Array<{ code: string; benefit: string; n: number }>> {
    const rows = await this.db
      .selectFrom('enrollment')
      .innerJoin('resident', 'resident.id_number', 'enrollment.id_number')
      .select([
        'resident.committee_code as code',
        'enrollment.benefit_code as benefit',
        (eb) => eb.fn.count<number>('enrollment.id_number').distinct().as('n'),
      ])
      .where('enrollment.start_date', '<=', asOf)
      .where((eb) => eb.or([eb('enrollment.end_date', 'is', null), eb('enrollment.end_date', '>=', asOf)]))
      .groupBy(['resident.committee_code', 'enrollment.benefit_code'])
      .execute();
    return rows.map((r) => ({ code: r.code, benefit: r.benefit, n: Number(r.n) }));
  }
}
