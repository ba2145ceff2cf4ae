/**
 * The half of an import that needs one table's rows and nothing else: the header, the shape of
 * each record, the spec's checks of each cell (validateRow), keys repeated in the snapshot, and
 * the residents' name search keys. It touches no database, so for CSV files it runs in a worker
 * thread (import.worker.ts) on the second core while the main thread writes the previous batches;
 * other sources (workbooks, the demo's rows) run it in place. The rest — references between
 * tables, the caller's area, what is stored already — stays in import.service.ts.
 *
 * Accepted rows travel as text: each value as written (trimmed; '' for unknown, numbers in their
 * original digits, which the receiver turns into numbers exactly as validateRow does), all values
 * of a batch joined by FIELD into one string. A thread passes one string by a copy of its bytes,
 * where an array of a hundred thousand strings costs a structured clone of each.
 */
import { COLUMNS, nameSearchKeys, validateRow, type HouseholdRow, type ResidentRow, type TableName } from '@tingjian/engine';
import type { TableReader } from './sources.ts';

export const FIELD = '\u001f';

export interface RejectedCell {
  readonly file: string;
  readonly line: number;
  readonly column: string;
  readonly reason: string;
}

/**
 * The values of a prepared row, in this order: the table's columns, then for residents the search
 * keys and a place for the household's committee, which the main thread fills in.
 */
export const PREPARED_COLUMNS: Record<TableName, readonly string[]> = {
  households: COLUMNS.households.map(([c]) => c),
  residents: [...COLUMNS.residents.map(([c]) => c), 'name_pinyin', 'name_initials', 'committee_code'],
  relations: COLUMNS.relations.map(([c]) => c),
  enrollments: COLUMNS.enrollments.map(([c]) => c),
  identity_tags: COLUMNS.identity_tags.map(([c]) => c),
};

/** Columns whose values are numbers (validateRow's Number(text)). */
export const NUMERIC_COLUMNS: ReadonlySet<string> = new Set(
  Object.values(COLUMNS).flatMap((cols) => cols.filter(([, t]) => t.kind === 'decimal' || t.kind === 'integer-code').map(([c]) => c)),
);

export interface PreparedBatch {
  /** Accepted rows: count × PREPARED_COLUMNS values, joined by FIELD (or as an array when a value holds FIELD itself). */
  readonly values: string | string[];
  readonly count: number;
  /** The line of each accepted row. */
  readonly lines: number[];
  /** Problems found here, in line order. */
  readonly rejected: RejectedCell[];
  /** Residents (id numbers) whose row was rejected here: their other rows go with them. */
  readonly rejectedPeople: string[];
  /** Records read (accepted or not). */
  readonly read: number;
  /** Progress of the reader after this batch (reader.done()). */
  readonly done: number;
}

/** The values of a batch as one array (count × PREPARED_COLUMNS). */
export function batchValues(batch: PreparedBatch): string[] {
  if (typeof batch.values !== 'string') return batch.values;
  return batch.count === 0 ? [] : batch.values.split(FIELD);
}

/** Reads, checks and encodes one table; the first batch carries the header's problems. */
export async function* prepareTable(table: TableName, reader: TableReader): AsyncGenerator<PreparedBatch> {
  const header = await reader.columns();
  const headerProblems = COLUMNS[table].map(([c]) => c).filter((c) => !header.includes(c))
    .map((c): RejectedCell => ({ file: reader.file, line: 1, column: c, reason: '表头缺少此列' }));
  yield { values: '', count: 0, lines: [], rejected: headerProblems, rejectedPeople: [], read: 0, done: reader.done() };
  const columns = PREPARED_COLUMNS[table];
  const tableColumns = COLUMNS[table].length;
  const keyColumn = table === 'households' ? 'household_id' : table === 'residents' ? 'id_number' : '';
  /** Key → line of its first row. Whole-row tables: the row's values joined, as stored rows are compared. */
  const seen = new Map<string, number>();
  for await (const sources of reader.rows()) {
    const values: string[] = [];
    const lines: number[] = [];
    const rejected: RejectedCell[] = [];
    const rejectedPeople: string[] = [];
    let separatorInside = false;
    for (const src of sources) {
      if (src.problem) {
        rejected.push({ file: reader.file, line: src.line, column: '', reason: src.problem });
        if (table === 'residents' && src.cells.id_number) rejectedPeople.push(src.cells.id_number.trim());
        continue;
      }
      const result = validateRow(table, src.cells);
      if (!result.ok) {
        for (const p of result.problems) rejected.push({ file: reader.file, line: src.line, column: p.column, reason: p.reason });
        if (table === 'residents' && src.cells.id_number) rejectedPeople.push(src.cells.id_number.trim());
        continue;
      }
      const row = result.row as unknown as Record<string, string | number | null>;
      const start = values.length;
      for (let c = 0; c < tableColumns; c++) {
        const column = columns[c]!;
        const v = row[column];
        // A number goes as its trimmed text: the receiver's Number() gives validateRow's value.
        const text = v === null || v === undefined ? '' : typeof v === 'number' ? (src.cells[column] ?? '').trim() : v;
        if (text.includes(FIELD)) separatorInside = true;
        values.push(text);
      }
      const key = table === 'households' ? (row as unknown as HouseholdRow).household_id
        : table === 'residents' ? (row as unknown as ResidentRow).id_number
        : values.slice(start).join(FIELD);
      const first = seen.get(key);
      if (first !== undefined) {
        values.length = start;
        rejected.push({ file: reader.file, line: src.line, column: keyColumn, reason: `${keyColumn || '整行'}在本快照中重复（首次出现在第 ${first} 行）` });
        continue;
      }
      seen.set(key, src.line);
      if (table === 'residents') {
        const keys = nameSearchKeys((row as unknown as ResidentRow).name);
        values.push(keys.pinyin, keys.initials, '');
      }
      lines.push(src.line);
    }
    yield {
      values: separatorInside ? values : values.join(FIELD), count: lines.length, lines, rejected, rejectedPeople, read: sources.length, done: reader.done(),
    };
  }
}
