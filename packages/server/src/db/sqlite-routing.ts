/**
 * A Kysely driver for SQLite with two connections: the writer (every transaction and every
 * statement that writes) and a read-only reader for statements outside a transaction that only
 * read. Kysely's own SqliteDriver has one connection behind a mutex, so while an import held its
 * transaction every search, 360 view and session look-up waited for the whole import (13 s for
 * 200k rows). In WAL mode the reader sees the last committed state and neither waits for the
 * writer nor holds it up. Written here because Kysely ships no such driver; its Driver interface
 * is the seam for it.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, type QueryResult, type SqliteDatabase } from 'kysely';

type Cached = SqliteDatabase & { readonly raw: BetterSqlite3.Database };

/** Waits for the one writer connection (as Kysely's SqliteDriver does for its only connection). */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  async lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.tail;
    this.tail = previous.then(() => next);
    await previous;
    return release;
  }
}

function run(db: SqliteDatabase, query: CompiledQuery): QueryResult<unknown> {
  const stmt = db.prepare(query.sql);
  if (stmt.reader) return { rows: stmt.all(query.parameters) as unknown[] };
  const { changes, lastInsertRowid } = stmt.run(query.parameters);
  return {
    numAffectedRows: changes !== undefined && changes !== null ? BigInt(changes) : undefined,
    insertId: lastInsertRowid !== undefined && lastInsertRowid !== null ? BigInt(lastInsertRowid) : undefined,
    rows: [],
  };
}

/** One acquisition: it takes the writer on its first statement that needs it and keeps it until released. */
class RoutedConnection implements DatabaseConnection {
  release: (() => void) | null = null;
  inTransaction = false;

  constructor(private readonly driver: RoutingSqliteDriver) {}

  async takeWriter(): Promise<void> {
    if (!this.release) this.release = await this.driver.mutex.lock();
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    if (!this.release) {
      const reader = this.driver.reader;
      if (reader && this.driver.readsOnly(query.sql)) return run(reader, query) as QueryResult<R>;
      await this.takeWriter();
    }
    return run(this.driver.writer, query) as QueryResult<R>;
  }

  async *streamQuery<R>(query: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    await this.takeWriter();
    for (const row of this.driver.writer.prepare(query.sql).iterate(query.parameters) as Iterable<R>)
      yield { rows: [row] };
  }
}

export class RoutingSqliteDriver implements Driver {
  readonly mutex = new Mutex();
  reader: Cached | null = null;
  /** Open transactions on the writer (0 or 1: they queue for it). */
  private transactions = 0;
  private readonly idle: Array<() => void> = [];
  /** Per statement text: whether it only reads (better-sqlite3's `readonly`), learned once. */
  private readonly readOnly = new Map<string, boolean>();

  constructor(
    readonly writer: Cached,
    private readonly openReader: (() => Cached) | null,
  ) {}

  async init(): Promise<void> {
    this.reader = this.openReader?.() ?? null;
  }

  readsOnly(sql: string): boolean {
    let known = this.readOnly.get(sql);
    if (known === undefined) {
      // Asked of the writer, whose schema is current (the reader may not know a table yet).
      const stmt = this.writer.raw.prepare(sql);
      known = stmt.readonly && stmt.reader;
      if (this.readOnly.size > 4096) this.readOnly.clear();
      this.readOnly.set(sql, known);
    }
    return known;
  }

  /** Another thread's import holding the file's write lock (hold/release). */
  private held = 0;

  /** Whether a transaction (an import's, for one) holds the writer or waits for it, here or in an import's thread. */
  get writerBusy(): boolean {
    return this.transactions > 0 || this.held > 0;
  }

  /**
   * Says that another connection (an import's thread, import.offthread.ts) holds the write lock
   * from now until release(): writes that may wait are kept meanwhile instead of trying, since a
   * try waits the busy timeout with the event loop stopped.
   */
  hold(): void {
    this.held++;
  }

  release(): void {
    if (this.held === 0) return;
    if (--this.held === 0 && this.transactions === 0) for (const l of this.idle) queueMicrotask(l);
  }

  /** Called each time the last open transaction ends. */
  onIdle(listener: () => void): void {
    this.idle.push(listener);
  }

  /** Closes the reader: reads wait for the writer meanwhile. */
  pause(): void {
    this.reader?.close();
    this.reader = null;
  }

  resume(): void {
    if (!this.reader) this.reader = this.openReader?.() ?? null;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutedConnection(this);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const c = connection as RoutedConnection;
    this.transactions++;
    c.inTransaction = true;
    try {
      await c.takeWriter();
      await c.executeQuery(CompiledQuery.raw('begin'));
    } catch (err) {
      this.ended(c);
      throw err;
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('commit'));
    } finally {
      this.ended(connection as RoutedConnection);
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await connection.executeQuery(CompiledQuery.raw('rollback'));
    } finally {
      this.ended(connection as RoutedConnection);
    }
  }

  private ended(c: RoutedConnection): void {
    if (!c.inTransaction) return;
    c.inTransaction = false;
    if (--this.transactions === 0 && this.held === 0) for (const l of this.idle) queueMicrotask(l);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const c = connection as RoutedConnection;
    const release = c.release;
    c.release = null;
    release?.();
  }

  async destroy(): Promise<void> {
    this.reader?.close();
    this.writer.close();
  }
}
