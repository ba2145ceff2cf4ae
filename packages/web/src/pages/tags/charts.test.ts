import { describe, expect, it } from 'vitest';
import { areaShares, byAreaOption, rankSummary } from './charts.ts';

describe('tag charts and figures', () => {
  const byArea = [
    { code: '310105001001', name: '甲居委', level: 'committee', count: 3 },
    { code: '310105001002', name: '乙居委', level: 'committee', count: 0 },
    { code: '310105001003', name: '丙居委', level: 'committee', count: 12 },
  ];

  it("draws a bar per unit in the server's order", () => {
    const option = byAreaOption(byArea, '人数') as {
      xAxis: { data: string[]; axisLabel: { rotate: number } };
      series: Array<{ data: number[] }>;
    };
    expect(option.xAxis.data).toEqual(['甲居委', '乙居委', '丙居委']);
    expect(option.series[0]!.data).toEqual([3, 0, 12]);
    expect(option.xAxis.axisLabel.rotate).toBe(0);
  });

  it('ranks units with anyone selected, most first, and counts the rest', () => {
    expect(areaShares(byArea)).toEqual({
      shares: [
        { code: '310105001003', name: '丙居委', count: 12, share: 1 },
        { code: '310105001001', name: '甲居委', count: 3, share: 0.25 },
      ],
      empty: 1,
    });
    expect(areaShares([])).toEqual({ shares: [], empty: 0 });
  });

  it('summarises byRank from the most tags down, without empty counts', () => {
    expect(rankSummary([40, 12, 0, 3])).toEqual([
      { rank: 3, people: 3 },
      { rank: 1, people: 12 },
      { rank: 0, people: 40 },
    ]);
    expect(rankSummary([0, 5])).toEqual([{ rank: 1, people: 5 }]);
    expect(rankSummary(null)).toEqual([]);
  });
});
