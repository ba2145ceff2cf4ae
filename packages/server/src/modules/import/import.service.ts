/**
 * Imports a snapshot of the exchange format (shared/spec/exchange-format.md) in one transaction:
 * either every valid row is stored, or — on a crash or a fatal error — nothing changes. Rows the
 * spec rejects are reported with file, line, column and reason and the rest still imports.
 * Upserts by key; unchanged rows are left alone; changed fields are recorded in change_log.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { COLUMNS, TABLES, type TableName } from '@tingjian/engine';
import type { Insertable } from 'kysely';
import type { ChangeLogTable } from '../../db/schema.ts';
import type { Database, DatabaseOptions } from '../../db/database.ts';
import { nowIso } from '../../clock.ts';
import { csvLine } from '../../csv.ts';
import { AppError } from '../../errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { requireAccess } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { ImportRepository, EntityTable } from './import.repository.ts';
import {
  batchValues,
  FIELD,
  NUMERIC_COLUMNS,
  PREPARED_COLUMNS,
  type PreparedBatch,
  type RejectedCell,
} from './import.prepare.ts';
import { importOffThread } from './import.offthread.ts';
import { PreparedTables } from './import.threads.ts';
import type { CommittedRun, ImportReportRepository } from './import-report.repository.ts';
import { RejectionReport } from './rejection-report.ts';
import { importTemplate } from './template.ts';
import { IdNumberSet } from './pair-table.ts';
import type { SnapshotSource, TableReader } from './sources.ts';

export type { RejectedCell };

export interface TableCounts {
  read: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportSummary {
  readonly runId: number;
  readonly source: string;
  readonly tables: Partial<Record<TableName, TableCounts>>;
  /** The report's first cells (at most REPORT_LIMITS.first); a row with two bad cells appears twice. Ordered by file, line. */
  readonly rejected: RejectedCell[];
  readonly rejectedRows: number;
  /** Rejected cells in all, exactly. */
  readonly rejectedCells: number;
  /** Whether `rejected` holds fewer cells than were rejected (the full report is stored with the run). */
  readonly reportTruncated: boolean;
  /** The full report (bounded: past a million cells it counts and says so). */
  readonly report: RejectionReport;
}

/**
 * What a committed import changed, for the in-memory copies that follow the registry: structural
 * when residents or households were added (the population is built anew), else the residents and
 * households whose rows changed (the population is patched and only they are re-evaluated).
 */
export interface DataChange {
  readonly version: number;
  /** The import run that made it (the registry's storage version is `run:<id>`). */
  readonly runId: number;
  readonly structural: boolean;
  readonly persons: ReadonlySet<string>;
  readonly households: ReadonlySet<string>;
}

export interface ImportProgress {
  readonly file: string;
  readonly done: number;
  readonly total: number;
  readonly rows: number;
}

export interface ImportOptions {
  onProgress?: (p: ImportProgress) => void;
  /** Read and check CSV files in a worker thread: forced on or off; by default for large snapshots. */
  worker?: boolean;
  /** Write in a thread of its own (import.offthread.ts): forced on or off; by default for a snapshot of 256 KB or more into a registry with rows. */
  thread?: boolean;
}

/** More changed residents and households than this and the population is built anew (population.service PATCH_LIMIT). */
const TOUCH_LIMIT = 20_000;
/** Keys per look-up of stored rows. */
const LOOKUP = 500;
/** The order tables are imported in: rows refer to households, then to residents. */
const ORDER: readonly TableName[] = ['households', 'residents', 'relations', 'enrollments', 'identity_tags'];
const ENTITY: Record<TableName, EntityTable> = {
  households: 'household',
  residents: 'resident',
  relations: 'relation',
  enrollments: 'enrollment',
  identity_tags: 'identity_tag',
};
const HOUSEHOLD_FIELDS = COLUMNS.households.map(([c]) => c).filter((c) => c !== 'household_id');
const RESIDENT_FIELDS = [
  ...COLUMNS.residents.map(([c]) => c).filter((c) => c !== 'id_number'),
  'committee_code',
  'name_pinyin',
  'name_initials',
];
/** Per table, whether each prepared value is a number. */
const NUMERIC: Record<TableName, readonly boolean[]> = Object.fromEntries(
  TABLES.map((t) => [t, PREPARED_COLUMNS[t].map((c) => NUMERIC_COLUMNS.has(c))]),
) as unknown as Record<TableName, readonly boolean[]>;

type Row = Record<string, string | number | null>;

/** A prepared value: text ('' for unknown) as it came, a number (or null) once converted. */
type Value = string | number | null;
const HOUSEHOLD = PREPARED_COLUMNS.residents.indexOf('household_id');
const COMMITTEE = PREPARED_COLUMNS.residents.indexOf('committee_code');

/** The values of rows `rows` (indexes into a batch of `count` rows, ascending): the batch itself when it is all of them. */
function rowsOf(v: readonly Value[], width: number, rows: readonly number[], count: number): readonly Value[] {
  if (rows.length === count) return v;
  const out: Value[] = [];
  for (const i of rows) for (let c = i * width; c < (i + 1) * width; c++) out.push(v[c]!);
  return out;
}

/** The rejection report: CSV with columns file,line,column,reason. */
export function reportCsv(rejected: readonly RejectedCell[]): string {
  return (
    ['file,line,column,reason', ...rejected.map((r) => csvLine([r.file, r.line, r.column, r.reason]))].join('\n') + '\n'
  );
}

export class ImportService {
  /** Moves on after every import that committed, so that caches of derived figures know. */
  dataVersion = 0;
  private readonly listeners: Array<(change: DataChange) => void> = [];

  /** Called after every import that committed (e.g. to recompute derived figures). */
  onChange(listener: (change: DataChange) => void): void {
    this.listeners.push(listener);
  }

  /**
   * `repo`: on the database's connection (outside any transaction); an import runs in a
   * transaction of its own (`repo.transaction`). `reads`: the SQLite read-only connection,
   * closed while a first load has the file to itself. `offThread`: how to open the same database
   * in another thread; with it, an import of a registry that has rows already is written there
   * (import.offthread.ts), so that the thread that answers requests keeps only its own work.
   */
  constructor(
    private readonly repo: ImportRepository,
    private readonly reports: ImportReportRepository,
    private readonly audit: AuditRepository,
    private readonly org: OrgService,
    private readonly reads?: Database['reads'],
    private readonly offThread?: DatabaseOptions,
  ) {}

  private get dialect() {
    return this.repo.dialect;
  }

  async importSnapshot(scope: Scope, source: SnapshotSource, options: ImportOptions = {}): Promise<ImportSummary> {
    requireAccess(scope, 'import.run');
    const firstLoad = this.dialect === 'sqlite' && (await this.registryEmpty());
    const thread =
      !firstLoad &&
      this.offThread &&
      source.origin &&
      (options.thread ?? sourceBytes(source.origin.path) >= OFF_THREAD_MIN_BYTES);
    let outcome: ImportOutcome;
    if (thread) {
      // While the import's thread holds the file's write lock, writes here that could wait are kept (audit.deferred.ts).
      this.reads?.hold();
      try {
        outcome = await importOffThread({
          database: this.offThread!,
          scope,
          origin: source.origin!,
          worker: options.worker,
          onProgress: options.onProgress,
        });
      } finally {
        this.reads?.release();
      }
    } else {
      outcome = await this.importHere(scope, source, options, firstLoad);
    }
    this.committed(outcome);
    return outcome.summary;
  }

  private async registryEmpty(): Promise<boolean> {
    return (await this.repo.isEmpty('household')) && (await this.repo.isEmpty('resident'));
  }

  /**
   * The import itself, on this thread's connection, in one transaction (or an error and nothing
   * stored). Called by importSnapshot, and in an import's thread (import.writer.ts).
   */
  async importHere(
    scope: Scope,
    source: SnapshotSource,
    options: ImportOptions = {},
    firstLoad?: boolean,
  ): Promise<ImportOutcome> {
    requireAccess(scope, 'import.run');
    firstLoad ??= this.dialect === 'sqlite' && (await this.registryEmpty());
    // An empty registry has nothing to read meanwhile: its first load takes the file alone.
    if (firstLoad) this.reads?.pause();
    const rollbackJournal = firstLoad && (await this.repo.useRollbackJournal(true));
    let touched: ImportRun['touched'] | undefined;
    let summary: ImportSummary;
    try {
      summary = await this.repo.transaction(async (repo, trx) => {
        const run = new ImportRun(repo, this.org, scope, source, options);
        const result = await run.execute();
        // The full report commits with the run, so it can be downloaded whatever the answer holds.
        await this.reports.save(result.runId, scope, result.report.csvChunks(), trx);
        touched = run.touched;
        await this.audit.record(
          scope,
          'import',
          `import_run:${result.runId}`,
          { source: source.name, tables: result.tables, rejectedRows: result.rejectedRows },
          trx,
        );
        return result;
      });
    } finally {
      if (rollbackJournal) await this.repo.useRollbackJournal(false);
      if (firstLoad) this.reads?.resume();
    }
    return { summary, touched: touched! };
  }

  /** The import template (.xlsx), its example committee one of the caller's area. */
  async template(scope: Scope): Promise<Buffer> {
    requireAccess(scope, 'import.run');
    return importTemplate(this.org.committees(scope.orgCode)[0]?.code);
  }

  /**
   * A run's full rejection report, part by part (audited): the importer's own, or one of an
   * importer in a district admin's area (the table's reach). One answer for a run without a
   * report and for one the caller may not read: no oracle.
   */
  async report(scope: Scope, runId: number): Promise<AsyncGenerator<string>> {
    requireAccess(scope, 'import.report');
    const owner = await this.reports.owner(runId);
    const missing = new AppError(
      'TJ_NOT_FOUND',
      `找不到导入批次 #${runId} 的拒收报告，或您无权查看（只有导入者本人和其辖区的区级管理员可以下载）`,
    );
    requireAccess(scope, 'import.report', { orgCode: owner?.orgCode, by: owner?.actor, missing, beyond: missing });
    await this.audit.record(scope, 'import.report', `import_run:${runId}`);
    return this.reports.parts(runId);
  }

  /** The latest import run's id (0 when none): before an upload, to learn afterwards whether it committed. */
  latestRunId(): Promise<number> {
    return this.reports.latestRunId();
  }

  /** The run `actor` committed from `source` after run `after`, if any (import-report.repository.ts). */
  committedSince(after: number, actor: string, source: string): Promise<CommittedRun | null> {
    return this.reports.committedSince(after, actor, source);
  }

  /** After a commit: the derived figures learn of the change (none when nothing changed). */
  private committed({ summary, touched: t }: ImportOutcome): void {
    // An import that changed nothing (a snapshot sent again) leaves every derived figure as it was.
    if (Object.values(summary.tables).every((c) => c.inserted + c.updated === 0)) return;
    this.dataVersion++;
    const structural = (summary.tables.households?.inserted ?? 0) + (summary.tables.residents?.inserted ?? 0) > 0;
    const change: DataChange = {
      version: this.dataVersion,
      runId: summary.runId,
      structural,
      persons: t.persons,
      households: t.households,
    };
    for (const l of this.listeners) l(change);
  }
}

/** What an import returns to the thread that asked for it: its summary and whom it changed. */
export interface ImportOutcome {
  readonly summary: ImportSummary;
  readonly touched: { readonly persons: ReadonlySet<string>; readonly households: ReadonlySet<string> };
}

/**
 * Below this many bytes on disk an import is written in place: a thread's start (opening the
 * database, loading the engine) takes longer than such an import stops the requests (a few
 * thousand rows, well under 100 ms).
 */
const OFF_THREAD_MIN_BYTES = 256 << 10;

/** The size on disk of a source's file, or of its folder's files. */
function sourceBytes(path: string): number {
  try {
    const st = statSync(path);
    if (!st.isDirectory()) return st.size;
    return readdirSync(path).reduce((n, f) => {
      try {
        return n + statSync(join(path, f)).size;
      } catch {
        return n;
      }
    }, 0);
  } catch {
    return 0;
  }
}

/** One import: the state that links the tables (which households and people were accepted). */
class ImportRun {
  private readonly now = nowIso();
  private runId = 0;
  /** Bounded: 8 million bad rows once made 8 million objects and 4.3 GB (rejection-report.ts). */
  private readonly report = new RejectionReport();
  private readonly tables: Partial<Record<TableName, TableCounts>> = {};
  /** household_id → committee_code of households accepted in this snapshot. */
  private readonly snapshotHouseholds = new Map<string, string>();
  /** Residents accepted in this snapshot (their id numbers passed the checks: IdNumberSet holds such). */
  private readonly acceptedPeople = new IdNumberSet();
  private readonly rejectedPeople = new Set<string>();
  private readonly changes: Insertable<ChangeLogTable>[] = [];
  /**
   * Residents and households whose stored rows this import changed (DataChange), while the change
   * is small enough to patch: past TOUCH_LIMIT, or once residents or households are added, the
   * population is built anew anyway and nothing more is kept (a first load of a million rows
   * must not hold a million ids for nothing).
   */
  readonly touched = { persons: new Set<string>(), households: new Set<string>() };
  private touch(kind: 'persons' | 'households', id: string): void {
    const set = this.touched[kind];
    if (
      set.size > TOUCH_LIMIT ||
      (this.tables.households?.inserted ?? 0) > 0 ||
      (this.tables.residents?.inserted ?? 0) > 0
    )
      return;
    set.add(id);
  }
  /** Tables that were empty when this import began: nothing stored to compare with. */
  private readonly emptyAtStart = new Set<EntityTable>();

  constructor(
    private readonly repo: ImportRepository,
    private readonly org: OrgService,
    private readonly scope: Scope,
    private readonly source: SnapshotSource,
    private readonly options: ImportOptions,
  ) {}

  async execute(): Promise<ImportSummary> {
    this.runId = await this.repo.createRun(this.now, this.scope.username, this.source.name);
    await this.repo.useLargeCache(true);
    const readers = ORDER.flatMap((t) => (this.source.tables[t] ? [[t, this.source.tables[t]!] as const] : []));
    const prepared = new PreparedTables(readers, this.options.worker);
    try {
      for (const [table, reader] of readers)
        await this.bulk(table, () => this.loadTable(table, reader, prepared.batches(table, reader)));
    } finally {
      await prepared.close();
    }
    await this.repo.insertChanges(this.changes);
    const changed = Object.values(this.tables).reduce((n, c) => n + c.inserted + c.updated, 0);
    if (changed > 10_000) await this.repo.analyze();
    await this.repo.useLargeCache(false);
    const report = this.report;
    const rejectedRows = report.rows;
    const summary: ImportSummary = {
      runId: this.runId,
      source: this.source.name,
      tables: this.tables,
      rejected: report.first,
      rejectedRows,
      rejectedCells: report.cells,
      reportTruncated: report.truncated,
      report,
    };
    await this.repo.finishRun(this.runId, { tables: this.tables, rejectedRows });
    return summary;
  }

  /**
   * Loads a table; when it is empty at the start (a first load), without its secondary indexes,
   * which are built again at the end. Its primary key stays, so look-ups by key still work.
   */
  private async bulk(table: TableName, load: () => Promise<void>): Promise<void> {
    const entity = ENTITY[table];
    const empty = await this.repo.isEmpty(entity);
    if (empty) {
      await this.repo.dropIndexes(entity);
      this.emptyAtStart.add(entity);
    }
    await load();
    if (empty) await this.repo.createIndexes(entity);
  }

  private async loadTable(table: TableName, reader: TableReader, batches: AsyncIterable<PreparedBatch>): Promise<void> {
    const counts: TableCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
    this.tables[table] = counts;
    for await (const batch of batches) {
      counts.read += batch.read;
      for (const r of batch.rejected) this.report.add(r);
      // A resident row rejected for any reason takes the other tables' rows about that person with it.
      for (const id of batch.rejectedPeople) this.rejectedPeople.add(id);
      if (batch.count > 0) {
        if (table === 'households') await this.writeHouseholds(batch);
        else if (table === 'residents') await this.writeResidents(batch);
        else await this.writePersonRows(table, batch);
      }
      this.options.onProgress?.({ file: reader.file, done: batch.done, total: reader.total, rows: counts.read });
      await nextTurn(); // let requests in between batches (the writes are synchronous)
    }
    this.options.onProgress?.({ file: reader.file, done: reader.total, total: reader.total, rows: counts.read });
    counts.rejected = this.report.rowsIn(reader.file);
  }

  private paced = 0;
  /**
   * A turn of the event loop after about 1024 units of work (a row compared is 1, a row updated
   * 4, a look-up of 500 stored rows 256): on SQLite each statement is synchronous and Kysely's
   * promises resolve as microtasks, so without turns requests would wait for a whole batch.
   */
  private async pace(weight = 1): Promise<void> {
    this.paced += weight;
    if (this.paced >= 1024) {
      this.paced = 0;
      await nextTurn();
    }
  }

  /** Whether a stored or named committee lies in the caller's area (the stored one decides what may be touched). */
  private inArea(committee: unknown): boolean {
    return typeof committee === 'string' && committee.startsWith(this.scope.orgCode);
  }

  private reject(file: string, line: number, column: string, reason: string): void {
    this.report.add({ file, line, column, reason });
  }

  /** Stored rows by key, looked up LOOKUP keys at a time. */
  private async stored(table: 'household' | 'resident', keys: readonly string[]): Promise<Map<string, Row>> {
    const out = new Map<string, Row>();
    for (let i = 0; i < keys.length; i += LOOKUP) {
      for (const [k, r] of await this.repo.findByKeys(table, keys.slice(i, i + LOOKUP))) out.set(k, r);
      await this.pace(256);
    }
    return out;
  }

  /** Row `i` of a batch's values as a row object (for comparing with the stored row). */
  private rowObject(table: TableName, v: readonly Value[], i: number): Row {
    const columns = PREPARED_COLUMNS[table];
    const w = columns.length;
    const row: Row = {};
    for (let c = 0; c < w; c++) {
      const value = v[i * w + c]!;
      row[columns[c]!] = value === '' ? null : value;
    }
    return row;
  }

  /** The numbers of rows `rows` (indexes into a batch), in place: validateRow's Number(text), null when empty. */
  private numbers(table: TableName, v: Value[], rows: readonly number[]): void {
    const numeric = NUMERIC[table];
    const w = numeric.length;
    for (let c = 0; c < w; c++) {
      if (!numeric[c]) continue;
      for (const i of rows) {
        const text = v[i * w + c];
        v[i * w + c] = text === '' || text === null ? null : Number(text);
      }
    }
  }

  /** What every inserted row carries besides its values: the run (who and when are the run's, migration 009). */
  private get constants(): Record<string, string | number> {
    return { created_run: this.runId };
  }

  private async writeHouseholds(batch: PreparedBatch): Promise<void> {
    const file = 'households.csv';
    const v: Value[] = batchValues(batch);
    const w = PREPARED_COLUMNS.households.length;
    const accepted: number[] = [];
    for (let i = 0; i < batch.count; i++) {
      const id = v[i * w] as string;
      const committee = v[i * w + 1] as string;
      if (!this.org.isCommittee(committee)) {
        this.reject(file, batch.lines[i]!, 'committee_code', `未知的居委会代码 ${committee}`);
      } else if (!committee.startsWith(this.scope.orgCode)) {
        this.reject(file, batch.lines[i]!, 'committee_code', `居委会 ${committee} 不在您的辖区内`);
      } else {
        accepted.push(i);
        this.snapshotHouseholds.set(id, committee);
      }
    }
    this.numbers('households', v, accepted);
    const stored = this.emptyAtStart.has('household')
      ? null
      : await this.stored(
          'household',
          accepted.map((i) => v[i * w] as string),
        );
    const counts = this.tables.households!;
    const fresh: number[] = [];
    for (const i of accepted) {
      if (stored) await this.pace();
      const id = v[i * w] as string;
      const old = stored?.get(id);
      if (!old) {
        fresh.push(i);
        continue;
      }
      if (!this.inArea(old.committee_code)) {
        // Another area's household: neither updated nor moved here, and its residents with it.
        this.reject(file, batch.lines[i]!, 'household_id', householdIdUnavailable(id));
        this.snapshotHouseholds.delete(id);
        continue;
      }
      const row = this.rowObject('households', v, i);
      const diff = diffFields(HOUSEHOLD_FIELDS, old, row);
      if (!diff) {
        counts.unchanged++;
        continue;
      }
      await this.pace(4);
      await this.repo.update('household', id, { ...diff.changes, updated_run: this.runId });
      if ('committee_code' in diff.changes) await this.repo.moveHouseholdResidents(id, row.committee_code as string);
      this.touch('households', id);
      this.recordChange('household', id, null, diff.detail);
      counts.updated++;
    }
    await this.repo.insertRows(
      'household',
      PREPARED_COLUMNS.households,
      rowsOf(v, w, fresh, batch.count),
      fresh.length,
      this.constants,
    );
    counts.inserted += fresh.length;
  }

  private async writeResidents(batch: PreparedBatch): Promise<void> {
    const file = 'residents.csv';
    const v: Value[] = batchValues(batch);
    const w = PREPARED_COLUMNS.residents.length;
    let storedHouseholds: Map<string, Row> | null = null;
    if (!this.emptyAtStart.has('household')) {
      const unknown = new Set<string>();
      for (let i = 0; i < batch.count; i++)
        if (!this.snapshotHouseholds.has(v[i * w + HOUSEHOLD] as string)) unknown.add(v[i * w + HOUSEHOLD] as string);
      storedHouseholds = await this.stored('household', [...unknown]);
    }
    const accepted: number[] = [];
    for (let i = 0; i < batch.count; i++) {
      const id = v[i * w] as string;
      const household = v[i * w + HOUSEHOLD] as string;
      const committee =
        this.snapshotHouseholds.get(household) ??
        (storedHouseholds?.get(household)?.committee_code as string | undefined);
      if (committee === undefined || !this.inArea(committee)) {
        // One answer for a household that does not exist and one of another area: no oracle.
        this.reject(file, batch.lines[i]!, 'household_id', `家庭 ${household} 既不在本快照中，也不在您辖区的登记中`);
        this.rejectedPeople.add(id);
      } else {
        accepted.push(i);
        v[i * w + COMMITTEE] = committee;
      }
    }
    this.numbers('residents', v, accepted);
    const stored = this.emptyAtStart.has('resident')
      ? null
      : await this.stored(
          'resident',
          accepted.map((i) => v[i * w] as string),
        );
    const counts = this.tables.residents!;
    const fresh: number[] = [];
    for (const i of accepted) {
      if (stored) await this.pace();
      const id = v[i * w] as string;
      const old = stored?.get(id);
      if (old && !this.inArea(old.committee_code)) {
        // Another area's resident is not moved into this one nor overwritten (nor its history).
        this.reject(file, batch.lines[i]!, 'id_number', residentIdUnavailable(id));
        this.rejectedPeople.add(id);
        continue;
      }
      this.acceptedPeople.add(id);
      if (!old) {
        fresh.push(i);
        continue;
      }
      const diff = diffFields(RESIDENT_FIELDS, old, this.rowObject('residents', v, i));
      if (!diff) {
        counts.unchanged++;
        continue;
      }
      await this.pace(4);
      await this.repo.update('resident', id, { ...diff.changes, updated_run: this.runId });
      this.touch('persons', id);
      this.recordChange('resident', id, id, diff.detail);
      counts.updated++;
    }
    await this.repo.insertRows(
      'resident',
      PREPARED_COLUMNS.residents,
      rowsOf(v, w, fresh, batch.count),
      fresh.length,
      this.constants,
    );
    counts.inserted += fresh.length;
  }

  /**
   * Relations, enrollments and identity tags are upserted by their whole row: a row equal to a
   * stored row of the same person is left alone, any other is added.
   */
  private async writePersonRows(
    table: 'relations' | 'enrollments' | 'identity_tags',
    batch: PreparedBatch,
  ): Promise<void> {
    const file = `${table}.csv`;
    const entity = ENTITY[table] as 'relation' | 'enrollment' | 'identity_tag';
    const columns = PREPARED_COLUMNS[table];
    const w = columns.length;
    const v = batchValues(batch);
    let storedPeople: Map<string, Row> | null = null;
    if (!this.emptyAtStart.has('resident')) {
      const unknown = new Set<string>();
      for (let i = 0; i < batch.count; i++) {
        const id = v[i * w]!;
        if (!this.acceptedPeople.has(id) && !this.rejectedPeople.has(id)) unknown.add(id);
      }
      storedPeople = await this.stored('resident', [...unknown]);
    }
    let fresh: number[] = [];
    for (let i = 0; i < batch.count; i++) {
      const id = v[i * w]!;
      if (this.acceptedPeople.has(id)) {
        fresh.push(i); // accepted in this snapshot
        continue;
      }
      const line = batch.lines[i]!;
      if (this.rejectedPeople.has(id)) {
        this.reject(file, line, 'id_number', `居民 ${id} 的记录在本快照中被拒绝`);
        continue;
      }
      const person = storedPeople?.get(id);
      if (!person || !this.inArea(person.committee_code)) {
        // One answer for nobody and for another area's resident: no oracle of who lives where.
        this.reject(file, line, 'id_number', `居民 ${id} 既不在本快照中，也不在您辖区的登记中`);
      } else {
        fresh.push(i);
      }
    }
    const counts = this.tables[table]!;
    if (!this.emptyAtStart.has(entity)) {
      // Into a table that was empty, nothing can be stored already (repeats in the snapshot are
      // rejected when prepared); otherwise the rows stored for these people, compared whole.
      const people = [...new Set(fresh.map((i) => v[i * w]!))];
      const storedRows = new Set<string>();
      for (let k = 0; k < people.length; k += LOOKUP) {
        for (const r of await this.repo.rowsOfPeople(entity, columns, people.slice(k, k + LOOKUP))) {
          storedRows.add(columns.map((c) => r[c] ?? '').join(FIELD));
        }
        await this.pace(256);
      }
      const before = fresh.length;
      fresh = fresh.filter((i) => !storedRows.has(v.slice(i * w, (i + 1) * w).join(FIELD)));
      counts.unchanged += before - fresh.length;
    }
    await this.repo.insertRows(entity, columns, rowsOf(v, w, fresh, batch.count), fresh.length, this.constants);
    // New rows change their people's facts (enrollments, identity tags, supporters).
    for (const i of fresh) this.touch('persons', v[i * w]!);
    counts.inserted += fresh.length;
  }

  private recordChange(
    entity: string,
    key: string,
    idNumber: string | null,
    detail: Record<string, [unknown, unknown]>,
  ): void {
    this.changes.push({
      at: this.now,
      actor: this.scope.username,
      source: `import:${this.runId}:${this.source.name}`,
      entity,
      entity_key: key,
      id_number: idNumber,
      action: 'update',
      detail: JSON.stringify(detail),
    });
  }
}

/**
 * A key that is taken outside the caller's area. It cannot be told apart from a free one without
 * saying that it is taken, so the words say only what to do: a move between areas is imported by
 * a unit whose area holds both.
 */
function householdIdUnavailable(id: string): string {
  return `家庭编号 ${id} 在您的辖区不可用：请核对编号；跨辖区迁入请由上级单位导入`;
}

function residentIdUnavailable(id: string): string {
  return `居民 ${id} 在您的辖区不可用：请核对身份证号；跨辖区迁入请由上级单位导入`;
}

function diffFields(
  fields: readonly string[],
  old: Row,
  next: Row,
): { changes: Row; detail: Record<string, [unknown, unknown]> } | null {
  let changes: Row | null = null;
  const detail: Record<string, [unknown, unknown]> = {};
  for (const f of fields) {
    const a = old[f] ?? null;
    const b = next[f] ?? null;
    if (a === b || (a !== null && b !== null && Number(a) === Number(b) && typeof b === 'number')) continue;
    (changes ??= {})[f] = b;
    detail[f] = [a, b];
  }
  return changes ? { changes, detail } : null;
}
