import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/tingjian.js');
const SAMPLES = join(ROOT, 'test/fixtures/samples');
const expected = readFileSync(join(SAMPLES, 'changning-small.rejected.txt'), 'utf8').trim().split('\n').sort();

function reportRows(path: string): string[] {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  expect(lines[0]).toBe('file,line,column,reason');
  return [...new Set(lines.slice(1).map((l) => l.split(',').slice(0, 2).join(':')))].sort();
}

const targets: Array<{ name: string; env: Record<string, string> }> = [{ name: 'sqlite', env: {} }];
if (process.env.TINGJIAN_TEST_PG_URL)
  targets.push({ name: 'postgres', env: { DATABASE_URL: process.env.TINGJIAN_TEST_PG_URL } });

describe('tingjian import (the command, as a user runs it)', () => {
  for (const target of targets) {
    for (const input of ['changning-small', 'changning-small.xlsx']) {
      it(`${input} into ${target.name}: the report names exactly the expected rows`, async () => {
        const dir = mkdtempSync(join(tmpdir(), 'tingjian-cli-'));
        const report = join(dir, 'report.csv');
        const env = { ...process.env, ...target.env };
        if (target.name === 'postgres') {
          // A fresh database for each run: the server's default database is shared.
          const pg = (await import('pg')).default;
          const name = `cli_${process.pid}_${Date.now()}_${input.length}`;
          const admin = new pg.Client({ connectionString: process.env.TINGJIAN_TEST_PG_URL });
          await admin.connect();
          await admin.query(`CREATE DATABASE ${name}`);
          await admin.end();
          const url = new URL(process.env.TINGJIAN_TEST_PG_URL!);
          url.pathname = `/${name}`;
          env.DATABASE_URL = url.toString();
        }
        const { stdout } = await run(
          process.execPath,
          [BIN, 'import', join(SAMPLES, input), '--db', join(dir, 'x.db'), '--report', report],
          { env, cwd: ROOT },
        );
        expect(reportRows(report)).toEqual(expected);
        expect(stdout).toMatch(/residents\s+读取 1043\s+新增 1033/);
        expect(stdout).toContain('被拒绝的行：11');
        if (target.name === 'sqlite') expect(readdirSync(dir)).toContain('x.db');
      });
    }
  }

  it('names the place and reason of a bad argument and exits non-zero', async () => {
    const err = await run(
      process.execPath,
      [BIN, 'import', '/nonexistent/folder', '--db', join(mkdtempSync(join(tmpdir(), 'tj-')), 'x.db')],
      { cwd: ROOT },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((err as { code: number }).code).toBe(2);
    expect((err as { stderr: string }).stderr).toContain('/nonexistent/folder');
  });
});
