import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvFileReader } from './sources.ts';

async function read(text: string) {
  const dir = mkdtempSync(join(tmpdir(), 'tj-csv-'));
  const path = join(dir, 'identity_tags.csv');
  writeFileSync(path, text);
  const reader = csvFileReader(path, 'identity_tags.csv');
  const rows = [];
  for await (const batch of reader.rows()) rows.push(...batch);
  return { columns: await reader.columns(), rows };
}

describe('CSV reading', () => {
  it('handles a BOM, CRLF line ends, quoted commas and line breaks, and names the lines', async () => {
    const { columns, rows } = await read('\ufeffid_number,tag\r\n1,"a,b"\r\n2,"two\r\nlines"\r\n\r\n3,c\r\n');
    expect(columns).toEqual(['id_number', 'tag']);
    expect(rows.map((r) => [r.line, r.values[0], r.values[1]])).toEqual([
      [2, '1', 'a,b'],
      [3, '2', 'two\r\nlines'],
      [6, '3', 'c'],
    ]);
  });

  it('reads LF files without a final line end', async () => {
    const { rows } = await read('id_number,tag\n1,x\n2,y');
    expect(rows.map((r) => [r.line, r.values[1]])).toEqual([
      [2, 'x'],
      [3, 'y'],
    ]);
  });

  it('flags rows with the wrong number of fields', async () => {
    const { rows } = await read('id_number,tag\n1,x,extra\n2\n');
    expect(rows.map((r) => [r.line, r.problem])).toEqual([
      [2, '有 3 个字段，表头有 2 列'],
      [3, '有 1 个字段，表头有 2 列'],
    ]);
  });

  it('keeps multi-byte characters whole across read chunks', async () => {
    const line = (i: number) => `${i},中共党员志愿者退役军人社区骨干${'长宁区华阳路街道'.repeat(i % 7)}`;
    const lines = Array.from({ length: 60_000 }, (_, i) => line(i));
    const { rows } = await read(`id_number,tag\n${lines.join('\n')}\n`);
    expect(rows).toHaveLength(60_000);
    const broken = rows.filter((r, i) => `${r.values[0]},${r.values[1]}` !== line(i));
    expect(broken).toEqual([]);
  });
});
