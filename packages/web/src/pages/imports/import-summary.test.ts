import { describe, expect, it } from 'vitest';
import { acceptsFile, countRows, formatBytes, reportFiles, reportFilename, reportState } from './import-summary.ts';

describe('import summary', () => {
  const c = (read: number, rejected = 0) => ({ read, inserted: read - rejected, updated: 0, unchanged: 0, rejected });

  it('orders tables as the format does and adds a total', () => {
    const rows = countRows({ enrollments: c(280, 1), residents: c(1043, 10), households: c(441) });
    expect(rows.map((r) => r.table)).toEqual(['households', 'residents', 'enrollments', '']);
    expect(rows.at(-1)).toMatchObject({ isTotal: true, read: 1764, rejected: 11, inserted: 1753 });
    expect(countRows({ residents: c(5) })).toHaveLength(1);
  });

  it('accepts workbooks, CSV tables and zipped folders only', () => {
    expect(['a.xlsx', 'B.CSV', 'snapshot.zip'].map(acceptsFile)).toEqual([true, true, true]);
    expect(['a.xls', 'a.txt', 'zip'].map(acceptsFile)).toEqual([false, false, false]);
  });

  it('names the report after the source and run', () => {
    expect(reportFilename({ runId: 7, source: '/tmp/x/changning-small.xlsx' })).toBe(
      'changning-small-rejected-run7.csv',
    );
    expect(reportFilename({ runId: 2, source: '长宁 数据.zip' })).toBe('长宁_数据-rejected-run2.csv');
  });

  it('lists the files of the report in table order', () => {
    expect(
      reportFiles([
        { file: 'enrollments.csv', line: 281, column: '', reason: '' },
        { file: 'residents.csv', line: 1044, column: '', reason: '' },
        { file: 'residents.csv', line: 1035, column: '', reason: '' },
      ]),
    ).toEqual(['residents.csv', 'enrollments.csv']);
  });

  it('downloads the full report from the server only when the page lists the first cells alone', () => {
    const cell = { file: 'residents.csv', line: 2, column: 'name', reason: 'x' };
    const base = { runId: 9, source: 's', tables: {}, rejectedRows: 3, reportCsv: '' };
    expect(
      reportState({
        ...base,
        rejected: [cell, cell],
        rejectedCells: 5000,
        reportTruncated: true,
        reportUrl: '/api/imports/9/report.csv',
      }),
    ).toEqual({ shown: 2, cells: 5000, truncated: true, url: '/api/imports/9/report.csv' });
    expect(
      reportState({
        ...base,
        rejected: [cell, cell],
        rejectedCells: 2,
        reportTruncated: false,
        reportUrl: '/api/imports/9/report.csv',
      }),
    ).toEqual({ shown: 2, cells: 2, truncated: false, url: null });
    // A server of before sent every cell.
    expect(reportState({ ...base, rejected: [cell] })).toEqual({ shown: 1, cells: 1, truncated: false, url: null });
  });

  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(250 * 1024 * 1024)).toBe('250 MB');
  });
});
