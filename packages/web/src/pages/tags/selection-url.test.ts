import { describe, expect, it } from 'vitest';
import { appliedFromSearch, appliedToSearch, queryRequest, selectionHref } from './selection-url.ts';

describe('the selection in the URL', () => {
  it('reads and writes expression, ranking, page and size', () => {
    const applied = { expression: '独居老人 AND NOT 特困', rank: ['高龄老人', '大病,重'], page: 3, pageSize: 50 };
    const search = appliedToSearch(applied);
    expect(appliedFromSearch(new URLSearchParams(search.toString()))).toEqual(applied);
    expect(search.getAll('rank')).toEqual(['高龄老人', '大病,重']);
  });

  it('falls back to defaults and leaves out what is default', () => {
    expect(appliedFromSearch(new URLSearchParams(''))).toBeNull();
    expect(appliedFromSearch(new URLSearchParams('q=%20%20'))).toBeNull();
    expect(appliedFromSearch(new URLSearchParams('q=低保&page=0&size=33&rank=a&rank=a&rank='))).toEqual({
      expression: '低保',
      rank: ['a'],
      page: 1,
      pageSize: 20,
    });
    expect(appliedToSearch({ expression: ' 低保 ', rank: [], page: 1, pageSize: 20 }).toString()).toBe(
      'q=%E4%BD%8E%E4%BF%9D',
    );
    expect(selectionHref('独居老人')).toBe('/selections?q=%E7%8B%AC%E5%B1%85%E8%80%81%E4%BA%BA');
  });

  it('pages the query on the server', () => {
    expect(queryRequest({ expression: '低保', rank: ['大病'], page: 3, pageSize: 50 })).toEqual({
      expression: '低保',
      rank: ['大病'],
      offset: 100,
      limit: 50,
    });
  });
});
