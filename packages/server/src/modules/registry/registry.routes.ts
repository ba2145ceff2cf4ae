import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import { householdView, listItem, resident360 } from './registry.schema.ts';


export async function registryRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { registry } = opts.services;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/residents', {
    schema: {
      tags: ['residents'], summary: '检索居民：姓名、拼音、拼音首字母或身份证号（前缀），限本辖区',
      querystring: z.object({
        q: z.string().max(64).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(20),
        offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
      }),
      response: { 200: z.object({ items: z.array(listItem), hasMore: z.boolean() }), 400: errorSchema, 401: errorSchema },
    },
  }, async (request) => registry.search(requireUser(request), request.query.q, request.query.limit, request.query.offset));

  r.get('/api/residents/:idNumber', {
    schema: {
      tags: ['residents'], summary: '居民360视图（敏感读取，记入审计）',
      params: z.object({ idNumber: z.string().regex(/^\d{17}[\dXx]$/, '身份证号应为18位') }),
      response: { 200: resident360, 400: errorSchema, 401: errorSchema, 404: errorSchema },
    },
  }, async (request) => registry.resident360(requireUser(request), request.params.idNumber.toUpperCase()));

  r.get('/api/households/:householdId', {
    schema: {
      tags: ['households'], summary: '家庭：成员与家庭指标（敏感读取，记入审计）',
      params: z.object({ householdId: z.string().min(1).max(64) }),
      response: { 200: householdView, 401: errorSchema, 404: errorSchema },
    },
  }, async (request) => registry.household(requireUser(request), request.params.householdId));
}
