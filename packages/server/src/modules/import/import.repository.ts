/**
 * The SQL of imports: batched look-ups of stored rows and batched multi-row inserts. A batch's
 * statement is compiled once by Kysely for its size and reused with new parameters: an import
 * of a million residents runs a few thousand statements, not a few million.
 */
import { CompiledQuery, sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { ENTITY_INDEXES } from '../../db/indexes.ts';
import type { Dialect } from '../../db/migrations.ts';
import type { ChangeLogTable, DB } from '../../db/schema.ts';

export type EntityTable = 'household' | 'resident' | 'relation' | 'enrollment' | 'identity_tag';
type Row = Record<string, string | number | null>;

export const KEY_COLUMN: Record<EntityTable, string> = {
  household: 'household_id',
  resident: 'id_number',
  relation: 'row_key',
  enrollment: 'row_key',
  identity_tag: 'row_key',
};

export class ImportRepository {
  private readonly templates = new Map<string, CompiledQuery>();

  constructor(private readonly trx: Transaction<DB> | Kysely<DB>, private readonly dialect: Dialect) {}

  /** Drops a table's secondary indexes before a bulk load into it (inside the transaction). */
  async dropIndexes(table: EntityTable): Promise<void> {
    for (const ix of ENTITY_INDEXES.filter((i) => i.table === table)) await this.trx.schema.dropIndex(ix.name).ifExists().execute();
  }

  async createIndexes(table: EntityTable): Promise<void> {
    for (const ix of ENTITY_INDEXES.filter((i) => i.table === table)) {
      const create = this.trx.schema.createIndex(ix.name).ifNotExists().on(ix.table).columns([...ix.columns]);
      await (ix.unique ? create.unique() : create).execute();
    }
  }

  /** A bigger page cache for the import's connection (SQLite; PostgreSQL manages its own). */
  async useLargeCache(on: boolean): Promise<void> {
    if (this.dialect === 'sqlite') await sql.raw(`PRAGMA cache_size = ${on ? -262144 : -65536}`).execute(this.trx);
  }

  /** Refreshes the planner's statistics after a large change. */
  async analyze(): Promise<void> {
    if (this.dialect === 'sqlite') {
      // Sampled statistics: enough for the planner to prefer the search indexes, in a fraction
      // of the time a full ANALYZE of a million rows takes.
      await sql.raw('PRAGMA analysis_limit = 1000').execute(this.trx);
      await sql.raw('ANALYZE').execute(this.trx);
    } else {
      await sql.raw('ANALYZE household, resident, relation, enrollment, identity_tag').execute(this.trx);
    }
  }

  private template(id: string, make: () => CompiledQuery): CompiledQuery {
    let t = this.templates.get(id);
    if (!t) {
      t = make();
      this.templates.set(id, t);
    }
    return t;
  }

  async isEmpty(table: EntityTable): Promise<boolean> {
    const row = await (this.trx as Kysely<any>).selectFrom(table).select(KEY_COLUMN[table]).limit(1).executeTakeFirst();
    return row === undefined;
  }

  /** Stored rows whose key is one of `keys`, by key. */
  async findByKeys(table: EntityTable, keys: readonly string[]): Promise<Map<string, Row>> {
    const out = new Map<string, Row>();
    if (keys.length === 0) return out;
    const key = KEY_COLUMN[table];
    const t = this.template(`find:${table}:${keys.length}`, () =>
      (this.trx as Kysely<any>).selectFrom(table).selectAll().where(key, 'in', keys as string[]).compile());
    const result = await this.trx.executeQuery<Row>(CompiledQuery.raw(t.sql, [...keys]));
    for (const r of result.rows) out.set(String(r[key]), r);
    return out;
  }

  /** Inserts rows (all with the same columns, in `columns` order); returns how many were new. */
  async insertMany(table: EntityTable, columns: readonly string[], rows: readonly Row[], ignoreExisting: boolean): Promise<number> {
    if (rows.length === 0) return 0;
    const t = this.template(`insert:${table}:${rows.length}:${ignoreExisting}`, () => {
      let q = (this.trx as Kysely<any>).insertInto(table).values(rows.map((r) => Object.fromEntries(columns.map((c) => [c, r[c] ?? null]))));
      if (ignoreExisting) q = q.onConflict((oc) => oc.column(KEY_COLUMN[table]).doNothing());
      return q.compile();
    });
    const params: unknown[] = new Array(rows.length * columns.length);
    let i = 0;
    for (const r of rows) for (const c of columns) params[i++] = r[c] ?? null;
    const result = await this.trx.executeQuery(CompiledQuery.raw(t.sql, params));
    return Number(result.numAffectedRows ?? 0);
  }

  async update(table: 'household' | 'resident', key: string, changes: Row): Promise<void> {
    await (this.trx as Kysely<any>).updateTable(table).set(changes).where(KEY_COLUMN[table], '=', key).execute();
  }

  /** Keeps residents' copy of their household's committee in step with the household. */
  async moveHouseholdResidents(householdId: string, committeeCode: string): Promise<void> {
    await this.trx.updateTable('resident').set({ committee_code: committeeCode }).where('household_id', '=', householdId).execute();
  }

  async insertChanges(changes: Insertable<ChangeLogTable>[]): Promise<void> {
    for (let i = 0; i < changes.length; i += 200) {
      await this.trx.insertInto('change_log').values(changes.slice(i, i + 200)).execute();
    }
  }

  async createRun(at: string, actor: string, sourceName: string): Promise<number> {
    const r = await this.trx.insertInto('import_run').values({ at, actor, source_name: sourceName, summary: '{}' }).returning('id').executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async finishRun(id: number, summary: unknown): Promise<void> {
    await this.trx.updateTable('import_run').set({ summary: JSON.stringify(summary) }).where('id', '=', id).execute();
  }
}
