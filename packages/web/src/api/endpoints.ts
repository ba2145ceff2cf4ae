/** The server's endpoints as typed functions. */
import { api } from './client.ts';
import type { QueryParams } from './query.ts';
import type {
  HouseholdView,
  ImportSummary,
  NewUser,
  OrgNode,
  Overview,
  Resident360,
  ResidentPage,
  SessionUser,
  UserAccount,
} from './types.ts';

const seg = encodeURIComponent;

export const session = {
  current: () => api.get<{ user: SessionUser }>('/api/session'),
  login: (username: string, password: string) =>
    api.post<{ user: SessionUser }>('/api/session', { username, password }),
  logout: () => api.delete<{ ok: boolean }>('/api/session'),
};

export const org = {
  tree: () => api.get<OrgNode>('/api/org/tree'),
};

export const stats = {
  overview: (orgCode: string | null, signal?: AbortSignal) =>
    api.get<Overview>('/api/stats/overview', { org: orgCode }, signal),
};

export const residents = {
  list: (query: QueryParams, signal?: AbortSignal) => api.get<ResidentPage>('/api/residents', query, signal),
  export: (query: QueryParams) => api.download('/api/residents/export.xlsx', query),
  /** One resident, by the ref a list gives (or an id number). */
  get: (ref: string, signal?: AbortSignal) => api.get<Resident360>(`/api/residents/${seg(ref)}`, undefined, signal),
};

export const households = {
  get: (householdId: string, signal?: AbortSignal) =>
    api.get<HouseholdView>(`/api/households/${seg(householdId)}`, undefined, signal),
};

export const imports = {
  upload: (file: Blob, filename: string, onProgress: (fraction: number) => void, signal?: AbortSignal) =>
    api.upload<ImportSummary>('/api/imports', file, filename, onProgress, signal),
};

export const users = {
  list: (signal?: AbortSignal) => api.get<{ items: UserAccount[] }>('/api/users', undefined, signal),
  create: (user: NewUser) => api.post<{ ok: boolean }>('/api/users', user),
  unlock: (username: string) => api.post<{ ok: boolean }>(`/api/users/${encodeURIComponent(username)}/unlock`, {}),
};
