import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import type { Scope } from '../auth/scope.ts';
import type { CommittedRun } from './import-report.repository.ts';
import type { ImportSummary } from './import.service.ts';
import { firstRowsCsv, REPORT_LIMITS } from './rejection-report.ts';
import { openSource, sourceNotes, type SnapshotSource } from './sources.ts';
import { unzipSnapshot } from './unzip.ts';

const counts = z.object({
  read: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.number(),
});
const rejectedCell = z.object({ file: z.string(), line: z.number(), column: z.string(), reason: z.string() });

const answer = z.object({
  runId: z.number().describe('The import run; the import committed (an import that did not answers with an error)'),
  source: z.string(),
  tables: z.record(z.string(), counts),
  rejectedRows: z.number().describe('Rows rejected, exactly'),
  rejectedCells: z.number().describe('Cells rejected, exactly (a row with two bad cells counts twice)'),
  rejected: z.array(rejectedCell).describe(`The first rejected cells of the report (at most ${REPORT_LIMITS.first})`),
  reportTruncated: z
    .boolean()
    .describe('Whether `rejected` holds fewer cells than were rejected: the full report is at reportUrl'),
  reportUrl: z.string().describe('The full rejection report as CSV (GET)'),
  reportCsv: z.string().describe('The CSV of the cells in `rejected`'),
  notes: z.array(z.string()).describe('What the import noted about the files (e.g. read as GB18030)'),
});
type Answer = z.infer<typeof answer>;

const reportUrl = (runId: number) => `/api/imports/${runId}/report.csv`;

/** The answer of a committed import: bounded whatever the summary holds (its first cells only; the full report is stored with the run). */
async function committedAnswer(summary: ImportSummary, source: SnapshotSource): Promise<Answer> {
  const rejected = summary.rejected.slice(0, REPORT_LIMITS.first);
  return {
    runId: summary.runId,
    source: summary.source,
    tables: summary.tables as Answer['tables'],
    rejectedRows: summary.rejectedRows,
    rejectedCells: summary.rejectedCells,
    rejected,
    reportTruncated: summary.reportTruncated || summary.rejectedCells > rejected.length,
    reportUrl: reportUrl(summary.runId),
    reportCsv: firstRowsCsv(rejected),
    notes: await sourceNotes(source),
  };
}

/** The answer when something failed after the import committed: the run and what its stored summary says. */
function afterCommitAnswer(run: CommittedRun, err: unknown): Answer {
  const tables = (run.summary.tables ?? {}) as Answer['tables'];
  const rejectedRows = run.summary.rejectedRows ?? 0;
  return {
    runId: run.runId,
    source: run.source,
    tables,
    rejectedRows,
    rejectedCells: rejectedRows,
    rejected: [],
    reportTruncated: rejectedRows > 0,
    reportUrl: reportUrl(run.runId),
    reportCsv: firstRowsCsv([]),
    notes: [
      `导入已提交（批次 #${run.runId}），但提交后的处理出错：${err instanceof Error ? err.message : String(err)}。已导入的数据有效；拒收明细请下载完整报告，或稍后在导入记录中查看`,
    ],
  };
}

export async function importRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { imports } = opts.services;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.post(
    '/api/imports',
    {
      schema: {
        tags: ['imports'],
        summary: '导入快照：.xlsx 工作簿、单个 .csv 表或 CSV 文件夹的 .zip（multipart 字段 file）',
        consumes: ['multipart/form-data'],
        response: { 200: answer, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => {
      const scope = requireUser(request);
      if (!request.isMultipart()) throw new AppError('TJ_IMPORT_NO_FILE');
      const file = await request.file();
      if (!file) throw new AppError('TJ_IMPORT_NO_FILE');
      const dir = mkdtempSync(join(tmpdir(), 'tingjian-upload-'));
      try {
        const name = file.filename.replace(/[\\/]/g, '_') || 'upload';
        const path = join(dir, name);
        await pipeline(file.file, createWriteStream(path));
        if (file.file.truncated) throw new AppError('TJ_IMPORT_BAD_FILE', `${name} 超过上传大小上限`);
        const sourcePath = /\.zip$/i.test(name) ? await unzipSnapshot(path, join(dir, 'snapshot'), {}, name) : path;
        const source = await openSource(sourcePath, /\.zip$/i.test(name) ? undefined : name);
        return await importAndAnswer(scope, source);
      } finally {
        // A temporary folder left behind must not turn a committed import's answer into an error.
        try {
          rmSync(dir, { recursive: true, force: true });
        } catch (err) {
          request.log.warn(err, 'upload folder not removed');
        }
      }
    },
  );

  /**
   * Imports and answers truly whether the import committed: a refused file is an error (nothing
   * was stored); once the run committed, the answer is its run and summary even when something
   * after the commit fails.
   */
  async function importAndAnswer(scope: Scope, source: SnapshotSource): Promise<Answer> {
    const before = await imports.latestRunId();
    let summary: ImportSummary;
    try {
      summary = await imports.importSnapshot(scope, source);
    } catch (err) {
      if (err instanceof AppError && err.status < 500) throw err;
      const run = await imports.committedSince(before, scope.username, source.name).catch(() => null);
      if (!run) throw err;
      return afterCommitAnswer(run, err);
    }
    try {
      return await committedAnswer(summary, source);
    } catch (err) {
      return afterCommitAnswer(
        {
          runId: summary.runId,
          source: summary.source,
          summary: { tables: summary.tables, rejectedRows: summary.rejectedRows },
        },
        err,
      );
    }
  }

  typed.get(
    '/api/imports/template.xlsx',
    {
      schema: {
        tags: ['imports'],
        summary: '下载导入模板（.xlsx：每张表一个工作表，列名为交换格式的列名，附中文说明）',
        response: { 401: errorSchema, 403: errorSchema },
      },
    },
    async (request, reply) => {
      const template = await imports.template(requireUser(request));
      return (
        reply
          .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
          .header(
            'content-disposition',
            `attachment; filename="tingjian-import-template.xlsx"; filename*=UTF-8''${encodeURIComponent('听见导入模板.xlsx')}`,
          )
          // A file goes out as it is (no serializer); the type provider knows only the JSON answers.
          .send(template as never)
      );
    },
  );

  typed.get(
    '/api/imports/:runId/report.csv',
    {
      schema: {
        tags: ['imports'],
        summary: '下载导入批次的完整拒收报告（CSV：file,line,column,reason）：导入者本人或其辖区的区级管理员',
        params: z.object({ runId: z.coerce.number().int().positive() }),
        response: { 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const { runId } = request.params;
      const parts = await imports.report(requireUser(request), runId);
      const body = Readable.from(
        (async function* () {
          yield '\uFEFF'; // Excel opens a CSV as UTF-8 only with a byte-order mark
          yield* parts;
        })(),
      );
      return (
        reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="import-${runId}-rejected.csv"`)
          // A stream goes out as it is (no serializer); the type provider knows only the JSON answers.
          .send(body as never)
      );
    },
  );
}
