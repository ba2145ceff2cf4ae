/**
 * tingjian import --report writes the whole rejection report, however many cells were rejected:
 * the import's summary carries only the first 1,000.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const BIN = join(ROOT, 'packages/cli/bin/tingjian.js');

describe('tingjian import --report', () => {
  it("writes every rejected cell, not the summary's first 1,000", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-cli-report-'));
    const csv = join(dir, 'identity_tags.csv');
    writeFileSync(csv, `id_number,tag\n${Array.from({ length: 2_500 }, (_, i) => `bad${i},志愿者`).join('\n')}\n`);
    const report = join(dir, 'report.csv');
    const { stdout } = await run(
      process.execPath,
      [BIN, 'import', csv, '--db', join(dir, 'x.db'), '--report', report],
      { cwd: ROOT, env: { ...process.env, DATABASE_URL: '' } },
    );
    expect(stdout).toContain('被拒绝的行：2500');
    const lines = readFileSync(report, 'utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('file,line,column,reason');
    expect(lines).toHaveLength(2_501);
    expect(lines.at(-1)).toMatch(/^identity_tags\.csv,2501,id_number,/);
  }, 120_000);
});
