import { describe, expect, it } from 'vitest';
import { eligibleBenefits, householdFigures, parametersOn, type MemberFacts } from './eligibility.ts';

const base: MemberFacts = {
  age: 40,
  male: true,
  local: true,
  disabilityGrade: null,
  disabilityCategory: null,
  income: 0,
  employment: '在职',
  schoolStage: null,
  laborCapacity: '有',
  medical: 0,
  ableSupporter: false,
};
const p = parametersOn('2026-11-28');

describe('the generator’s eligibility check', () => {
  it('uses the parameter values in force on the date', () => {
    expect(parametersOn('2026-11-28')).toEqual({ libao: 1510, tekunMinorAge: 18, cityAvgIncome: 88366 });
    expect(parametersOn('2023-06-30').libao).toBe(1420);
    expect(parametersOn('2021-06-30').tekunMinorAge).toBe(16);
    expect(() => parametersOn('2020-06-30')).toThrow(RangeError);
  });

  it('makes the unmarried disabled man TEKUN and ELDER_ALONE at 60, and neither at 59', () => {
    const guo: MemberFacts = {
      ...base,
      age: 60,
      disabilityGrade: 4,
      disabilityCategory: '肢体',
      employment: '无',
      laborCapacity: '部分',
    };
    expect(eligibleBenefits({ members: [guo], financialAssets: 3200 }, p)[0]).toEqual(['TEKUN', 'ELDER_ALONE']);
    const before = eligibleBenefits({ members: [{ ...guo, age: 59 }], financialAssets: 3200 }, p)[0]!;
    expect(before).not.toContain('TEKUN');
    expect(before).not.toContain('ELDER_ALONE');
  });

  it('makes the widowed mother and her daughter DIBAO, the daughter EDU_AID and the mother WELFARE_JOB', () => {
    const mother: MemberFacts = { ...base, male: false, age: 42, income: 1200, employment: '失业' };
    const daughter: MemberFacts = {
      ...base,
      male: false,
      age: 15,
      employment: '在校',
      schoolStage: '中职',
      laborCapacity: '无',
      ableSupporter: true,
    };
    const [m, d] = eligibleBenefits({ members: [mother, daughter], financialAssets: 8000 }, p);
    expect(m).toEqual(['DIBAO', 'WELFARE_JOB']);
    expect(d).toEqual(['DIBAO', 'EDU_AID']);
  });

  it('draws the income and asset lines of DIBAO and LOW_INCOME exactly', () => {
    const one = (income: number, assets: number) =>
      eligibleBenefits({ members: [{ ...base, income }], financialAssets: assets }, p)[0];
    expect(one(1509, 60000)).toContain('DIBAO');
    expect(one(1509, 60001)).not.toContain('DIBAO');
    expect(one(1510, 0)).toContain('LOW_INCOME');
    expect(one(3019, 120000)).toContain('LOW_INCOME');
    expect(one(3020, 0)).toEqual([]);
    expect(eligibleBenefits({ members: [{ ...base, income: 1000, local: false }], financialAssets: 0 }, p)[0]).toEqual(
      [],
    );
  });

  it('recognises expenditure poverty from medical spending', () => {
    const members = [
      { ...base, income: 2500, medical: 30000 },
      { ...base, income: 2500 },
    ];
    expect(householdFigures({ members, financialAssets: 0 })).toMatchObject({
      n: 2,
      hhIncome: 5000,
      pcIncome: 2500,
      medical: 30000,
    });
    expect(eligibleBenefits({ members, financialAssets: 0 }, p)[0]).toContain('EXPENDITURE_POOR');
    members[0] = { ...base, income: 2500, medical: 20000 };
    expect(eligibleBenefits({ members, financialAssets: 0 }, p)[0]).not.toContain('EXPENDITURE_POOR');
  });

  it('gives severe disability care unless TEKUN, and no TEKUN to someone with an able supporter', () => {
    const li: MemberFacts = {
      ...base,
      male: false,
      age: 62,
      income: 4310,
      employment: '退休',
      laborCapacity: '部分',
      ableSupporter: true,
      disabilityGrade: 1,
      disabilityCategory: '肢体',
    };
    expect(
      eligibleBenefits({ members: [li, { ...base, age: 65, income: 5230 }], financialAssets: 210000 }, p)[0],
    ).toEqual(['SEVERE_DISABLED_CARE']);
    const alone: MemberFacts = { ...li, income: 0, ableSupporter: false };
    expect(eligibleBenefits({ members: [alone], financialAssets: 0 }, p)[0]).toEqual(['TEKUN', 'ELDER_ALONE']);
  });
});
