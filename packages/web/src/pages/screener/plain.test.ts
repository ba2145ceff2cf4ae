import { describe, expect, it } from 'vitest';
import { isRuleText, plainReason, splitTop } from './plain.ts';

describe('reasons in plain words', () => {
  it('leaves the server\'s own wording alone', () => {
    expect(isRuleText('本市户籍')).toBe(false);
    expect(plainReason('本人月收入低于低保标准', 'zh')).toBe('本人月收入低于低保标准');
    expect(isRuleText('school_stage in ["小学", "初中"]')).toBe(true);
  });

  it('words alternatives of ages and certificates', () => {
    expect(plainReason('age >= 60 || age < TEKUN_MINOR_AGE || disability_grade != null', 'zh')).toBe('年满60岁，或未成年，或持有残疾人证');
    expect(plainReason('age >= 60 || age < TEKUN_MINOR_AGE || disability_grade != null', 'en')).toBe('aged 60 or over, or a minor, or holds a disability certificate');
  });

  it('names the programmes of an eligible()/holds() chain once each', () => {
    const text = '(eligible("DIBAO") || holds("DIBAO") || eligible("LOW_INCOME") || holds("LOW_INCOME"))';
    expect(plainReason(text, 'zh')).toBe('已享受或符合以下任一救助：最低生活保障、低收入困难家庭');
  });

  it('words value lists, retirement age and income comparisons', () => {
    expect(plainReason('school_stage in ["小学", "初中", "高中", "中职", "高校"]', 'zh')).toBe('在读学段为小学、初中、高中、中职、高校之一');
    expect(plainReason('employment in ["失业", "无"]', 'en')).toBe('Employment is one of: Unemployed, None');
    expect(plainReason('(gender == "男" ? age < 60 : age < 50)', 'zh')).toBe('未到退休年龄（男性未满60岁，女性未满50岁）');
    expect(plainReason('LIBAO <= household.pc_income', 'zh')).toBe('家庭人均月收入不低于低保标准');
    expect(plainReason('household.pc_income < 2 * LIBAO', 'zh')).toBe('家庭人均月收入低于低保标准的2倍');
    expect(plainReason('(12 * household.income - household.medical) / (12 * household.size) < LIBAO || household.medical >= 0.4 * 12 * household.income', 'zh'))
      .toBe('扣除自付医疗费后，家庭人均月收入低于低保标准，或近12个月自付医疗费达到家庭年收入的40%');
  });

  it('leaves what it does not know as sent', () => {
    expect(plainReason('household.housing_area < 10 || age >= 60', 'zh')).toBe('household.housing_area < 10 || age >= 60');
  });

  it('splits at the top level only', () => {
    expect(splitTop('a || (b || c) || d == "x || y"', '||')).toEqual(['a', '(b || c)', 'd == "x || y"']);
  });
});
