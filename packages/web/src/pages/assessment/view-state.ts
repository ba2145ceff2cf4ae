/**
 * The assessment page's choices, kept in its URL: the date (按日期评估), the comparison date and
 * the drill-down's filters and page. A link to "the poor households of 华阳路街道 deprived in
 * income on 2026-11-28" can be shared, and Back from a household returns to the same list.
 */
import { BANDS, type Band, type HouseholdsQuery } from '../../api/assessment.ts';
import { isIsoDate } from './figures.ts';

export const PAGE_SIZES = [10, 20, 50] as const;

export interface AssessmentView {
  /** 按日期评估: null = today (the server's). */
  asOf: string | null;
  /** The second date of the comparison, or none. */
  compare: string | null;
  /** Drill-down: one unit below the current area (chosen in the chart or the heat table), or the whole area. */
  unit: string | null;
  band: Band | null;
  indicator: string | null;
  page: number;
  pageSize: number;
}

export const DEFAULT_VIEW: AssessmentView = {
  asOf: null,
  compare: null,
  unit: null,
  band: null,
  indicator: null,
  page: 1,
  pageSize: 10,
};

/** The drill-down's filters, cleared ("清除筛选"); the dates and the page size stay. */
export const CLEARED: Partial<AssessmentView> = { unit: null, band: null, indicator: null };

function positive(v: string | null, fallback: number, max: number): number {
  const n = v !== null && /^\d+$/.test(v) ? Number(v) : NaN;
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : fallback;
}

/** Reads the view from a URL's search part; anything the server would refuse is dropped, not sent. */
export function viewFromSearch(search: URLSearchParams): AssessmentView {
  const band = search.get('band');
  const unit = search.get('unit');
  const indicator = search.get('indicator');
  const size = Number(search.get('pageSize'));
  return {
    asOf: isIsoDate(search.get('asOf')) ? search.get('asOf') : null,
    compare: isIsoDate(search.get('compare')) ? search.get('compare') : null,
    unit: unit !== null && /^\d{2,12}$/.test(unit) ? unit : null,
    band: band !== null && (BANDS as readonly string[]).includes(band) ? (band as Band) : null,
    indicator: indicator !== null && /^[A-Z_]{1,40}$/.test(indicator) ? indicator : null,
    page: positive(search.get('page'), 1, 10_000),
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : DEFAULT_VIEW.pageSize,
  };
}

/** Writes the view back, leaving out what is at its default so URLs stay short. */
export function viewToSearch(view: AssessmentView): URLSearchParams {
  const out = new URLSearchParams();
  if (view.asOf) out.set('asOf', view.asOf);
  if (view.compare) out.set('compare', view.compare);
  if (view.unit) out.set('unit', view.unit);
  if (view.band) out.set('band', view.band);
  if (view.indicator) out.set('indicator', view.indicator);
  if (view.page !== 1) out.set('page', String(view.page));
  if (view.pageSize !== DEFAULT_VIEW.pageSize) out.set('pageSize', String(view.pageSize));
  return out;
}

export function hasDrillFilters(view: AssessmentView): boolean {
  return view.unit !== null || view.band !== null || view.indicator !== null;
}

/** GET /api/assessment/households for the view: the chosen sub-unit, else the current area. */
export function householdsQuery(view: AssessmentView, orgCode: string | null): HouseholdsQuery {
  return {
    org: view.unit ?? orgCode,
    band: view.band,
    indicator: view.indicator,
    asOf: view.asOf,
    limit: view.pageSize,
    offset: (view.page - 1) * view.pageSize,
  };
}

/** The household page, on the same date as the list it was opened from (its assessment card reads `asOf`). */
export function householdPath(householdId: string, asOf: string | null): string {
  return `/households/${encodeURIComponent(householdId)}${asOf ? `?asOf=${asOf}` : ''}`;
}
