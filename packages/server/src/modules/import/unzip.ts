/**
 * Unpacks an uploaded .zip of a CSV snapshot folder. Only the exchange-format table files are
 * taken, by their base name (a zip made of a folder nests them); paths inside the archive are
 * never used as paths here, so an archive cannot write outside the target folder.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { TABLES } from '@tingjian/engine';
import { AppError } from '../../errors.ts';

const WANTED = new Set(TABLES.map((t) => `${t}.csv`));

export async function unzipSnapshot(zipPath: string, targetDir: string): Promise<string> {
  mkdirSync(targetDir, { recursive: true });
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
    yauzl.open(zipPath, { lazyEntries: true }, (err, z) => (err || !z ? reject(new AppError('TJ_IMPORT_BAD_FILE', `不是可读取的 .zip 文件：${err?.message ?? ''}`)) : resolve(z))));
  const found = new Set<string>();
  await new Promise<void>((resolve, reject) => {
    zip.on('error', (err: Error) => reject(new AppError('TJ_IMPORT_BAD_FILE', `.zip 文件损坏：${err.message}`)));
    zip.on('end', () => resolve());
    zip.on('entry', (entry: yauzl.Entry) => {
      const name = basename(entry.fileName);
      if (entry.fileName.endsWith('/') || !WANTED.has(name) || found.has(name) || entry.fileName.includes('__MACOSX')) {
        zip.readEntry();
        return;
      }
      found.add(name);
      zip.openReadStream(entry, (err, stream) => {
        if (err || !stream) return reject(new AppError('TJ_IMPORT_BAD_FILE', `无法读取 ${entry.fileName}`));
        pipeline(stream, createWriteStream(join(targetDir, name))).then(() => zip.readEntry(), reject);
      });
    });
    zip.readEntry();
  });
  zip.close();
  if (found.size === 0) throw new AppError('TJ_IMPORT_BAD_FILE', `.zip 中没有交换格式的表（${[...WANTED].join('、')}）`);
  return targetDir;
}
