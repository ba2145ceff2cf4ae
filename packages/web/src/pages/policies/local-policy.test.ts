import { describe, expect, it } from 'vitest';
import { errorPlace, markAt, toForm, toInput } from './local-policy.ts';

describe('local policy editor', () => {
  it('sends trimmed texts, upper-case codes and null for empty optionals', () => {
    const input = toInput({
      code: ' hy_elder ', name: ' 高龄补贴 ', source: '通知', effectiveFrom: '2025-01-01', effectiveTo: '', rule: '  age >= 80 \n', amount: ' ',
      parameters: [{ name: 'hy_yuan', label: '金额', unit: '', values: [{ from: '2025-01-01', value: 100, source: '通知' }] }],
    });
    expect(input).toEqual({
      code: 'HY_ELDER', name: '高龄补贴', source: '通知', effectiveFrom: '2025-01-01', effectiveTo: null, rule: 'age >= 80', amount: null, howToApply: null,
      parameters: [{ name: 'HY_YUAN', label: '金额', unit: null, values: [{ from: '2025-01-01', value: 100, source: '通知' }] }],
    });
    expect(toInput(toForm({ ...input, effectiveTo: null, amount: null, howToApply: null, parameters: input.parameters.map((p) => ({ ...p, unit: null })) }))).toEqual(input);
  });

  it('finds where a rule error points and marks the word there, or the end', () => {
    expect(errorPlace({ field: 'rule', position: 10, where: 'x' })).toEqual({ field: 'rule', position: 10 });
    expect(errorPlace({ field: 'parameters' })).toEqual({ field: 'parameters', position: null });
    expect(errorPlace(null)).toBeNull();
    expect(markAt('local && agee >= 80', 10)).toEqual({ before: 'local && ', marked: 'agee', after: ' >= 80', atEnd: false });
    expect(markAt('age >=', 7)).toEqual({ before: 'age >=', marked: '', after: '', atEnd: true });
    expect(markAt('a &&& b', 4)).toMatchObject({ marked: '&' });
  });
});
