import { describe, expect, it } from 'vitest';
import {
  actionChoices,
  dayStart,
  DEFAULT_FILTERS,
  detailLine,
  filtersFromSearch,
  filtersToSearch,
  listQuery,
  nextDay,
  targetLink,
} from './filters.ts';

describe('audit page filters', () => {
  it('round-trips through the address and drops what is not valid', () => {
    const f = { ...DEFAULT_FILTERS, idNumber: '31010519450101001X', actor: 'c1', from: '2026-12-01', page: 3 };
    expect(filtersFromSearch(filtersToSearch(f))).toEqual(f);
    expect(filtersFromSearch(new URLSearchParams('idNumber=123&from=yesterday&page=-1&pageSize=7'))).toEqual(
      DEFAULT_FILTERS,
    );
    expect(filtersFromSearch(new URLSearchParams('idNumber=31010519450101001x')).idNumber).toBe('31010519450101001X');
  });

  it('asks for whole local days, the last one included', () => {
    expect(dayStart('2026-12-01', 480)).toBe('2026-12-01T00:00:00+08:00');
    expect(dayStart('2026-12-01', -330)).toBe('2026-12-01T00:00:00-05:30');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
    const q = listQuery({ ...DEFAULT_FILTERS, from: '2026-12-01', to: '2026-12-01' }, null);
    expect(q.from!.slice(0, 19)).toBe('2026-12-01T00:00:00');
    expect(q.to!.slice(0, 19)).toBe('2026-12-02T00:00:00');
  });

  it('pins later pages to the first page\u2019s newest event', () => {
    expect(listQuery({ ...DEFAULT_FILTERS, page: 1 }, 90)).toMatchObject({ offset: 0, limit: 20, maxId: undefined });
    expect(listQuery({ ...DEFAULT_FILTERS, page: 3, pageSize: 50 }, 90)).toMatchObject({
      offset: 100,
      limit: 50,
      maxId: 90,
    });
  });

  it('links residents and households, names actions, shortens details', () => {
    expect(targetLink('resident:31010519450101001X')).toBe('/residents/31010519450101001X');
    expect(targetLink('household:H 1')).toBe('/households/H%201');
    expect(targetLink('tag:3')).toBeNull();
    expect(actionChoices('zh')).toContainEqual({ value: 'resident.*', label: 'resident.*（全部）' });
    expect(actionChoices('zh')).toContainEqual({ value: 'resident.view', label: '查看居民360视图（resident.view）' });
    expect(detailLine({})).toBe('');
    expect(detailLine({ a: 'x'.repeat(300) }, 20)).toHaveLength(20);
  });
});
