import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import { reportCsv } from './import.service.ts';
import { openSource } from './sources.ts';
import { unzipSnapshot } from './unzip.ts';

const counts = z.object({ read: z.number(), inserted: z.number(), updated: z.number(), unchanged: z.number(), rejected: z.number() });

export async function importRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { imports } = opts.services;
  app.withTypeProvider<ZodTypeProvider>().post('/api/imports', {
    schema: {
      tags: ['imports'], summary: '导入快照：.xlsx 工作簿、单个 .csv 表或 CSV 文件夹的 .zip（multipart 字段 file）',
      consumes: ['multipart/form-data'],
      response: {
        200: z.object({
          runId: z.number(), source: z.string(), tables: z.record(z.string(), counts), rejectedRows: z.number(),
          rejected: z.array(z.object({ file: z.string(), line: z.number(), column: z.string(), reason: z.string() })),
          reportCsv: z.string(),
        }),
        400: errorSchema, 401: errorSchema, 403: errorSchema,
      },
    },
  }, async (request) => {
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
      const sourcePath = /\.zip$/i.test(name) ? await unzipSnapshot(path, join(dir, 'snapshot')) : path;
      const source = await openSource(sourcePath, /\.zip$/i.test(name) ? undefined : name);
      const summary = await imports.importSnapshot(scope, source);
      return { ...summary, tables: summary.tables as Record<string, z.infer<typeof counts>>, reportCsv: reportCsv(summary.rejected) };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
