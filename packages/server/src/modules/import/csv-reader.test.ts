/**
 * The CSV reader's bounds and encodings: a field too long is refused before it is buffered whole,
 * a table past the row limit is refused, a GB18030 (GBK) file is read as such, bytes that are
 * neither UTF-8 nor GB18030 are refused naming the encoding.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import { csvFileReader, type CsvLimits } from './csv-reader.ts';

function file(content: string | Buffer, name = 'identity_tags.csv'): string {
  const path = join(mkdtempSync(join(tmpdir(), 'tj-csv-')), name);
  writeFileSync(path, content);
  return path;
}

async function read(path: string, limits?: Partial<CsvLimits>) {
  const reader = csvFileReader(path, 'identity_tags.csv', limits);
  const rows = [];
  for await (const batch of reader.rows()) rows.push(...batch);
  return { reader, rows, columns: await reader.columns() };
}

async function refusal(path: string, limits?: Partial<CsvLimits>): Promise<AppError> {
  const err = await read(path, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe('TJ_IMPORT_BAD_FILE');
  return err as AppError;
}

/** GB18030 bytes of a text (Node can decode it but not encode it: ASCII passes through, the rest from a table). */
const GB: Record<string, number[]> = {
  张: [0xd5, 0xc5],
  伟: [0xce, 0xb0],
  志: [0xd6, 0xbe],
  愿: [0xd4, 0xb8],
  者: [0xd5, 0xdf],
};
function gb18030(text: string): Buffer {
  return Buffer.from([...text].flatMap((ch) => GB[ch] ?? [...Buffer.from(ch, 'latin1')]));
}

describe('CSV reader bounds', () => {
  it('refuses a quoted field over 64 KiB before buffering it whole', async () => {
    const huge = `id_number,tag\n1,"${'x'.repeat(5_000_000)}"\n`;
    const before = process.memoryUsage().heapUsed;
    const err = await refusal(file(huge));
    expect(err.message).toMatch(/identity_tags\.csv.*第 2 行.*64 KiB/);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 << 20);
  });

  it('refuses an unquoted field over 64 KiB and a line over 1 MiB', async () => {
    expect((await refusal(file(`id_number,tag\n1,${'y'.repeat(100_000)}\n`))).message).toMatch(/第 2 行.*64 KiB/);
    expect((await refusal(file(`id_number,tag\n1,a\n${'z,'.repeat(800_000)}\n`))).message).toMatch(/第 3 行.*1 MiB/);
    // Quotes escaped inside a quoted field do not end it.
    expect((await refusal(file(`id_number,tag\n1,"${'""'.repeat(40_000)}"\n`))).message).toMatch(/第 2 行.*64 KiB/);
  });

  it('refuses a quoted field that a stray quote keeps open, before reading the file to its end', async () => {
    // "abc"x does not close the field: papaparse reads on to a quote that a delimiter follows.
    const lines = Array.from({ length: 2_000_000 }, (_, i) => `${i},x`).join('\n');
    const reader = csvFileReader(file(`id_number,tag\n1,"abc"x\n${lines}\n`), 'identity_tags.csv');
    const err = await (async () => {
      for await (const _ of reader.rows()) {
        /* read */
      }
    })().then(
      () => null,
      (e: unknown) => e,
    );
    expect((err as AppError).message).toMatch(/第 2 行.*64 KiB/);
    expect(reader.total).toBeGreaterThan(15 << 20);
    expect(reader.done()).toBeLessThan(4 << 20);
    // White space between a closing quote and the delimiter is allowed, as papaparse allows it.
    const { rows } = await read(file('id_number,tag\n1,"a" \r\n2,"b"\u3000\n3,"c""" \n'));
    expect(rows.map((r) => r.values[1])).toEqual(['a', 'b', 'c"']);
  });

  it('reads fields up to the limit, and quotes inside unquoted fields, as before', async () => {
    const { rows } = await read(file(`id_number,tag\n1,"${'x'.repeat(60_000)}"\n2,a"b\n3,"c""d"\n`));
    expect(rows.map((r) => [r.line, r.values[1]!.length])).toEqual([
      [2, 60_000],
      [3, 3],
      [4, 3],
    ]);
    expect(rows[2]!.values[1]).toBe('c"d');
  });

  it('refuses a table past the row limit, naming the file and the limit', async () => {
    const lines = Array.from({ length: 1_001 }, (_, i) => `${i},t`).join('\n');
    const err = await refusal(file(`id_number,tag\n${lines}\n`), { maxRows: 1_000 });
    expect(err.message).toMatch(/identity_tags\.csv.*1,?000 行/);
    const ok = await read(file(`id_number,tag\n${lines}\n`), { maxRows: 1_001 });
    expect(ok.rows).toHaveLength(1_001);
  });
});

describe('CSV encodings', () => {
  it('reads a GB18030 (GBK) file as GB18030 and says so', async () => {
    const { rows, reader } = await read(file(gb18030('id_number,tag\n1,志愿者\n2,张伟\n')));
    expect(rows.map((r) => r.values[1])).toEqual(['志愿者', '张伟']);
    expect(await reader.encoding!()).toBe('gb18030');
  });

  it('switches to GB18030 when the first non-ASCII bytes come after the first megabyte', async () => {
    const ascii = Array.from({ length: 120_000 }, (_, i) => `${i},tag${i}`).join('\n');
    const { rows } = await read(file(Buffer.concat([Buffer.from(`id_number,tag\n${ascii}\n`), gb18030('x,张伟\n')])));
    expect(rows.at(-1)!.values[1]).toBe('张伟');
  });

  it('reads UTF-8 with a BOM, and multi-byte characters split between chunks', async () => {
    const { rows, columns, reader } = await read(file(`\ufeffid_number,tag\n1,${'志愿者'.repeat(200_000)}\n`), {
      maxFieldChars: 1 << 20,
    });
    expect(columns).toEqual(['id_number', 'tag']);
    expect(rows[0]!.values[1]).toBe('志愿者'.repeat(200_000));
    expect(await reader.encoding!()).toBe('utf-8');
  });

  it('refuses bytes that are neither UTF-8 nor GB18030, and UTF-16, naming the encoding', async () => {
    expect(
      (await refusal(file(Buffer.from([...Buffer.from('id_number,tag\n1,'), 0xff, 0xff, 0xff, 0x0a])))).message,
    ).toMatch(/identity_tags\.csv.*UTF-8/);
    expect((await refusal(file(Buffer.from('\ufeffid_number,tag\n', 'utf16le')))).message).toMatch(/UTF-16/);
  });

  it('refuses a UTF-8 file with invalid bytes further on rather than storing replacement characters', async () => {
    const good = Array.from({ length: 50_000 }, (_, i) => `${i},志愿者`).join('\n');
    const err = await refusal(
      file(Buffer.concat([Buffer.from(`id_number,tag\n${good}\n1,`), Buffer.from([0xc3, 0x28]), Buffer.from('\n')])),
    );
    expect(err.message).toMatch(/不是有效的 UTF-8/);
  });
});
