import { describe, expect, it } from 'vitest';
import { agePyramidOption, benefitsOption, childUnitsOption, pyramidSeries } from './charts.ts';

describe('dashboard charts', () => {
  const pyramid = [
    { band: '0-4', male: 10, female: 12 },
    { band: '5-9', male: 0, female: 3 },
    { band: '85+', male: 4, female: 9 },
  ];

  it('draws men to the left of the pyramid', () => {
    expect(pyramidSeries(pyramid)).toEqual({ bands: ['0-4', '5-9', '85+'], male: [-10, 0, -4], female: [12, 3, 9] });
    const option = agePyramidOption(pyramid, { male: '男', female: '女' }) as {
      series: Array<{ name: string; data: number[] }>;
      xAxis: { axisLabel: { formatter: (v: number) => string } };
    };
    expect(option.series.map((s) => s.name)).toEqual(['男', '女']);
    expect(option.xAxis.axisLabel.formatter(-40)).toBe('40');
  });

  it('shows residents and households per child unit', () => {
    const option = childUnitsOption(
      [
        { code: '310105001', name: '华阳路街道', level: 'street', residents: 120, households: 51 },
        { code: '310105002', name: '江苏路街道', level: 'street', residents: 80, households: 36 },
      ],
      { residents: '人口', households: '家庭' },
    ) as { xAxis: { data: string[] }; series: Array<{ data: number[] }> };
    expect(option.xAxis.data).toEqual(['华阳路街道', '江苏路街道']);
    expect(option.series.map((s) => s.data)).toEqual([
      [120, 80],
      [51, 36],
    ]);
  });

  it('puts the most held benefit on top', () => {
    const option = benefitsOption(
      [
        { name: '低保', holders: 3 },
        { name: '特困', holders: 9 },
        { name: '教育', holders: 0 },
      ],
      '人数',
    ) as { yAxis: { data: string[] } };
    expect(option.yAxis.data).toEqual(['教育', '低保', '特困']);
  });
});
