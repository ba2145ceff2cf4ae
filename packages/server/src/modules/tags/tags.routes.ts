/** Routes of the tag dictionary and crowd selection: auth → schema → service (scope and audit live there). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import { workbookOf } from '../registry/registry.export.ts';
import {
  assignRequest,
  assignResult,
  countRequest,
  countResult,
  dictionaryResponse,
  residentTags,
  ruleVocabulary,
  savedSelection,
  savedSelectionInput,
  selectionRequest,
  selectionResult,
  tagDetail,
  tagInput,
  tagPatch,
  tagView,
} from './tags.schema.ts';
import { residentKey } from '../registry/registry.schema.ts';

const EXPORT_MAX = 100_000;
const asOfQuery = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD')
    .optional(),
});
const idParam = z.object({ id: z.coerce.number().int().positive() });
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const ok = z.object({ ok: z.boolean() });

export async function tagRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { tags } = opts.services;
  const today = () => opts.services.today();
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/tags',
    {
      schema: {
        tags: ['tags'],
        summary: '标签字典：本单位及上级各层的标签与本辖区人数',
        querystring: asOfQuery,
        response: { 200: dictionaryResponse, ...errors },
      },
    },
    async (request) => tags.dictionary(requireUser(request), request.query.asOf ?? today()),
  );

  r.get(
    '/api/tags/vocabulary',
    {
      schema: { tags: ['tags'], summary: '规则标签可用的事实与函数', response: { 200: ruleVocabulary, ...errors } },
    },
    async (request) => {
      requireUser(request);
      return tags.vocabulary();
    },
  );

  r.get(
    '/api/tags/:id',
    {
      schema: {
        tags: ['tags'],
        summary: '标签详情与分区人数',
        params: idParam,
        querystring: asOfQuery,
        response: { 200: tagDetail, ...errors },
      },
    },
    async (request) => tags.tag(requireUser(request), request.params.id, request.query.asOf ?? today()),
  );

  r.post(
    '/api/tags',
    {
      schema: {
        tags: ['tags'],
        summary: '新建本单位的标签（规则标签或人工标注标签）',
        body: tagInput,
        response: { 201: tagView, ...errors },
      },
    },
    async (request, reply) => reply.status(201).send(await tags.create(requireUser(request), request.body)),
  );

  r.patch(
    '/api/tags/:id',
    {
      schema: {
        tags: ['tags'],
        summary: '修改本单位的标签',
        params: idParam,
        body: tagPatch,
        response: { 200: tagView, ...errors },
      },
    },
    async (request) => tags.update(requireUser(request), request.params.id, request.body, today()),
  );

  r.delete(
    '/api/tags/:id',
    {
      schema: {
        tags: ['tags'],
        summary: '删除本单位的标签（人工标注记录保留为已撤销）',
        params: idParam,
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      await tags.remove(requireUser(request), request.params.id);
      return { ok: true };
    },
  );

  r.post(
    '/api/tags/:id/assignments',
    {
      schema: {
        tags: ['tags'],
        summary: '人工标注：按身份证号或按圈选结果批量标注（记入审计与居民变更记录）',
        params: idParam,
        body: assignRequest,
        response: { 200: assignResult, ...errors },
      },
    },
    async (request) => tags.assign(requireUser(request), request.params.id, request.body, today()),
  );

  r.delete(
    '/api/tags/:id/assignments/:idNumber',
    {
      schema: {
        tags: ['tags'],
        summary: '撤销一位居民的人工标注（按身份证号或居民引用）',
        params: z.object({ id: z.coerce.number().int().positive(), idNumber: residentKey }),
        response: { 200: ok, ...errors },
      },
    },
    async (request) => {
      await tags.unassign(requireUser(request), request.params.id, request.params.idNumber, today());
      return { ok: true };
    },
  );

  r.post(
    '/api/selections/count',
    {
      schema: {
        tags: ['selections'],
        summary: '圈选人数（边输入边计数）与分区人数',
        body: countRequest,
        response: { 200: countResult, ...errors },
      },
    },
    async (request) => tags.count(requireUser(request), request.body.expression, request.body.asOf ?? today()),
  );

  r.post(
    '/api/selections/query',
    {
      schema: {
        tags: ['selections'],
        summary: '圈选结果：按携带排序标签的个数、再按身份证号排序，分页（记入审计）',
        body: selectionRequest,
        response: { 200: selectionResult, ...errors },
      },
    },
    async (request) => tags.query(requireUser(request), { ...request.body, asOf: request.body.asOf ?? today() }),
  );

  r.post(
    '/api/selections/export.xlsx',
    {
      schema: {
        tags: ['selections'],
        summary: `导出圈选结果为 .xlsx（至多 ${EXPORT_MAX} 行；记入审计）`,
        body: selectionRequest.omit({ offset: true, limit: true }),
        response: errors,
      },
    },
    async (request, reply) => {
      const asOf = request.body.asOf ?? today();
      const result = await tags.exportRows(requireUser(request), { ...request.body, asOf }, EXPORT_MAX);
      const rankHeader = (request.body.rank ?? []).length > 0 ? ['携带排序标签数', '携带的排序标签'] : [];
      const buffer = await workbookOf(
        '圈选结果',
        ['姓名', '身份证号（脱敏）', '性别', '年龄', '居委会', '居委会代码', '家庭编号', ...rankHeader],
        result.rows.map((x) => [
          x.name,
          x.idNumberMasked,
          x.gender,
          String(x.age),
          x.committeeName,
          x.committeeCode,
          x.householdId,
          ...(rankHeader.length > 0 ? [String(x.rank), x.rankTags.join('、')] : []),
        ]),
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="selection-${asOf}.xlsx"`)
        .send(buffer as never);
    },
  );

  r.get(
    '/api/selections/saved',
    {
      schema: {
        tags: ['selections'],
        summary: '本单位保存的圈选',
        response: { 200: z.object({ items: z.array(savedSelection) }), ...errors },
      },
    },
    async (request) => ({ items: await tags.savedSelections(requireUser(request)) }),
  );

  r.post(
    '/api/selections/saved',
    {
      schema: {
        tags: ['selections'],
        summary: '保存圈选',
        body: savedSelectionInput,
        response: { 200: savedSelection, ...errors },
      },
    },
    async (request) => tags.saveSelection(requireUser(request), request.body),
  );

  r.delete(
    '/api/selections/saved/:id',
    {
      schema: { tags: ['selections'], summary: '删除保存的圈选', params: idParam, response: { 200: ok, ...errors } },
    },
    async (request) => {
      await tags.deleteSavedSelection(requireUser(request), request.params.id);
      return { ok: true };
    },
  );

  r.get(
    '/api/residents/:idNumber/tags',
    {
      schema: {
        tags: ['residents'],
        summary: '居民携带的标签，按身份证号或居民引用（人工标注含来源；敏感读取，记入审计）',
        params: z.object({ idNumber: residentKey }),
        querystring: asOfQuery,
        response: { 200: residentTags, ...errors },
      },
    },
    async (request) => tags.residentTags(requireUser(request), request.params.idNumber, request.query.asOf ?? today()),
  );
}
