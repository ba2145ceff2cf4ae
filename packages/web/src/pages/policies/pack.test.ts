import { describe, expect, it } from 'vitest';
import { inForceIndex, parametersOf, policyInForce } from './pack.ts';

const LIBAO = [
  { from: '2020-07-01', value: 1240, source: 'a' },
  { from: '2021-07-01', value: 1330, source: 'b' },
  { from: '2023-07-01', value: 1510, source: 'c' },
];

describe('policy pack', () => {
  it('finds the parameter value in force on a date, changes taking effect on their day', () => {
    expect(inForceIndex(LIBAO, '2023-06-30')).toBe(1);
    expect(inForceIndex(LIBAO, '2023-07-01')).toBe(2);
    expect(inForceIndex(LIBAO, '2026-11-28')).toBe(2);
    expect(inForceIndex(LIBAO, '2019-01-01')).toBe(-1);
  });

  it('does not rely on the values being in date order', () => {
    expect(inForceIndex([LIBAO[2]!, LIBAO[0]!, LIBAO[1]!], '2022-01-01')).toBe(2);
  });

  it('tells whether a policy is in force, end dates included', () => {
    expect(policyInForce({ effectiveFrom: '2020-07-01', effectiveTo: null }, '2026-11-28')).toBe(true);
    expect(policyInForce({ effectiveFrom: '2020-07-01', effectiveTo: '2026-11-28' }, '2026-11-28')).toBe(true);
    expect(policyInForce({ effectiveFrom: '2020-07-01', effectiveTo: '2026-11-27' }, '2026-11-28')).toBe(false);
    expect(policyInForce({ effectiveFrom: '2027-01-01', effectiveTo: null }, '2026-11-28')).toBe(false);
  });

  it('lists the parameters a rule and its amount name, as whole words', () => {
    const params = [
      { name: 'LIBAO' },
      { name: 'DIBAO_ASSETS_PC' },
      { name: 'LOW_INCOME_ASSETS_PC' },
      { name: 'TEKUN_MINOR_AGE' },
    ];
    expect(
      parametersOf(
        {
          rule: 'local && household.pc_income < LIBAO && household.pc_assets <= DIBAO_ASSETS_PC',
          amount: 'LIBAO - household.pc_income',
        },
        params,
      ),
    ).toEqual(['LIBAO', 'DIBAO_ASSETS_PC']);
    expect(parametersOf({ rule: 'age >= 60 && household.size == 1', amount: null }, params)).toEqual([]);
    expect(parametersOf({ rule: 'x < LIBAO_2', amount: null }, [{ name: 'LIBAO' }])).toEqual([]);
  });
});
