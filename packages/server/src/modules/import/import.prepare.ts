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
import { COLUMNS, isNumericColumn, nameSearchKeys, recordCheck, type NameKeys, type TableName } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import { idHalves, PairTable } from './pair-table.ts';
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
  Object.values(COLUMNS).flatMap((cols) => cols.filter(([, t]) => isNumericColumn(t)).map(([c]) => c)),
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

/**
 * The search keys of a name, never empty. The engine reads Han characters and keeps ASCII letters
 * and digits, so a name of 𠮷 (outside the BMP), a middle dot, full-width letters or an emoji alone
 * reads as '' — and '' is stored as NULL, which the key columns refuse (a raw SQL error ended the
 * whole import). Such a name is keyed by its NFKC form in lower case (Ａｌｉ → ali), else by itself.
 */
export function searchKeys(name: string): NameKeys {
  const keys = nameSearchKeys(name);
  if (keys.pinyin !== '' && keys.initials !== '') return keys;
  const folded = name.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
  const pinyin = keys.pinyin || folded.replace(/[^a-z0-9]/g, '') || folded || name;
  const first = [...pinyin][0] ?? pinyin;
  return { pinyin, initials: keys.initials || first };
}

/** The values of a batch as one array (count × PREPARED_COLUMNS). */
export function batchValues(batch: PreparedBatch): string[] {
  if (typeof batch.values !== 'string') return batch.values;
  return batch.count === 0 ? [] : batch.values.split(FIELD);
}

/** Two independent 32-bit hashes (FNV-1a and a multiplicative one) of values[from, to) with separators. */
function hashValues(values: readonly string[], from: number, to: number): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (let k = from; k < to; k++) {
    const v = values[k]!;
    for (let i = 0; i < v.length; i++) {
      const c = v.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
    }
    a = Math.imul(a ^ 0x1f, 0x01000193);
    b = Math.imul(b ^ 0x1f, 0x5bd1e995) ^ (b >>> 15);
  }
  return [a, b];
}

interface Suspect {
  readonly line: number;
  readonly firstLine: number;
  readonly values: string[];
}

/**
 * Reads, checks and encodes one table; the first batch carries the header's problems. `hash` is
 * the whole-row hash (a test passes one that collides to exercise the confirmation of suspects).
 */
export async function* prepareTable(
  table: TableName,
  reader: TableReader,
  hash: typeof hashValues = hashValues,
): AsyncGenerator<PreparedBatch> {
  const header = await reader.columns();
  // A table without all its columns is the wrong file (or a cut one): read on, its rows would
  // store every missing column as empty over what is stored. Refused before a row is read.
  const missing = COLUMNS[table].map(([c]) => c).filter((c) => !header.includes(c));
  if (missing.length > 0) {
    throw new AppError(
      'TJ_IMPORT_BAD_FILE',
      `${reader.file} 的表头缺少 ${missing.length} 列：${missing.join('、')}，文件未导入。请按交换格式的列名填写表头（导入页可下载模板）`,
    );
  }
  yield { values: '', count: 0, lines: [], rejected: [], rejectedPeople: [], read: 0, done: reader.done() };
  const check = recordCheck(table, header);
  /** Free-text columns: the only values that can hold FIELD (the others are codes, numbers, dates, id numbers). */
  const freeText = COLUMNS[table].flatMap(([, t], c) => (t.kind === 'text' ? [c] : []));
  // The key is the first column of households and residents (COLUMNS); the others are whole-row tables.
  const keyColumn = table === 'households' ? 'household_id' : table === 'residents' ? 'id_number' : '';
  const wholeRow = keyColumn === '';
  const residents = table === 'residents';
  const idAt = header.indexOf('id_number');
  const NAME = COLUMNS.residents.findIndex(([c]) => c === 'name');
  /** Households: key → line of its first row. */
  const seen = new Map<string, number>();
  /**
   * The line of each row so far, by its id number (residents, exact: idHalves) or by a 64-bit hash
   * of its values (whole-row tables). A hash met again only makes the row a suspect; suspects are
   * confirmed against the text of the earlier row (confirmRepeats), so the report stays exact.
   */
  const lineOf = new PairTable();
  const suspects: Suspect[] = [];
  for await (const sources of reader.rows()) {
    const values: string[] = [];
    const lines: number[] = [];
    const rejected: RejectedCell[] = [];
    const rejectedPeople: string[] = [];
    let separatorInside = false;
    for (const src of sources) {
      const start = values.length;
      const problems = src.problem ? [{ column: '', reason: src.problem }] : check(src.values, values);
      if (problems) {
        values.length = start;
        for (const p of problems)
          rejected.push({ file: reader.file, line: src.line, column: p.column, reason: p.reason });
        const id = residents && idAt >= 0 ? (src.values[idAt] ?? '').trim() : '';
        if (id) rejectedPeople.push(id);
        continue;
      }
      for (const c of freeText) if (values[start + c]!.includes(FIELD)) separatorInside = true;
      if (wholeRow) {
        const [hi, lo] = hash(values, start, values.length);
        const firstLine = lineOf.putIfAbsent(hi, lo, src.line);
        if (firstLine !== 0) {
          suspects.push({ line: src.line, firstLine, values: values.slice(start) });
          values.length = start;
          continue;
        }
      } else {
        const key = values[start]!;
        let first: number | undefined;
        if (residents) {
          const [hi, lo] = idHalves(key); // a valid id number: it passed the check
          first = lineOf.putIfAbsent(hi, lo, src.line) || undefined;
        } else {
          first = seen.get(key);
          if (first === undefined) seen.set(key, src.line);
        }
        if (first !== undefined) {
          values.length = start;
          rejected.push({
            file: reader.file,
            line: src.line,
            column: keyColumn,
            reason: `${keyColumn}在本快照中重复（首次出现在第 ${first} 行）`,
          });
          continue;
        }
      }
      if (residents) {
        const keys = searchKeys(values[start + NAME]!);
        values.push(keys.pinyin, keys.initials, '');
      }
      lines.push(src.line);
    }
    yield {
      values: separatorInside ? values : values.join(FIELD),
      count: lines.length,
      lines,
      rejected,
      rejectedPeople,
      read: sources.length,
      done: reader.done(),
    };
  }
  if (suspects.length > 0) yield await confirmRepeats(table, reader, suspects);
}

/**
 * Decides the suspects of a whole-row table: each is compared, as text, with the earlier row whose
 * hash it met (read again from the source) and with the suspects before it. A true repeat is
 * rejected naming the line of its first occurrence; a row that only shared a hash is accepted.
 */
async function confirmRepeats(
  table: TableName,
  reader: TableReader,
  suspects: readonly Suspect[],
): Promise<PreparedBatch> {
  const wanted = new Set(suspects.map((s) => s.firstLine));
  const textOf = new Map<number, string>();
  const check = recordCheck(table, await reader.columns());
  for await (const sources of reader.rows()) {
    for (const src of sources) {
      if (!wanted.has(src.line) || src.problem) continue;
      const values: string[] = [];
      if (!check(src.values, values)) textOf.set(src.line, values.join(FIELD));
    }
  }
  const accepted = new Map<string, number>();
  const values: string[] = [];
  const lines: number[] = [];
  const rejected: RejectedCell[] = [];
  for (const s of suspects) {
    const text = s.values.join(FIELD);
    const first = textOf.get(s.firstLine) === text ? s.firstLine : accepted.get(text);
    if (first !== undefined) {
      rejected.push({
        file: reader.file,
        line: s.line,
        column: '',
        reason: `整行在本快照中重复（首次出现在第 ${first} 行）`,
      });
    } else {
      accepted.set(text, s.line);
      values.push(...s.values);
      lines.push(s.line);
    }
  }
  return { values, count: lines.length, lines, rejected, rejectedPeople: [], read: 0, done: reader.done() };
}
