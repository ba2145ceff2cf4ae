/** Schemas of the assessment endpoints (validation, OpenAPI, types for the web app). Imports nothing but zod. */
import { z } from 'zod';

export const BANDS = ['none', 'vulnerable', 'poor', 'severe'] as const;
export const BAND_LABELS: Record<(typeof BANDS)[number], string> = {
  none: '无困境',
  vulnerable: '脆弱',
  poor: '困难',
  severe: '深度困难',
};

export const frameworkView = z.object({
  code: z.string(),
  name: z.string(),
  version: z.number(),
  k: z.number(),
  dimensions: z.array(z.object({ code: z.string(), name: z.string(), weight: z.number() })),
  indicators: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      dimension: z.string(),
      weight: z.number(),
      rule: z.string(),
      help: z.array(z.string()),
    }),
  ),
});

const figures = z.object({
  code: z.string(),
  name: z.string(),
  level: z.string(),
  n: z.number(),
  q: z.number(),
  H: z.number(),
  A: z.number(),
  M0: z.number(),
  censored: z.record(z.string(), z.number()),
  contributions: z.record(z.string(), z.number()),
});
export const areaAssessment = z.object({
  asOf: z.string(),
  framework: z.object({ code: z.string(), version: z.number() }),
  unit: figures,
  children: z.array(figures),
  bands: z.record(z.string(), z.number()),
});

export const householdsQuery = z.object({
  org: z
    .string()
    .regex(/^\d{2,12}$/, '应为行政区划代码')
    .optional(),
  band: z.enum(BANDS).optional(),
  indicator: z
    .string()
    .regex(/^[A-Z_]+$/)
    .optional(),
  asOf: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export const householdRow = z.object({
  householdId: z.string(),
  committeeCode: z.string(),
  committeeName: z.string(),
  members: z.number(),
  score: z.number(),
  band: z.enum(BANDS),
  bandLabel: z.string(),
  deprived: z.array(z.string()),
  unknown: z.array(z.string()),
});
export const householdsPage = z.object({ asOf: z.string(), total: z.number(), items: z.array(householdRow) });

export const householdAssessment = householdRow.extend({
  asOf: z.string(),
  framework: z.object({ code: z.string(), version: z.number() }),
  indicators: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      dimension: z.string(),
      weight: z.number(),
      status: z.enum(['deprived', 'not_deprived', 'unknown']),
      help: z.array(z.string()),
      /** Not evaluable from the registry alone; evaluated with the answers of a home visit. */
      fromVisit: z.boolean(),
    }),
  ),
  /** Home-visit answers used (registry values win: an answer fills only a fact the registry lacks). */
  visit: z.object({ answers: z.number(), lastVisit: z.string().nullable() }),
  history: z.array(
    z.object({
      asOf: z.string(),
      frameworkVersion: z.number(),
      score: z.number(),
      band: z.string(),
      deprived: z.array(z.string()),
      recordedBy: z.string(),
      recordedAt: z.string(),
    }),
  ),
});

// Framework versions (drafts, preview, publish)

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const fractionValue = z.union([z.string().max(40), z.number()]);
/** A framework as edited: weights and k as fractions ("1/18") or numbers; a dimension's weight defaults to the sum of its indicators'. */
export const frameworkDefinition = z.object({
  name: z.string().min(1).max(200),
  k: fractionValue,
  dimensions: z
    .array(
      z.object({
        code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, '维度代码应为大写字母、数字和下划线'),
        name: z.string().min(1).max(100),
        weight: fractionValue.optional(),
      }),
    )
    .min(1)
    .max(50),
  indicators: z
    .array(
      z.object({
        code: z.string().regex(/^[A-Z][A-Z0-9_]*$/, '指标代码应为大写字母、数字和下划线'),
        name: z.string().min(1).max(100),
        dimension: z.string().min(1).max(40),
        weight: fractionValue,
        rule: z.string().min(1).max(4000),
        help: z.array(z.string().max(200)).max(20).default([]),
      }),
    )
    .min(1)
    .max(100),
});
export const frameworkIssue = z.object({
  where: z.string(),
  indicator: z.string().nullable(),
  message: z.string(),
  /** Position in the indicator's condition (0-based, [start, end)), when the error is in a condition. */
  start: z.number().nullable(),
  end: z.number().nullable(),
});
export const frameworkCheck = z.object({
  ok: z.boolean(),
  weightSum: z.number().nullable(),
  errors: z.array(frameworkIssue),
});
export const frameworkVersionRow = z.object({
  code: z.string(),
  version: z.number(),
  status: z.enum(['draft', 'published']),
  name: z.string(),
  /** 'file' = the shipped framework (policies/reference/assessment.yaml), the base when nothing is published. */
  source: z.enum(['file', 'database']),
  inUse: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string().nullable(),
  publishedBy: z.string().nullable(),
  publishedAt: z.string().nullable(),
  /** Why a published version is not in use although it is the latest (it cannot be read, no longer checks, or failed to assess), or null. */
  broken: z.string().nullable().optional(),
});
export const frameworkVersions = z.object({
  inUse: z.object({ code: z.string(), version: z.number() }),
  items: z.array(frameworkVersionRow),
});
export const frameworkVersionDetail = frameworkVersionRow.extend({
  definition: frameworkDefinition,
  check: frameworkCheck,
});
const figuresAF = z.object({ n: z.number(), q: z.number(), H: z.number(), A: z.number(), M0: z.number() });
export const frameworkPreview = z.object({
  asOf: z.string(),
  before: z.object({ code: z.string(), version: z.number() }),
  after: z.object({ code: z.string(), version: z.number() }),
  bands: z.object({ before: z.record(z.string(), z.number()), after: z.record(z.string(), z.number()) }),
  area: z.object({ code: z.string(), name: z.string(), before: figuresAF, after: figuresAF }),
  /** Households whose band changes. */
  changed: z.number(),
  transitions: z.array(z.object({ from: z.enum(BANDS), to: z.enum(BANDS), count: z.number() })),
  byStreet: z.array(
    z.object({ code: z.string(), name: z.string(), changed: z.number(), before: figuresAF, after: figuresAF }),
  ),
  examples: z.array(
    z.object({
      householdId: z.string(),
      committeeCode: z.string(),
      from: z.enum(BANDS),
      to: z.enum(BANDS),
      scoreBefore: z.number(),
      scoreAfter: z.number(),
    }),
  ),
});
export const previewQuery = z.object({ asOf: isoDate.optional() });

// Home-visit questionnaire

export const visitQuestion = z.object({
  key: z.string(),
  fact: z.string(),
  level: z.enum(['person', 'household']),
  /** The member asked about, by ref (the key is `fact|ref`); null for a household question. */
  member: z.object({ ref: z.string(), name: z.string(), relation: z.string().nullable(), age: z.number() }).nullable(),
  label: z.string(),
  question: z.string(),
  input: z.enum(['number', 'yes_no', 'choice']),
  choices: z.array(z.string()).nullable(),
  unit: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  indicators: z.array(z.string()),
});
export const questionnaire = z.object({
  householdId: z.string(),
  asOf: z.string(),
  framework: z.object({ code: z.string(), version: z.number() }),
  indicators: z.array(
    z.object({ code: z.string(), name: z.string(), facts: z.array(z.string()), questions: z.array(z.string()) }),
  ),
  questions: z.array(visitQuestion),
  answers: z.array(
    z.object({
      /** The member's ref, null for a household fact. */
      fact: z.string(),
      label: z.string(),
      member: z.string().nullable(),
      memberName: z.string().nullable(),
      value: z.string(),
      visitDate: z.string(),
      answeredBy: z.string(),
      answeredAt: z.string(),
      /** Used on the date asked: visited on or before it, and the registry lacks the fact. */
      applied: z.boolean(),
    }),
  ),
});
export const visitAnswersRequest = z.object({
  visitDate: isoDate,
  /** `member`: the member's ref (as the questionnaire gives it) or id number; null for a household fact. */
  answers: z
    .array(
      z.object({
        fact: z.string().min(1).max(60),
        member: z.string().max(128).nullable(),
        value: z.union([z.string().max(100), z.number(), z.boolean()]),
      }),
    )
    .min(1)
    .max(200),
});

export type FrameworkDefinition = z.infer<typeof frameworkDefinition>;
export type FrameworkCheck = z.infer<typeof frameworkCheck>;
export type FrameworkVersions = z.infer<typeof frameworkVersions>;
export type FrameworkVersionRow = z.infer<typeof frameworkVersionRow>;
export type FrameworkVersionDetail = z.infer<typeof frameworkVersionDetail>;
export type FrameworkPreview = z.infer<typeof frameworkPreview>;
export type Questionnaire = z.infer<typeof questionnaire>;
export type VisitQuestionView = z.infer<typeof visitQuestion>;
export type VisitAnswersRequest = z.infer<typeof visitAnswersRequest>;
export type FrameworkView = z.infer<typeof frameworkView>;
export type AreaAssessment = z.infer<typeof areaAssessment>;
export type HouseholdsPage = z.infer<typeof householdsPage>;
export type HouseholdAssessmentView = z.infer<typeof householdAssessment>;
