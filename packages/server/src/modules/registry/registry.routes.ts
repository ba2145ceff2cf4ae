import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import { householdView, listItem, resident360, residentKey } from './registry.schema.ts';
import { residentsWorkbook } from './registry.export.ts';
import { BENEFIT_CODES, GENDERS, HUKOU } from '@tingjian/engine';

const EXPORT_MAX = 100_000;

const listQuery = z.object({
  q: z.string().max(64).optional(),
  org: z
    .string()
    .regex(/^\d{2,12}$/, '应为行政区划代码')
    .optional(),
  ageMin: z.coerce.number().int().min(0).max(150).optional(),
  ageMax: z.coerce.number().int().min(0).max(150).optional(),
  gender: z.enum(GENDERS).optional(),
  hukou: z.enum(HUKOU).optional(),
  disability: z.enum(['any', 'severe', 'none']).optional(),
  benefit: z.enum(BENEFIT_CODES).optional(),
  sort: z.enum(['id_number', 'name', 'birth_date']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export async function registryRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { registry } = opts.services;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/residents',
    {
      schema: {
        tags: ['residents'],
        summary: '检索居民：姓名、拼音、拼音首字母或身份证号（前缀），限本辖区',
        querystring: listQuery,
        response: {
          200: z.object({
            items: z.array(listItem),
            hasMore: z.boolean(),
            total: z.number().nullable(),
            totalCapped: z.boolean().describe('true: more than `total` residents match (counted up to 10,000)'),
          }),
          400: errorSchema,
          401: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (request) => registry.list(requireUser(request), { ...request.query, asOf: opts.services.today() }),
  );

  r.get(
    '/api/residents/export.xlsx',
    {
      schema: {
        tags: ['residents'],
        summary: `导出居民列表为 .xlsx（与列表相同的筛选，至多 ${EXPORT_MAX} 行；记入审计）`,
        querystring: listQuery.omit({ limit: true, offset: true }),
        response: { 400: errorSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request, reply) => {
      const rows = await registry.exportRows(
        requireUser(request),
        { ...request.query, limit: EXPORT_MAX, offset: 0, asOf: opts.services.today() },
        EXPORT_MAX,
      );
      const buffer = await residentsWorkbook(rows);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="residents-${opts.services.today()}.xlsx"`)
        .send(buffer as never); // a Buffer is sent as is: no serializer runs
    },
  );

  r.get(
    '/api/residents/:idNumber',
    {
      schema: {
        tags: ['residents'],
        summary: '居民360视图：按身份证号或列表给出的居民引用（敏感读取，记入审计）',
        params: z.object({ idNumber: residentKey }),
        response: { 200: resident360, 400: errorSchema, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request) => registry.resident360(requireUser(request), request.params.idNumber),
  );

  r.get(
    '/api/households/:householdId',
    {
      schema: {
        tags: ['households'],
        summary: '家庭：成员与家庭指标（敏感读取，记入审计）',
        params: z.object({ householdId: z.string().min(1).max(64) }),
        response: { 200: householdView, 401: errorSchema, 404: errorSchema },
      },
    },
    async (request) => registry.household(requireUser(request), request.params.householdId),
  );
}
