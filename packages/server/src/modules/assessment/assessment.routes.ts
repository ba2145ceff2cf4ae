/** Routes of the needs assessment: auth → schema → service (scope and audit live there). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import { areaAssessment, frameworkView, householdAssessment, householdsPage, householdsQuery } from './assessment.schema.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };
const asOf = z.object({ asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD').optional() });

export async function assessmentRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { assessment } = opts.services;
  const today = () => opts.services.today();
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/assessment/framework', { schema: { tags: ['assessment'], summary: '需求评估框架：维度、指标、权重、条件与对应帮扶', response: { 200: frameworkView, ...errors } } },
    async (request) => { requireUser(request); return assessment.frameworkView(); });

  r.get('/api/assessment/areas', {
    schema: { tags: ['assessment'], summary: '区域多维困境指数：n、q、H、A、M0、各指标贡献度，及下一级各单位', querystring: asOf.extend({ org: z.string().regex(/^\d{2,12}$/).optional() }), response: { 200: areaAssessment, ...errors } },
  }, async (request) => assessment.areas(requireUser(request), request.query.org, request.query.asOf ?? today()));

  r.get('/api/assessment/households', {
    schema: { tags: ['assessment'], summary: '按困境得分排列的家庭（下钻；记入审计）', querystring: householdsQuery, response: { 200: householdsPage, ...errors } },
  }, async (request) => assessment.households(requireUser(request), request.query, request.query.asOf ?? today()));

  r.get('/api/households/:householdId/assessment', {
    schema: { tags: ['assessment'], summary: '家庭需求评估：各指标、得分、分档、可提供的帮扶与历次存档（敏感读取，记入审计）', params: z.object({ householdId: z.string().min(1).max(64) }), querystring: asOf, response: { 200: householdAssessment, ...errors } },
  }, async (request) => assessment.household(requireUser(request), request.params.householdId, request.query.asOf ?? today()));

  r.post('/api/households/:householdId/assessment', {
    schema: { tags: ['assessment'], summary: '存档本次评估（带框架版本与日期；以后的版本不改写它）', params: z.object({ householdId: z.string().min(1).max(64) }), querystring: asOf, response: { 200: householdAssessment, ...errors } },
  }, async (request) => assessment.record(requireUser(request), request.params.householdId, request.query.asOf ?? today()));
}
