/**
 * Unpacks an uploaded .zip of a CSV snapshot folder. Only the exchange-format table files are
 * taken, by their base name (a zip made of a folder nests them); paths inside the archive are
 * never used as paths here, and an entry whose path leaves the archive (absolute, or with ..)
 * refuses it.
 *
 * Bounded while it inflates: a 1 MB archive once wrote 1 GB. The bytes are counted as they come
 * out (per entry and in all, against the limits; yauzl also stops an entry at the size its headers
 * declare), and an entry that comes out far larger than it went in (more than `maxRatio` times,
 * once past `ratioFrom`) is refused as a compression bomb: CSV text compresses 4-10 times, a bomb
 * a thousand. The workbook reader (sources.ts) takes the same budget for an .xlsx, also a zip.
 */
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { TABLES } from '@tingjian/engine';
import { AppError } from '../../errors.ts';

const WANTED = new Set(TABLES.map((t) => `${t}.csv`));

export interface ZipLimits {
  /** Bytes one entry may inflate to. */
  readonly maxEntryBytes: number;
  /** Bytes all entries read may inflate to together. */
  readonly maxTotalBytes: number;
  /** Inflated / compressed size an entry may reach ... */
  readonly maxRatio: number;
  /** ... once it has inflated to this many bytes (a small file of repeated text may compress better). */
  readonly ratioFrom: number;
  /** Entries the archive may list (a snapshot has five tables). */
  readonly maxEntries: number;
}

export const ZIP_LIMITS: ZipLimits = {
  maxEntryBytes: 512 << 20,
  maxTotalBytes: 1 << 30,
  maxRatio: 100,
  ratioFrom: 1 << 20,
  maxEntries: 64,
};

/** Limits given in part over defaults (a key given as undefined keeps its default). */
export function withDefaults<T extends object>(defaults: T, given: Partial<T>): T {
  const out = { ...defaults };
  for (const [k, v] of Object.entries(given)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}

/** "512 MiB", "1 GiB". */
export function bytesText(bytes: number): string {
  for (const [unit, size] of [
    ['GiB', 1 << 30],
    ['MiB', 1 << 20],
    ['KiB', 1 << 10],
  ] as const) {
    if (bytes >= size && bytes % size === 0) return `${bytes / size} ${unit}`;
  }
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MiB` : `${bytes} 字节`;
}

function badFile(message: string): AppError {
  return new AppError('TJ_IMPORT_BAD_FILE', message);
}

/** What an archive is to the person who sent it. */
export type ArchiveKind = '.zip 文件' | '.xlsx 工作簿';

/** yauzl's messages, in the words of the archive and its entry. */
function zipProblem(archive: string, err: Error, kind: ArchiveKind = '.zip 文件'): AppError {
  if (err instanceof AppError) return err;
  const m = /^(absolute path|invalid relative path|invalid characters in fileName): (.*)$/s.exec(err.message);
  if (m) return badFile(`${archive} 中的条目 ${m[2]} 的路径指向压缩包之外（绝对路径或 ..）或含有非法字符，文件未导入`);
  return badFile(`${archive} 不是可读取的 ${kind}，或已损坏（可能没有上传完整）：${err.message}`);
}

/** Opens an archive for reading entry by entry, refusing one that lists too many entries. */
export async function openZip(
  path: string,
  archive: string,
  limits: ZipLimits,
  kind: ArchiveKind = '.zip 文件',
): Promise<yauzl.ZipFile> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(path, { lazyEntries: true, autoClose: false }, (err, z) =>
      err || !z ? reject(zipProblem(archive, err ?? new Error(''), kind)) : resolve(z),
    ),
  );
  if (zip.entryCount > limits.maxEntries) {
    zip.close();
    throw badFile(`${archive} 有 ${zip.entryCount} 个条目，至多 ${limits.maxEntries} 个：请只打包快照的 CSV 文件`);
  }
  return zip;
}

/** Every entry of an archive, in order, or the archive's problem. */
export async function* zipEntries(
  zip: yauzl.ZipFile,
  archive: string,
  kind: ArchiveKind = '.zip 文件',
): AsyncGenerator<yauzl.Entry> {
  let failure: AppError | null = null;
  let ended = false;
  const queue: yauzl.Entry[] = [];
  let wake: (() => void) | null = null;
  const poke = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  zip.on('entry', (e: yauzl.Entry) => {
    queue.push(e);
    poke();
  });
  zip.on('end', () => {
    ended = true;
    poke();
  });
  zip.on('error', (err: Error) => {
    failure ??= zipProblem(archive, err, kind);
    poke();
  });
  for (;;) {
    zip.readEntry();
    while (queue.length === 0 && !ended && !failure)
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    if (failure) throw failure;
    const entry = queue.shift();
    if (!entry) return;
    yield entry;
  }
}

/** The bytes inflated from an archive so far, against its limits. */
export class InflateBudget {
  private total = 0;
  /** Entries counted in the total already: a workbook's sheet read again is the same bytes. */
  private readonly counted = new Set<string>();
  constructor(
    private readonly archive: string,
    private readonly limits: ZipLimits,
    private readonly kind: ArchiveKind = '.zip 文件',
  ) {}

  /** Refuses an entry whose declared size is already over a limit, before inflating any of it. */
  private declared(entry: yauzl.Entry, again: boolean): void {
    if (entry.uncompressedSize > this.limits.maxEntryBytes) throw this.entryTooLarge(entry.fileName);
    if (!again && this.total + entry.uncompressedSize > this.limits.maxTotalBytes)
      throw this.totalTooLarge(entry.fileName);
  }

  private entryTooLarge(name: string): AppError {
    return badFile(
      `${this.archive} 中的 ${name} 解压后超过 ${bytesText(this.limits.maxEntryBytes)}（单个文件的上限），文件未导入：请分成几个快照分批导入`,
    );
  }

  private totalTooLarge(name: string): AppError {
    return badFile(
      `${this.archive} 解压到 ${name} 时合计超过 ${bytesText(this.limits.maxTotalBytes)}（整个压缩包的上限），文件未导入：请分成几个快照分批导入`,
    );
  }

  /** A stream of the entry's inflated bytes that fails, with the entry's name and the limit, once one is passed. */
  async open(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
    const again = this.counted.has(entry.fileName);
    this.counted.add(entry.fileName);
    this.declared(entry, again);
    const raw = await new Promise<Readable>((resolve, reject) =>
      zip.openReadStream(entry, (err, s) =>
        err || !s ? reject(zipProblem(this.archive, err ?? new Error(entry.fileName), this.kind)) : resolve(s),
      ),
    );
    const { maxEntryBytes, maxTotalBytes, maxRatio, ratioFrom } = this.limits;
    const compressed = Math.max(entry.compressedSize, 1);
    let bytes = 0;
    const budget = this; // eslint-disable-line @typescript-eslint/no-this-alias
    const meter = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
        bytes += chunk.length;
        if (!again) budget.total += chunk.length;
        if (bytes > maxEntryBytes) return callback(budget.entryTooLarge(entry.fileName));
        if (budget.total > maxTotalBytes) return callback(budget.totalTooLarge(entry.fileName));
        if (bytes > ratioFrom && bytes > maxRatio * compressed) {
          return callback(
            badFile(
              `${budget.archive} 中的 ${entry.fileName} 解压后超过其压缩大小的 ${maxRatio} 倍（压缩比异常，疑似“压缩炸弹”），文件未导入`,
            ),
          );
        }
        callback(null, chunk);
      },
    });
    raw.on('error', (err: Error) => {
      meter.destroy(
        /(too many|not enough) bytes in the stream/.test(err.message)
          ? badFile(
              `${this.archive} 中的 ${entry.fileName} 解压后的大小与压缩包中声明的不符（文件损坏或被改动），文件未导入`,
            )
          : zipProblem(this.archive, err, this.kind),
      );
    });
    meter.on('close', () => raw.destroy());
    return raw.pipe(meter);
  }
}

export async function unzipSnapshot(
  zipPath: string,
  targetDir: string,
  limits: Partial<ZipLimits> = {},
  archive = basename(zipPath),
): Promise<string> {
  const bounds = withDefaults(ZIP_LIMITS, limits);
  mkdirSync(targetDir, { recursive: true });
  const zip = await openZip(zipPath, archive, bounds);
  const budget = new InflateBudget(archive, bounds);
  const found = new Map<string, string>();
  try {
    for await (const entry of zipEntries(zip, archive)) {
      const name = basename(entry.fileName);
      if (entry.fileName.endsWith('/') || !WANTED.has(name) || entry.fileName.includes('__MACOSX')) continue;
      const first = found.get(name);
      if (first !== undefined)
        throw badFile(
          `${archive} 中有两个 ${name}（${first} 和 ${entry.fileName}），无法确定导入哪一个：请只打包一个快照`,
        );
      found.set(name, entry.fileName);
      const path = join(targetDir, name);
      try {
        await pipeline(await budget.open(zip, entry), createWriteStream(path));
      } catch (err) {
        rmSync(path, { force: true });
        throw err instanceof AppError ? err : zipProblem(archive, err as Error);
      }
    }
  } finally {
    zip.close();
  }
  if (found.size === 0) throw badFile(`${archive} 中没有交换格式的表（${[...WANTED].join('、')}）`);
  return targetDir;
}
