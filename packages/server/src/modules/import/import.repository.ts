/**
 * The SQL of imports: batched look-ups of stored rows and batched multi-row inserts. An insert of
 * n rows is one statement prepared once and reused with new parameters: on SQLite a
 * better-sqlite3 statement on Kysely's own connection (inside its transaction), binding the values
 * directly, since building Kysely's query objects cost more than SQLite's work at a million rows;
 * on PostgreSQL a statement compiled once by Kysely per size.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { CompiledQuery, sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { ENTITY_INDEXES } from '../../db/indexes.ts';
import type { Dialect } from '../../db/migrations.ts';
import type { ChangeLogTable, DB } from '../../db/schema.ts';

export type EntityTable = 'household' | 'resident' | 'relation' | 'enrollment' | 'identity_tag';
type Row = Record<string, string | number | null>;
/** The entity tables by a name chosen at run time, their rows as Row: Kysely cannot type a table it is given as a variable. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTables = Kysely<any>;

/** The key of households and residents; the whole-row tables are found by their person. */
export const KEY_COLUMN: Record<EntityTable, string> = {
  household: 'household_id',
  resident: 'id_number',
  relation: 'id_number',
  enrollment: 'id_number',
  identity_tag: 'id_number',
};

/** Rows per SQLite insert statement: the per-call cost shared by 64 rows, well under the variable limit. */
const SQLITE_ROWS = 64;
/** SQLite page caches (negative: KiB): the import's, while indexes are built, and the connection's usual one (database.ts). */
const IMPORT_CACHE = -262144;
const INDEX_BUILD_CACHE = -2048;
const DEFAULT_CACHE = -65536;
/**
 * Rows inserted between two turns of the event loop. better-sqlite3 is synchronous and Kysely's
 * promises resolve as microtasks, so without a turn an import would keep requests waiting from
 * start to end; ~1000 rows take a few milliseconds.
 */
const ROWS_PER_TURN = 1024;
/** Rows per PostgreSQL insert statement (a round trip each). */
const POSTGRES_ROWS = 500;

export class ImportRepository {
  private readonly templates = new Map<string, CompiledQuery>();
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  /** `sqlite`: the connection under `trx` when the dialect is SQLite. */
  constructor(
    private readonly trx: Transaction<DB> | Kysely<DB>,
    readonly dialect: Dialect,
    private readonly sqlite?: BetterSqlite3.Database,
  ) {}

  /** Runs `work` in one transaction, with a repository on it (from a repository on the connection). */
  transaction<T>(work: (repo: ImportRepository, trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return (this.trx as Kysely<DB>)
      .transaction()
      .execute((trx) => work(new ImportRepository(trx, this.dialect, this.sqlite), trx));
  }

  /**
   * SQLite: before an import into an empty registry, a rollback journal instead of the WAL. Pages
   * new to the file need no journal entry, so a first load writes each page once, where the WAL
   * writes it twice (log, then checkpoint) and makes every read of the transaction look the page
   * up in the log index. A crash still rolls back (the journal holds the file's old pages).
   * Outside any transaction; false when the mode could not change (another connection reading).
   */
  async useRollbackJournal(on: boolean): Promise<boolean> {
    if (this.dialect !== 'sqlite' || !this.sqlite || this.sqlite.memory) return false;
    try {
      // Through Kysely's connection, so that no transaction of another request is open meanwhile.
      const result = await (this.trx as Kysely<DB>)
        .connection()
        .execute((c) => sql.raw<{ journal_mode: string }>(`PRAGMA journal_mode = ${on ? 'DELETE' : 'WAL'}`).execute(c));
      return String(result.rows[0]?.journal_mode).toLowerCase() === (on ? 'delete' : 'wal');
    } catch {
      return false;
    }
  }

  /** Drops a table's secondary indexes before a bulk load into it (inside the transaction). */
  async dropIndexes(table: EntityTable): Promise<void> {
    for (const ix of ENTITY_INDEXES.filter((i) => i.table === table))
      await this.trx.schema.dropIndex(ix.name).ifExists().execute();
  }

  /**
   * Builds a table's secondary indexes. On SQLite with a small page cache: the sort of an index's
   * keys then runs in cache-sized pieces that are merged, where one sort of a million keys in a
   * 256 MB cache was slower (the seven resident indexes took 6.6 s instead of 5.0 s alone; the
   * sorter's helper threads, `PRAGMA threads`, gained nothing once the import's worker thread
   * had the second core).
   */
  async createIndexes(table: EntityTable): Promise<void> {
    const sqlite = this.dialect === 'sqlite';
    if (sqlite) await sql.raw(`PRAGMA cache_size = ${INDEX_BUILD_CACHE}`).execute(this.trx);
    try {
      for (const ix of ENTITY_INDEXES.filter((i) => i.table === table)) {
        const create = this.trx.schema
          .createIndex(ix.name)
          .ifNotExists()
          .on(ix.table)
          .columns([...ix.columns]);
        await (ix.unique ? create.unique() : create).execute();
      }
    } finally {
      if (sqlite) await this.useLargeCache(true);
    }
  }

  /** A bigger page cache for the import's connection (SQLite; PostgreSQL manages its own). */
  async useLargeCache(on: boolean): Promise<void> {
    if (this.dialect === 'sqlite')
      await sql.raw(`PRAGMA cache_size = ${on ? IMPORT_CACHE : DEFAULT_CACHE}`).execute(this.trx);
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
    const row = await (this.trx as AnyTables).selectFrom(table).select(KEY_COLUMN[table]).limit(1).executeTakeFirst();
    return row === undefined;
  }

  /** Stored rows whose key is one of `keys`, by key. */
  async findByKeys(table: EntityTable, keys: readonly string[]): Promise<Map<string, Row>> {
    const out = new Map<string, Row>();
    if (keys.length === 0) return out;
    const key = KEY_COLUMN[table];
    const t = this.template(`find:${table}:${keys.length}`, () =>
      (this.trx as AnyTables)
        .selectFrom(table)
        .selectAll()
        .where(key, 'in', keys as string[])
        .compile(),
    );
    const result = await this.trx.executeQuery<Row>(CompiledQuery.raw(t.sql, [...keys]));
    for (const r of result.rows) out.set(String(r[key]), r);
    return out;
  }

  /** Stored rows of the whole-row tables about these people (the columns of the exchange format). */
  async rowsOfPeople(
    table: 'relation' | 'enrollment' | 'identity_tag',
    columns: readonly string[],
    ids: readonly string[],
  ): Promise<Row[]> {
    if (ids.length === 0) return [];
    const t = this.template(`people:${table}:${ids.length}`, () =>
      (this.trx as AnyTables)
        .selectFrom(table)
        .select([...columns])
        .where('id_number', 'in', ids as string[])
        .compile(),
    );
    return (await this.trx.executeQuery<Row>(CompiledQuery.raw(t.sql, [...ids]))).rows;
  }

  /**
   * Inserts `count` rows whose values lie in `values` row after row, in `columns` order ('' for
   * unknown), each row with the same `constants` (the import run).
   */
  async insertRows(
    table: EntityTable,
    columns: readonly string[],
    values: readonly unknown[],
    count: number,
    constants: Readonly<Record<string, string | number>>,
  ): Promise<void> {
    const width = columns.length;
    if (this.dialect === 'sqlite' && this.sqlite) {
      for (let i = 0; i < count; i += SQLITE_ROWS) {
        const n = Math.min(SQLITE_ROWS, count - i);
        // '' is unknown: NULL. Converted here, value by value, rather than by nullif() in the
        // statement, which cost SQLite a function call per value (~0.6 s at a million residents).
        const params = new Array<unknown>(n * width);
        for (let k = 0, from = i * width; k < params.length; k++) {
          const v = values[from + k];
          params[k] = v === '' ? null : v;
        }
        this.statement(table, columns, n, constants).run(params);
        if ((i / SQLITE_ROWS) % (ROWS_PER_TURN / SQLITE_ROWS) === ROWS_PER_TURN / SQLITE_ROWS - 1) await nextTurn();
      }
      return;
    }
    const extra = Object.values(constants);
    const all = [...columns, ...Object.keys(constants)];
    for (let i = 0; i < count; i += POSTGRES_ROWS) {
      const n = Math.min(POSTGRES_ROWS, count - i);
      const t = this.template(`insert:${table}:${n}`, () => {
        const rows = Array.from({ length: n }, () => Object.fromEntries(all.map((c) => [c, null])));
        return (this.trx as AnyTables).insertInto(table).values(rows).compile();
      });
      const params: unknown[] = [];
      for (let r = i; r < i + n; r++) {
        for (let c = 0; c < width; c++) {
          const v = values[r * width + c];
          params.push(v === '' ? null : v);
        }
        for (const v of extra) params.push(v);
      }
      await this.trx.executeQuery(CompiledQuery.raw(t.sql, params));
    }
  }

  /**
   * A prepared SQLite insert of `rows` rows; the constants are written into the statement (it
   * lives as long as this import run).
   */
  private statement(
    table: EntityTable,
    columns: readonly string[],
    rows: number,
    constants: Readonly<Record<string, string | number>>,
  ): BetterSqlite3.Statement {
    const id = `${table}:${columns.length}:${rows}`;
    let s = this.statements.get(id);
    if (!s) {
      const literals = Object.values(constants).map((v) => {
        if (typeof v === 'number' && Number.isFinite(v)) return String(v);
        if (typeof v === 'string' && /^[\w:.+-]*$/.test(v)) return `'${v}'`;
        throw new Error(`not a constant for SQL: ${String(v)}`);
      });
      const one = `(${[...columns.map(() => '?'), ...literals].join(',')})`;
      s = this.sqlite!.prepare(
        `INSERT INTO ${table} (${[...columns, ...Object.keys(constants)].join(',')}) VALUES ${new Array(rows).fill(one).join(',')}`,
      );
      this.statements.set(id, s);
    }
    return s;
  }

  async update(table: 'household' | 'resident', key: string, changes: Row): Promise<void> {
    await (this.trx as AnyTables).updateTable(table).set(changes).where(KEY_COLUMN[table], '=', key).execute();
  }

  /** Keeps residents' copy of their household's committee in step with the household. */
  async moveHouseholdResidents(householdId: string, committeeCode: string): Promise<void> {
    await this.trx
      .updateTable('resident')
      .set({ committee_code: committeeCode })
      .where('household_id', '=', householdId)
      .execute();
  }

  async insertChanges(changes: Insertable<ChangeLogTable>[]): Promise<void> {
    for (let i = 0; i < changes.length; i += 200) {
      await this.trx
        .insertInto('change_log')
        .values(changes.slice(i, i + 200))
        .execute();
    }
  }

  async createRun(at: string, actor: string, sourceName: string): Promise<number> {
    const r = await this.trx
      .insertInto('import_run')
      .values({ at, actor, source_name: sourceName, summary: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    return Number(r.id);
  }

  async finishRun(id: number, summary: unknown): Promise<void> {
    await this.trx
      .updateTable('import_run')
      .set({ summary: JSON.stringify(summary) })
      .where('id', '=', id)
      .execute();
  }
}
