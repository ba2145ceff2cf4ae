import { describe, expect, it } from 'vitest';
import { buildQuery } from '../../api/query.ts';
import {
  DEFAULT_FILTERS,
  exportQuery,
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  listQuery,
  pagerTotal,
  totalKey,
} from './filters.ts';

describe('resident list filters', () => {
  it('round-trip through the URL, leaving defaults out', () => {
    const f = {
      ...DEFAULT_FILTERS,
      q: 'wl',
      ageMin: 60,
      gender: '女' as const,
      benefit: 'DIBAO',
      sort: 'birth_date' as const,
      order: 'desc' as const,
      page: 3,
    };
    const search = filtersToSearch(f);
    expect(search.toString()).toBe('q=wl&ageMin=60&gender=%E5%A5%B3&benefit=DIBAO&sort=birth_date&order=desc&page=3');
    expect(filtersFromSearch(search)).toEqual(f);
    expect(filtersToSearch(DEFAULT_FILTERS).toString()).toBe('');
  });

  it('drop values the server would refuse', () => {
    const f = filtersFromSearch(
      new URLSearchParams(
        'gender=x&hukou=本市&disability=bad&benefit=NOPE&ageMin=-3&ageMax=200&sort=phone&page=0&pageSize=5000',
      ),
    );
    expect(f).toEqual({ ...DEFAULT_FILTERS, hukou: '本市', pageSize: 200 });
  });

  it('build the list query with paging and the current org', () => {
    const f = { ...DEFAULT_FILTERS, q: ' 王 ', disability: 'severe' as const, page: 2, pageSize: 50 };
    expect(buildQuery(listQuery(f, '310105001'))).toBe(
      '?q=%E7%8E%8B&org=310105001&disability=severe&limit=50&offset=50',
    );
    // No org chosen: the server uses the user's own area.
    expect(buildQuery(listQuery(DEFAULT_FILTERS, null))).toBe('?limit=20&offset=0');
  });

  it('build the export query with the same filters and no paging', () => {
    const f = { ...DEFAULT_FILTERS, hukou: '外省市' as const, sort: 'name' as const, page: 4 };
    expect(buildQuery(exportQuery(f, null))).toBe('?hukou=%E5%A4%96%E7%9C%81%E5%B8%82&sort=name&order=asc');
  });

  it('swap an age range given backwards', () => {
    expect(buildQuery(exportQuery({ ...DEFAULT_FILTERS, ageMin: 80, ageMax: 60 }, null))).toBe('?ageMin=60&ageMax=80');
  });

  it('key totals by filters and area, not by sort or page', () => {
    const a = totalKey({ ...DEFAULT_FILTERS, q: 'w', sort: 'name', page: 2 }, '310105001');
    expect(a).toBe(totalKey({ ...DEFAULT_FILTERS, q: 'w' }, '310105001'));
    expect(a).not.toBe(totalKey({ ...DEFAULT_FILTERS, q: 'w' }, '310105002'));
  });

  it('tell when filters besides the search are set', () => {
    expect(hasFilters(DEFAULT_FILTERS)).toBe(false);
    expect(hasFilters({ ...DEFAULT_FILTERS, q: 'x' })).toBe(false);
    expect(hasFilters({ ...DEFAULT_FILTERS, ageMax: 0 })).toBe(true);
  });
});

describe('pager total', () => {
  it('uses the counted total', () => {
    expect(pagerTotal(1033, 40, 20, true, 20)).toBe(1033);
  });
  it('offers one more page while there is more and no count', () => {
    expect(pagerTotal(null, 40, 20, true, 20)).toBe(80);
    expect(pagerTotal(null, 40, 7, false, 20)).toBe(47);
  });
  it('never claims fewer rows than are on screen', () => {
    expect(pagerTotal(10, 20, 5, false, 20)).toBe(25);
    // A count capped at 10,000: a floor, and the pages past it open while there are more.
    expect(pagerTotal(10_000, 0, 20, true, 20, true)).toBe(10_000);
    expect(pagerTotal(10_000, 10_000, 20, true, 20, true)).toBe(10_040);
  });
});
