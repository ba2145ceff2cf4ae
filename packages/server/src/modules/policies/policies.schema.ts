/**
 * Schemas of the policy, lead and screener endpoints: validation, OpenAPI and the TypeScript types
 * (the web app imports them type-only, through contract.ts). Imports nothing but zod and the
 * engine's browser entry, whose worklist statuses the web app uses too.
 */
import { FINDING_KINDS, LEAD_STATUS_LABELS, LEAD_STATUSES } from '@tingjian/engine/browser';
import { z } from 'zod';
import { residentKey } from '../registry/registry.schema.ts';

export { FINDING_KINDS, LEAD_STATUS_LABELS, LEAD_STATUSES };

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');

export const parameterView = z.object({
  name: z.string(),
  label: z.string(),
  unit: z.string().nullable(),
  values: z.array(z.object({ from: z.string(), value: z.number(), source: z.string() })),
  /** The value in force on the as-of date (null before the first value). */
  current: z.number().nullable(),
});
/** A condition of a rule (a part of its top-level AND): its code and its wording in plain Chinese (the pack's label). */
export const conditionView = z.object({ text: z.string(), label: z.string() });
export const policyView = z.object({
  code: z.string(),
  name: z.string(),
  owner: z.string(),
  ownerName: z.string(),
  source: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  rule: z.string(),
  amount: z.string().nullable(),
  /** The rule's conditions in order, each worded. */
  conditions: z.array(conditionView),
  dependsOn: z.array(z.string()),
  howToApply: z.string().nullable(),
});
export const packView = z.object({
  code: z.string(),
  name: z.string(),
  version: z.number(),
  asOf: z.string(),
  policies: z.array(policyView),
  parameters: z.array(parameterView),
});

export const leadsQuery = z.object({
  kind: z.enum(FINDING_KINDS).default('lead'),
  policy: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]*$/)
    .optional(),
  org: z
    .string()
    .regex(/^\d{2,12}$/, '应为行政区划代码')
    .optional(),
  status: z.enum(LEAD_STATUSES).optional(),
  ageMin: z.coerce.number().int().min(0).max(150).optional(),
  ageMax: z.coerce.number().int().min(0).max(150).optional(),
  /** Only findings that appeared today (not there yesterday): a birthday, a new record. */
  newToday: z.enum(['true', 'false']).optional(),
  assignee: z.string().max(64).optional(),
  asOf: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export const leadRow = z.object({
  /** The resident's ref (resident-ref.ts): lists give no full id numbers. */
  ref: z.string(),
  idNumberMasked: z.string(),
  name: z.string(),
  gender: z.string(),
  age: z.number(),
  committeeCode: z.string(),
  committeeName: z.string(),
  householdId: z.string(),
  policy: z.string(),
  policyName: z.string(),
  kind: z.enum(FINDING_KINDS),
  monthlyAmountYuan: z.number().nullable(),
  status: z.enum(LEAD_STATUSES),
  statusLabel: z.string(),
  assignee: z.string().nullable(),
  reason: z.string().nullable(),
  updatedAt: z.string().nullable(),
  updatedBy: z.string().nullable(),
  /** Not a finding the day before: became eligible (or ineligible) today. */
  newToday: z.boolean(),
});
export const leadsPage = z.object({ asOf: z.string(), total: z.number(), items: z.array(leadRow) });

export const leadUpdate = z
  .object({
    /** The resident: the ref of the lead's row; or `idNumber`, which takes an id number or a ref too. */
    ref: residentKey.optional(),
    idNumber: residentKey.optional(),
    policy: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
    kind: z.enum(FINDING_KINDS),
    status: z.enum(LEAD_STATUSES),
    /** Required for assigned: the adviser's username. */
    assignee: z.string().max(64).optional(),
    /** Required for declined and not_eligible. */
    reason: z.string().trim().max(500).optional(),
  })
  .refine((u) => u.ref !== undefined || u.idNumber !== undefined, {
    message: '请指明居民：ref（列表给出的居民引用）或 idNumber',
    path: ['ref'],
  });
export const leadEvent = z.object({
  at: z.string(),
  actor: z.string(),
  status: z.enum(LEAD_STATUSES),
  statusLabel: z.string(),
  assignee: z.string().nullable(),
  reason: z.string().nullable(),
});

const traceNode: z.ZodType<TraceNode> = z.lazy(() =>
  z.object({
    text: z.string(),
    /** The condition in plain Chinese: set on each condition of the rule (the parts of its top-level AND, or the root of a rule of one condition), null below them. */
    label: z.string().nullable(),
    outcome: z.enum(['pass', 'fail', 'unknown']),
    facts: z.array(z.object({ name: z.string(), value: z.union([z.number(), z.string(), z.boolean(), z.null()]) })),
    parts: z.array(traceNode),
  }),
);
export interface TraceNode {
  text: string;
  label: string | null;
  outcome: 'pass' | 'fail' | 'unknown';
  facts: Array<{ name: string; value: number | string | boolean | null }>;
  parts: TraceNode[];
}

export const policyExplanation = z.object({
  policy: z.string(),
  name: z.string(),
  source: z.string(),
  inForce: z.boolean(),
  eligible: z.enum(['pass', 'fail', 'unknown']),
  holds: z.boolean(),
  kind: z.enum(FINDING_KINDS).nullable(),
  monthlyAmountYuan: z.number().nullable(),
  trace: traceNode,
  missing: z.array(z.string()),
  parameters: z.array(
    z.object({ name: z.string(), label: z.string(), value: z.number(), from: z.string(), source: z.string() }),
  ),
});
export const eligibilityView = z.object({
  /** The person by ref and masked id number: the 360 view, not this card, shows the full one. */
  asOf: z.string(),
  ref: z.string(),
  idNumberMasked: z.string(),
  name: z.string(),
  policies: z.array(policyExplanation),
  /** The worklist history of this person's findings. */
  events: z.array(leadEvent.extend({ policy: z.string(), kind: z.enum(FINDING_KINDS) })),
});

export const leadsSummary = z.object({
  asOf: z.string(),
  org: z.object({ code: z.string(), name: z.string() }),
  policies: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      /** Eligible and receiving. */
      reached: z.number(),
      /** Eligible, not receiving: leads. */
      leads: z.number(),
      /** Receiving, no longer eligible: reviews. */
      reviews: z.number(),
      /** reached / (reached + leads); null when nobody is eligible. */
      takeUp: z.number().nullable(),
      /** Leads by worklist status. */
      byStatus: z.record(z.string(), z.number()),
    }),
  ),
  byArea: z.array(
    z.object({ code: z.string(), name: z.string(), leads: z.number(), reviews: z.number(), reached: z.number() }),
  ),
});

const yesNo = z.enum(['是', '否']);
export const screenerRequest = z.object({
  household: z.object({
    financialAssetsYuan: z.number().min(0).max(1e9).default(0),
    housingAreaM2: z.number().min(0).max(10000).optional(),
  }),
  members: z
    .array(
      z.object({
        label: z.string().max(20).optional(),
        age: z.number().int().min(0).max(120),
        gender: z.enum(['男', '女']),
        hukou: z.enum(['本市', '外省市']),
        monthlyIncomeYuan: z.number().min(0).max(1e7).default(0),
        medicalOop12mYuan: z.number().min(0).max(1e8).default(0),
        disabilityGrade: z.number().int().min(1).max(4).nullable().default(null),
        disabilityCategory: z.enum(['视力', '听力', '言语', '肢体', '智力', '精神', '多重']).nullable().default(null),
        employment: z.enum(['在职', '灵活就业', '失业', '退休', '在校', '无']),
        schoolStage: z.enum(['学前', '小学', '初中', '高中', '中职', '高校']).nullable().default(null),
        laborCapacity: z.enum(['有', '部分', '无']),
        chronicIllness: yesNo.default('否'),
        /** Has a spouse, parent or child who can in fact support them. */
        hasSupporter: yesNo,
      }),
    )
    .min(1)
    .max(12),
});
export const screenerResult = z.object({
  asOf: z.string(),
  members: z.array(
    z.object({
      label: z.string(),
      results: z.array(
        z.object({
          policy: z.string(),
          name: z.string(),
          eligible: z.enum(['pass', 'fail', 'unknown']),
          monthlyAmountYuan: z.number().nullable(),
          /** The reasons: each condition in plain words (its label), its code, and whether it was met. */
          reasons: z.array(z.object({ text: z.string(), code: z.string(), met: z.enum(['pass', 'fail', 'unknown']) })),
          howToApply: z.string().nullable(),
        }),
      ),
    }),
  ),
  notice: z.string(),
});

export const simulateRequest = z.object({
  asOf: isoDate.optional(),
  /** Parameters whose dated values the draft replaces. */
  parameters: z
    .array(
      z.object({
        name: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
        values: z
          .array(
            z.object({ from: isoDate, value: z.number(), source: z.string().trim().min(1, '每个取值都要注明来源') }),
          )
          .min(1),
      }),
    )
    .max(50)
    .default([]),
  /** Policies the draft changes or adds (a local policy), by code. */
  policies: z
    .array(
      z.object({
        code: z.string().regex(/^[A-Z][A-Z0-9_]*$/),
        name: z.string().min(1).max(64).optional(),
        source: z.string().min(1).max(500).optional(),
        rule: z.string().min(1).max(4000).optional(),
        amount: z.string().max(2000).nullable().optional(),
        effectiveFrom: isoDate.optional(),
        effectiveTo: isoDate.nullable().optional(),
      }),
    )
    .max(50)
    .default([]),
});
export const simulateResult = z.object({
  asOf: z.string(),
  impacts: z.array(
    z.object({
      policy: z.string(),
      name: z.string(),
      gains: z.number(),
      losses: z.number(),
      monthlyBeforeYuan: z.number().nullable(),
      monthlyAfterYuan: z.number().nullable(),
      byArea: z.array(z.object({ code: z.string(), name: z.string(), gains: z.number(), losses: z.number() })),
      /** Some of the residents concerned (masked id numbers), for a look before publishing. */
      examples: z.object({ gains: z.array(z.string()), losses: z.array(z.string()) }),
    }),
  ),
});

export type SimulateRequest = z.infer<typeof simulateRequest>;
export type SimulateResult = z.infer<typeof simulateResult>;
export type PackView = z.infer<typeof packView>;
export type LeadsQuery = z.infer<typeof leadsQuery>;
export type LeadRow = z.infer<typeof leadRow>;
/** A lead row as exported to a spreadsheet: without the ref. */
export type LeadExportRow = Omit<LeadRow, 'ref'>;
export type LeadsPage = z.infer<typeof leadsPage>;
export type LeadUpdate = z.infer<typeof leadUpdate>;
export type PolicyExplanationView = z.infer<typeof policyExplanation>;
export type EligibilityView = z.infer<typeof eligibilityView>;
export type LeadsSummary = z.infer<typeof leadsSummary>;
export type ScreenerRequest = z.infer<typeof screenerRequest>;
export type ScreenerResult = z.infer<typeof screenerResult>;
