/**
 * Request and response schemas of the audit endpoints: validation, OpenAPI and the TypeScript
 * types (used by the server and, type-only, by the web app) from one place. Imports nothing but zod.
 */
import { z } from 'zod';

export const auditQuery = z.object({
  actor: z.string().trim().min(1).max(64).optional(),
  action: z
    .string()
    .regex(/^[a-z_.]{1,64}\*?$/, '应为操作名，如 resident.view，或以 * 结尾的前缀，如 resident.*')
    .optional(),
  target: z.string().trim().min(1).max(200).optional(),
  idNumber: z
    .string()
    .regex(/^\d{17}[\dXx]$/, '身份证号应为18位')
    .transform((s) => s.toUpperCase())
    .optional(),
  from: z.iso.datetime({ offset: true, message: '应为带时区的 ISO 时间，如 2026-12-01T00:00:00+08:00' }).optional(),
  to: z.iso.datetime({ offset: true, message: '应为带时区的 ISO 时间，如 2026-12-02T00:00:00+08:00' }).optional(),
  /** Events up to this id only: the same list while new ones arrive (each read of the log adds one). */
  maxId: z.coerce.number().int().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

export const auditEvent = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  /** The account's display name and unit; null for 'system' and for names that are no account (failed logins). */
  actorName: z.string().nullable(),
  actorOrgCode: z.string().nullable(),
  actorOrgName: z.string().nullable(),
  action: z.string(),
  target: z.string(),
  detail: z.unknown(),
});

export const auditPage = z.object({ items: z.array(auditEvent), total: z.number() });

export const auditProblem = z.object({
  kind: z.enum(['edited', 'deleted', 'chain', 'unchained', 'checkpoint', 'tail']),
  ordinal: z.number().nullable(),
  id: z.number().nullable(),
  checkpointId: z.number().nullable(),
  message: z.string(),
});

export const auditVerification = z.object({
  ok: z.boolean(),
  rows: z.number(),
  checkpoints: z.number(),
  lastId: z.number().nullable(),
  lastCheckpoint: z.object({ id: z.number(), lastAuditId: z.number(), hash: z.string(), at: z.string() }).nullable(),
  problems: z.array(auditProblem),
  problemCount: z.number(),
  summary: z.string(),
});

export type AuditQuery = z.infer<typeof auditQuery>;
export type AuditEventView = z.infer<typeof auditEvent>;
export type AuditPage = z.infer<typeof auditPage>;
export type AuditVerification = z.infer<typeof auditVerification>;
