import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Services } from '../../services.ts';
import { errorSchema, requireUser } from '../auth/auth.routes.ts';
import { auditPage, auditQuery, auditVerification } from './audit.schema.ts';
import { AuditService } from './audit.service.ts';

export async function auditRoutes(app: FastifyInstance, opts: { services: Services }) {
  // Built here from the shared trail and the hierarchy: it holds no state of its own.
  const audit = new AuditService(opts.services.audit, opts.services.org);
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get(
    '/api/audit',
    {
      schema: {
        tags: ['audit'],
        summary:
          '审计日志（区级管理员）：本辖区账号的操作及关于本辖区居民的操作，可按身份证号查看谁看过此人；查询本身记入审计',
        querystring: auditQuery,
        response: { 200: auditPage, 400: errorSchema, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => audit.list(requireUser(request), request.query),
  );

  r.get(
    '/api/audit/verify',
    {
      schema: {
        tags: ['audit'],
        summary: '校验审计日志的哈希链和签名检查点（区级管理员；记入审计）',
        response: { 200: auditVerification, 401: errorSchema, 403: errorSchema },
      },
    },
    async (request) => audit.verify(requireUser(request)),
  );
}
