import { describe, expect, it } from 'vitest';
import {
  DEFAULT_VIEW,
  hasDrillFilters,
  householdPath,
  householdsQuery,
  viewFromSearch,
  viewToSearch,
} from './view-state.ts';

describe('the assessment page URL', () => {
  it('round-trips every choice and leaves defaults out', () => {
    const view = {
      asOf: '2026-11-28',
      compare: '2025-11-28',
      unit: '310105001',
      band: 'poor' as const,
      indicator: 'INCOME',
      page: 3,
      pageSize: 20,
    };
    const search = viewToSearch(view);
    expect(search.toString()).toBe(
      'asOf=2026-11-28&compare=2025-11-28&unit=310105001&band=poor&indicator=INCOME&page=3&pageSize=20',
    );
    expect(viewFromSearch(search)).toEqual(view);
    expect(viewToSearch(DEFAULT_VIEW).toString()).toBe('');
  });

  it('drops what the server would refuse', () => {
    const view = viewFromSearch(
      new URLSearchParams(
        'asOf=2026-02-30&compare=yesterday&unit=abc&band=awful&indicator=income;drop&page=-2&pageSize=7',
      ),
    );
    expect(view).toEqual(DEFAULT_VIEW);
  });

  it('asks for the chosen sub-unit, else the current area, a page at a time', () => {
    const view = { ...DEFAULT_VIEW, band: 'poor' as const, page: 2 };
    expect(householdsQuery(view, '310105')).toEqual({
      org: '310105',
      band: 'poor',
      indicator: null,
      asOf: null,
      limit: 10,
      offset: 10,
    });
    expect(householdsQuery({ ...view, unit: '310105001', indicator: 'CARE', asOf: '2026-11-28' }, null)).toEqual({
      org: '310105001',
      band: 'poor',
      indicator: 'CARE',
      asOf: '2026-11-28',
      limit: 10,
      offset: 10,
    });
  });

  it('knows when the drill-down is filtered', () => {
    expect(hasDrillFilters(DEFAULT_VIEW)).toBe(false);
    expect(hasDrillFilters({ ...DEFAULT_VIEW, asOf: '2026-11-28' })).toBe(false);
    expect(hasDrillFilters({ ...DEFAULT_VIEW, indicator: 'CARE' })).toBe(true);
  });

  it("opens a household on the list's date", () => {
    expect(householdPath('H0000154', '2026-11-28')).toBe('/households/H0000154?asOf=2026-11-28');
    expect(householdPath('H 1', null)).toBe('/households/H%201');
  });
});
