import type { Command } from 'commander';
import { fail, withServices } from '../context.ts';

/**
 * `tingjian assess`: the needs assessment of every household on a date, then every area
 * (committee, street, district), one JSON line each, as assessment-framework.md defines them.
 */
export function registerAssess(program: Command): void {
  program
    .command('assess')
    .description(
      '家庭综合需求评估（Alkire–Foster 多维困境指数）：每户得分、困境指标与分档，及各居委、街镇、区的 H、A、M0 与贡献度',
    )
    .option('--as-of <date>', '按哪一天计算（YYYY-MM-DD，默认今天）')
    .option('--format <format>', '输出格式：jsonl', 'jsonl')
    .option(
      '--db <path>',
      'SQLite 数据库文件（默认 TINGJIAN_DB 或 ./data/tingjian.db；设置 DATABASE_URL 时用 PostgreSQL）',
    )
    .action(async (opts: { asOf?: string; format: string; db?: string }) => {
      if (opts.format !== 'jsonl') fail(`不支持的输出格式 ${opts.format}（可用：jsonl）`);
      await withServices(opts, async (services) => {
        const { assessment, householdIds } = await services.assessment.assess(opts.asOf ?? services.today());
        const lines: string[] = [];
        const flush = async () => {
          if (lines.length === 0) return;
          if (!process.stdout.write(lines.join('')))
            await new Promise((resolve) => process.stdout.once('drain', resolve));
          lines.length = 0;
        };
        for (let u = 0; u < assessment.units.length; u++) {
          const h = assessment.household(u);
          lines.push(
            `${JSON.stringify({ type: 'household', household_id: householdIds[h.household], score: h.score, deprived: h.deprived, band: h.band })}\n`,
          );
          if (lines.length >= 10_000) await flush();
        }
        for (const a of assessment.areas) {
          lines.push(
            `${JSON.stringify({ type: 'area', code: a.code, level: a.level, n: a.n, q: a.q, H: a.H, A: a.A, M0: a.M0, contributions: a.contributions })}\n`,
          );
        }
        await flush();
      });
    });
}
