import { describe, expect, it } from 'vitest';
import type { FrameworkDefinition } from '../../api/assessment.ts';
import {
  checkWeights,
  definitionToSend,
  dimensionWeights,
  parseK,
  parseWeight,
  splitAtError,
  withIndicator,
} from './framework-edit.ts';

const def: FrameworkDefinition = {
  name: 'x',
  k: '1/3',
  dimensions: [
    { code: 'A', name: '甲', weight: '1/2' },
    { code: 'B', name: '乙', weight: '1/2' },
  ],
  indicators: [
    { code: 'I1', name: '一', dimension: 'A', weight: '1/6', rule: 'age > 1', help: [] },
    { code: 'I2', name: '二', dimension: 'A', weight: '1/3', rule: 'age > 2', help: [] },
    { code: 'I3', name: '三', dimension: 'B', weight: 0.5, rule: 'age > 3', help: [] },
  ],
};

describe('framework editing', () => {
  it('reads fractions and decimals', () => {
    expect(parseWeight('1/18')).toBeCloseTo(1 / 18, 15);
    expect(parseWeight(' 0.25 ')).toBe(0.25);
    expect(parseWeight('a/3')).toBeNull();
    expect(parseWeight('')).toBeNull();
    expect(parseK('1/3')).toBeCloseTo(1 / 3, 15);
    expect(parseK('3/2')).toBeNull();
    expect(parseK('0')).toBeNull();
  });

  it("checks that the weights sum to 1 within 1e-9, and derives each dimension's weight", () => {
    expect(checkWeights(def.indicators)).toEqual({ sum: 1, invalid: [], ok: true });
    const heavier = withIndicator(def, 'I1', { weight: '1/3' });
    expect(checkWeights(heavier.indicators).ok).toBe(false);
    expect(checkWeights(heavier.indicators).sum).toBeCloseTo(7 / 6, 12);
    expect(checkWeights(withIndicator(def, 'I2', { weight: 'x' }).indicators)).toMatchObject({
      invalid: ['I2'],
      ok: false,
    });
    expect(dimensionWeights(heavier)).toEqual({ A: 2 / 3, B: 0.5 });
    expect(definitionToSend(def).dimensions).toEqual([
      { code: 'A', name: '甲' },
      { code: 'B', name: '乙' },
    ]);
  });

  it('splits a condition around an error', () => {
    expect(splitAtError('household.siz < 10', { start: 0, end: 13 })).toEqual({
      before: '',
      at: 'household.siz',
      after: ' < 10',
    });
    expect(splitAtError('age >', { start: 5, end: 5 })).toEqual({ before: 'age >', at: ' ', after: '' });
    expect(splitAtError('age', { start: null, end: null })).toBeNull();
  });
});
