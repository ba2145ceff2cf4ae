/**
 * The worklist's filters: kept in the page's URL (a link to "TEKUN leads of 2026-11-28, new" can be
 * shared and Back returns to the same list) and turned into the query of GET /api/leads and of its
 * .xlsx export.
 */
import { FINDING_KINDS, LEAD_STATUSES, type FindingKind, type LeadStatus } from '@tingjian/engine/browser';
import type { QueryParams } from '../../api/query.ts';
import { BENEFIT_CODES } from '../../app/terms.ts';

export const PAGE_SIZES = [20, 50, 100] as const;

export interface LeadFilters {
  kind: FindingKind;
  policy: string | null;
  status: LeadStatus | null;
  ageMin: number | null;
  ageMax: number | null;
  newToday: boolean;
  /** Only findings assigned to this adviser (an adviser's "mine"). */
  assignee: string | null;
  /** 按日期测算: evaluate on this date instead of today. */
  asOf: string | null;
  page: number;
  pageSize: number;
}

export const DEFAULT_FILTERS: LeadFilters = {
  kind: 'lead',
  policy: null,
  status: null,
  ageMin: null,
  ageMax: null,
  newToday: false,
  assignee: null,
  asOf: null,
  page: 1,
  pageSize: 20,
};

/** "Clear filters": everything but the tab, the date and the page size. */
export const CLEARED: Partial<LeadFilters> = {
  policy: null,
  status: null,
  ageMin: null,
  ageMax: null,
  newToday: false,
  assignee: null,
};

function oneOf<T extends string>(values: readonly T[], v: string | null): T | null {
  return v !== null && (values as readonly string[]).includes(v) ? (v as T) : null;
}

function age(v: string | null): number | null {
  if (v === null || !/^\d{1,3}$/.test(v)) return null;
  const n = Number(v);
  return n <= 150 ? n : null;
}

function positive(v: string | null, fallback: number, max: number): number {
  const n = v !== null && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : fallback;
}

/** A real calendar date: 2026-02-30 would be refused by the server. */
export function isDate(v: string | null): v is string {
  if (v === null || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

/** Reads the filters from a URL's search part; anything invalid is dropped, not sent. */
export function filtersFromSearch(search: URLSearchParams): LeadFilters {
  const assignee = (search.get('assignee') ?? '').trim().slice(0, 64);
  const asOf = search.get('asOf');
  return {
    kind: oneOf(FINDING_KINDS, search.get('kind')) ?? 'lead',
    policy: oneOf(BENEFIT_CODES, search.get('policy')),
    status: oneOf(LEAD_STATUSES, search.get('status')),
    ageMin: age(search.get('ageMin')),
    ageMax: age(search.get('ageMax')),
    newToday: search.get('newToday') === 'true',
    assignee: assignee === '' ? null : assignee,
    asOf: isDate(asOf) ? asOf : null,
    page: positive(search.get('page'), 1, 50_000),
    pageSize: positive(search.get('pageSize'), DEFAULT_FILTERS.pageSize, 200),
  };
}

/** The filters as a URL search part, leaving out defaults so plain lists keep plain URLs. */
export function filtersToSearch(f: LeadFilters): URLSearchParams {
  const s = new URLSearchParams();
  if (f.kind !== 'lead') s.set('kind', f.kind);
  if (f.policy) s.set('policy', f.policy);
  if (f.status) s.set('status', f.status);
  if (f.ageMin !== null) s.set('ageMin', String(f.ageMin));
  if (f.ageMax !== null) s.set('ageMax', String(f.ageMax));
  if (f.newToday) s.set('newToday', 'true');
  if (f.assignee) s.set('assignee', f.assignee);
  if (f.asOf) s.set('asOf', f.asOf);
  if (f.page !== 1) s.set('page', String(f.page));
  if (f.pageSize !== DEFAULT_FILTERS.pageSize) s.set('pageSize', String(f.pageSize));
  return s;
}

/** The filters without paging: the export's query. */
export function exportQuery(f: LeadFilters, org: string | null): QueryParams {
  // A minimum above the maximum would match nobody: swap them as the user surely meant.
  const [ageMin, ageMax] =
    f.ageMin !== null && f.ageMax !== null && f.ageMin > f.ageMax ? [f.ageMax, f.ageMin] : [f.ageMin, f.ageMax];
  return {
    kind: f.kind,
    policy: f.policy,
    org,
    status: f.status,
    ageMin,
    ageMax,
    newToday: f.newToday ? 'true' : null,
    assignee: f.assignee,
    asOf: f.asOf,
  };
}

/** The query of one page of GET /api/leads. */
export function listQuery(f: LeadFilters, org: string | null): QueryParams {
  return { ...exportQuery(f, org), limit: f.pageSize, offset: (f.page - 1) * f.pageSize };
}

/** Whether any filter besides the tab and the date is set (to show a "clear filters" button). */
export function hasFilters(f: LeadFilters): boolean {
  return (
    f.policy !== null ||
    f.status !== null ||
    f.ageMin !== null ||
    f.ageMax !== null ||
    f.newToday ||
    f.assignee !== null
  );
}
