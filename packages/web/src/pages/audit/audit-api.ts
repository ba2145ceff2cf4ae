/**
 * The audit endpoints. Their shapes come, type-only, from the server's zod schemas
 * (@tingjian/server/contract), so the two cannot drift.
 */
import { api } from '../../api/client.ts';
import type { QueryParams } from '../../api/query.ts';
import type { AuditEventView, AuditPage, AuditVerification } from '@tingjian/server/contract';

export type { AuditEventView, AuditPage, AuditVerification };

export const auditLog = {
  list: (query: QueryParams, signal?: AbortSignal) => api.get<AuditPage>('/api/audit', query, signal),
  verify: () => api.get<AuditVerification>('/api/audit/verify'),
};
