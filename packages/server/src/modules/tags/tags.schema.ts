/**
 * Request and response schemas of the tag and crowd-selection endpoints: validation, OpenAPI and
 * the TypeScript types (the web app imports them type-only). Imports nothing but zod.
 */
import { z } from 'zod';
import { residentKey } from '../registry/registry.schema.ts';

export const TAG_CATEGORY_VALUES = ['救助类', '自治类', '身份类'] as const;
export const TAG_SOURCE_VALUES = ['imported', 'rule', 'manual'] as const;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, '日期应为 YYYY-MM-DD');
const areaCount = z.object({ code: z.string(), name: z.string(), level: z.string(), count: z.number() });

export const tagView = z.object({
  id: z.number(),
  code: z.string(),
  category: z.enum(TAG_CATEGORY_VALUES),
  source: z.enum(TAG_SOURCE_VALUES),
  ownerCode: z.string(),
  ownerName: z.string(),
  ownerLevel: z.string(),
  description: z.string(),
  /** Who keeps the tag (a department or person). */
  keeper: z.string().nullable(),
  rule: z.string().nullable(),
  /** Why a rule tag counts nobody: its stored rule cannot be used (nested past the cap, no longer checks, fails to evaluate); null when it works. */
  broken: z.string().nullable().optional(),
  /** Whether the caller may change it (only the owning unit's workers may). */
  editable: z.boolean(),
  /** Residents in the caller's scope carrying it on the date. */
  count: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});

export const dictionaryResponse = z.object({
  asOf: z.string(),
  /** The levels the caller can see, from the city down to the caller's unit, each with its tags. */
  levels: z.array(z.object({ code: z.string(), name: z.string(), level: z.string(), tags: z.array(tagView) })),
});

export const tagDetail = tagView.extend({
  asOf: z.string(),
  /** The count in each unit directly below the caller's unit. */
  byArea: z.array(areaCount),
});

const tagCode = z
  .string()
  .trim()
  .min(1, '标签名不能为空')
  .max(32, '标签名至多 32 个字')
  .refine((s) => !/[\s()（）"]/.test(s), '标签名不能含空格、括号或引号')
  .refine((s) => !['AND', 'OR', 'NOT'].includes(s.toUpperCase()), '标签名不能是 AND、OR、NOT');

export const tagInput = z.object({
  code: tagCode,
  category: z.enum(TAG_CATEGORY_VALUES),
  source: z.enum(['rule', 'manual']),
  description: z.string().trim().min(1, '请说明标签的含义').max(500),
  keeper: z.string().trim().max(64).optional(),
  /** Rule tags: the condition in the rule language, e.g. `age >= 60 && household.size == 1`. */
  rule: z.string().trim().max(2000).optional(),
});

export const tagPatch = z.object({
  category: z.enum(TAG_CATEGORY_VALUES).optional(),
  description: z.string().trim().min(1).max(500).optional(),
  keeper: z.string().trim().max(64).nullable().optional(),
  rule: z.string().trim().max(2000).optional(),
});

export const selectionRequest = z.object({
  expression: z.string().max(2000),
  /** Tag codes to rank by: residents carrying more of them come first. */
  rank: z.array(z.string().min(1).max(32)).max(20).optional(),
  asOf: isoDate.optional(),
  offset: z.number().int().min(0).max(10_000_000).default(0),
  limit: z.number().int().min(0).max(500).default(20),
});

export const selectionRow = z.object({
  /** The resident's ref (resident-ref.ts): lists give no full id numbers. */
  ref: z.string(),
  idNumberMasked: z.string(),
  name: z.string(),
  gender: z.string(),
  age: z.number(),
  committeeCode: z.string(),
  committeeName: z.string(),
  householdId: z.string(),
  /** How many of the ranking tags the resident carries. */
  rank: z.number(),
  /** Which of the ranking tags the resident carries. */
  rankTags: z.array(z.string()),
});

export const selectionResult = z.object({
  asOf: z.string(),
  /** The expression as the system read it (normalised). */
  expression: z.string(),
  count: z.number(),
  /** Residents by number of ranking tags carried: byRank[r] carry exactly r (null without ranking). */
  byRank: z.array(z.number()).nullable(),
  byArea: z.array(areaCount),
  rows: z.array(selectionRow),
  hasMore: z.boolean(),
});

export const countRequest = z.object({ expression: z.string().max(2000), asOf: isoDate.optional() });
export const countResult = z.object({
  asOf: z.string(),
  expression: z.string(),
  count: z.number(),
  byArea: z.array(areaCount),
});

export const assignRequest = z.object({
  /** Residents by id number or by ref (as lists give them), or everyone a selection finds (at most 10,000 at a time). */
  idNumbers: z.array(residentKey).max(10_000).optional(),
  selection: countRequest.optional(),
  reason: z.string().trim().min(1, '请填写标注原因').max(200),
  evidence: z.string().trim().max(500).optional(),
  validFrom: isoDate.optional(),
  validTo: isoDate.optional(),
});

export const assignResult = z.object({
  assigned: z.number(),
  /** Residents left out, each with the reason (outside your area, outside the tag's area, already tagged). */
  skipped: z.array(
    z.object({
      /** The resident's ref; for a ref that does not open, the ref as given. */
      ref: z.string(),
      /** The id number masked; null when the ref given does not open. */
      idNumberMasked: z.string().nullable(),
      reason: z.string(),
    }),
  ),
});

export const savedSelection = z.object({
  id: z.number(),
  name: z.string(),
  expression: z.string(),
  rank: z.array(z.string()),
  createdBy: z.string(),
  createdAt: z.string(),
});
export const savedSelectionInput = z.object({
  name: z.string().trim().min(1).max(64),
  expression: z.string().min(1).max(2000),
  rank: z.array(z.string().min(1).max(32)).max(20).default([]),
});

export const residentTag = z.object({
  id: z.number(),
  code: z.string(),
  category: z.string(),
  source: z.enum(TAG_SOURCE_VALUES),
  ownerName: z.string(),
  /** For manual tags: who set it, when, why, evidence, validity. */
  assignment: z
    .object({
      reason: z.string(),
      evidence: z.string().nullable(),
      assignedBy: z.string(),
      assignedAt: z.string(),
      validFrom: z.string().nullable(),
      validTo: z.string().nullable(),
    })
    .nullable(),
});
export const residentTags = z.object({ asOf: z.string(), tags: z.array(residentTag) });

/** The facts and functions a rule tag may use, for the rule editor's help. */
export const ruleVocabulary = z.object({
  facts: z.array(
    z.object({ name: z.string(), type: z.string(), label: z.string(), values: z.array(z.string()).nullable() }),
  ),
  functions: z.array(z.object({ name: z.string(), label: z.string(), argValues: z.array(z.string()) })),
});

export type TagView = z.infer<typeof tagView>;
export type DictionaryResponse = z.infer<typeof dictionaryResponse>;
export type TagDetail = z.infer<typeof tagDetail>;
export type TagInput = z.infer<typeof tagInput>;
export type TagPatch = z.infer<typeof tagPatch>;
export type SelectionRequest = z.infer<typeof selectionRequest>;
export type SelectionResult = z.infer<typeof selectionResult>;
export type CountResult = z.infer<typeof countResult>;
export type AssignRequest = z.infer<typeof assignRequest>;
export type AssignResult = z.infer<typeof assignResult>;
export type SavedSelection = z.infer<typeof savedSelection>;
export type ResidentTags = z.infer<typeof residentTags>;
export type RuleVocabulary = z.infer<typeof ruleVocabulary>;
