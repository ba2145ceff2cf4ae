import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createServices, openDatabase } from '@tingjian/server';
import { age, loadSample } from '../../server/src/test/sample-reference.ts';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/tingjian.js');
const D = '2026-11-28';

describe('tingjian scan with a published local policy', () => {
  it("prints the local policy's findings, for residents of its owner street only, and none once withdrawn", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-scan-local-'));
    const db = join(dir, 'x.db');
    const env = { ...process.env, DATABASE_URL: '' };
    await run(process.execPath, [BIN, 'import', join(ROOT, 'test/fixtures/samples/changning-small'), '--db', db], {
      cwd: ROOT,
      env,
    });
    const scope = { username: 'huayang', role: 'street' as const, orgCode: '310105001' };
    const withServices = async (work: (s: Awaited<ReturnType<typeof createServices>>) => Promise<void>) => {
      const database = await openDatabase({ sqlitePath: db });
      try {
        await work(await createServices(database, { TINGJIAN_COUNTY: '310105' }));
      } finally {
        await database.close();
      }
    };
    await withServices(async (s) => {
      await s.localPolicies.create(scope, {
        code: 'HY_NINETY',
        name: '华阳路街道九十岁以上老人关爱',
        source: '华阳路街道通知（2025）',
        effectiveFrom: '2025-01-01',
        effectiveTo: null,
        rule: 'age >= 90',
        amount: null,
        howToApply: null,
        parameters: [],
      });
      await s.localPolicies.publish(scope, 'HY_NINETY');
    });
    const scan = async () => {
      const { stdout } = await run(
        process.execPath,
        [BIN, 'scan', '--as-of', D, '--policy', 'HY_NINETY', '--db', db, '--format', 'jsonl'],
        { cwd: ROOT, env },
      );
      return stdout
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { id_number: string; policy: string; kind: string });
    };
    const want = loadSample()
      .people.filter((p) => p.birth <= D && p.committee.startsWith('310105001') && age(p.birth, D) >= 90)
      .map((p) => p.id)
      .sort();
    expect(want.length).toBeGreaterThan(0);
    const rows = await scan();
    expect(rows.map((r) => r.id_number).sort()).toEqual(want);
    expect(rows.every((r) => r.kind === 'lead')).toBe(true);
    await withServices(async (s) => {
      await s.localPolicies.withdraw(scope, 'HY_NINETY');
    });
    await expect(scan()).rejects.toThrow(/HY_NINETY/);
  }, 180_000);
});
