import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareTable } from './import.prepare.ts';
import { csvFileReader } from './sources.ts';

const SAMPLE = resolve(import.meta.dirname, '../../../../../test/fixtures/samples/changning-small');

/** What a table's preparation accepts (lines) and rejects (line and reason). */
async function outcome(path: string, hash?: Parameters<typeof prepareTable>[2]) {
  const accepted: number[] = [];
  const rejected: string[] = [];
  for await (const batch of prepareTable('relations', csvFileReader(path, 'relations.csv'), hash)) {
    accepted.push(...batch.lines);
    rejected.push(...batch.rejected.map((r) => `${r.line} ${r.column} ${r.reason}`));
  }
  return { accepted: accepted.sort((a, b) => a - b), rejected: rejected.sort() };
}

describe('repeated whole rows', () => {
  it('are found exactly even when every row shares one hash (suspects confirmed by their text)', async () => {
    const lines = readFileSync(join(SAMPLE, 'relations.csv'), 'utf8').trimEnd().split('\n');
    // Repeats of earlier rows, a repeat of a repeat, and the sample's own rows.
    const rows = [...lines, lines[1]!, lines[5]!, lines[1]!, lines[9]!];
    const path = join(mkdtempSync(join(tmpdir(), 'tingjian-prepare-')), 'relations.csv');
    writeFileSync(path, rows.join('\n') + '\n');
    const real = await outcome(path);
    const collide = await outcome(path, () => [7, 7]);
    expect(collide).toEqual(real);
    const repeats = real.rejected.filter((r) => r.includes('整行在本快照中重复'));
    expect(repeats).toEqual(
      [
        `${lines.length + 1}  整行在本快照中重复（首次出现在第 2 行）`,
        `${lines.length + 2}  整行在本快照中重复（首次出现在第 6 行）`,
        `${lines.length + 3}  整行在本快照中重复（首次出现在第 2 行）`,
        `${lines.length + 4}  整行在本快照中重复（首次出现在第 10 行）`,
      ].sort(),
    );
    expect(real.accepted.length).toBeGreaterThan(lines.length - 10);
  });
});

describe('repeated keys', () => {
  it('name the line of the first row with the same id number, rows that fail their checks apart', async () => {
    const lines = readFileSync(join(SAMPLE, 'residents.csv'), 'utf8').trimEnd().split('\n').slice(0, 6);
    const badGender = lines[2]!.replace(',女,', ',男,'); // the same id number, rejected for its gender
    const rows = [...lines, badGender, lines[2]!, lines[4]!, lines[2]!];
    const path = join(mkdtempSync(join(tmpdir(), 'tingjian-prepare-')), 'residents.csv');
    writeFileSync(path, rows.join('\n') + '\n');
    const accepted: number[] = [];
    const rejected: string[] = [];
    for await (const batch of prepareTable('residents', csvFileReader(path, 'residents.csv'))) {
      accepted.push(...batch.lines);
      rejected.push(...batch.rejected.map((r) => `${r.line} ${r.column} ${r.reason}`));
    }
    expect(accepted).toEqual([2, 3, 4, 5, 6]);
    expect(rejected).toEqual([
      '7 gender 性别“男”与身份证号（女）不一致',
      '8 id_number id_number在本快照中重复（首次出现在第 3 行）',
      '9 id_number id_number在本快照中重复（首次出现在第 5 行）',
      '10 id_number id_number在本快照中重复（首次出现在第 3 行）',
    ]);
  });
});
