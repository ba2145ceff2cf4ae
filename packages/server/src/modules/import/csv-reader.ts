/**
 * CSV files of a snapshot, streamed: records in batches (a batch per chunk read), with the line each
 * record starts on. Apart from sources.ts so that the import's worker thread (import.worker.ts)
 * loads the CSV reader without the workbook reader.
 */
import { createReadStream, statSync } from 'node:fs';
import Papa from 'papaparse';
import { AppError } from '../../errors.ts';
import type { SourceRow, TableReader } from './sources.ts';

/** The file behind a reader made by csvFileReader: such a table can be read in a worker thread. */
const csvPaths = new WeakMap<TableReader, string>();
export function csvPathOf(reader: TableReader): string | undefined {
  return csvPaths.get(reader);
}

/**
 * Streams the records of a CSV file as string arrays, a chunk at a time, with backpressure.
 * papaparse rather than csv-parse here: on a 112 MB residents.csv csv-parse took 6.4-11 s and
 * papaparse 2.0 s, and the import of a million residents has 30 s in all.
 */
async function* csvChunks(path: string, onBytes: (bytesRead: number) => void): AsyncGenerator<string[][]> {
  // Decoded by the stream (StringDecoder), so a character split between two chunks stays whole.
  const stream = createReadStream(path, { highWaterMark: 1 << 20, encoding: 'utf8' });
  // Progress from the bytes the stream has read (measuring the decoded text cost 0.6 s at a million).
  stream.on('data', () => onBytes(stream.bytesRead));
  const queue: string[][][] = [];
  let finished = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  let parser: Papa.Parser | null = null;
  let paused = false;
  Papa.parse(stream as unknown as File, {
    delimiter: ',', newline: '\n', quoteChar: '"', header: false, skipEmptyLines: false,
    chunk(results: Papa.ParseResult<string[]>, p: Papa.Parser) {
      parser = p;
      queue.push(results.data);
      if (queue.length >= 4 && !paused) { p.pause(); paused = true; }
      wake?.();
    },
    complete() { finished = true; wake?.(); },
    error(err: Error) { failure = err; wake?.(); },
  });
  try {
    for (;;) {
      const next = queue.shift();
      if (next) {
        if (paused && queue.length < 2) { paused = false; (parser as Papa.Parser | null)?.resume(); }
        yield next;
        continue;
      }
      if (failure) throw failure;
      if (finished) return;
      await new Promise<void>((resolve) => { wake = resolve; });
      wake = null;
    }
  } finally {
    // A reader that stops early (the header only) must not leave the file streaming.
    if (!finished) (parser as Papa.Parser | null)?.abort();
    stream.destroy();
  }
}

export function csvFileReader(path: string, file: string): TableReader {
  let bytes = 0;
  let header: string[] | null = null;
  const readHeader = async () => {
    if (header) return header;
    for await (const _ of rowsOf(true)) break;
    return header ?? [];
  };
  async function* rowsOf(headerOnly = false): AsyncIterable<SourceRow[]> {
    let line = 0;
    let cols: string[] | null = null;
    try {
      for await (const chunk of csvChunks(path, (n) => { bytes = n; })) {
        const batch: SourceRow[] = [];
        for (const record of chunk) {
          const start = line + 1;
          // The line of the record's start; a quoted field may hold line breaks.
          let newlines = 0;
          for (const v of record) for (let i = v.indexOf('\n'); i !== -1; i = v.indexOf('\n', i + 1)) newlines++;
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
          batch.push(record.length === cols.length ? { line: start, values: record } : { line: start, values: record, problem: `有 ${record.length} 个字段，表头有 ${cols.length} 列` });
        }
        if (batch.length > 0) yield batch;
      }
    } catch (err) {
      throw new AppError('TJ_IMPORT_BAD_FILE', `${file} 第 ${line} 行附近无法解析为 CSV：${(err as Error).message}`);
    }
  }
  const reader: TableReader = { file, columns: readHeader, rows: () => rowsOf(false), total: statSync(path).size, done: () => bytes };
  csvPaths.set(reader, path);
  return reader;
}
