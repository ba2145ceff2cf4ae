import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { sampleTerms, type SamplePerson } from '../../server/src/test/sample-reference.ts';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/tingjian.js');
const SAMPLE = join(ROOT, 'test/fixtures/samples/changning-small');

describe('tingjian segment (the command, as a user runs it)', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'tingjian-segment-')), 'x.db');
  const segment = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [BIN, 'segment', ...args, '--db', db, '--format', 'jsonl'], {
      cwd: ROOT,
    });
    return stdout
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { id_number: string; rank: number });
  };
  beforeAll(async () => {
    await run(process.execPath, [BIN, 'import', SAMPLE, '--db', db], { cwd: ROOT });
  }, 120_000);

  for (const asOf of ['2026-11-28', '2024-02-29', '2030-03-01']) {
    it(`equals the spec evaluated plainly per person, on ${asOf}, across the whole deployment`, async () => {
      const ref = sampleTerms(asOf);
      const rank = ['高龄老人', '大病', '重残', '特困', '0-3岁儿童'];
      const rows = await segment(
        '(独居老人 OR 高龄老人 OR 0-3岁儿童) AND NOT 低保',
        '--rank',
        rank.join(','),
        '--as-of',
        asOf,
      );
      const score = (p: SamplePerson) => rank.filter((c) => ref.carries(p, c)).length;
      const want = ref.alive
        .filter(
          (p) =>
            (ref.carries(p, '独居老人') || ref.carries(p, '高龄老人') || ref.carries(p, '0-3岁儿童')) &&
            !ref.carries(p, '低保'),
        )
        .sort((a, b) => score(b) - score(a) || (a.id < b.id ? -1 : 1))
        .map((p) => ({ id_number: p.id, rank: score(p) }));
      expect(want.length).toBeGreaterThan(10);
      expect(rows).toEqual(want);
    }, 60_000);
  }

  it('prints rank 0 without --rank, in id order', async () => {
    const rows = await segment('大病', '--as-of', '2026-11-28');
    const ref = sampleTerms('2026-11-28');
    expect(rows).toEqual(
      ref.alive
        .filter((p) => ref.carries(p, '大病'))
        .map((p) => ({ id_number: p.id, rank: 0 }))
        .sort((a, b) => (a.id_number < b.id_number ? -1 : 1)),
    );
  }, 60_000);

  it('fails with the position for a syntax error or an unknown tag, never an empty result', async () => {
    for (const [expr, message] of [
      ['独居老人 AND', /第 9 个字符处/],
      ['独居老人 OR 不存在', /第 9 个字符处：未知标签 “不存在”/],
      ['大病', /不支持的输出格式/],
    ] as const) {
      const args =
        expr === '大病' ? [BIN, 'segment', expr, '--db', db, '--format', 'csv'] : [BIN, 'segment', expr, '--db', db];
      const err = await run(process.execPath, args, { cwd: ROOT }).then(
        () => null,
        (e: { code: number; stderr: string; stdout: string }) => e,
      );
      expect(err?.code).toBe(2);
      expect(err?.stderr).toMatch(message);
      expect(err?.stdout).toBe('');
    }
    const rank = await run(process.execPath, [BIN, 'segment', '大病', '--rank', '高龄老人,没有', '--db', db], {
      cwd: ROOT,
    }).then(
      () => null,
      (e: { stderr: string }) => e,
    );
    expect(rank?.stderr).toMatch(/排序标签“没有”不存在/);
  }, 60_000);
});
