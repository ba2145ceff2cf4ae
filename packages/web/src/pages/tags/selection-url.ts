/**
 * The applied selection lives in the URL (?q=…&rank=…&page=…&size=…), like the resident list's
 * filters: Back returns to the same list, and a link from a tag's page opens a selection of it.
 * Ranking codes repeat the `rank` parameter (codes may contain commas).
 */

export const SELECTION_PAGE_SIZES = [20, 50, 100] as const;
const DEFAULT_SIZE = 20;
const MAX_RANK = 20;

export interface AppliedSelection {
  readonly expression: string;
  readonly rank: readonly string[];
  readonly page: number;
  readonly pageSize: number;
}

function positiveInt(s: string | null, fallback: number): number {
  const n = Number(s);
  return Number.isInteger(n) && n >= 1 ? n : fallback;
}

/** The applied selection, or null when the URL has no expression. */
export function appliedFromSearch(search: URLSearchParams): AppliedSelection | null {
  const expression = (search.get('q') ?? '').trim();
  if (expression === '') return null;
  const size = positiveInt(search.get('size'), DEFAULT_SIZE);
  const rank = [
    ...new Set(
      search
        .getAll('rank')
        .map((r) => r.trim())
        .filter((r) => r !== ''),
    ),
  ].slice(0, MAX_RANK);
  return {
    expression,
    rank,
    page: positiveInt(search.get('page'), 1),
    pageSize: (SELECTION_PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_SIZE,
  };
}

export function appliedToSearch(applied: AppliedSelection): URLSearchParams {
  const search = new URLSearchParams();
  search.set('q', applied.expression.trim());
  for (const r of applied.rank) search.append('rank', r);
  if (applied.page !== 1) search.set('page', String(applied.page));
  if (applied.pageSize !== DEFAULT_SIZE) search.set('size', String(applied.pageSize));
  return search;
}

/** The link that opens a selection of one expression (e.g. from a tag's page). */
export function selectionHref(expression: string, rank: readonly string[] = []): string {
  return `/selections?${appliedToSearch({ expression, rank, page: 1, pageSize: DEFAULT_SIZE }).toString()}`;
}

/** The request of one page of the applied selection. */
export function queryRequest(applied: AppliedSelection): {
  expression: string;
  rank: string[];
  offset: number;
  limit: number;
} {
  return {
    expression: applied.expression,
    rank: [...applied.rank],
    offset: (applied.page - 1) * applied.pageSize,
    limit: applied.pageSize,
  };
}
