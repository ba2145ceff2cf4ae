/**
 * The resident list's filters: kept in the page's URL (so Back from a 360 view returns to the
 * same list) and turned into the query of GET /api/residents and of the .xlsx export.
 */
import { GENDERS, HUKOU } from '@tingjian/engine/browser';
import type { QueryParams } from '../../api/query.ts';
import { BENEFIT_CODES } from '../../app/terms.ts';

export { GENDERS, HUKOU };
export const DISABILITY = ['any', 'severe', 'none'] as const;
export const SORT_FIELDS = ['id_number', 'name', 'birth_date'] as const;
export const PAGE_SIZES = [20, 50, 100] as const;

export interface ResidentFilters {
  q: string;
  ageMin: number | null;
  ageMax: number | null;
  gender: (typeof GENDERS)[number] | null;
  hukou: (typeof HUKOU)[number] | null;
  disability: (typeof DISABILITY)[number] | null;
  benefit: string | null;
  sort: (typeof SORT_FIELDS)[number] | null;
  order: 'asc' | 'desc' | null;
  page: number;
  pageSize: number;
}

export const DEFAULT_FILTERS: ResidentFilters = {
  q: '',
  ageMin: null,
  ageMax: null,
  gender: null,
  hukou: null,
  disability: null,
  benefit: null,
  sort: null,
  order: null,
  page: 1,
  pageSize: 20,
};

/** The server refuses longer search text. */
export const MAX_QUERY_LENGTH = 64;

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

/** Reads the filters from a URL's search part; anything invalid is dropped, not sent. */
export function filtersFromSearch(search: URLSearchParams): ResidentFilters {
  const pageSize = positive(search.get('pageSize'), DEFAULT_FILTERS.pageSize, 200);
  return {
    q: (search.get('q') ?? '').slice(0, MAX_QUERY_LENGTH),
    ageMin: age(search.get('ageMin')),
    ageMax: age(search.get('ageMax')),
    gender: oneOf(GENDERS, search.get('gender')),
    hukou: oneOf(HUKOU, search.get('hukou')),
    disability: oneOf(DISABILITY, search.get('disability')),
    benefit: oneOf(BENEFIT_CODES, search.get('benefit')),
    sort: oneOf(SORT_FIELDS, search.get('sort')),
    order: oneOf(['asc', 'desc'] as const, search.get('order')),
    page: positive(search.get('page'), 1, 50_000),
    pageSize,
  };
}

/** The filters as a URL search part, leaving out defaults so plain lists keep plain URLs. */
export function filtersToSearch(f: ResidentFilters): URLSearchParams {
  const s = new URLSearchParams();
  if (f.q.trim() !== '') s.set('q', f.q.trim());
  if (f.ageMin !== null) s.set('ageMin', String(f.ageMin));
  if (f.ageMax !== null) s.set('ageMax', String(f.ageMax));
  if (f.gender) s.set('gender', f.gender);
  if (f.hukou) s.set('hukou', f.hukou);
  if (f.disability) s.set('disability', f.disability);
  if (f.benefit) s.set('benefit', f.benefit);
  if (f.sort) s.set('sort', f.sort);
  if (f.order) s.set('order', f.order);
  if (f.page !== 1) s.set('page', String(f.page));
  if (f.pageSize !== DEFAULT_FILTERS.pageSize) s.set('pageSize', String(f.pageSize));
  return s;
}

/** The filters and sort without paging: the export's query, and the key under which a total holds. */
export function exportQuery(f: ResidentFilters, org: string | null): QueryParams {
  // A minimum above the maximum would match nobody: swap them as the user surely meant.
  const [ageMin, ageMax] =
    f.ageMin !== null && f.ageMax !== null && f.ageMin > f.ageMax ? [f.ageMax, f.ageMin] : [f.ageMin, f.ageMax];
  return {
    q: f.q.trim().slice(0, MAX_QUERY_LENGTH),
    org,
    ageMin,
    ageMax,
    gender: f.gender,
    hukou: f.hukou,
    disability: f.disability,
    benefit: f.benefit,
    sort: f.sort,
    order: f.sort ? (f.order ?? 'asc') : null,
  };
}

/** The query of one page of GET /api/residents. */
export function listQuery(f: ResidentFilters, org: string | null): QueryParams {
  return { ...exportQuery(f, org), limit: f.pageSize, offset: (f.page - 1) * f.pageSize };
}

/** What decides the total: filters and area, not sort or page. */
export function totalKey(f: ResidentFilters, org: string | null): string {
  const { sort: _s, order: _o, ...rest } = exportQuery(f, org);
  return JSON.stringify(rest);
}

/**
 * The row count for the pager. The server counts only on the first page; on later pages the
 * total counted before is used, and without one (a deep link) the pager offers one more page
 * while the server says there is more.
 */
export function pagerTotal(
  known: number | null,
  offset: number,
  itemCount: number,
  hasMore: boolean,
  pageSize: number,
  capped = false,
): number {
  const seen = offset + itemCount + (hasMore ? pageSize : 0);
  // A capped count is a floor: pages past it still open while there are more.
  if (known !== null) return capped ? Math.max(known, seen) : Math.max(known, offset + itemCount);
  return seen;
}

/** Whether any filter besides the search text is set (to show a "clear filters" button). */
export function hasFilters(f: ResidentFilters): boolean {
  return (
    f.ageMin !== null ||
    f.ageMax !== null ||
    f.gender !== null ||
    f.hukou !== null ||
    f.disability !== null ||
    f.benefit !== null
  );
}
