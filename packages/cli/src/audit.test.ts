/**
 * `tingjian audit verify` and `tingjian audit checkpoint` as an administrator runs them: a whole
 * log exits 0 with the summary, a row edited with SQL exits 1 naming it, and a checkpoint over
 * it is refused; the key file is created 0600 where TINGJIAN_AUDIT_KEY says.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '@tingjian/server';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/tingjian.js');

async function tingjian(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('tingjian audit', () => {
  it('verifies a whole log, names an edited row, refuses to sign over it, and checks with the key file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-cli-audit-'));
    const db = join(dir, 'x.db');
    const env = { TINGJIAN_AUDIT_KEY: join(dir, 'keys', 'audit.pem') };
    for (let i = 1; i <= 2; i++) {
      const cp = await tingjian(['audit', 'checkpoint', '--db', db], env);
      expect(cp.stderr).toBe('');
      expect(cp.stdout).toMatch(new RegExp(`^已签检查点 id=${i}：至 id=${i} 的记录，哈希 [0-9a-f]{64}`));
    }
    expect(statSync(env.TINGJIAN_AUDIT_KEY).mode & 0o777).toBe(0o600);
    const clean = await tingjian(['audit', 'verify', '--db', db], env);
    expect(clean.code).toBe(0);
    expect(clean.stdout.split('\n')[0]).toBe('审计日志完整：2 条，2 个签名检查点');

    // Another key (the default one beside the database, created now): the signatures do not verify.
    const otherKey = await tingjian(['audit', 'verify', '--db', db]);
    expect(otherKey.code).toBe(1);
    expect(otherKey.stderr).toContain('检查点（id=1，至 id=1）的签名无效');

    const database = await openDatabase({ sqlitePath: db });
    await database.db.updateTable('audit_log').set({ detail: '{"key":"forged"}' }).where('id', '=', 2).execute();
    await database.close();
    const edited = await tingjian(['audit', 'verify', '--db', db], env);
    expect(edited.code).toBe(1);
    expect(edited.stdout).toBe('');
    expect(edited.stderr).toMatch(
      /^审计日志不完整：共 2 条，2 个检查点，发现 1 处问题\n {2}第 2 条（id=2）被改动：内容与其哈希不符/,
    );

    const refused = await tingjian(['audit', 'checkpoint', '--db', db], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(
      /审计日志自上一个检查点以来被改动，不能签名新的检查点：id=2 的记录（上一个检查点所在）被改动.*\[TJ_AUDIT_TAMPERED\]/,
    );
  }, 120_000);
});
