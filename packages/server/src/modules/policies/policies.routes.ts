/** Routes of policies, leads, eligibility and the public screener: auth → schema → service. */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import { workbookOf } from '../registry/registry.export.ts';
import { localPolicyRoutes } from './local-policies.routes.ts';
import { residentKey } from '../registry/registry.schema.ts';
import {
  eligibilityView,
  leadRow,
  leadsPage,
  leadsQuery,
  leadsSummary,
  leadUpdate,
  packView,
  screenerRequest,
  screenerResult,
  simulateRequest,
  simulateResult,
} from './policies.schema.ts';

const EXPORT_MAX = 100_000;
const asOf = z.object({
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD')
    .optional(),
});
const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema };

export async function policyRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { policies } = opts.services;
  const today = () => opts.services.today();
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/policies',
    {
      schema: {
        tags: ['policies'],
        summary: '政策包：政策、法规依据、规则与带日期和来源的参数',
        querystring: asOf,
        response: { 200: packView, ...errors },
      },
    },
    async (request) => {
      requireUser(request);
      return policies.packView(request.query.asOf ?? today());
    },
  );

  r.get(
    '/api/leads',
    {
      schema: {
        tags: ['leads'],
        summary: '待主动发现（lead）与待复核（review）清单，限本辖区（记入审计）',
        querystring: leadsQuery,
        response: { 200: leadsPage, ...errors },
      },
    },
    async (request) => policies.leads(requireUser(request), request.query, request.query.asOf ?? today()),
  );

  r.get(
    '/api/leads/export.xlsx',
    {
      schema: {
        tags: ['leads'],
        summary: `导出线索清单 .xlsx（至多 ${EXPORT_MAX} 行；记入审计）`,
        querystring: leadsQuery.omit({ limit: true, offset: true }),
        response: errors,
      },
    },
    async (request, reply) => {
      const day = request.query.asOf ?? today();
      const rows = await policies.exportLeads(
        requireUser(request),
        { ...request.query, limit: EXPORT_MAX, offset: 0 },
        day,
        EXPORT_MAX,
      );
      const buffer = await workbookOf(
        request.query.kind === 'review' ? '待复核' : '待主动发现',
        [
          '姓名',
          '身份证号（脱敏）',
          '性别',
          '年龄',
          '居委会',
          '家庭编号',
          '政策',
          '月金额（元）',
          '状态',
          '救助顾问',
          '今日新增',
        ],
        rows.map((x) => [
          x.name,
          x.idNumberMasked,
          x.gender,
          String(x.age),
          x.committeeName,
          x.householdId,
          x.policyName,
          x.monthlyAmountYuan === null ? '' : String(x.monthlyAmountYuan),
          x.statusLabel,
          x.assignee ?? '',
          x.newToday ? '是' : '',
        ]),
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${request.query.kind}s-${day}.xlsx"`)
        .send(buffer as never);
    },
  );

  r.patch(
    '/api/leads',
    {
      schema: {
        tags: ['leads'],
        summary: '线索处理：分派给救助顾问、已联系、已申请、已获救助、拒绝（原因）、走访后不符合（原因）',
        querystring: asOf,
        body: leadUpdate,
        response: { 200: leadRow, ...errors },
      },
    },
    async (request) => policies.updateLead(requireUser(request), request.body, request.query.asOf ?? today()),
  );

  r.get(
    '/api/leads/summary',
    {
      schema: {
        tags: ['leads'],
        summary: '各政策已覆盖、线索、复核人数与覆盖率，及分区线索数',
        querystring: asOf.extend({
          org: z
            .string()
            .regex(/^\d{2,12}$/, '应为行政区划代码')
            .optional(),
        }),
        response: { 200: leadsSummary, ...errors },
      },
    },
    async (request) => policies.summary(requireUser(request), request.query.org, request.query.asOf ?? today()),
  );

  r.get(
    '/api/residents/:idNumber/eligibility',
    {
      schema: {
        tags: ['residents'],
        summary:
          '居民的政策测算，按身份证号或居民引用：每项政策每个条件的实际值与结论、所用参数及来源（敏感读取，记入审计）',
        params: z.object({ idNumber: residentKey }),
        querystring: asOf,
        response: { 200: eligibilityView, ...errors },
      },
    },
    async (request) =>
      policies.eligibility(requireUser(request), request.params.idNumber, request.query.asOf ?? today()),
  );

  r.get(
    '/api/advisers',
    {
      schema: {
        tags: ['leads'],
        summary: '辖区内的救助顾问（分派线索用）',
        querystring: z.object({
          org: z
            .string()
            .regex(/^\d{2,12}$/)
            .optional(),
        }),
        response: {
          200: z.object({
            items: z.array(
              z.object({ username: z.string(), displayName: z.string(), orgCode: z.string(), orgName: z.string() }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ items: await policies.advisers(requireUser(request), request.query.org) }),
  );

  r.post(
    '/api/policies/simulate',
    {
      schema: {
        tags: ['policies'],
        summary: '政策草案模拟：参数或规则调整后，谁新增符合、谁不再符合、分区与月金额（区级管理员；不发布、不保存）',
        body: simulateRequest,
        response: { 200: simulateResult, ...errors },
      },
    },
    async (request) => policies.simulate(requireUser(request), request.body, request.body.asOf ?? today()),
  );

  await app.register(localPolicyRoutes, { services: opts.services });

  r.post(
    '/api/screener',
    {
      config: {
        public: true,
        rateLimit: { max: 60, timeWindow: '1 minute', keyGenerator: (req) => `screener:${req.ip}` },
      },
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['screener'],
        summary: '居民自助测算（无需登录，不保存任何个人信息）',
        body: screenerRequest,
        response: { 200: screenerResult, 400: errorSchema },
      },
    },
    async (request) => policies.screen(request.body, today()),
  );
}
