/**
 * Registry reads. Every query takes the caller's scope as a committee-code prefix: a resident or
 * household outside it is simply not found.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, HouseholdTable, ResidentTable } from '../../db/schema.ts';
import { scopeRange, type Scope } from '../auth/scope.ts';

export type SearchField = 'id_number' | 'name' | 'name_pinyin' | 'name_initials';

/** Filters of the resident list; ages are already turned into birth-date bounds by the service. */
export interface ResidentFilter {
  orgCode: string;
  bornOnOrBefore?: string;
  bornAfter?: string;
  gender?: string;
  hukou?: string;
  disability?: 'any' | 'severe' | 'none';
  benefit?: { code: string; asOf: string };
  /** Any of these prefixes (e.g. pinyin initials or full pinyin). */
  prefixes?: Array<{ field: SearchField; value: string }>;
}

export type SortField = 'id_number' | 'name' | 'birth_date';

const LIST_COLUMNS = [
  'id_number',
  'name',
  'gender',
  'birth_date',
  'household_id',
  'committee_code',
  'hukou',
  'disability_grade',
  'phone',
] as const;

export interface ListRow {
  id_number: string;
  name: string;
  gender: string;
  birth_date: string;
  household_id: string;
  committee_code: string;
  hukou: string | null;
  disability_grade: number | null;
  phone: string | null;
}

/** When a row was created and last changed: the times of its import runs (joined as `created`, `updated`). */
interface RunTimes {
  created_at: string;
  updated_at: string;
}
const RUN_TIMES = [
  sql<string>`coalesce(created.at, '')`.as('created_at'),
  sql<string>`coalesce(updated.at, created.at, '')`.as('updated_at'),
];

export class RegistryRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * The filtered resident list of an org unit (already checked to lie in the caller's scope).
   * Browsing walks the committee index; a search walks its own index (id, name, pinyin or
   * initials) in order, with the area as a residual test, so that the first page of "w" on a
   * million residents stops after a few rows instead of sorting a hundred thousand.
   */
  private filtered(f: ResidentFilter, walk?: { field: SearchField; value: string } | 'sorted') {
    let q = this.db.selectFrom('resident');
    const prefixes = walk === 'sorted' || walk === undefined ? (f.prefixes ?? []) : [walk];
    if (prefixes.length > 0) {
      q = q.where((eb) =>
        eb.or(prefixes.map((p) => eb.and([eb(p.field, '>=', p.value), eb(p.field, '<', `${p.value}\uffff`)]))),
      );
    }
    if (walk !== undefined || prefixes.length > 0) {
      // The area as a residual test, so the planner walks the search or sort index in order.
      if (f.orgCode !== '')
        q = q.where(sql<string>`substr(committee_code, 1, ${sql.lit(f.orgCode.length)})`, '=', f.orgCode);
    } else {
      q = q.where('committee_code', '>=', f.orgCode).where('committee_code', '<', `${f.orgCode}~`);
    }
    if (f.bornOnOrBefore) q = q.where('birth_date', '<=', f.bornOnOrBefore);
    if (f.bornAfter) q = q.where('birth_date', '>', f.bornAfter);
    if (f.gender) q = q.where('gender', '=', f.gender);
    if (f.hukou) q = q.where('hukou', '=', f.hukou);
    if (f.disability === 'any') q = q.where('disability_grade', 'is not', null);
    if (f.disability === 'none') q = q.where('disability_grade', 'is', null);
    if (f.disability === 'severe') {
      // severe_disability (reference-policies.md): grade 1-2, or grade 3 智力/精神
      q = q.where((eb) =>
        eb.or([
          eb('disability_grade', 'in', [1, 2]),
          eb.and([eb('disability_grade', '=', 3), eb('disability_category', 'in', ['智力', '精神'])]),
        ]),
      );
    }
    if (f.benefit) {
      const { code, asOf } = f.benefit;
      q = q.where('id_number', 'in', (eb) =>
        eb
          .selectFrom('enrollment')
          .select('enrollment.id_number')
          .where('benefit_code', '=', code)
          .where('start_date', '<=', asOf)
          .where((e) => e.or([e('end_date', 'is', null), e('end_date', '>=', asOf)])),
      );
    }
    return q;
  }

  /**
   * Without a sort, residents come by area (the committee index, no sorting); with one, the
   * sort field's index is walked in order with the area as a residual test.
   */
  async list(
    f: ResidentFilter,
    sort: SortField | undefined,
    order: 'asc' | 'desc',
    limit: number,
    offset: number,
  ): Promise<ListRow[]> {
    const prefixes = f.prefixes ?? [];
    if (prefixes.length === 0) {
      if (!sort)
        return this.filtered(f)
          .select(LIST_COLUMNS)
          .orderBy('committee_code', order)
          .orderBy('id_number', order)
          .limit(limit)
          .offset(offset)
          .execute();
      return this.filtered(f, 'sorted')
        .select(LIST_COLUMNS)
        .orderBy(sort, order)
        .orderBy('id_number', order)
        .limit(limit)
        .offset(offset)
        .execute();
    }
    // A search lists matches in its index's order; several prefixes (initials, then full
    // pinyin) are concatenated without repeats.
    const out: ListRow[] = [];
    const seen = new Set<string>();
    for (const p of prefixes) {
      const rows = await this.filtered(f, p)
        .select(LIST_COLUMNS)
        .orderBy(p.field)
        .orderBy('id_number')
        .limit(offset + limit)
        .execute();
      for (const r of rows)
        if (!seen.has(r.id_number)) {
          seen.add(r.id_number);
          out.push(r);
        }
      if (out.length >= offset + limit) break;
    }
    return out.slice(offset, offset + limit);
  }

  /**
   * The number of matches, counted no further than `cap` + 1: an exact count of "3101" (every
   * resident) walked a million index entries, 106 ms, and of "zh" 47 ms, while a list page takes
   * under 2 ms; reads of the whole district's figures come from the statistics instead.
   */
  async countUpTo(f: ResidentFilter, cap: number): Promise<number> {
    const r = await this.db
      .selectFrom(
        this.filtered(f)
          .select(sql.lit(1).as('one'))
          .limit(cap + 1)
          .as('m'),
      )
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /**
   * A resident with the times of the runs that created and last changed the row (rows carry no
   * timestamps of their own: migration 009); `updated_at` is the creation's until a change.
   */
  resident(scope: Scope, idNumber: string) {
    return this.withRunTimes('resident', 'id_number', idNumber, scope) as Promise<
      (Selectable<ResidentTable> & RunTimes) | undefined
    >;
  }

  /** A household with the times of its runs, as `resident`. */
  household(scope: Scope, householdId: string) {
    return this.withRunTimes('household', 'household_id', householdId, scope) as Promise<
      (Selectable<HouseholdTable> & RunTimes) | undefined
    >;
  }

  /** The row of `table` whose `key` is `value`, in the caller's area, with the times of its runs. */
  private withRunTimes(table: 'resident' | 'household', key: string, value: string, scope: Scope): Promise<unknown> {
    const [lo, hi] = scopeRange(scope);
    // The table is one of two with the same run columns; Kysely cannot type a join on a table chosen at run time.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    return (this.db as unknown as Kysely<any>)
      .selectFrom(table)
      .leftJoin('import_run as created', 'created.id', `${table}.created_run`)
      .leftJoin('import_run as updated', 'updated.id', `${table}.updated_run`)
      .selectAll(table)
      .select(RUN_TIMES)
      .where(`${table}.${key}`, '=', value)
      .where(`${table}.committee_code`, '>=', lo)
      .where(`${table}.committee_code`, '<', hi)
      .executeTakeFirst();
  }

  members(householdId: string) {
    return this.db
      .selectFrom('resident')
      .selectAll()
      .where('household_id', '=', householdId)
      .orderBy('birth_date')
      .execute();
  }

  relations(idNumber: string) {
    return this.db.selectFrom('relation').selectAll().where('id_number', '=', idNumber).orderBy('relation').execute();
  }

  enrollments(idNumber: string) {
    return this.db
      .selectFrom('enrollment')
      .selectAll()
      .where('id_number', '=', idNumber)
      .orderBy('start_date')
      .execute();
  }

  identityTags(idNumber: string) {
    return this.db.selectFrom('identity_tag').selectAll().where('id_number', '=', idNumber).orderBy('tag').execute();
  }

  history(idNumber: string, householdId: string) {
    return this.db
      .selectFrom('change_log')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb('id_number', '=', idNumber),
          eb.and([eb('entity', '=', 'household'), eb('entity_key', '=', householdId)]),
        ]),
      )
      .orderBy('id', 'desc')
      .limit(200)
      .execute();
  }

  importRuns(ids: readonly number[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('import_run')
      .select(['id', 'at', 'actor', 'source_name'])
      .where('id', 'in', [...ids])
      .execute();
  }

  /** People in the registry with these id numbers, whatever the scope (only their names and areas). */
  peopleByIds(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('resident')
      .select(['id_number', 'name', 'committee_code'])
      .where('id_number', 'in', [...ids])
      .execute();
  }

  async countResidents(scope: Scope): Promise<number> {
    const [lo, hi] = scopeRange(scope);
    const r = await this.db
      .selectFrom('resident')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('committee_code', '>=', lo)
      .where('committee_code', '<', hi)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
