import { describe, expect, it } from 'vitest';
import {
  decimal,
  deltaText,
  figureText,
  fraction,
  groupByDimension,
  heatColor,
  helpGroups,
  isIsoDate,
  percent,
  signed,
  trend,
} from './figures.ts';

describe('weights and scores', () => {
  it('are written as the framework writes them: fractions', () => {
    expect(fraction(1 / 18)).toBe('1/18');
    expect(fraction(1 / 12)).toBe('1/12');
    expect(fraction(1 / 6)).toBe('1/6');
    expect(fraction(1 / 3)).toBe('1/3');
    expect(fraction(0)).toBe('0');
    expect(fraction(1)).toBe('1');
    // A score is a sum of weights, with the float noise of the sum.
    expect(fraction(1 / 18 + 1 / 12 + 1 / 6 + 1 / 6)).toBe('17/36');
    expect(fraction(0.44444444444444436)).toBe('4/9');
    expect(fraction(-1 / 6)).toBe('−1/6');
  });

  it('fall back to decimals when no small fraction fits', () => {
    expect(fraction(Math.PI / 10)).toBe('0.314');
    expect(fraction(Number.NaN)).toBe('—');
  });

  it('write shares as percentages and intensities as decimals', () => {
    expect(percent(54 / 441)).toBe('12.24%');
    expect(percent(0.05026455026455027)).toBe('5.03%');
    expect(percent(0.1, 1)).toBe('10.0%');
    expect(decimal(0.4104938271604939)).toBe('0.410');
  });

  it('sign differences with a true minus and no sign for nothing', () => {
    expect(signed(3)).toBe('+3');
    expect(signed(-1.234, 2)).toBe('−1.23');
    expect(signed(-0.001, 2)).toBe('0.00');
    expect(signed(0)).toBe('0');
  });

  it('take only real calendar dates', () => {
    expect(isIsoDate('2026-11-28')).toBe(true);
    expect(isIsoDate('2026-02-30')).toBe(false);
    expect(isIsoDate('28.11.2026')).toBe(false);
    expect(isIsoDate(null)).toBe(false);
  });
});

describe('the heat scale', () => {
  it('leaves zero uncoloured and runs from pale to deep, relative to the largest cell', () => {
    expect(heatColor(0, 0.3)).toBeNull();
    expect(heatColor(0.1, 0)).toBeNull();
    expect(heatColor(0.3, 0.3)).toEqual({ background: '#c43412', color: '#ffffff' });
    const low = heatColor(0.01, 0.3)!;
    const mid = heatColor(0.15, 0.3)!;
    expect(low.color).toBe('#1f2933');
    expect(mid.color).toBe('#1f2933');
    // Darker as it grows: the green channel falls.
    const green = (hex: string) => parseInt(hex.slice(3, 5), 16);
    expect(green(low.background)).toBeGreaterThan(green(mid.background));
    expect(green(mid.background)).toBeGreaterThan(green('#c43412'));
    // Never beyond the deepest colour.
    expect(heatColor(0.6, 0.3)).toEqual(heatColor(0.3, 0.3));
  });
});

describe('help lists', () => {
  it("split the framework's lines into kinds and items", () => {
    expect(
      helpGroups(['政策：最低生活保障、低收入困难家庭认定', '服务：就业援助、技能培训', '社会资源：慈善助困金']),
    ).toEqual([
      { kind: 'policy', items: ['最低生活保障', '低收入困难家庭认定'] },
      { kind: 'service', items: ['就业援助', '技能培训'] },
      { kind: 'resource', items: ['慈善助困金'] },
    ]);
    expect(helpGroups(['政策：教育救助（助学金）、学费减免'])[0]!.items).toEqual(['教育救助（助学金）', '学费减免']);
  });

  it('keep a line without a known kind whole and drop empty ones', () => {
    expect(helpGroups(['联系社工站', '', '备注: 见附件'])).toEqual([
      { kind: 'other', items: ['联系社工站'] },
      { kind: 'other', items: ['备注: 见附件'] },
    ]);
  });
});

describe('indicators by dimension', () => {
  it("follow the framework's dimension order and keep strays", () => {
    const groups = groupByDimension(
      [
        { code: 'MATERIAL', name: '物质', weight: 1 / 6 },
        { code: 'HEALTH', name: '健康', weight: 1 / 6 },
        { code: 'EMPTY', name: '空' },
      ],
      [
        { code: 'ILLNESS', dimension: 'HEALTH' },
        { code: 'INCOME', dimension: 'MATERIAL' },
        { code: 'HOUSING', dimension: 'MATERIAL' },
        { code: 'X', dimension: 'NEW' },
      ],
    );
    expect(groups.map((g) => [g.code, g.items.map((x) => x.code)])).toEqual([
      ['MATERIAL', ['INCOME', 'HOUSING']],
      ['HEALTH', ['ILLNESS']],
      ['NEW', ['X']],
    ]);
    expect(groups[2]!.weight).toBeNull();
  });
});

describe('the comparison of two dates', () => {
  const unit = (q: number, H: number, A: number, M0: number) => ({ n: 441, q, H, A, M0 });
  const later = { asOf: '2026-11-28', unit: unit(54, 54 / 441, 0.41, 0.0503) };
  const earlier = { asOf: '2025-11-28', unit: unit(62, 62 / 441, 0.43, 0.0605) };

  it('puts the earlier date first whichever was picked first', () => {
    for (const [a, b] of [
      [later, earlier],
      [earlier, later],
    ] as const) {
      const r = trend(a, b);
      expect([r.earlier.asOf, r.later.asOf]).toEqual(['2025-11-28', '2026-11-28']);
    }
  });

  it('calls a fall in hardship better and leaves the number of households neutral', () => {
    const rows = trend(later, earlier).rows;
    expect(rows.map((r) => [r.key, r.direction])).toEqual([
      ['n', 'neutral'],
      ['q', 'better'],
      ['H', 'better'],
      ['A', 'better'],
      ['M0', 'better'],
    ]);
    expect(rows.find((r) => r.key === 'q')!.delta).toBe(-8);
    expect(trend(later, later).rows.find((r) => r.key === 'M0')!.direction).toBe('same');
    expect(trend({ ...earlier, asOf: '2027-01-01' }, later).rows.find((r) => r.key === 'M0')!.direction).toBe('worse');
  });

  it('writes H and M0 in percentage points, A in decimals, counts whole', () => {
    expect(figureText('H', 54 / 441)).toBe('12.24%');
    expect(figureText('A', 0.41)).toBe('0.410');
    expect(figureText('q', 54)).toBe('54');
    expect(deltaText('M0', 0.0503 - 0.0605)).toBe('−1.02');
    expect(deltaText('A', 0.02)).toBe('+0.020');
    expect(deltaText('q', -8)).toBe('−8');
  });
});
