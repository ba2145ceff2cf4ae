import { describe, expect, it } from 'vitest';
import { buildQuery } from '../../api/query.ts';
import {
  CLEARED,
  DEFAULT_FILTERS,
  exportQuery,
  filtersFromSearch,
  filtersToSearch,
  hasFilters,
  isDate,
  listQuery,
} from './filters.ts';

describe('worklist filters', () => {
  it('round-trip through the URL, leaving defaults out', () => {
    const f = {
      ...DEFAULT_FILTERS,
      kind: 'review' as const,
      policy: 'TEKUN',
      status: 'assigned' as const,
      ageMin: 60,
      newToday: true,
      asOf: '2026-11-28',
      page: 2,
    };
    const search = filtersToSearch(f);
    expect(search.toString()).toBe(
      'kind=review&policy=TEKUN&status=assigned&ageMin=60&newToday=true&asOf=2026-11-28&page=2',
    );
    expect(filtersFromSearch(search)).toEqual(f);
    expect(filtersToSearch(DEFAULT_FILTERS).toString()).toBe('');
  });

  it('drop values the server would refuse', () => {
    expect(
      filtersFromSearch(
        new URLSearchParams('kind=x&policy=NOPE&status=done&ageMin=-1&asOf=2026-02-30&newToday=1&pageSize=999'),
      ),
    ).toEqual({ ...DEFAULT_FILTERS, pageSize: 200 });
  });

  it('build the list query with the area, the date and paging', () => {
    const f = { ...DEFAULT_FILTERS, policy: 'TEKUN', asOf: '2026-11-28', page: 3, pageSize: 50 };
    expect(buildQuery(listQuery(f, '310105008'))).toBe(
      '?kind=lead&policy=TEKUN&org=310105008&asOf=2026-11-28&limit=50&offset=100',
    );
    expect(buildQuery(listQuery(DEFAULT_FILTERS, null))).toBe('?kind=lead&limit=20&offset=0');
  });

  it('export with the same filters and no paging, ages in order', () => {
    const f = {
      ...DEFAULT_FILTERS,
      kind: 'review' as const,
      ageMin: 80,
      ageMax: 60,
      newToday: true,
      assignee: 'jinyuan.adviser',
      page: 4,
    };
    expect(buildQuery(exportQuery(f, null))).toBe(
      '?kind=review&ageMin=60&ageMax=80&newToday=true&assignee=jinyuan.adviser',
    );
  });

  it('clear the filters but keep the tab, the date and the page size', () => {
    const f = {
      ...DEFAULT_FILTERS,
      kind: 'review' as const,
      policy: 'TEKUN',
      status: 'new' as const,
      ageMin: 1,
      ageMax: 2,
      newToday: true,
      assignee: 'a',
      asOf: '2026-11-28',
      pageSize: 50,
    };
    const cleared = { ...f, ...CLEARED };
    expect(hasFilters(cleared)).toBe(false);
    expect([cleared.kind, cleared.asOf, cleared.pageSize]).toEqual(['review', '2026-11-28', 50]);
  });

  it('tell when filters besides the tab and the date are set', () => {
    expect(hasFilters({ ...DEFAULT_FILTERS, kind: 'review', asOf: '2026-11-28' })).toBe(false);
    expect(hasFilters({ ...DEFAULT_FILTERS, newToday: true })).toBe(true);
    expect(hasFilters({ ...DEFAULT_FILTERS, ageMax: 0 })).toBe(true);
  });

  it('accept real calendar dates only', () => {
    expect(isDate('2024-02-29')).toBe(true);
    expect(isDate('2026-02-29')).toBe(false);
    expect(isDate('2026-1-1')).toBe(false);
    expect(isDate(null)).toBe(false);
  });
});
