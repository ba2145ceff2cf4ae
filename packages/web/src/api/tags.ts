/**
 * The tag dictionary and crowd-selection endpoints. Their shapes come, type-only, from the
 * server's zod schemas (@tingjian/server/contract), like the registry types in types.ts, so the
 * two cannot drift.
 */
import { api, errorFromResponse, ApiError, NETWORK_ERROR } from './client.ts';
import type {
  AssignRequest,
  AssignResult,
  CountResult,
  DictionaryResponse,
  ResidentTags,
  RuleVocabulary,
  SavedSelection,
  SelectionRequest,
  SelectionResult,
  TagDetail,
  TagInput,
  TagPatch,
  TagView,
} from '@tingjian/server/contract';

export type {
  AssignRequest,
  AssignResult,
  CountResult,
  DictionaryResponse,
  ResidentTags,
  RuleVocabulary,
  SavedSelection,
  SelectionRequest,
  SelectionResult,
  TagDetail,
  TagInput,
  TagPatch,
  TagView,
};
export type SelectionRow = SelectionResult['rows'][number];
export type AreaCount = CountResult['byArea'][number];
export type ResidentTag = ResidentTags['tags'][number];
export type TagCategory = TagView['category'];
export type TagSource = TagView['source'];

/** The same lists as TAG_CATEGORY_VALUES / TAG_SOURCE_VALUES in the schema (values cannot be imported type-only). */
export const TAG_CATEGORIES: readonly TagCategory[] = ['救助类', '自治类', '身份类'];
export const TAG_SOURCES: readonly TagSource[] = ['imported', 'rule', 'manual'];

const seg = encodeURIComponent;

export const tags = {
  dictionary: (asOf?: string, signal?: AbortSignal) => api.get<DictionaryResponse>('/api/tags', { asOf }, signal),
  vocabulary: (signal?: AbortSignal) => api.get<RuleVocabulary>('/api/tags/vocabulary', undefined, signal),
  get: (id: number, asOf?: string, signal?: AbortSignal) => api.get<TagDetail>(`/api/tags/${id}`, { asOf }, signal),
  create: (input: TagInput) => api.post<TagView>('/api/tags', input),
  update: (id: number, patch: TagPatch) => api.patch<TagView>(`/api/tags/${id}`, patch),
  remove: (id: number) => api.delete<{ ok: boolean }>(`/api/tags/${id}`),
  assign: (id: number, request: AssignRequest) => api.post<AssignResult>(`/api/tags/${id}/assignments`, request),
  /** `ref`: the resident's ref as lists give it (an id number is taken too). */
  unassign: (id: number, ref: string) => api.delete<{ ok: boolean }>(`/api/tags/${id}/assignments/${seg(ref)}`),
  ofResident: (ref: string, signal?: AbortSignal) =>
    api.get<ResidentTags>(`/api/residents/${seg(ref)}/tags`, undefined, signal),
};

export const selections = {
  count: (expression: string, asOf?: string) =>
    api.post<CountResult>('/api/selections/count', { expression, ...(asOf ? { asOf } : {}) }),
  query: (request: SelectionRequest) => api.post<SelectionResult>('/api/selections/query', request),
  export: (request: { expression: string; rank?: string[]; asOf?: string }) =>
    postDownload('/api/selections/export.xlsx', request),
  saved: (signal?: AbortSignal) => api.get<{ items: SavedSelection[] }>('/api/selections/saved', undefined, signal),
  save: (input: { name: string; expression: string; rank: string[] }) =>
    api.post<SavedSelection>('/api/selections/saved', input),
  removeSaved: (id: number) => api.delete<{ ok: boolean }>(`/api/selections/saved/${id}`),
};

/** The file name in a Content-Disposition header (`filename*=UTF-8''…` or `filename="…"`), else null. */
export function filenameFromDisposition(disposition: string | null): string | null {
  const match = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition ?? '');
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/**
 * A download answered to a POST: the selection export sends its expression in the body (it may
 * be long and holds tag names, which do not belong in URLs and access logs). `api.download` is
 * GET-only, so this is fetch with the same error handling.
 */
export async function postDownload(path: string, body: unknown): Promise<{ blob: Blob; filename: string | null }> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'same-origin',
      headers: {
        accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet, application/json',
        'content-type': 'application/json',
      },
      body: JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, NETWORK_ERROR, '无法连接服务器，请检查网络后重试');
  }
  if (!response.ok) throw errorFromResponse(response.status, await response.text());
  return {
    blob: await response.blob(),
    filename: filenameFromDisposition(response.headers.get('content-disposition')),
  };
}
