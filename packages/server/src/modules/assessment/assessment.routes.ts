/** Routes of the needs assessment: auth → schema → service (scope and audit live there). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import {
  areaAssessment,
  frameworkCheck,
  frameworkDefinition,
  frameworkPreview,
  frameworkVersionDetail,
  frameworkVersions,
  frameworkView,
  householdAssessment,
  householdsPage,
  householdsQuery,
  previewQuery,
  questionnaire,
  visitAnswersRequest,
} from './assessment.schema.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };
const asOf = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD')
    .optional(),
});

export async function assessmentRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { assessment } = opts.services;
  const today = () => opts.services.today();
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/assessment/framework',
    {
      schema: {
        tags: ['assessment'],
        summary: '需求评估框架：维度、指标、权重、条件与对应帮扶',
        response: { 200: frameworkView, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return assessment.frameworkView();
    },
  );

  r.get(
    '/api/assessment/areas',
    {
      schema: {
        tags: ['assessment'],
        summary: '区域多维困境指数：n、q、H、A、M0、各指标贡献度，及下一级各单位',
        querystring: asOf.extend({
          org: z
            .string()
            .regex(/^\d{2,12}$/)
            .optional(),
        }),
        response: { 200: areaAssessment, ...errors },
      },
    },
    async (request) => assessment.areas(requireUser(request), request.query.org, request.query.asOf ?? today()),
  );

  r.get(
    '/api/assessment/households',
    {
      schema: {
        tags: ['assessment'],
        summary: '按困境得分排列的家庭（下钻；记入审计）',
        querystring: householdsQuery,
        response: { 200: householdsPage, ...errors },
      },
    },
    async (request) => assessment.households(requireUser(request), request.query, request.query.asOf ?? today()),
  );

  r.get(
    '/api/households/:householdId/assessment',
    {
      schema: {
        tags: ['assessment'],
        summary: '家庭需求评估：各指标、得分、分档、可提供的帮扶与历次存档（敏感读取，记入审计）',
        params: z.object({ householdId: z.string().min(1).max(64) }),
        querystring: asOf,
        response: { 200: householdAssessment, ...errors },
      },
    },
    async (request) =>
      assessment.household(requireUser(request), request.params.householdId, request.query.asOf ?? today()),
  );

  r.post(
    '/api/households/:householdId/assessment',
    {
      schema: {
        tags: ['assessment'],
        summary: '存档本次评估（带框架版本与日期；以后的版本不改写它）',
        params: z.object({ householdId: z.string().min(1).max(64) }),
        querystring: asOf,
        response: { 200: householdAssessment, ...errors },
      },
    },
    async (request) =>
      assessment.record(requireUser(request), request.params.householdId, request.query.asOf ?? today()),
  );
  const version = z.object({ version: z.coerce.number().int().min(1) });
  const household = z.object({ householdId: z.string().min(1).max(64) });

  r.get(
    '/api/assessment/frameworks',
    {
      schema: {
        tags: ['assessment'],
        summary: '评估框架的各个版本（草稿、已发布；最新发布的版本在用）',
        response: { 200: frameworkVersions, ...errors },
      },
    },
    async (request) => assessment.versions(requireUser(request)),
  );

  r.get(
    '/api/assessment/frameworks/:version',
    {
      schema: {
        tags: ['assessment'],
        summary: '评估框架的一个版本：定义（维度、指标、权重、条件、k）与检查结果',
        params: version,
        response: { 200: frameworkVersionDetail, ...errors },
      },
    },
    async (request) => assessment.version(requireUser(request), request.params.version),
  );

  r.post(
    '/api/assessment/frameworks/check',
    {
      schema: {
        tags: ['assessment'],
        summary: '检查框架草案（权重之和、k、判定条件及出错位置；不保存；区级管理员）',
        body: frameworkDefinition,
        response: { 200: frameworkCheck, ...errors },
      },
    },
    async (request) => assessment.checkDefinition(requireUser(request), request.body),
  );

  r.post(
    '/api/assessment/frameworks',
    {
      schema: {
        tags: ['assessment'],
        summary: '新建框架草稿（下一版本号；不带定义时复制在用版本；同一时间只有一份草稿；区级管理员，记入审计）',
        body: frameworkDefinition.nullish(),
        response: { 200: frameworkVersionDetail, ...errors },
      },
    },
    async (request) => assessment.createDraft(requireUser(request), request.body ?? undefined),
  );

  r.patch(
    '/api/assessment/frameworks/:version',
    {
      schema: {
        tags: ['assessment'],
        summary: '修改框架草稿（权重之和须为 1，k 在 (0,1]，条件须通过检查；区级管理员，记入审计）',
        params: version,
        body: frameworkDefinition,
        response: { 200: frameworkVersionDetail, ...errors },
      },
    },
    async (request) => assessment.updateDraft(requireUser(request), request.params.version, request.body),
  );

  r.post(
    '/api/assessment/frameworks/:version/preview',
    {
      schema: {
        tags: ['assessment'],
        summary:
          '预览影响：按当前登记数据，在用版本与该版本的分档、分档变化（按变化与街镇）、各街镇 H/A/M0 对比（不保存；区级管理员）',
        params: version,
        querystring: previewQuery,
        response: { 200: frameworkPreview, ...errors },
      },
    },
    async (request) => assessment.preview(requireUser(request), request.params.version, request.query.asOf ?? today()),
  );

  r.post(
    '/api/assessment/frameworks/:version/publish',
    {
      schema: {
        tags: ['assessment'],
        summary: '发布框架草稿：它成为在用版本，评估缓存随之失效；已存档的评估保留原版本（区级管理员，记入审计）',
        params: version,
        response: { 200: frameworkVersionDetail, ...errors },
      },
    },
    async (request) => assessment.publish(requireUser(request), request.params.version),
  );

  r.get(
    '/api/households/:householdId/questionnaire',
    {
      schema: {
        tags: ['assessment'],
        summary: '入户问卷：未能评估的指标及其缺少的事实（逐户、逐人），附已有的回答（敏感读取，记入审计）',
        params: household,
        querystring: asOf,
        response: { 200: questionnaire, ...errors },
      },
    },
    async (request) =>
      assessment.questionnaire(requireUser(request), request.params.householdId, request.query.asOf ?? today()),
  );

  r.post(
    '/api/households/:householdId/visit-answers',
    {
      schema: {
        tags: ['assessment'],
        summary: '提交入户问卷的回答（只补登记数据缺少的事实，登记数据优先；记入审计），返回补入回答后的评估',
        params: household,
        querystring: asOf,
        body: visitAnswersRequest,
        response: { 200: householdAssessment, ...errors },
      },
    },
    async (request) =>
      assessment.answer(requireUser(request), request.params.householdId, request.body, request.query.asOf ?? today()),
  );
}
