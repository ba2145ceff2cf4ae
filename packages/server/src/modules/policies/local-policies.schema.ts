/**
 * Schemas of the local-policy endpoints (a district's or street's own policies, edited as drafts,
 * simulated, published, withdrawn). Imports nothing but zod; the web app imports the types.
 */
import { z } from 'zod';
import { simulateResult } from './policies.schema.ts';

export const LOCAL_POLICY_STATUSES = ['draft', 'published', 'withdrawn'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const code = z
  .string()
  .regex(/^[A-Z][A-Z0-9_]*$/, '代码应为大写字母、数字和下划线，以字母开头')
  .max(40);

export const localParameter = z.object({
  name: code,
  label: z.string().trim().min(1, '参数要有含义说明').max(100),
  unit: z.string().trim().max(30).nullable().optional(),
  values: z
    .array(
      z.object({
        from: isoDate,
        value: z.number().finite(),
        source: z.string().trim().min(1, '每个取值都要注明来源').max(500),
      }),
    )
    .min(1, '参数至少要有一个取值')
    .max(50),
});

/** What a worker edits: one policy as in pack.yaml, with the parameters it brings. */
export const localPolicyInput = z.object({
  code,
  name: z.string().trim().min(1, '缺少名称').max(64),
  source: z.string().trim().min(1, '每项政策都要注明法规依据').max(500),
  effectiveFrom: isoDate,
  effectiveTo: isoDate.nullable().optional(),
  rule: z.string().min(1, '缺少认定规则').max(4000),
  /**
   * Each condition of the rule (each part of its top-level &&) in plain Chinese, keyed by the
   * condition as written: what explanations show residents and workers. A condition left out
   * (or given an empty label) is shown by its code.
   */
  labels: z
    .record(z.string().min(1).max(4000), z.string().trim().max(200, '条件说明最多 200 个字'))
    .refine((r) => Object.keys(r).length <= 50, '条件说明至多 50 条')
    .optional(),
  amount: z.string().max(2000).nullable().optional(),
  howToApply: z.string().max(1000).nullable().optional(),
  parameters: z.array(localParameter).max(20).default([]),
});

export const localPolicyDefinition = z.object({
  code: z.string(),
  name: z.string(),
  source: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  rule: z.string(),
  labels: z.record(z.string(), z.string()),
  amount: z.string().nullable(),
  howToApply: z.string().nullable(),
  parameters: z.array(
    z.object({
      name: z.string(),
      label: z.string(),
      unit: z.string().nullable(),
      values: z.array(z.object({ from: z.string(), value: z.number(), source: z.string() })),
    }),
  ),
});

export const localPolicyVersion = z.object({
  version: z.number(),
  status: z.enum(LOCAL_POLICY_STATUSES),
  definition: localPolicyDefinition,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  withdrawnBy: z.string().nullable(),
  withdrawnAt: z.string().nullable(),
});

export const localPolicyView = z.object({
  code: z.string(),
  ownerCode: z.string(),
  ownerName: z.string(),
  /** The latest version: its number, status and definition. */
  version: z.number(),
  status: z.enum(LOCAL_POLICY_STATUSES),
  latest: localPolicyDefinition,
  /** The version the scans use, or null when none is (never published, or withdrawn). */
  inEffectVersion: z.number().nullable(),
  /** Whether the caller's unit owns it and may edit, publish and withdraw it. */
  editable: z.boolean(),
  /** Whether the caller may withdraw it: its owner unit, or a district admin of the district it belongs to. */
  withdrawable: z.boolean(),
  /**
   * Why the published version is not in effect although it was published (it cannot be read,
   * no longer compiles, or threw when evaluated; left out of every scan), or null.
   */
  broken: z.string().nullable(),
  /** Every version the caller may see, newest first. */
  versions: z.array(localPolicyVersion),
});
export const localPolicyList = z.object({ items: z.array(localPolicyView) });

export const localPolicyCodeParams = z.object({ code });
export const localPolicySimulateRequest = z.object({ asOf: isoDate.optional() });
export const localPolicySimulateResult = simulateResult.extend({ code: z.string(), version: z.number() });

export type LocalPolicyInput = z.infer<typeof localPolicyInput>;
export type LocalPolicyDefinitionView = z.infer<typeof localPolicyDefinition>;
export type LocalPolicyVersionView = z.infer<typeof localPolicyVersion>;
export type LocalPolicyView = z.infer<typeof localPolicyView>;
export type LocalPolicyList = z.infer<typeof localPolicyList>;
export type LocalPolicySimulateResult = z.infer<typeof localPolicySimulateResult>;
export type LocalPolicyStatus = (typeof LOCAL_POLICY_STATUSES)[number];
