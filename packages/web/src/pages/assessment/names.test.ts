import { describe, expect, it } from 'vitest';
import { BAND_NAMES, bandName, dimensionName, indicatorColors, indicatorName } from './names.ts';

describe('band labels', () => {
  it("are the framework's in Chinese, with English beside them", () => {
    expect(Object.fromEntries(Object.entries(BAND_NAMES).map(([k, v]) => [k, v.zh]))).toEqual({
      none: '无困境',
      vulnerable: '脆弱',
      poor: '困难',
      severe: '深度困难',
    });
    expect(bandName('severe', 'en')).toBe('Severe hardship');
    expect(bandName('later', 'zh')).toBe('later');
  });
});

describe('indicator and dimension names', () => {
  it("prefer the framework's Chinese name and our English one", () => {
    expect(indicatorName('ISOLATION', 'zh')).toBe('孤立无依');
    expect(indicatorName('INCOME', 'zh', '收入困难')).toBe('收入困难');
    expect(indicatorName('INCOME', 'en', '收入困境')).toBe('Income');
    expect(indicatorName('NEW_ONE', 'en', '新指标')).toBe('新指标');
    expect(indicatorName('NEW_ONE', 'en')).toBe('NEW_ONE');
    expect(dimensionName('SOCIAL', 'en')).toBe('Social support');
  });
});

describe('indicator colours', () => {
  const dimensions = [{ code: 'MATERIAL' }, { code: 'HEALTH' }];
  const indicators = [
    { code: 'INCOME', dimension: 'MATERIAL' },
    { code: 'HOUSING', dimension: 'MATERIAL' },
    { code: 'ILLNESS', dimension: 'HEALTH' },
    { code: 'X', dimension: 'OTHER' },
  ];

  it('give each indicator its own colour, shades of one hue per dimension', () => {
    const colors = indicatorColors(dimensions, indicators);
    expect(Object.keys(colors)).toEqual(['INCOME', 'HOUSING', 'ILLNESS', 'X']);
    expect(new Set(Object.values(colors)).size).toBe(4);
    expect(colors.INCOME).toBe('#0f5c8c');
    expect(colors.HOUSING).toBe('#3b87c4');
    expect(colors.ILLNESS).toBe('#b03a2e');
    expect(colors.X).toBe('#6b7785');
  });
});
