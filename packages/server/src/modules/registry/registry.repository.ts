/**
 * Registry reads. Every query takes the caller's scope as a committee-code prefix: a resident or
 * household outside it is simply not found.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { scopeRange, type Scope } from '../auth/scope.ts';

export type SearchField = 'id_number' | 'name' | 'name_pinyin' | 'name_initials';

const LIST_COLUMNS = ['id_number', 'name', 'gender', 'birth_date', 'household_id', 'committee_code', 'hukou', 'disability_grade', 'phone'] as const;

export class RegistryRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Prefix search on one indexed field, in the scope, ordered by the field then id_number. */
  searchPrefix(scope: Scope, field: SearchField, prefix: string, limit: number, offset: number) {
    const [lo, hi] = scopeRange(scope);
    return this.db.selectFrom('resident').select(LIST_COLUMNS)
      .where(field, '>=', prefix).where(field, '<', `${prefix}\uffff`)
      .where('committee_code', '>=', lo).where('committee_code', '<', hi)
      .orderBy(field).orderBy('id_number')
      .limit(limit).offset(offset).execute();
  }

  /** Residents of the scope in id order, for browsing without a query. */
  list(scope: Scope, limit: number, offset: number) {
    const [lo, hi] = scopeRange(scope);
    return this.db.selectFrom('resident').select(LIST_COLUMNS)
      .where('committee_code', '>=', lo).where('committee_code', '<', hi)
      .orderBy('committee_code').orderBy('id_number').limit(limit).offset(offset).execute();
  }

  resident(scope: Scope, idNumber: string) {
    const [lo, hi] = scopeRange(scope);
    return this.db.selectFrom('resident').selectAll().where('id_number', '=', idNumber)
      .where('committee_code', '>=', lo).where('committee_code', '<', hi).executeTakeFirst();
  }

  household(scope: Scope, householdId: string) {
    const [lo, hi] = scopeRange(scope);
    return this.db.selectFrom('household').selectAll().where('household_id', '=', householdId)
      .where('committee_code', '>=', lo).where('committee_code', '<', hi).executeTakeFirst();
  }

  members(householdId: string) {
    return this.db.selectFrom('resident').selectAll().where('household_id', '=', householdId).orderBy('birth_date').execute();
  }

  relations(idNumber: string) {
    return this.db.selectFrom('relation').selectAll().where('id_number', '=', idNumber).orderBy('relation').execute();
  }

  enrollments(idNumber: string) {
    return this.db.selectFrom('enrollment').selectAll().where('id_number', '=', idNumber).orderBy('start_date').execute();
  }

  identityTags(idNumber: string) {
    return this.db.selectFrom('identity_tag').selectAll().where('id_number', '=', idNumber).orderBy('tag').execute();
  }

  history(idNumber: string, householdId: string) {
    return this.db.selectFrom('change_log').selectAll()
      .where((eb) => eb.or([eb('id_number', '=', idNumber), eb.and([eb('entity', '=', 'household'), eb('entity_key', '=', householdId)])]))
      .orderBy('id', 'desc').limit(200).execute();
  }

  importRuns(ids: readonly number[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('import_run').select(['id', 'at', 'actor', 'source_name']).where('id', 'in', [...ids]).execute();
  }

  /** People in the registry with these id numbers, whatever the scope (only their names and areas). */
  peopleByIds(ids: readonly string[]) {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db.selectFrom('resident').select(['id_number', 'name', 'committee_code']).where('id_number', 'in', [...ids]).execute();
  }

  async countResidents(scope: Scope): Promise<number> {
    const [lo, hi] = scopeRange(scope);
    const r = await this.db.selectFrom('resident').select((eb) => eb.fn.countAll<number>().as('n'))
      .where('committee_code', '>=', lo).where('committee_code', '<', hi).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}
