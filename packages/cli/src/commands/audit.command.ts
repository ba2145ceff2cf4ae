import type { Command } from 'commander';
import { systemScope } from '@tingjian/server';
import { withServices } from '../context.ts';

const DB_OPTION = [
  '--db <path>',
  'SQLite 数据库文件（默认 TINGJIAN_DB 或 ./data/tingjian.db；设置 DATABASE_URL 时用 PostgreSQL）',
] as const;

/**
 * `tingjian audit verify`: walks the audit trail's hash chain and checks every signed checkpoint
 * with the public key of TINGJIAN_AUDIT_KEY; exits 0 when it is whole, 1 naming the first bad
 * row. `tingjian audit checkpoint`: signs one now (e.g. before a backup, or from cron, so that
 * the newest rows need not wait for the next thousand).
 */
export function registerAudit(program: Command): void {
  const audit = program.command('audit').description('审计日志：校验哈希链与签名检查点，或立即签一个检查点');

  audit
    .command('verify')
    .description(
      '校验审计日志：逐条核对哈希链，并用密钥文件（TINGJIAN_AUDIT_KEY）的公钥核对每个签名检查点；完整时退出码 0，否则 1 并指出第一处被改动的记录',
    )
    .option(...DB_OPTION)
    .action(async (opts: { db?: string }) => {
      const ok = await withServices(opts, async (services) => {
        const result = await services.audit.verify();
        if (result.ok) {
          process.stdout.write(`${result.summary}\n`);
          if (result.lastCheckpoint)
            process.stdout.write(
              `最新检查点：id=${result.lastCheckpoint.id}，至 id=${result.lastCheckpoint.lastAuditId}，哈希 ${result.lastCheckpoint.hash}（${result.lastCheckpoint.at}）\n`,
            );
        } else {
          process.stderr.write(
            `审计日志不完整：共 ${result.rows} 条，${result.checkpoints} 个检查点，发现 ${result.problemCount} 处问题\n`,
          );
          for (const p of result.problems) process.stderr.write(`  ${p.message}\n`);
          if (result.problemCount > result.problems.length)
            process.stderr.write(`  ……另有 ${result.problemCount - result.problems.length} 处未列出\n`);
        }
        return result.ok;
      });
      if (!ok) process.exitCode = 1;
    });

  audit
    .command('checkpoint')
    .description('立即签一个审计检查点（先校验自上一个检查点以来的记录；被改动时拒绝签名）')
    .option(...DB_OPTION)
    .action(async (opts: { db?: string }) => {
      await withServices(opts, async (services) => {
        const cp = await services.audit.checkpoint(systemScope());
        process.stdout.write(`已签检查点 id=${cp.id}：至 id=${cp.lastAuditId} 的记录，哈希 ${cp.hash}（${cp.at}）\n`);
      });
    });
}
