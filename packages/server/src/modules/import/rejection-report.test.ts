/**
 * The rejection report holds a bounded number of cells however many are rejected, keeps exact
 * counts, and reads as the report did before: the same order and the same CSV text.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { csvLine } from '../../csv.ts';
import type { RejectedCell } from './import.prepare.ts';
import { firstRowsCsv, RejectionReport } from './rejection-report.ts';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
const heap = () => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};

/** The report as import.service.ts made it before: every cell kept, a stable sort by file (first appearance), then line. */
function sortedBefore(cells: RejectedCell[]): RejectedCell[] {
  const order = new Map<string, number>();
  for (const r of cells) if (!order.has(r.file)) order.set(r.file, order.size);
  return [...cells].sort((a, b) => (a.file === b.file ? a.line - b.line : order.get(a.file)! - order.get(b.file)!));
}
function before(cells: RejectedCell[]): string {
  return (
    ['file,line,column,reason', ...sortedBefore(cells).map((r) => csvLine([r.file, r.line, r.column, r.reason]))].join(
      '\n',
    ) + '\n'
  );
}

describe('rejection report', () => {
  // As an import adds them: per batch, the preparation's cells (in line order) and then the writer's; repeats at the end of a table.
  const cells: RejectedCell[] = [
    { file: 'households.csv', line: 1, column: 'address', reason: '表头缺少此列' },
    { file: 'households.csv', line: 7, column: 'committee_code', reason: '“x”不是12位居委会代码' },
    { file: 'households.csv', line: 3, column: 'committee_code', reason: '居委会 310105001001 不在您的辖区内' },
    { file: 'residents.csv', line: 9, column: 'name', reason: '姓名过长' },
    { file: 'residents.csv', line: 9, column: 'phone', reason: '电话, "带引号"' },
    { file: 'residents.csv', line: 4, column: 'household_id', reason: '家庭 H9 既不在本快照中' },
    { file: 'residents.csv', line: 12, column: 'gender', reason: '未知代码' },
    { file: 'relations.csv', line: 30, column: '', reason: '整行在本快照中重复（首次出现在第 2 行）' },
    { file: 'relations.csv', line: 5, column: '', reason: '整行在本快照中重复（首次出现在第 2 行）' },
    { file: 'residents.csv', line: 2, column: 'id_number', reason: '居民 … 的记录在本快照中被拒绝' },
  ];

  it('reads as before: the same order and CSV text, and exact counts', () => {
    const report = new RejectionReport();
    report.addAll(cells);
    expect(report.csv()).toBe(before(cells));
    expect(firstRowsCsv(report.first)).toBe(before(cells));
    expect(report.cells).toBe(10);
    expect(report.rows).toBe(9);
    expect([
      report.rowsIn('households.csv'),
      report.rowsIn('residents.csv'),
      report.rowsIn('relations.csv'),
      report.rowsIn('x.csv'),
    ]).toEqual([3, 4, 2, 0]);
    expect([report.truncated, report.complete]).toEqual([false, true]);
    expect(new RejectionReport().csv()).toBe('file,line,column,reason\n');
  });

  it('gives the first cells for the summary and the rest in the full report', () => {
    const report = new RejectionReport({ first: 4 });
    report.addAll(cells);
    expect(report.first).toEqual(sortedBefore(cells).slice(0, 4));
    expect(firstRowsCsv(report.first)).toBe(before(cells).split('\n').slice(0, 5).join('\n') + '\n');
    expect(report.truncated).toBe(true);
    expect(report.csv()).toBe(before(cells));
  });

  it('holds 8 million rejected rows in bounded memory, counts them exactly, and says what it left out', () => {
    const report = new RejectionReport({ stored: 20_000 });
    const start = heap();
    let chunk = '';
    for (let i = 0; i < 8_000_000; i++) {
      // A reason cut from a fresh megabyte of text every 100,000 rows, as a batch's values are.
      if (i % 100_000 === 0) chunk = `${i}`.padEnd(1 << 20, 'x');
      report.add({
        file: 'identity_tags.csv',
        line: i + 2,
        column: 'tag',
        reason: `未知代码“${chunk.slice(i % 1000, (i % 1000) + 16)}”`,
      });
    }
    chunk = '';
    const grown = heap() - start;
    expect(grown).toBeLessThan(32 << 20);
    expect([report.cells, report.rows, report.rowsIn('identity_tags.csv'), report.complete, report.truncated]).toEqual([
      8_000_000,
      8_000_000,
      8_000_000,
      false,
      true,
    ]);
    expect(report.first).toHaveLength(1_000);
    const lines = report.csv().trimEnd().split('\n');
    expect(lines).toHaveLength(1 + 20_000 + 1);
    expect(lines.at(-1)).toMatch(/前 20,000 个.*共拒绝 8,000,000 个单元格（8,000,000 行）/);
  }, 60_000);

  it('keeps no text alive that a stored reason was cut from', () => {
    const report = new RejectionReport();
    const start = heap();
    for (let i = 0; i < 200; i++) {
      const parent = `${i}`.padEnd(1 << 20, 'y'); // a megabyte each: 200 MB if kept
      report.add({
        file: 'residents.csv',
        line: i + 2,
        column: parent.slice(0, 4),
        reason: `姓名 ${parent.slice(0, 30)} 有误`,
      });
    }
    expect(heap() - start).toBeLessThan(16 << 20);
    expect(report.first[199]!.reason).toBe(`姓名 199${'y'.repeat(27)} 有误`);
  });
});
