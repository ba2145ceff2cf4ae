/**
 * CSV files of a snapshot, streamed: records in batches (a batch per chunk read), with the line each
 * record starts on. Apart from sources.ts so that the import's worker thread (import.worker.ts)
 * loads the CSV reader without the workbook reader.
 *
 * Bounded: a field longer than `maxFieldChars` or a line longer than `maxLineChars` refuses the
 * file while it streams (papaparse keeps an unfinished record whole, so a 100 MB quoted field would
 * otherwise sit in memory before any check saw it), and so does a table of more than `maxRows`
 * records. The bytes are decoded strictly: UTF-8 (a BOM is fine), or GB18030 when the file's first
 * non-ASCII bytes are not UTF-8 but are GB18030 (GBK files from Excel); anything else is refused
 * naming the encoding, instead of being stored as U+FFFD.
 */
import { isAscii } from 'node:buffer';
import { createReadStream, statSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import Papa from 'papaparse';
import { AppError } from '../../errors.ts';
import type { SourceRow, TableReader } from './sources.ts';

export interface CsvLimits {
  /** Records of a table, the header not counted. */
  readonly maxRows: number;
  /** Characters of one field. */
  readonly maxFieldChars: number;
  /** Characters between two line breaks outside a quoted field. */
  readonly maxLineChars: number;
}

/** 5,000,000 rows: five times the district's residents; a table past it is a mistake or an attack. */
export const CSV_LIMITS: CsvLimits = { maxRows: 5_000_000, maxFieldChars: 64 * 1024, maxLineChars: 1024 * 1024 };

export type TextEncoding = 'utf-8' | 'gb18030';

const ENCODING_NAMES: Record<TextEncoding, string> = { 'utf-8': 'UTF-8', gb18030: 'GB18030（GBK）' };

/** "64 KiB", "1 MiB": limits as a person reads them. */
export function sizeText(chars: number): string {
  if (chars >= 1 << 20 && chars % (1 << 20) === 0) return `${chars / (1 << 20)} MiB`;
  if (chars >= 1 << 10 && chars % (1 << 10) === 0) return `${chars / (1 << 10)} KiB`;
  return `${chars} 个字符`;
}

function badFile(message: string): AppError {
  return new AppError('TJ_IMPORT_BAD_FILE', message);
}

/** The reader's spec, for a worker thread that reads the same file (import.threads.ts). */
export interface CsvSpec {
  readonly path: string;
  readonly limits: CsvLimits;
}
const csvSpecs = new WeakMap<TableReader, CsvSpec>();
export function csvSpecOf(reader: TableReader): CsvSpec | undefined {
  return csvSpecs.get(reader);
}
/** The file behind a reader made by csvFileReader: such a table can be read in a worker thread. */
export function csvPathOf(reader: TableReader): string | undefined {
  return csvSpecs.get(reader)?.path;
}

/**
 * The encoding of a file, from its first bytes that are not ASCII (in both encodings ASCII is
 * itself): UTF-8 when they decode as UTF-8, else GB18030 when they decode as that. A file of
 * ASCII alone is UTF-8. Reads until those bytes: for most files the first chunk.
 */
export async function sniffEncoding(path: string, file: string): Promise<TextEncoding> {
  const stream = createReadStream(path, { highWaterMark: 64 * 1024 });
  try {
    let first = true;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (first) {
        first = false;
        if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) return 'utf-8';
        if ((chunk[0] === 0xff && chunk[1] === 0xfe) || (chunk[0] === 0xfe && chunk[1] === 0xff)) {
          throw badFile(
            `${file} 是 UTF-16 编码，只接受 UTF-8（或 GB18030/GBK）：请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新导入`,
          );
        }
      }
      if (isAscii(chunk)) continue;
      // The chunk starts where ASCII ended, so on a character boundary; its end may cut one (stream: true).
      for (const encoding of ['utf-8', 'gb18030'] as const) {
        try {
          new TextDecoder(encoding, { fatal: true }).decode(chunk, { stream: true });
          return encoding;
        } catch {
          // not this one
        }
      }
      throw badFile(
        `${file} 的编码无法识别：既不是 UTF-8，也不是 GB18030（GBK）。请另存为 UTF-8 编码的 CSV 后重新导入`,
      );
    }
    return 'utf-8';
  } finally {
    stream.destroy();
  }
}

/** White space other than the line break, as papaparse skips it between a closing quote and a delimiter (String.trim's). */
function isBlank(c: number): boolean {
  return c !== 10 && /\s/.test(String.fromCharCode(c));
}

/**
 * Field and line lengths of CSV text as it streams, found with indexOf (quotes are rare, line
 * breaks one per record) rather than a loop over every character. Quotes are read as papaparse
 * reads them: a quote opens a quoted field only at a field's start; inside one, `""` is a quote,
 * and a quote closes the field only when white space and then a delimiter or a line break follow
 * it (`"abc"x` leaves the field open, to the end of the file if no such quote comes).
 */
class CsvGuard {
  /** The line the text so far ends on. */
  line = 1;
  private offset = 0;
  private lineStart = 0;
  /** Where the open quoted field began (absolute), or -1; and its line. */
  private quoted = -1;
  private quotedLine = 0;
  /**
   * A quote inside the quoted field was followed by nothing but white space to the end of the
   * last chunk: how much white space (-1: no such quote). This chunk decides whether it closed.
   */
  private pendingClose = -1;
  /** The character before this chunk: a field starts after `,` or a line break. */
  private prev = 10;

  constructor(
    private readonly file: string,
    private readonly limits: CsvLimits,
  ) {}

  fieldTooLong(line: number): AppError {
    return badFile(
      `${this.file} 第 ${line} 行有一个字段超过 ${sizeText(this.limits.maxFieldChars)}，文件未导入：请检查引号是否成对、字段是否错位`,
    );
  }

  /**
   * After a quote inside the quoted field, from `j` on: whether it closed the field (white space,
   * then `,` or a line break), left it open, or cannot tell before the chunk ends (null).
   */
  private closes(text: string, j: number): boolean | null {
    let k = j;
    while (k < text.length && isBlank(text.charCodeAt(k))) k++;
    if (k === text.length) return null;
    const c = text.charCodeAt(k);
    return c === 44 || c === 10;
  }

  /** Scans the next text; returns the problem that refuses the file, or null. */
  scan(text: string): AppError | null {
    const { maxFieldChars, maxLineChars } = this.limits;
    let from = 0;
    if (this.pendingClose >= 0) {
      if (this.pendingClose === 0 && text.charCodeAt(0) === 34) {
        from = 1; // "" across the chunks: still inside
        this.pendingClose = -1;
      } else {
        const closed = this.closes(text, 0);
        if (closed === null) {
          this.pendingClose += text.length;
          from = text.length;
        } else {
          if (closed) this.quoted = -1;
          this.pendingClose = -1;
        }
      }
    }
    let q = text.indexOf('"', from);
    let n = text.indexOf('\n', from);
    while (q >= 0 || n >= 0) {
      if (n >= 0 && (q < 0 || n < q)) {
        if (this.quoted < 0 && this.offset + n - this.lineStart > maxLineChars) return this.lineTooLong();
        this.line++;
        this.lineStart = this.offset + n + 1;
        n = text.indexOf('\n', n + 1);
        continue;
      }
      if (this.quoted >= 0) {
        if (this.offset + q - this.quoted > maxFieldChars) return this.fieldTooLong(this.quotedLine);
        if (text.charCodeAt(q + 1) === 34) {
          q = text.indexOf('"', q + 2); // an escaped quote
          continue;
        }
        const closed = this.closes(text, q + 1);
        if (closed === null) {
          this.pendingClose = text.length - q - 1;
          q = -1;
          continue;
        }
        if (closed) this.quoted = -1;
      } else {
        const before = q === 0 ? this.prev : text.charCodeAt(q - 1);
        if (before === 44 || before === 10 || before === 0xfeff) {
          this.quoted = this.offset + q;
          this.quotedLine = this.line;
        }
      }
      q = text.indexOf('"', q + 1);
    }
    this.offset += text.length;
    if (text.length > 0) this.prev = text.charCodeAt(text.length - 1);
    if (this.quoted >= 0) {
      if (this.offset - this.quoted > maxFieldChars) return this.fieldTooLong(this.quotedLine);
    } else if (this.offset - this.lineStart > maxLineChars) {
      return this.lineTooLong();
    }
    return null;
  }

  private lineTooLong(): AppError {
    return badFile(
      `${this.file} 第 ${this.line} 行超过 ${sizeText(this.limits.maxLineChars)}，文件未导入：请检查换行符和引号`,
    );
  }
}

/** Bytes → text in one encoding, strictly (a byte sequence that is not in it refuses the file), with the guard's checks. */
class CsvText extends Transform {
  private readonly decoder: InstanceType<typeof TextDecoder>;
  readonly guard: CsvGuard;

  constructor(
    private readonly file: string,
    private readonly encoding: TextEncoding,
    limits: CsvLimits,
  ) {
    super({ readableObjectMode: true });
    this.decoder = new TextDecoder(encoding, { fatal: true });
    this.guard = new CsvGuard(file, limits);
  }

  private invalid(): AppError {
    return badFile(
      `${this.file} 第 ${this.guard.line} 行附近不是有效的 ${ENCODING_NAMES[this.encoding]} 编码，文件未导入：请另存为 UTF-8 编码的 CSV 后重新导入`,
    );
  }

  private pass(text: string, callback: TransformCallback): void {
    const problem = this.guard.scan(text);
    if (problem) return callback(problem);
    if (text.length > 0) this.push(text);
    callback();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    let text: string;
    try {
      text = this.decoder.decode(chunk, { stream: true });
    } catch {
      return callback(this.invalid());
    }
    this.pass(text, callback);
  }

  override _flush(callback: TransformCallback): void {
    let text: string;
    try {
      text = this.decoder.decode();
    } catch {
      return callback(this.invalid());
    }
    this.pass(text, callback);
  }
}

/**
 * Streams the records of a CSV file as string arrays, a chunk at a time, with backpressure.
 * papaparse rather than csv-parse here: on a 112 MB residents.csv csv-parse took 6.4-11 s and
 * papaparse 2.0 s, and the import of a million residents has 30 s in all.
 */
async function* csvChunks(
  path: string,
  text: CsvText,
  onBytes: (bytesRead: number) => void,
): AsyncGenerator<string[][]> {
  const bytes = createReadStream(path, { highWaterMark: 1 << 20 });
  // Progress from the bytes the stream has read (measuring the decoded text cost 0.6 s at a million).
  bytes.on('data', () => onBytes(bytes.bytesRead));
  bytes.on('error', (err) => text.destroy(err));
  bytes.pipe(text);
  const queue: string[][][] = [];
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let parser: Papa.Parser | null = null;
  let paused = false;
  Papa.parse(text as unknown as File, {
    delimiter: ',',
    newline: '\n',
    quoteChar: '"',
    header: false,
    skipEmptyLines: false,
    chunk(results: Papa.ParseResult<string[]>, p: Papa.Parser) {
      parser = p;
      queue.push(results.data);
      if (queue.length >= 4 && !paused) {
        p.pause();
        paused = true;
      }
      wake?.();
    },
    complete() {
      finished = true;
      wake?.();
    },
    error(err: Error) {
      failure = err;
      wake?.();
    },
  });
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        if (paused && queue.length < 2) {
          paused = false;
          (parser as Papa.Parser | null)?.resume();
        }
        yield next;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = null;
    }
  } finally {
    // A reader that stops early (the header only) must not leave the file streaming.
    if (!finished) (parser as Papa.Parser | null)?.abort();
    bytes.destroy();
    text.destroy();
  }
}

export function csvFileReader(path: string, file: string, limits: Partial<CsvLimits> = {}): TableReader {
  const bounds: CsvLimits = {
    maxRows: limits.maxRows ?? CSV_LIMITS.maxRows,
    maxFieldChars: limits.maxFieldChars ?? CSV_LIMITS.maxFieldChars,
    maxLineChars: limits.maxLineChars ?? CSV_LIMITS.maxLineChars,
  };
  let bytes = 0;
  let header: string[] | null = null;
  let encoding: Promise<TextEncoding> | null = null;
  const encodingOf = () => (encoding ??= sniffEncoding(path, file));
  const readHeader = async () => {
    if (header) return header;
    for await (const _ of rowsOf(true)) break;
    return header ?? [];
  };
  async function* rowsOf(headerOnly = false): AsyncIterable<SourceRow[]> {
    const text = new CsvText(file, await encodingOf(), bounds);
    let line = 0;
    let records = 0;
    let cols: string[] | null = null;
    try {
      for await (const chunk of csvChunks(path, text, (n) => {
        bytes = n;
      })) {
        const batch: SourceRow[] = [];
        for (const record of chunk) {
          const start = line + 1;
          // The line of the record's start; a quoted field may hold line breaks.
          let newlines = 0;
          for (const v of record) {
            // An unquoted field within a line under maxLineChars can still be too long for one field.
            if (v.length > bounds.maxFieldChars) throw text.guard.fieldTooLong(start);
            for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) newlines++;
          }
          line += 1 + newlines;
          const last = record.length - 1;
          if (record[last]?.endsWith('\r')) record[last] = record[last]!.slice(0, -1); // \r\n line ends
          if (record.length === 1 && record[0] === '') continue; // an empty line
          if (!cols) {
            if (record[0]?.charCodeAt(0) === 0xfeff) record[0] = record[0].slice(1);
            cols = record.map((h) => h.trim());
            header = cols;
            if (headerOnly) return;
            continue;
          }
          if (++records > bounds.maxRows) {
            throw badFile(
              `${file} 超过每张表 ${bounds.maxRows.toLocaleString('en-US')} 行的上限，文件未导入：请分成几个快照分批导入`,
            );
          }
          batch.push(
            record.length === cols.length
              ? { line: start, values: record }
              : { line: start, values: record, problem: `有 ${record.length} 个字段，表头有 ${cols.length} 列` },
          );
        }
        if (batch.length > 0) yield batch;
      }
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw badFile(`${file} 第 ${line} 行附近无法解析为 CSV：${(err as Error).message}`);
    }
  }
  const reader: TableReader = {
    file,
    columns: readHeader,
    rows: () => rowsOf(false),
    total: statSync(path).size,
    done: () => bytes,
    encoding: encodingOf,
  };
  csvSpecs.set(reader, { path, limits: bounds });
  return reader;
}
