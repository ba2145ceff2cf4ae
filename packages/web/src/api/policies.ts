/**
 * The policy pack, the leads worklist (待主动发现 / 待复核), eligibility explanations and the
 * public self-screener. Their shapes come, type-only, from the server's zod schemas
 * (@tingjian/server/contract), like the registry types in types.ts, so the two cannot drift.
 */
import { api } from './client.ts';
import type { QueryParams } from './query.ts';
import type {
  EligibilityView,
  LeadRow,
  LeadsPage,
  LeadsSummary,
  LeadUpdate,
  PackView,
  PolicyExplanationView,
  ScreenerRequest,
  ScreenerResult,
  TraceNode,
  LocalPolicyDefinitionView,
  LocalPolicyInput,
  LocalPolicyList,
  LocalPolicySimulateResult,
  LocalPolicyStatus,
  LocalPolicyVersionView,
  LocalPolicyView,
} from '@tingjian/server/contract';

export type {
  LocalPolicyDefinitionView,
  LocalPolicyInput,
  LocalPolicyList,
  LocalPolicySimulateResult,
  LocalPolicyStatus,
  LocalPolicyVersionView,
  LocalPolicyView,
};
export type {
  EligibilityView,
  LeadRow,
  LeadsPage,
  LeadsSummary,
  LeadUpdate,
  PackView,
  PolicyExplanationView,
  ScreenerRequest,
  ScreenerResult,
  TraceNode,
};
export type LeadStatus = LeadRow['status'];
export type FindingKind = LeadRow['kind'];
export type Outcome = TraceNode['outcome'];
export type LeadEvent = EligibilityView['events'][number];
export type PolicyView = PackView['policies'][number];
export type ParameterView = PackView['parameters'][number];
export type ScreenerMember = ScreenerRequest['members'][number];
export type ScreenerMemberResult = ScreenerResult['members'][number];
export type ScreenerPolicyResult = ScreenerMemberResult['results'][number];

export interface Adviser {
  username: string;
  displayName: string;
  orgCode: string;
  orgName: string;
}

const seg = encodeURIComponent;

export const policies = {
  pack: (asOf?: string, signal?: AbortSignal) => api.get<PackView>('/api/policies', { asOf }, signal),
};

/** Local policies of a district or street: drafts, simulation, publishing, withdrawal. */
export const localPolicies = {
  list: (signal?: AbortSignal) => api.get<LocalPolicyList>('/api/local-policies', undefined, signal),
  create: (input: LocalPolicyInput) => api.post<LocalPolicyView>('/api/local-policies', input),
  save: (code: string, input: LocalPolicyInput) =>
    api.patch<LocalPolicyView>(`/api/local-policies/${seg(code)}`, input),
  simulate: (code: string, asOf?: string) =>
    api.post<LocalPolicySimulateResult>(`/api/local-policies/${seg(code)}/simulate`, asOf ? { asOf } : {}),
  publish: (code: string) => api.post<LocalPolicyView>(`/api/local-policies/${seg(code)}/publish`, {}),
  withdraw: (code: string) => api.post<LocalPolicyView>(`/api/local-policies/${seg(code)}/withdraw`, {}),
};

export const leads = {
  list: (query: QueryParams, signal?: AbortSignal) => api.get<LeadsPage>('/api/leads', query, signal),
  export: (query: QueryParams) => api.download('/api/leads/export.xlsx', query),
  update: (update: LeadUpdate) => api.patch<LeadRow>('/api/leads', update),
  summary: (org: string | null, asOf?: string, signal?: AbortSignal) =>
    api.get<LeadsSummary>('/api/leads/summary', { org, asOf }, signal),
};

export const eligibility = {
  /** `ref`: the resident's ref as lists give it (an id number is taken too). */
  get: (ref: string, asOf?: string, signal?: AbortSignal) =>
    api.get<EligibilityView>(`/api/residents/${seg(ref)}/eligibility`, { asOf }, signal),
};

export const advisers = {
  list: (org: string | null, signal?: AbortSignal) => api.get<{ items: Adviser[] }>('/api/advisers', { org }, signal),
};

export const screener = {
  /** No session needed; the server stores nothing of what is sent. */
  submit: (request: ScreenerRequest) => api.post<ScreenerResult>('/api/screener', request),
};
