import { appendFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openSource, systemScope, type ImportSummary } from '@tingjian/server';
import { withServices } from '../context.ts';
import { importProgressBar } from '../progress.ts';

export function printSummary(summary: ImportSummary): void {
  const lines = Object.entries(summary.tables).map(
    ([t, c]) =>
      `  ${t.padEnd(14)} 读取 ${c.read}  新增 ${c.inserted}  更新 ${c.updated}  未变 ${c.unchanged}  拒绝 ${c.rejected}`,
  );
  process.stdout.write(
    `导入 ${summary.source}（批次 ${summary.runId}）\n${lines.join('\n')}\n  被拒绝的行：${summary.rejectedRows}\n`,
  );
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description('导入交换格式快照：CSV 文件夹、单个表的 .csv 或 .xlsx 工作簿')
    .argument('<path>', 'CSV 文件夹、.csv 或 .xlsx')
    .option(
      '--db <path>',
      'SQLite 数据库文件（默认 TINGJIAN_DB 或 ./data/tingjian.db；设置 DATABASE_URL 时用 PostgreSQL）',
    )
    .option('--report <file>', '把拒绝报告（file,line,column,reason）写入此 CSV 文件')
    .action(async (path: string, opts: { db?: string; report?: string }) => {
      await withServices(opts, async (services) => {
        const source = await openSource(path);
        const progress = importProgressBar();
        let summary: ImportSummary;
        try {
          summary = await services.imports.importSnapshot(systemScope(), source, { onProgress: progress.onProgress });
        } finally {
          progress.stop();
        }
        // The full report, written a chunk at a time (it may list a million cells).
        if (opts.report) {
          writeFileSync(opts.report, '');
          for (const chunk of summary.report.csvChunks()) appendFileSync(opts.report, chunk);
        }
        printSummary(summary);
        if (opts.report) process.stdout.write(`  拒绝报告：${opts.report}\n`);
      });
    });
}
