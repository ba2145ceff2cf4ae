import { describe, expect, it } from 'vitest';
import { areaLeadsOption, areaRows, policySummaryOption, summaryTotals, takeUpText } from './summary-chart.ts';

describe('policy finds people charts', () => {
  const policies = [
    { name: '特困人员供养', reached: 4, leads: 0, takeUp: 1 },
    { name: '最低生活保障', reached: 1, leads: 1, takeUp: 0.5 },
    { name: '困难残疾人生活补贴', reached: 0, leads: 0, takeUp: null },
    { name: '低收入困难家庭', reached: 11, leads: 7, takeUp: 11 / 18 },
  ];

  it('shows take-up as a whole percentage, a dash when nobody is eligible', () => {
    expect(takeUpText(11 / 18)).toBe('61%');
    expect(takeUpText(1)).toBe('100%');
    expect(takeUpText(null)).toBe('—');
  });

  it('stacks reached and leads per policy, the first policy on top, with the take-up on the end', () => {
    const option = policySummaryOption(policies, { reached: '已覆盖', leads: '待主动发现', takeUp: '覆盖率' }) as {
      yAxis: { data: string[] };
      series: Array<{
        name: string;
        stack: string;
        data: number[];
        label?: { formatter: (x: { dataIndex: number }) => string };
      }>;
    };
    expect(option.yAxis.data).toEqual(['低收入困难家庭', '困难残疾人生活补贴', '最低生活保障', '特困人员供养']);
    expect(option.series.map((s) => [s.name, s.stack])).toEqual([
      ['已覆盖', 'eligible'],
      ['待主动发现', 'eligible'],
    ]);
    expect(option.series[0]!.data).toEqual([11, 0, 1, 4]);
    expect(option.series[1]!.data).toEqual([7, 0, 1, 0]);
    expect([0, 1, 2, 3].map((i) => option.series[1]!.label!.formatter({ dataIndex: i }))).toEqual([
      '61%',
      '—',
      '50%',
      '100%',
    ]);
  });

  it('shows the sub-units with findings only, most leads on top', () => {
    const rows = areaRows([
      { code: '310105001001', name: '华一居委会', leads: 0, reviews: 0, reached: 1 },
      { code: '310105001006', name: '华院居委会', leads: 1, reviews: 2, reached: 4 },
      { code: '310105001003', name: '华三居委会', leads: 5, reviews: 0, reached: 4 },
      { code: '310105001026', name: '飞乐居委会', leads: 1, reviews: 0, reached: 2 },
    ]);
    expect(rows.map((a) => a.name)).toEqual(['华三居委会', '华院居委会', '飞乐居委会']);
    const option = areaLeadsOption(rows, { leads: '线索', reviews: '复核' }) as {
      yAxis: { data: string[] };
      series: Array<{ data: number[] }>;
    };
    expect(option.yAxis.data).toEqual(['飞乐居委会', '华院居委会', '华三居委会']);
    expect(option.series.map((s) => s.data)).toEqual([
      [1, 1, 5],
      [0, 2, 0],
    ]);
  });

  it('adds up leads, reviews and the leads nobody has handled yet', () => {
    expect(
      summaryTotals({
        policies: [
          {
            code: 'DIBAO',
            name: '',
            reached: 1,
            leads: 2,
            reviews: 1,
            takeUp: 0.33,
            byStatus: { new: 1, assigned: 1 },
          },
          { code: 'TEKUN', name: '', reached: 4, leads: 1, reviews: 0, takeUp: 0.8, byStatus: {} },
        ],
      }),
    ).toEqual({ leads: 3, reviews: 1, reached: 5, pending: 1 });
  });
});
