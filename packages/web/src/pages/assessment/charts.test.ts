import { describe, expect, it } from 'vitest';
import type { AreaFigures } from '../../api/assessment.ts';
import {
  axisPercent,
  bandRows,
  bandsOption,
  contributionOption,
  contributionSeries,
  heatMax,
  segmentAt,
} from './charts.ts';

const indicators = [{ code: 'INCOME' }, { code: 'CARE' }, { code: 'CHILD_SHARE' }];
function unit(
  code: string,
  n: number,
  M0: number,
  contributions: Record<string, number>,
  censored: Record<string, number> = {},
): AreaFigures {
  return { code, name: `单位${code.slice(-1)}`, level: 'street', n, q: 0, H: 0, A: 0, M0, censored, contributions };
}

describe('the contribution chart', () => {
  const children = [
    unit('310105001', 51, 0.05, { INCOME: 0.5, CARE: 0.2, CHILD_SHARE: 0.3 }),
    unit('310105002', 0, 0, {}),
    unit('310105004', 39, 0.08, { INCOME: 0.25, CARE: 0, CHILD_SHARE: 0.75 }),
    unit('310105005', 45, 0, { INCOME: 0, CARE: 0, CHILD_SHARE: 0 }),
  ];

  it('makes a bar per unit with households, highest M0 first, segments summing to M0', () => {
    const chart = contributionSeries(children, indicators);
    expect(chart.units.map((u) => u.code)).toEqual(['310105004', '310105001', '310105005']);
    expect(chart.empty).toBe(1);
    expect(chart.series.map((s) => s.code)).toEqual(['INCOME', 'CARE', 'CHILD_SHARE']);
    expect(chart.series[0]!.data[0]).toBeCloseTo(0.02, 12);
    expect(chart.series[2]!.data[0]).toBeCloseTo(0.06, 12);
    chart.units.forEach((u, i) => {
      expect(chart.series.reduce((sum, s) => sum + s.data[i]!, 0)).toBeCloseTo(u.M0, 12);
    });
  });

  it('stacks one series per indicator, coloured and named, with M0 on top', () => {
    const chart = contributionSeries(children, indicators);
    const option = contributionOption(chart, {
      names: { INCOME: '收入困境', CARE: '照护困境', CHILD_SHARE: '儿童青少年占比' },
      colors: { INCOME: '#111111', CARE: '#222222' },
      m0: 'M0',
      h: 'H',
      contribution: '贡献度',
    }) as {
      color: string[];
      xAxis: { data: string[] };
      legend: { data: string[] };
      series: Array<{ name: string; stack: string; label?: { formatter: (x: { dataIndex: number }) => string } }>;
      tooltip: { formatter: (items: unknown[]) => string };
    };
    expect(option.xAxis.data).toEqual(['单位4', '单位1', '单位5']);
    expect(option.legend.data).toEqual(['收入困境', '照护困境', '儿童青少年占比']);
    expect(option.color).toEqual(['#111111', '#222222', '#9aa5b1']);
    expect(new Set(option.series.map((s) => s.stack)).size).toBe(1);
    expect(option.series.slice(0, 2).every((s) => s.label === undefined)).toBe(true);
    expect(option.series[2]!.label!.formatter({ dataIndex: 1 })).toBe('5.00%');
    const tip = option.tooltip.formatter([
      { dataIndex: 0, seriesIndex: 0, seriesName: '收入困境', value: 0.02, marker: '' },
      { dataIndex: 0, seriesIndex: 1, seriesName: '照护困境', value: 0, marker: '' },
    ]);
    expect(tip).toContain('单位4');
    expect(tip).toContain('收入困境　2.00%（贡献度 25.0%）');
    expect(tip).not.toContain('照护困境');
  });

  it('tells which unit and indicator a click means', () => {
    const chart = contributionSeries(children, indicators);
    expect(segmentAt(chart, 2, 1)).toEqual({ indicator: 'CHILD_SHARE', unit: chart.units[1] });
    expect(segmentAt(chart, 5, 0)).toBeUndefined();
    expect(segmentAt(chart, undefined, 0)).toBeUndefined();
  });

  it('labels the axis in percent', () => {
    expect(axisPercent(0.05)).toBe('5%');
    expect(axisPercent(0.025)).toBe('2.5%');
    expect(axisPercent(0)).toBe('0%');
  });
});

describe('the band chart', () => {
  it('counts the bands from none to severe with their shares', () => {
    const bands = { severe: 7, none: 288, poor: 47, vulnerable: 99 };
    expect(bandRows(bands).map((r) => [r.band, r.count])).toEqual([
      ['none', 288],
      ['vulnerable', 99],
      ['poor', 47],
      ['severe', 7],
    ]);
    expect(bandRows(bands)[2]!.share).toBeCloseTo(47 / 441, 12);
    expect(bandRows({}).every((r) => r.count === 0 && r.share === 0)).toBe(true);
    const option = bandsOption(bands, {
      names: { none: '无困境', vulnerable: '脆弱', poor: '困难', severe: '深度困难' },
      households: '家庭数',
    }) as {
      xAxis: { data: string[] };
      series: Array<{
        data: Array<{ value: number; itemStyle: { color: string } }>;
        label: { formatter: (x: { dataIndex: number }) => string };
      }>;
    };
    expect(option.xAxis.data).toEqual(['无困境', '脆弱', '困难', '深度困难']);
    expect(option.series[0]!.data.map((d) => d.value)).toEqual([288, 99, 47, 7]);
    expect(new Set(option.series[0]!.data.map((d) => d.itemStyle.color)).size).toBe(4);
    expect(option.series[0]!.label.formatter({ dataIndex: 3 })).toBe('7（1.6%）');
  });
});

describe('the heat table', () => {
  it('scales to the largest censored headcount among the rows', () => {
    const rows = [unit('1', 10, 0, {}, { INCOME: 0.1, CARE: 0.3 }), unit('2', 10, 0, {}, { INCOME: 0.2 })];
    expect(heatMax(rows, indicators)).toBe(0.3);
    expect(heatMax([], indicators)).toBe(0);
  });
});
