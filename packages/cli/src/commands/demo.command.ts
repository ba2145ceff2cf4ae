import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { isIsoDate } from '@tingjian/engine';
import { today } from '@tingjian/server';
import { fail, withServices } from '../context.ts';
import { importProgressBar } from '../progress.ts';
import { printSummary } from './import.command.ts';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('生成合成的长宁区演示人口（真实居委会），导入数据库并建立演示账号；或用 --out 只写出 CSV 快照')
    .option('--residents <n>', '居民人数', '5000')
    .option('--as-of <date>', '演示数据的“今天”（YYYY-MM-DD），默认今天')
    .option('--seed <n>', '随机种子', '20261128')
    .option('--out <dir>', '只把快照写成 CSV 文件夹，不导入')
    .option('--db <path>', 'SQLite 数据库文件')
    .action(async (opts: { residents: string; asOf?: string; seed: string; out?: string; db?: string }) => {
      const residents = Number(opts.residents);
      if (!Number.isInteger(residents) || residents < 10 || residents > 2_000_000)
        fail(`--residents 应为 10 到 2000000 的整数，实为 ${opts.residents}`);
      const seed = Number(opts.seed);
      if (!Number.isInteger(seed)) fail(`--seed 应为整数，实为 ${opts.seed}`);
      const asOf = opts.asOf ?? today();
      if (!isIsoDate(asOf)) fail(`--as-of 应为存在的日期 YYYY-MM-DD，实为 ${asOf}`);
      await withServices(opts, async (services) => {
        if (opts.out) {
          mkdirSync(opts.out, { recursive: true });
          const counts = await services.demo.writeSnapshot(opts.out, { residents, asOf, seed });
          process.stdout.write(
            `已写出快照 ${opts.out}：${Object.entries(counts)
              .map(([t, n]) => `${t} ${n}`)
              .join('，')}\n`,
          );
          return;
        }
        const progress = importProgressBar();
        let result;
        try {
          result = await services.demo.seed({
            residents,
            asOf,
            seed,
            password: process.env.TINGJIAN_DEMO_PASSWORD || undefined,
            onProgress: progress.onProgress,
          });
        } finally {
          progress.stop();
        }
        printSummary(result.summary);
        process.stdout.write(
          `演示账号 ${result.accounts.length} 个：district、huayang、xinjing、adviser.<居委会代码>\n`,
        );
        process.stdout.write(
          result.passwordGenerated
            ? `演示密码（随机生成）：${result.password}\n`
            : '演示密码：取自 TINGJIAN_DEMO_PASSWORD\n',
        );
      });
    });
}
