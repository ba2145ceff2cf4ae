/**
 * The needs assessment (需求评估): the framework, an area's multidimensional figures (Alkire–Foster
 * n, q, H, A, M0 and each indicator's contribution) with those of the units below it, the
 * households by score, and one household's assessment with its recorded history. The shapes come,
 * type-only, from the server's zod schemas (@tingjian/server/contract), like the registry types
 * in types.ts, so the two cannot drift.
 */
import { api } from './client.ts';
import { buildQuery } from './query.ts';
import type {
  AreaAssessment,
  FrameworkCheck,
  FrameworkDefinition,
  FrameworkPreview,
  FrameworkVersionDetail,
  FrameworkVersions,
  FrameworkView,
  HouseholdAssessmentView,
  HouseholdsPage,
  Questionnaire,
  VisitAnswersRequest,
  VisitQuestionView,
} from '@tingjian/server/contract';

export type {
  AreaAssessment,
  FrameworkCheck,
  FrameworkDefinition,
  FrameworkPreview,
  FrameworkVersionDetail,
  FrameworkVersions,
  FrameworkView,
  HouseholdAssessmentView,
  HouseholdsPage,
  Questionnaire,
  VisitAnswersRequest,
  VisitQuestionView,
};
export type FrameworkVersionRow = FrameworkVersions['items'][number];
export type FrameworkIssue = FrameworkCheck['errors'][number];
/** One unit's figures: n, q, H, A, M0, and per indicator the censored headcount ratio and the contribution to M0. */
export type AreaFigures = AreaAssessment['unit'];
export type HouseholdRow = HouseholdsPage['items'][number];
export type Band = HouseholdRow['band'];
export type FrameworkIndicator = FrameworkView['indicators'][number];
export type FrameworkDimension = FrameworkView['dimensions'][number];
export type HouseholdIndicator = HouseholdAssessmentView['indicators'][number];
export type IndicatorStatus = HouseholdIndicator['status'];
export type RecordedAssessment = HouseholdAssessmentView['history'][number];

/**
 * The same list as BANDS in the schema, from least to most deprived (values cannot be imported
 * type-only); the `satisfies` and the check below fail to compile if the server adds a band.
 */
export const BANDS = ['none', 'vulnerable', 'poor', 'severe'] as const satisfies readonly Band[];
type MissingBand = Exclude<Band, (typeof BANDS)[number]>;
const _allBands: [MissingBand] extends [never] ? true : MissingBand = true;
void _allBands;

export interface HouseholdsQuery {
  org?: string | null;
  band?: Band | null;
  indicator?: string | null;
  asOf?: string | null;
  limit?: number;
  offset?: number;
}

const seg = encodeURIComponent;

export const assessment = {
  framework: (signal?: AbortSignal) => api.get<FrameworkView>('/api/assessment/framework', undefined, signal),
  /** `org` null = the user's own area; `asOf` null = the server's today. */
  areas: (org: string | null, asOf?: string | null, signal?: AbortSignal) =>
    api.get<AreaAssessment>('/api/assessment/areas', { org, asOf }, signal),
  households: (query: HouseholdsQuery, signal?: AbortSignal) =>
    api.get<HouseholdsPage>('/api/assessment/households', { ...query }, signal),
  household: (householdId: string, asOf?: string | null, signal?: AbortSignal) =>
    api.get<HouseholdAssessmentView>(`/api/households/${seg(householdId)}/assessment`, { asOf }, signal),
  /** Stores the assessment of that date with the framework's version; answers the view with the new history row. */
  record: (householdId: string, asOf?: string | null) =>
    api.post<HouseholdAssessmentView>(
      `/api/households/${seg(householdId)}/assessment${buildQuery({ asOf })}`,
      undefined,
    ),

  // Framework versions (district admins edit, preview and publish)
  versions: (signal?: AbortSignal) => api.get<FrameworkVersions>('/api/assessment/frameworks', undefined, signal),
  version: (version: number, signal?: AbortSignal) =>
    api.get<FrameworkVersionDetail>(`/api/assessment/frameworks/${version}`, undefined, signal),
  /** Checks a definition without storing it: weight sum, k, conditions with error positions. */
  check: (definition: FrameworkDefinition) => api.post<FrameworkCheck>('/api/assessment/frameworks/check', definition),
  /** A new draft: a copy of the framework in use when no definition is given. */
  createDraft: (definition?: FrameworkDefinition) =>
    api.post<FrameworkVersionDetail>('/api/assessment/frameworks', definition),
  updateDraft: (version: number, definition: FrameworkDefinition) =>
    api.patch<FrameworkVersionDetail>(`/api/assessment/frameworks/${version}`, definition),
  preview: (version: number, asOf?: string | null) =>
    api.post<FrameworkPreview>(`/api/assessment/frameworks/${version}/preview${buildQuery({ asOf })}`, undefined),
  publish: (version: number) =>
    api.post<FrameworkVersionDetail>(`/api/assessment/frameworks/${version}/publish`, undefined),

  // The home-visit questionnaire
  questionnaire: (householdId: string, asOf?: string | null, signal?: AbortSignal) =>
    api.get<Questionnaire>(`/api/households/${seg(householdId)}/questionnaire`, { asOf }, signal),
  /** Stores a visit's answers; answers the household's assessment with them applied. */
  answer: (householdId: string, asOf: string | null | undefined, body: VisitAnswersRequest) =>
    api.post<HouseholdAssessmentView>(`/api/households/${seg(householdId)}/visit-answers${buildQuery({ asOf })}`, body),
};
