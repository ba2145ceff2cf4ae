/**
 * The upload's .zip is bounded: the bytes written are counted while they inflate (the sizes in
 * the archive's headers are the sender's word), per entry and in all; an entry that inflates far
 * beyond its compressed size, a path out of the archive, too many entries or two files of one
 * table refuse the archive with the entry's name and the limit.
 */
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { unzipSnapshot, type ZipLimits } from './unzip.ts';
import { writeFileSync } from 'node:fs';

async function zipOf(entries: Array<[string, Buffer | string]>, compress = true): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries)
    zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name, { compress });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const c of zip.outputStream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** Pseudo-random bytes (incompressible) from a fixed seed. */
function noise(bytes: number, seed = 7): Buffer {
  const out = Buffer.alloc(bytes);
  let x = seed;
  for (let i = 0; i < bytes; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function written(dir: string): number {
  try {
    return readdirSync(dir).reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  } catch {
    return 0;
  }
}

async function unzip(data: Buffer, limits?: Partial<ZipLimits>) {
  const dir = mkdtempSync(join(tmpdir(), 'tj-zip-'));
  const path = join(dir, 'upload.zip');
  writeFileSync(path, data);
  const target = join(dir, 'snapshot');
  const result = await unzipSnapshot(path, target, limits).then(
    () => null,
    (e: unknown) => e,
  );
  return { error: result as AppError | null, target };
}

function expectRefused(error: AppError | null, pattern: RegExp): void {
  expect(error).toBeInstanceOf(AppError);
  expect(error!.code).toBe('TJ_IMPORT_BAD_FILE');
  expect(error!.message).toMatch(pattern);
}

const HEADER = 'id_number,tag\n';

describe('unzipping an uploaded snapshot', () => {
  it('refuses a zip bomb while it inflates, having written little', async () => {
    const bomb = await zipOf([['snap/residents.csv', Buffer.alloc(64 << 20)]]);
    expect(bomb.length).toBeLessThan(200_000);
    const { error, target } = await unzip(bomb);
    expectRefused(error, /residents\.csv.*压缩比/);
    expect(written(target)).toBeLessThan(16 << 20);
  });

  it('stops an entry that inflates to more than its headers declare, having written little', async () => {
    const data = Buffer.from(HEADER + noise(3 << 20).toString('base64'));
    const zip = await zipOf([['identity_tags.csv', data]]);
    // Both headers (local and central) declare 100 bytes uncompressed.
    for (const [signature, at] of [
      [0x04034b50, 22],
      [0x02014b50, 24],
    ] as const) {
      const sig = Buffer.alloc(4);
      sig.writeUInt32LE(signature);
      const p = zip.indexOf(sig);
      zip.writeUInt32LE(100, p + at);
    }
    const { error, target } = await unzip(zip, { maxEntryBytes: 1 << 20 });
    expectRefused(error, /identity_tags\.csv.*声明/);
    expect(written(target)).toBeLessThanOrEqual(1 << 16);
  });

  it('bounds each entry and the whole archive', async () => {
    const table = (n: number) => Buffer.from(HEADER + noise(n).toString('base64'));
    const one = await unzip(await zipOf([['identity_tags.csv', table(3 << 20)]]), { maxEntryBytes: 2 << 20 });
    expectRefused(one.error, /identity_tags\.csv.*2 MiB/);
    const all = await unzip(
      await zipOf([
        ['identity_tags.csv', table(1 << 20)],
        ['enrollments.csv', table(1 << 20)],
      ]),
      { maxEntryBytes: 2 << 20, maxTotalBytes: 2 << 20 },
    );
    expectRefused(all.error, /enrollments\.csv.*合计.*2 MiB/);
    const fine = await unzip(await zipOf([['identity_tags.csv', table(1 << 20)]]), { maxEntryBytes: 2 << 20 });
    expect(fine.error).toBeNull();
  });

  it('refuses too many entries, paths out of the archive and a table given twice', async () => {
    const many = await unzip(
      await zipOf(Array.from({ length: 100 }, (_, i) => [`notes/${i}.txt`, 'x'] as [string, string])),
    );
    expectRefused(many.error, /100 个条目.*64/);
    // yazl refuses to write such names: write a harmless one and change its bytes.
    const traversal = await zipOf([['xx/residents.csv', HEADER]]);
    const at = traversal.indexOf('xx/residents.csv');
    for (let p = at; p !== -1; p = traversal.indexOf('xx/residents.csv', p + 1)) traversal.write('../residents.csv', p);
    expectRefused((await unzip(traversal)).error, /\.\.\/residents\.csv.*路径/);
    const twice = await unzip(
      await zipOf([
        ['a/residents.csv', HEADER],
        ['b/residents.csv', HEADER],
      ]),
    );
    expectRefused(twice.error, /两个 residents\.csv/);
  });

  it('refuses what is not a zip, and a truncated one, in Chinese', async () => {
    expectRefused((await unzip(Buffer.from('hello'))).error, /\.zip/);
    const whole = await zipOf([['identity_tags.csv', HEADER + '1,x\n'.repeat(10_000)]]);
    expectRefused((await unzip(whole.subarray(0, whole.length - 30))).error, /\.zip/);
  });
});
