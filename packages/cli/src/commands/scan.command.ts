import type { Command } from 'commander';
import { fail, withServices } from '../context.ts';

/**
 * `tingjian scan`: the proactive scan over the whole deployment on a date, one JSON line per
 * finding — a lead (eligible, not receiving) or a review (receiving, no longer eligible).
 */
export function registerScan(program: Command): void {
  program
    .command('scan')
    .description(
      '政策找人：按政策包（参考政策包与已发布的本地政策）扫描全部居民，输出待主动发现（lead）与待复核（review）',
    )
    .option('--as-of <date>', '按哪一天计算（YYYY-MM-DD，默认今天）')
    .option('--policy <code>', '只扫描一项政策，例如 TEKUN 或一项本地政策的代码')
    .option('--format <format>', '输出格式：jsonl', 'jsonl')
    .option(
      '--db <path>',
      'SQLite 数据库文件（默认 TINGJIAN_DB 或 ./data/tingjian.db；设置 DATABASE_URL 时用 PostgreSQL）',
    )
    .action(async (opts: { asOf?: string; policy?: string; format: string; db?: string }) => {
      if (opts.format !== 'jsonl') fail(`不支持的输出格式 ${opts.format}（可用：jsonl）`);
      await withServices(opts, async (services) => {
        const rows = await services.policies.allFindings(opts.asOf ?? services.today(), opts.policy);
        const chunk: string[] = [];
        const flush = async () => {
          if (chunk.length === 0) return;
          if (!process.stdout.write(chunk.join('')))
            await new Promise((resolve) => process.stdout.once('drain', resolve));
          chunk.length = 0;
        };
        for (const r of rows) {
          chunk.push(
            `${JSON.stringify({ id_number: r.id_number, policy: r.policy, kind: r.kind, monthly_amount_yuan: r.monthly_amount_yuan })}\n`,
          );
          if (chunk.length >= 10_000) await flush();
        }
        await flush();
      });
    });
}
