import type { Command } from 'commander';
import { systemScope } from '@tingjian/server';
import { fail, withServices } from '../context.ts';

/**
 * `tingjian segment EXPR`: a crowd selection over the whole deployment, one JSON line per
 * resident, ordered by rank (how many of the --rank tags they carry) descending, then id number.
 */
export function registerSegment(program: Command): void {
  program
    .command('segment')
    .description('人群圈选：按标签表达式（AND、OR、NOT、括号）圈选居民，按携带排序标签的个数排序')
    .argument('<expression>', "标签表达式，例如 '独居老人 AND NOT 特困 AND (重残 OR 大病)'")
    .option('--rank <tags>', '排序标签，逗号分隔：携带越多越靠前')
    .option('--as-of <date>', '按哪一天计算（YYYY-MM-DD，默认今天）')
    .option('--format <format>', '输出格式：jsonl', 'jsonl')
    .option(
      '--db <path>',
      'SQLite 数据库文件（默认 TINGJIAN_DB 或 ./data/tingjian.db；设置 DATABASE_URL 时用 PostgreSQL）',
    )
    .action(async (expression: string, opts: { rank?: string; asOf?: string; format: string; db?: string }) => {
      if (opts.format !== 'jsonl') fail(`不支持的输出格式 ${opts.format}（可用：jsonl）`);
      const rank = opts.rank
        ? opts.rank
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : [];
      await withServices(opts, async (services) => {
        const asOf = opts.asOf ?? services.today();
        for await (const page of services.tags.segment(systemScope(), expression, rank, asOf)) {
          let chunk = '';
          for (const row of page) chunk += `${JSON.stringify({ id_number: row.id_number, rank: row.rank })}\n`;
          if (!process.stdout.write(chunk)) await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
      });
    });
}
