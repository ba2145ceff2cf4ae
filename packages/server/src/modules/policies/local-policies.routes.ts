/** Routes of local policies: auth → schema → service (scope, checks and audit live in the service). */
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import {
  localPolicyCodeParams,
  localPolicyInput,
  localPolicyList,
  localPolicySimulateRequest,
  localPolicySimulateResult,
  localPolicyView,
} from './local-policies.schema.ts';

const errors = { 400: errorSchema, 401: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema };

export async function localPolicyRoutes(app: FastifyInstance, opts: { services: Services }) {
  const { localPolicies } = opts.services;
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/local-policies',
    {
      schema: {
        tags: ['policies'],
        summary: '本地政策：本单位、上级单位（已发布）和下级单位制定的政策及其各版本',
        response: { 200: localPolicyList, ...errors },
      },
    },
    async (request) => ({ items: await localPolicies.list(requireUser(request)) }),
  );

  r.get(
    '/api/local-policies/:code',
    {
      schema: {
        tags: ['policies'],
        summary: '一项本地政策的各版本',
        params: localPolicyCodeParams,
        response: { 200: localPolicyView, ...errors },
      },
    },
    async (request) => localPolicies.get(requireUser(request), request.params.code),
  );

  r.post(
    '/api/local-policies',
    {
      schema: {
        tags: ['policies'],
        summary: '新建本地政策草稿（与参考政策包一起校验；规则有误时指出位置；记入审计）',
        body: localPolicyInput,
        response: { 200: localPolicyView, ...errors },
      },
    },
    async (request) => localPolicies.create(requireUser(request), request.body),
  );

  r.patch(
    '/api/local-policies/:code',
    {
      schema: {
        tags: ['policies'],
        summary: '保存草稿：改写当前草稿；已发布或已撤回时另起一个新版本（已发布的版本不改写；记入审计）',
        params: localPolicyCodeParams,
        body: localPolicyInput,
        response: { 200: localPolicyView, ...errors },
      },
    },
    async (request) => localPolicies.saveDraft(requireUser(request), request.params.code, request.body),
  );

  r.post(
    '/api/local-policies/:code/simulate',
    {
      schema: {
        tags: ['policies'],
        summary: '模拟已保存的草稿：与现行政策相比谁新增符合、谁不再符合，分区与月金额（不发布）',
        params: localPolicyCodeParams,
        body: localPolicySimulateRequest,
        response: { 200: localPolicySimulateResult, ...errors },
      },
    },
    async (request) => localPolicies.simulate(requireUser(request), request.params.code, request.body.asOf),
  );

  r.post(
    '/api/local-policies/:code/publish',
    {
      schema: {
        tags: ['policies'],
        summary: '发布草稿：线索、统计、政策测算和命令行扫描随即按新政策计算（所属单位；记入审计）',
        params: localPolicyCodeParams,
        response: { 200: localPolicyView, ...errors },
      },
    },
    async (request) => localPolicies.publish(requireUser(request), request.params.code),
  );

  r.post(
    '/api/local-policies/:code/withdraw',
    {
      schema: {
        tags: ['policies'],
        summary: '撤回生效的版本：其线索不再出现（所属单位；记入审计）',
        params: localPolicyCodeParams,
        response: { 200: localPolicyView, ...errors },
      },
    },
    async (request) => localPolicies.withdraw(requireUser(request), request.params.code),
  );
}
