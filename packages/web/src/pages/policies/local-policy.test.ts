import { describe, expect, it } from 'vitest';
import { errorPlace, markAt, splitTop, toForm, toInput, topConditions } from './local-policy.ts';

describe('local policy editor', () => {
  it('sends trimmed texts, upper-case codes and null for empty optionals', () => {
    const input = toInput({
      code: ' hy_elder ',
      name: ' 高龄补贴 ',
      source: '通知',
      effectiveFrom: '2025-01-01',
      effectiveTo: '',
      rule: '  age >= 80 \n',
      amount: ' ',
      parameters: [
        { name: 'hy_yuan', label: '金额', unit: '', values: [{ from: '2025-01-01', value: 100, source: '通知' }] },
      ],
    });
    expect(input).toEqual({
      code: 'HY_ELDER',
      name: '高龄补贴',
      source: '通知',
      effectiveFrom: '2025-01-01',
      effectiveTo: null,
      rule: 'age >= 80',
      amount: null,
      howToApply: null,
      parameters: [
        { name: 'HY_YUAN', label: '金额', unit: null, values: [{ from: '2025-01-01', value: 100, source: '通知' }] },
      ],
    });
    expect(
      toInput(
        toForm({
          ...input,
          effectiveTo: null,
          amount: null,
          howToApply: null,
          parameters: input.parameters.map((p) => ({ ...p, unit: null })),
        }),
      ),
    ).toEqual(input);
  });

  it('finds where a rule error points and marks the word there, or the end', () => {
    expect(errorPlace({ field: 'rule', position: 10, where: 'x' })).toEqual({ field: 'rule', position: 10 });
    expect(errorPlace({ field: 'parameters' })).toEqual({ field: 'parameters', position: null });
    expect(errorPlace(null)).toBeNull();
    expect(markAt('local && agee >= 80', 10)).toEqual({
      before: 'local && ',
      marked: 'agee',
      after: ' >= 80',
      atEnd: false,
    });
    expect(markAt('age >=', 7)).toEqual({ before: 'age >=', marked: '', after: '', atEnd: true });
    expect(markAt('a &&& b', 4)).toMatchObject({ marked: '&' });
  });
});

describe('condition labels of a local policy', () => {
  it('cut the rule into its conditions as the server does: the top-level && parts, brackets aside', () => {
    expect(topConditions('local && age >= 90')).toEqual(['local', 'age >= 90']);
    expect(topConditions(' (local && (age >= 90 || disability_grade != null)) ')).toEqual([
      'local',
      'age >= 90 || disability_grade != null',
    ]);
    expect(topConditions('a && (b && c)')).toEqual(['a', 'b', 'c']);
    expect(topConditions('!(a && b) && employment in ["失业", "无"] && x == "a && b"')).toEqual([
      '!(a && b)',
      'employment in ["失业", "无"]',
      'x == "a && b"',
    ]);
    expect(topConditions('age >= 90')).toEqual(['age >= 90']);
    expect(topConditions('local && ')).toEqual(['local']);
    expect(topConditions('')).toEqual([]);
  });

  it('splits at the top level only', () => {
    expect(splitTop('a || (b || c) || d == "x || y"', '||')).toEqual(['a', '(b || c)', 'd == "x || y"']);
  });

  it("send the labels of the rule's conditions as they are now, trimmed, empty ones left out", () => {
    const form = {
      code: 'X',
      name: 'n',
      source: 's',
      effectiveFrom: '2025-01-01',
      rule: 'local && age >= 90',
      parameters: [],
    };
    expect(
      toInput({ ...form, labels: { local: ' 本市户籍 ', 'age >= 90': '', 'age >= 80': '年满80岁' } }).labels,
    ).toEqual({ local: '本市户籍' });
    expect(toInput({ ...form, labels: {} })).not.toHaveProperty('labels');
    // A stored version's labels come back into the form under the same conditions.
    const back = toForm({
      ...toInput({ ...form, labels: { 'age >= 90': '年满90岁' } }),
      effectiveTo: null,
      amount: null,
      howToApply: null,
      parameters: [],
      labels: { 'age >= 90': '年满90岁' },
    });
    expect(toInput(back).labels).toEqual({ 'age >= 90': '年满90岁' });
  });
});
