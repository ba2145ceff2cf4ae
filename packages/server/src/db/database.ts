/**
 * Opens the registry database: embedded SQLite (better-sqlite3, WAL) by default, PostgreSQL when
 * a connection URL is given. One Kysely type and one set of migrations serve both.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type SqliteDatabase,
  type SqliteStatement,
} from 'kysely';
import { RoutingSqliteDriver } from './sqlite-routing.ts';
import pg from 'pg';
import { migrationProvider, type Dialect } from './migrations.ts';
import type { DB } from './schema.ts';

export type { Dialect };

export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: Dialect;
  /** Where it lives, for messages (the SQLite path, or the PostgreSQL URL without its password). */
  readonly location: string;
  /**
   * The SQLite connection under Kysely (the same one, so statements on it join Kysely's open
   * transaction): the import's bulk inserts bind parameters on it directly.
   */
  readonly sqlite?: BetterSqlite3.Database;
  /**
   * SQLite: reads outside a transaction run on a second, read-only connection, so that they go on
   * while an import holds the writer (sqlite-routing.ts). An import into an empty registry closes
   * it for its duration (a rollback journal needs the file to itself) and opens it again after.
   */
  readonly reads?: {
    pause(): void;
    resume(): void;
    hold(): void;
    release(): void;
    readonly writerBusy: boolean;
    onIdle(listener: () => void): void;
  };
  /** How it was opened, so that another thread can open it too (an import's: import.offthread.ts); none for `:memory:`. */
  readonly options?: DatabaseOptions;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** SQLite file path; ignored when `postgresUrl` is set. */
  sqlitePath?: string;
  /** SQLite: how long a write waits for another process's lock (default 250 ms). */
  busyTimeoutMs?: number;
  postgresUrl?: string;
}

// SQLite stores booleans/integers as numbers and returns bigints only when asked; we keep numbers.
// PostgreSQL returns DOUBLE PRECISION as numbers already; INT8 (counts) as text unless parsed.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * better-sqlite3 compiles a statement on every prepare(); Kysely prepares each query anew. The
 * registry runs the same few statements millions of times during an import, so we keep the
 * compiled statements. Written here because Kysely's SqliteDialect exposes exactly this seam.
 */
export function withStatementCache(
  raw: BetterSqlite3.Database,
  limit = 256,
): SqliteDatabase & { readonly raw: BetterSqlite3.Database } {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    raw,
    close: () => raw.close(),
    prepare(sqlText: string): SqliteStatement {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = raw.prepare(sqlText);
        if (cache.size >= limit) cache.delete(cache.keys().next().value as string);
        cache.set(sqlText, stmt);
      }
      return stmt as unknown as SqliteStatement;
    },
  };
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  let database: Database;
  if (options.postgresUrl) {
    const pool = new pg.Pool({ connectionString: options.postgresUrl, max: 10 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    database = {
      db,
      dialect: 'postgres',
      location: options.postgresUrl.replace(/:[^:@/]*@/, ':***@'),
      options,
      close: () => db.destroy(),
    };
  } else {
    const path = options.sqlitePath ?? './data/tingjian.db';
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const raw = new BetterSqlite3(path);
    raw.pragma('journal_mode = WAL');
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('cache_size = -65536');
    // better-sqlite3 waits for a lock synchronously, stopping the event loop meanwhile: a write
    // that finds another process writing (a command-line import) gives up soon and is answered
    // as busy (the audit trail keeps its rows and writes them later: audit.repository.ts).
    raw.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 250}`);
    const openReader =
      path === ':memory:'
        ? null
        : () => {
            const reader = new BetterSqlite3(path, { readonly: true, fileMustExist: true });
            reader.pragma('cache_size = -65536');
            return withStatementCache(reader);
          };
    const driver = new RoutingSqliteDriver(withStatementCache(raw), openReader);
    const db = new Kysely<DB>({
      dialect: {
        createAdapter: () => new SqliteAdapter(),
        createDriver: () => driver,
        createIntrospector: (k) => new SqliteIntrospector(k),
        createQueryCompiler: () => new SqliteQueryCompiler(),
      },
    });
    database = {
      db,
      dialect: 'sqlite',
      location: path,
      sqlite: raw,
      reads: driver,
      ...(path === ':memory:' ? {} : { options: { ...options, sqlitePath: path } }),
      close: () => db.destroy(),
    };
  }
  // Unordered: migrations written side by side may land in any order of their numbers (011 after 013).
  const migrator = new Migrator({
    db: database.db,
    provider: migrationProvider(database.dialect),
    allowUnorderedMigrations: true,
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    await database.close();
    throw error instanceof Error ? error : new Error(String(error));
  }
  return database;
}
