import { describe, expect, it } from 'vitest';
import {
  groupResults,
  missingAnswers,
  NEW_MEMBER,
  toScreenerRequest,
  unmetReasons,
  type MemberAnswers,
} from './form.ts';

const oldMan: MemberAnswers = {
  ...NEW_MEMBER,
  age: 65,
  gender: '男',
  employment: '无',
  laborCapacity: '无',
  hasSupporter: '否',
};

describe('self-screener answers', () => {
  it('map a 65-year-old local man with no income to the request', () => {
    expect(toScreenerRequest({ financialAssetsYuan: null, housingAreaM2: null, members: [oldMan] })).toEqual({
      household: { financialAssetsYuan: 0 },
      members: [
        {
          age: 65,
          gender: '男',
          hukou: '本市',
          monthlyIncomeYuan: 0,
          medicalOop12mYuan: 0,
          disabilityGrade: null,
          disabilityCategory: null,
          employment: '无',
          schoolStage: null,
          laborCapacity: '无',
          chronicIllness: '否',
          hasSupporter: '否',
        },
      ],
    });
  });

  it('keep the household figures and a short label', () => {
    const req = toScreenerRequest({
      financialAssetsYuan: 5000,
      housingAreaM2: 30,
      members: [{ ...oldMan, label: '  本人（户主）  ' }],
    });
    expect(req.household).toEqual({ financialAssetsYuan: 5000, housingAreaM2: 30 });
    expect(req.members[0]!.label).toBe('本人（户主）');
    expect(toScreenerRequest({ members: [{ ...oldMan, label: '   ' }] }).members[0]).not.toHaveProperty('label');
    expect(toScreenerRequest({ members: [{ ...oldMan, label: 'x'.repeat(30) }] }).members[0]!.label).toHaveLength(20);
  });

  it('send a disability category only with a grade, and a school stage only for someone in school', () => {
    const [a, b, c] = toScreenerRequest({
      members: [
        { ...oldMan, disabilityGrade: 0, disabilityCategory: '肢体' },
        { ...oldMan, disabilityGrade: 1, disabilityCategory: '肢体' },
        { ...oldMan, age: 15, employment: '在校', schoolStage: '中职' },
      ],
    }).members;
    expect([a!.disabilityGrade, a!.disabilityCategory]).toEqual([null, null]);
    expect([b!.disabilityGrade, b!.disabilityCategory]).toEqual([1, '肢体']);
    expect(c!.schoolStage).toBe('中职');
    expect(toScreenerRequest({ members: [{ ...oldMan, schoolStage: '高校' }] }).members[0]!.schoolStage).toBeNull();
  });

  it('never send negative or fractional-cent money, nor an age out of range', () => {
    const m = toScreenerRequest({
      financialAssetsYuan: -5,
      members: [{ ...oldMan, age: 130.4, monthlyIncomeYuan: 800.456, medicalOop12mYuan: -1 }],
    });
    expect(m.household.financialAssetsYuan).toBe(0);
    expect(m.members[0]).toMatchObject({ age: 120, monthlyIncomeYuan: 800.46, medicalOop12mYuan: 0 });
  });

  it('list the questions still unanswered and refuse to build a request without them', () => {
    expect(missingAnswers(NEW_MEMBER)).toEqual(['age', 'gender', 'employment', 'laborCapacity', 'hasSupporter']);
    expect(missingAnswers(oldMan)).toEqual([]);
    expect(() => toScreenerRequest({ members: [NEW_MEMBER] })).toThrow(/age/);
  });
});

describe('self-screener results', () => {
  const r = (
    policy: string,
    eligible: 'pass' | 'fail' | 'unknown',
    reasons: Array<[string, 'pass' | 'fail' | 'unknown']> = [],
  ) => ({
    policy,
    name: policy,
    eligible,
    monthlyAmountYuan: null,
    howToApply: null,
    reasons: reasons.map(([text, met]) => ({ text, code: text, met })),
  });

  it('group by how likely, keeping the order', () => {
    const g = groupResults({
      results: [r('TEKUN', 'pass'), r('DIBAO', 'fail'), r('EDU_AID', 'unknown'), r('ELDER_ALONE', 'pass')],
    });
    expect(g.likely.map((x) => x.policy)).toEqual(['TEKUN', 'ELDER_ALONE']);
    expect(g.maybe.map((x) => x.policy)).toEqual(['EDU_AID']);
    expect(g.unlikely.map((x) => x.policy)).toEqual(['DIBAO']);
  });

  it('count a school-stage condition as unmet for someone not in school', () => {
    const edu = r('EDU_AID', 'unknown', [
      ['school_stage in ["小学", "初中"]', 'unknown'],
      ['已享受或符合低保', 'pass'],
    ]);
    expect(groupResults({ results: [edu] }, { employment: '无' }).unlikely.map((x) => x.policy)).toEqual(['EDU_AID']);
    expect(groupResults({ results: [edu] }, { employment: '在校' }).maybe.map((x) => x.policy)).toEqual(['EDU_AID']);
    expect(groupResults({ results: [edu] }).maybe.map((x) => x.policy)).toEqual(['EDU_AID']);
    // Undecided for another reason as well: still undecided.
    const other = r('EDU_AID', 'unknown', [
      ['school_stage in ["小学"]', 'unknown'],
      ['household.housing_area < 10', 'unknown'],
    ]);
    expect(groupResults({ results: [other] }, { employment: '无' }).maybe).toHaveLength(1);
  });

  it('say why not with the unmet conditions only', () => {
    expect(
      unmetReasons(
        r('DIBAO', 'fail', [
          ['本市户籍', 'pass'],
          ['不属于特困人员供养对象', 'fail'],
        ]),
      ),
    ).toEqual(['不属于特困人员供养对象']);
  });
});
