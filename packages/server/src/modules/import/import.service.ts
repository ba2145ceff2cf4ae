/**
 * Imports a snapshot of the exchange format (shared/spec/exchange-format.md) in one transaction:
 * either every valid row is stored, or — on a crash or a fatal error — nothing changes. Rows the
 * spec rejects are reported with file, line, column and reason and the rest still imports.
 * Upserts by key; unchanged rows are left alone; changed fields are recorded in change_log.
 */
import {
  COLUMNS, nameSearchKeys, validateRow, wholeRowKey,
  type HouseholdRow, type ResidentRow, type RowByTable, type TableName,
} from '@tingjian/engine';
import type { Insertable, Kysely } from 'kysely';
import type { ChangeLogTable, DB } from '../../db/schema.ts';
import type { Dialect } from '../../db/migrations.ts';
import { nowIso } from '../../clock.ts';
import { csvLine } from '../../csv.ts';
import { AppError } from '../../errors.ts';
import { AuditRepository } from '../audit/audit.repository.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import { ImportRepository, type EntityTable } from './import.repository.ts';
import type { SnapshotSource, TableReader } from './sources.ts';

export interface RejectedCell {
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly reason: string;
}

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
  /** One entry per problem; a row with two bad cells appears twice. Ordered by file, line. */
  readonly rejected: RejectedCell[];
  readonly rejectedRows: number;
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
}

const BATCH = 500;
/** More changed residents and households than this and the population is built anew (population.service PATCH_LIMIT). */
const TOUCH_LIMIT = 20_000;
const ENTITY: Record<TableName, EntityTable> = {
  households: 'household', residents: 'resident', relations: 'relation', enrollments: 'enrollment', identity_tags: 'identity_tag',
};
const HOUSEHOLD_FIELDS = COLUMNS.households.map(([c]) => c).filter((c) => c !== 'household_id');
const RESIDENT_FIELDS = [...COLUMNS.residents.map(([c]) => c).filter((c) => c !== 'id_number'), 'committee_code', 'name_pinyin', 'name_initials'];
const HOUSEHOLD_COLUMNS = ['household_id', ...HOUSEHOLD_FIELDS, 'created_at', 'created_run', 'updated_at'];
const RESIDENT_COLUMNS = ['id_number', ...RESIDENT_FIELDS, 'created_at', 'created_run', 'updated_at'];

type Row = Record<string, string | number | null>;

/** The rejection report: CSV with columns file,line,column,reason. */
export function reportCsv(rejected: readonly RejectedCell[]): string {
  return ['file,line,column,reason', ...rejected.map((r) => csvLine([r.file, r.line, r.column, r.reason]))].join('\n') + '\n';
}

export class ImportService {
  /** Moves on after every import that committed, so that caches of derived figures know. */
  dataVersion = 0;
  private readonly listeners: Array<(change: DataChange) => void> = [];

  /** Called after every import that committed (e.g. to recompute derived figures). */
  onChange(listener: (change: DataChange) => void): void {
    this.listeners.push(listener);
  }

  constructor(private readonly db: Kysely<DB>, private readonly org: OrgService, private readonly dialect: Dialect) {}

  async importSnapshot(scope: Scope, source: SnapshotSource, options: ImportOptions = {}): Promise<ImportSummary> {
    if (scope.role !== 'system' && scope.role !== 'district' && scope.role !== 'street') throw new AppError('TJ_FORBIDDEN', '只有区级和街镇工作人员可以导入数据');
    let touched: ImportRun['touched'] | undefined;
    const summary = await this.db.transaction().execute(async (trx) => {
      const run = new ImportRun(new ImportRepository(trx, this.dialect), this.org, scope, source, options);
      const result = await run.execute();
      touched = run.touched;
      await new AuditRepository(this.db).record(scope, 'import', `import_run:${result.runId}`, { source: source.name, tables: result.tables, rejectedRows: result.rejectedRows }, trx);
      return result;
    });
    this.dataVersion++;
    const t = touched!;
    const structural = (summary.tables.households?.inserted ?? 0) + (summary.tables.residents?.inserted ?? 0) > 0;
    const change: DataChange = { version: this.dataVersion, runId: summary.runId, structural, persons: t.persons, households: t.households };
    for (const l of this.listeners) l(change);
    return summary;
  }
}

/** One import: the state that links the tables (which households and people were accepted). */
class ImportRun {
  private readonly now = nowIso();
  private runId = 0;
  private readonly rejected: RejectedCell[] = [];
  private readonly tables: Partial<Record<TableName, TableCounts>> = {};
  /** household_id → committee_code of households accepted in this snapshot. */
  private readonly snapshotHouseholds = new Map<string, string>();
  private readonly acceptedPeople = new Set<string>();
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
    if (set.size > TOUCH_LIMIT || (this.tables.households?.inserted ?? 0) > 0 || (this.tables.residents?.inserted ?? 0) > 0) return;
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
    const t = this.source.tables;
    if (t.households) await this.bulk('households', () => this.processTable('households', t.households!, (b) => this.flushHouseholds(b)));
    if (t.residents) await this.bulk('residents', () => this.processTable('residents', t.residents!, (b) => this.flushResidents(b)));
    for (const table of ['relations', 'enrollments', 'identity_tags'] as const) {
      const reader = t[table];
      if (reader) await this.bulk(table, () => this.processTable(table, reader, (b) => this.flushPersonRows(table, b)));
    }
    await this.repo.insertChanges(this.changes);
    const changed = Object.values(this.tables).reduce((n, c) => n + c.inserted + c.updated, 0);
    if (changed > 10_000) await this.repo.analyze();
    await this.repo.useLargeCache(false);
    this.rejected.sort((a, b) => (a.file === b.file ? a.line - b.line : 0));
    const rejectedRows = new Set(this.rejected.map((r) => `${r.file}:${r.line}`)).size;
    const summary: ImportSummary = { runId: this.runId, source: this.source.name, tables: this.tables, rejected: this.rejected, rejectedRows };
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

  private reject(file: string, line: number, column: string, reason: string): void {
    this.rejected.push({ file, line, column, reason });
  }

  private async processTable<T extends TableName>(
    table: T,
    reader: TableReader,
    flush: (batch: Array<{ line: number; row: RowByTable[T]; key: string }>) => Promise<void>,
  ): Promise<void> {
    const counts: TableCounts = { read: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0 };
    this.tables[table] = counts;
    const header = await reader.columns();
    const missing = COLUMNS[table].map(([c]) => c).filter((c) => !header.includes(c));
    for (const c of missing) this.reject(reader.file, 1, c, '表头缺少此列');
    const seen = new Map<string, number>();
    let batch: Array<{ line: number; row: RowByTable[T]; key: string }> = [];
    const rejectedBefore = this.rejected.length;
    for await (const sources of reader.rows()) for (const src of sources) {
      counts.read++;
      if (src.problem) {
        this.reject(reader.file, src.line, '', src.problem);
        this.noteRejectedPerson(table, src.cells);
        continue;
      }
      const result = validateRow(table, src.cells);
      if (!result.ok) {
        for (const p of result.problems) this.reject(reader.file, src.line, p.column, p.reason);
        this.noteRejectedPerson(table, src.cells);
        continue;
      }
      const key = table === 'households' ? (result.row as HouseholdRow).household_id
        : table === 'residents' ? (result.row as ResidentRow).id_number
        : wholeRowKey(table as 'relations', result.row as RowByTable['relations']);
      const first = seen.get(key);
      if (first !== undefined) {
        const keyColumn = table === 'households' ? 'household_id' : table === 'residents' ? 'id_number' : '';
        this.reject(reader.file, src.line, keyColumn, `${keyColumn || '整行'}在本快照中重复（首次出现在第 ${first} 行）`);
        continue;
      }
      seen.set(key, src.line);
      batch.push({ line: src.line, row: result.row, key });
      if (batch.length >= BATCH) {
        await flush(batch);
        batch = [];
        this.options.onProgress?.({ file: reader.file, done: reader.done(), total: reader.total, rows: counts.read });
      }
    }
    await flush(batch);
    this.options.onProgress?.({ file: reader.file, done: reader.total, total: reader.total, rows: counts.read });
    counts.rejected = new Set(this.rejected.slice(rejectedBefore).map((r) => r.line)).size;
  }

  /** A resident row rejected for any reason takes the other tables' rows about that person with it. */
  private noteRejectedPerson(table: TableName, cells: Record<string, string>): void {
    if (table === 'residents' && cells.id_number) this.rejectedPeople.add(cells.id_number.trim());
  }

  private async flushHouseholds(batch: Array<{ line: number; row: HouseholdRow }>): Promise<void> {
    const file = 'households.csv';
    const accepted: HouseholdRow[] = [];
    for (const { line, row } of batch) {
      if (!this.org.isCommittee(row.committee_code)) {
        this.reject(file, line, 'committee_code', `未知的居委会代码 ${row.committee_code}`);
      } else if (!row.committee_code.startsWith(this.scope.orgCode)) {
        this.reject(file, line, 'committee_code', `居委会 ${row.committee_code} 不在您的辖区内`);
      } else {
        accepted.push(row);
        this.snapshotHouseholds.set(row.household_id, row.committee_code);
      }
    }
    const stored = this.emptyAtStart.has('household') ? new Map<string, Row>() : await this.repo.findByKeys('household', accepted.map((r) => r.household_id));
    const fresh: Row[] = [];
    const counts = this.tables.households!;
    for (const row of accepted) {
      const old = stored.get(row.household_id);
      if (!old) {
        fresh.push({ ...row, created_at: this.now, created_run: this.runId, updated_at: this.now });
        continue;
      }
      const diff = diffFields(HOUSEHOLD_FIELDS, old, row as unknown as Row);
      if (!diff) { counts.unchanged++; continue; }
      await this.repo.update('household', row.household_id, { ...diff.changes, updated_at: this.now });
      if ('committee_code' in diff.changes) await this.repo.moveHouseholdResidents(row.household_id, row.committee_code);
      this.touch('households', row.household_id);
      this.recordChange('household', row.household_id, null, diff.detail);
      counts.updated++;
    }
    counts.inserted += await this.insert('household', HOUSEHOLD_COLUMNS, fresh);
  }

  private async flushResidents(batch: Array<{ line: number; row: ResidentRow }>): Promise<void> {
    const file = 'residents.csv';
    const unknownHouseholds = [...new Set(batch.map((b) => b.row.household_id).filter((h) => !this.snapshotHouseholds.has(h)))];
    const storedHouseholds = this.emptyAtStart.has('household') ? new Map<string, Row>() : await this.repo.findByKeys('household', unknownHouseholds);
    const accepted: Row[] = [];
    for (const { line, row } of batch) {
      const committee = this.snapshotHouseholds.get(row.household_id) ?? (storedHouseholds.get(row.household_id)?.committee_code as string | undefined);
      if (committee === undefined) {
        this.reject(file, line, 'household_id', `家庭 ${row.household_id} 既不在本快照中，也未入库`);
        this.rejectedPeople.add(row.id_number);
      } else if (!committee.startsWith(this.scope.orgCode)) {
        this.reject(file, line, 'household_id', `家庭 ${row.household_id} 不在您的辖区内`);
        this.rejectedPeople.add(row.id_number);
      } else {
        const keys = nameSearchKeys(row.name);
        accepted.push({ ...(row as unknown as Row), committee_code: committee, name_pinyin: keys.pinyin, name_initials: keys.initials });
        this.acceptedPeople.add(row.id_number);
      }
    }
    const stored = this.emptyAtStart.has('resident') ? new Map<string, Row>() : await this.repo.findByKeys('resident', accepted.map((r) => r.id_number as string));
    const fresh: Row[] = [];
    const counts = this.tables.residents!;
    for (const row of accepted) {
      const id = row.id_number as string;
      const old = stored.get(id);
      if (!old) {
        fresh.push({ ...row, created_at: this.now, created_run: this.runId, updated_at: this.now });
        continue;
      }
      const diff = diffFields(RESIDENT_FIELDS, old, row);
      if (!diff) { counts.unchanged++; continue; }
      await this.repo.update('resident', id, { ...diff.changes, updated_at: this.now });
      this.touch('persons', id);
      this.recordChange('resident', id, id, diff.detail);
      counts.updated++;
    }
    counts.inserted += await this.insert('resident', RESIDENT_COLUMNS, fresh);
  }

  private async flushPersonRows(table: 'relations' | 'enrollments' | 'identity_tags', batch: Array<{ line: number; row: RowByTable['relations' | 'enrollments' | 'identity_tags']; key: string }>): Promise<void> {
    const file = `${table}.csv`;
    const toLookUp = [...new Set(batch.map((b) => b.row.id_number).filter((id) => !this.acceptedPeople.has(id) && !this.rejectedPeople.has(id)))];
    const storedPeople = this.emptyAtStart.has('resident') ? new Map<string, Row>() : await this.repo.findByKeys('resident', toLookUp);
    const fresh: Row[] = [];
    for (const { line, row, key } of batch) {
      const id = row.id_number;
      if (this.acceptedPeople.has(id)) {
        // accepted in this snapshot
      } else if (this.rejectedPeople.has(id)) {
        this.reject(file, line, 'id_number', `居民 ${id} 的记录在本快照中被拒绝`);
        continue;
      } else {
        const person = storedPeople.get(id);
        if (!person) {
          this.reject(file, line, 'id_number', `居民 ${id} 既不在本快照中，也未入库`);
          continue;
        }
        if (!String(person.committee_code).startsWith(this.scope.orgCode)) {
          this.reject(file, line, 'id_number', `居民 ${id} 不在您的辖区内`);
          continue;
        }
      }
      fresh.push({ ...(row as unknown as Row), row_key: key, created_at: this.now, created_run: this.runId });
    }
    const entity = ENTITY[table];
    const columns = ['row_key', ...COLUMNS[table].map(([c]) => c), 'created_at', 'created_run'];
    // Into a table that was empty, rows cannot conflict (repeats in the snapshot are rejected
    // above) and its unique index is being rebuilt: a plain insert.
    const inserted = await this.insert(entity, columns, fresh, !this.emptyAtStart.has(entity));
    // New rows change their people's facts (enrollments, identity tags, supporters). The count does
    // not say which rows of the batch were new, so the whole batch's people count as touched.
    if (inserted > 0) for (const r of fresh) this.touch('persons', String(r.id_number));
    const counts = this.tables[table]!;
    counts.inserted += inserted;
    counts.unchanged += fresh.length - inserted;
  }

  private async insert(table: EntityTable, columns: string[], rows: Row[], ignoreExisting = false): Promise<number> {
    return rows.length === 0 ? 0 : this.repo.insertMany(table, columns, rows, ignoreExisting);
  }

  private recordChange(entity: string, key: string, idNumber: string | null, detail: Record<string, [unknown, unknown]>): void {
    this.changes.push({
      at: this.now, actor: this.scope.username, source: `import:${this.runId}:${this.source.name}`,
      entity, entity_key: key, id_number: idNumber, action: 'update', detail: JSON.stringify(detail),
    });
  }
}

function diffFields(fields: readonly string[], old: Row, next: Row): { changes: Row; detail: Record<string, [unknown, unknown]> } | null {
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
