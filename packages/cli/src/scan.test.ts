import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { referenceScan } from '../../server/src/test/sample-reference.ts';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/tingjian.js');
const SAMPLES = join(ROOT, 'test/fixtures/samples');

type Row = { id_number: string; policy: string; kind: string; monthly_amount_yuan: number | null };
const keyed = (rows: Row[]) =>
  new Map(rows.map((r) => [`${r.id_number}|${r.policy}|${r.kind}`, r.monthly_amount_yuan]));
function expectSame(ours: Row[], want: Row[]) {
  const a = keyed(ours);
  const b = keyed(want);
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
  expect(ours.length).toBe(a.size); // no duplicates
  for (const [k, v] of b) {
    const got = a.get(k);
    if (v === null) expect(got, k).toBeNull();
    else expect(Math.abs((got as number) - v), k).toBeLessThanOrEqual(0.01);
  }
}

const targets: Array<{ name: string; env: Record<string, string> }> = [{ name: 'sqlite', env: {} }];
if (process.env.TINGJIAN_TEST_PG_URL)
  targets.push({ name: 'postgres', env: { DATABASE_URL: process.env.TINGJIAN_TEST_PG_URL } });

for (const target of targets) {
  describe(`tingjian scan (${target.name})`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-scan-'));
    const env = { ...process.env, ...target.env };
    const scan = async (...args: string[]) => {
      const { stdout } = await run(
        process.execPath,
        [BIN, 'scan', ...args, '--db', join(dir, 'x.db'), '--format', 'jsonl'],
        { cwd: ROOT, env, maxBuffer: 64 * 1024 * 1024 },
      );
      return stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Row);
    };
    beforeAll(async () => {
      if (target.name === 'postgres') {
        const pg = (await import('pg')).default;
        const name = `scan_${process.pid}_${Date.now()}`;
        const admin = new pg.Client({ connectionString: process.env.TINGJIAN_TEST_PG_URL });
        await admin.connect();
        await admin.query(`CREATE DATABASE ${name}`);
        await admin.end();
        const url = new URL(process.env.TINGJIAN_TEST_PG_URL!);
        url.pathname = `/${name}`;
        env.DATABASE_URL = url.toString();
      }
      await run(process.execPath, [BIN, 'import', join(SAMPLES, 'changning-small'), '--db', join(dir, 'x.db')], {
        cwd: ROOT,
        env,
      });
    }, 120_000);

    it("prints exactly the sample's expected findings on 2026-11-28", async () => {
      const want = readFileSync(join(SAMPLES, 'changning-small.scan.2026-11-28.jsonl'), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Row);
      expectSame(await scan('--as-of', '2026-11-28'), want);
    }, 60_000);

    // Before and after parameter changes, a leap day, the days around the stories' birthdays.
    for (const d of [
      '2021-06-30',
      '2021-07-01',
      '2023-06-30',
      '2023-07-01',
      '2024-02-29',
      '2026-11-27',
      '2027-03-01',
    ]) {
      it(`equals the spec evaluated independently on ${d}`, async () => {
        expectSame(await scan('--as-of', d), referenceScan(d));
      }, 60_000);
    }

    it('scans one policy, and refuses a date outside the pack or an unknown policy', async () => {
      const tekun = await scan('--as-of', '2026-11-28', '--policy', 'TEKUN');
      expectSame(
        tekun,
        referenceScan('2026-11-28').filter((r) => r.policy === 'TEKUN'),
      );
      for (const [args, message] of [
        [['--as-of', '2019-01-01'], /不在政策包的适用期内/],
        [['--policy', 'NOPE'], /政策包中没有 NOPE/],
        [['--as-of', '2026-02-30'], /日期 2026-02-30 不存在/],
      ] as const) {
        const err = await run(process.execPath, [BIN, 'scan', ...args, '--db', join(dir, 'x.db')], {
          cwd: ROOT,
          env,
        }).then(
          () => null,
          (e: { code: number; stderr: string }) => e,
        );
        expect(err?.code).toBe(2);
        expect(err?.stderr).toMatch(message);
      }
    }, 60_000);
  });
}
