/** Schemas of the assessment endpoints (validation, OpenAPI, types for the web app). Imports nothing but zod. */
import { z } from 'zod';

export const BANDS = ['none', 'vulnerable', 'poor', 'severe'] as const;
export const BAND_LABELS: Record<(typeof BANDS)[number], string> = { none: '无困境', vulnerable: '脆弱', poor: '困难', severe: '深度困难' };

export const frameworkView = z.object({
  code: z.string(), name: z.string(), version: z.number(), k: z.number(),
  dimensions: z.array(z.object({ code: z.string(), name: z.string(), weight: z.number() })),
  indicators: z.array(z.object({ code: z.string(), name: z.string(), dimension: z.string(), weight: z.number(), rule: z.string(), help: z.array(z.string()) })),
});

const figures = z.object({
  code: z.string(), name: z.string(), level: z.string(),
  n: z.number(), q: z.number(), H: z.number(), A: z.number(), M0: z.number(),
  censored: z.record(z.string(), z.number()), contributions: z.record(z.string(), z.number()),
});
export const areaAssessment = z.object({
  asOf: z.string(), framework: z.object({ code: z.string(), version: z.number() }),
  unit: figures,
  children: z.array(figures),
  bands: z.record(z.string(), z.number()),
});

export const householdsQuery = z.object({
  org: z.string().regex(/^\d{2,12}$/, '应为行政区划代码').optional(),
  band: z.enum(BANDS).optional(),
  indicator: z.string().regex(/^[A-Z_]+$/).optional(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  offset: z.coerce.number().int().min(0).default(0),
});
export const householdRow = z.object({
  householdId: z.string(), committeeCode: z.string(), committeeName: z.string(), members: z.number(),
  score: z.number(), band: z.enum(BANDS), bandLabel: z.string(), deprived: z.array(z.string()), unknown: z.array(z.string()),
});
export const householdsPage = z.object({ asOf: z.string(), total: z.number(), items: z.array(householdRow) });

export const householdAssessment = householdRow.extend({
  asOf: z.string(), framework: z.object({ code: z.string(), version: z.number() }),
  indicators: z.array(z.object({ code: z.string(), name: z.string(), dimension: z.string(), weight: z.number(), status: z.enum(['deprived', 'not_deprived', 'unknown']), help: z.array(z.string()) })),
  history: z.array(z.object({ asOf: z.string(), frameworkVersion: z.number(), score: z.number(), band: z.string(), deprived: z.array(z.string()), recordedBy: z.string(), recordedAt: z.string() })),
});

export type FrameworkView = z.infer<typeof frameworkView>;
export type AreaAssessment = z.infer<typeof areaAssessment>;
export type HouseholdsPage = z.infer<typeof householdsPage>;
export type HouseholdAssessmentView = z.infer<typeof householdAssessment>;
