import { describe, expect, it } from 'vitest';
import type { TraceNode } from '../../api/policies.ts';
import {
  conditions,
  conditionsOf,
  factLabel,
  factsUnder,
  factValue,
  nodeKind,
  outcomeCounts,
  parametersIn,
  policyName,
} from './trace.ts';

const leaf = (
  text: string,
  outcome: TraceNode['outcome'],
  facts: TraceNode['facts'] = [],
  label: string | null = null,
): TraceNode => ({ text, label, outcome, facts, parts: [] });

/** TEKUN for a 93-year-old with no income and no supporter, as the engine explains it. */
const tekun: TraceNode = {
  text: 'local && (age >= 60 || age < TEKUN_MINOR_AGE || disability_grade != null) && no_work_capacity && income < LIBAO && !able_supporter',
  label: null,
  outcome: 'pass',
  facts: [],
  parts: [
    leaf('local', 'pass', [{ name: 'local', value: true }], '本市户籍'),
    {
      text: 'age >= 60 || age < TEKUN_MINOR_AGE || disability_grade != null',
      label: '年满60岁、未成年或持有残疾人证',
      outcome: 'pass',
      facts: [],
      parts: [
        leaf('age >= 60', 'pass', [{ name: 'age', value: 93 }]),
        leaf('age < TEKUN_MINOR_AGE', 'fail', [{ name: 'age', value: 93 }]),
        leaf('disability_grade != null', 'fail', [{ name: 'disability_grade', value: null }]),
      ],
    },
    leaf('no_work_capacity', 'pass', [{ name: 'no_work_capacity', value: true }], '无劳动能力'),
    leaf('income < LIBAO', 'pass', [{ name: 'income', value: 0 }], '本人月收入低于低保标准'),
    {
      text: '!able_supporter',
      label: '没有能够赡养的亲属',
      outcome: 'pass',
      facts: [],
      parts: [leaf('able_supporter', 'fail', [{ name: 'able_supporter', value: false }])],
    },
  ],
};

const parameters = [
  {
    name: 'TEKUN_MINOR_AGE',
    label: '特困人员中未成年人的年龄上限（不含）',
    value: 18,
    from: '2021-07-01',
    source: '特困人员认定办法 (2021)',
  },
  { name: 'LIBAO', label: '低保标准', value: 1510, from: '2023-07-01', source: 'reference value' },
];

describe('trace nodes', () => {
  it('tell all-of, any-of, not and single conditions apart', () => {
    expect(nodeKind(tekun)).toBe('and');
    expect(nodeKind(tekun.parts[1]!)).toBe('or');
    expect(nodeKind(tekun.parts[4]!)).toBe('not');
    expect(nodeKind(tekun.parts[0]!)).toBe('condition');
  });

  it('read the operator at the top level only, not inside brackets or quotes', () => {
    const not = {
      text: '!(eligible("TEKUN") || holds("TEKUN"))',
      parts: [leaf('eligible("TEKUN") || holds("TEKUN")', 'pass')],
    };
    expect(nodeKind(not)).toBe('not');
    expect(nodeKind({ text: '(a || b) && c', parts: [leaf('a || b', 'pass'), leaf('c', 'pass')] })).toBe('and');
    expect(nodeKind({ text: 'x == "a && b" || y', parts: [leaf('x == "a && b"', 'pass'), leaf('y', 'pass')] })).toBe(
      'or',
    );
    expect(nodeKind({ text: '!a && b', parts: [leaf('!a', 'pass'), leaf('b', 'pass')] })).toBe('and');
  });

  it('list the conditions depth first and count the top-level outcomes', () => {
    expect(conditions(tekun).map((c) => c.text)).toEqual([
      'local',
      'age >= 60',
      'age < TEKUN_MINOR_AGE',
      'disability_grade != null',
      'no_work_capacity',
      'income < LIBAO',
      'able_supporter',
    ]);
    expect(outcomeCounts(tekun)).toEqual({ pass: 5, fail: 0, unknown: 0 });
    expect(outcomeCounts(leaf('age >= 60 && household.size == 1', 'unknown'))).toEqual({
      pass: 0,
      fail: 0,
      unknown: 1,
    });
  });

  it('take the labelled conditions: the parts of the top-level all-of, or the root of a rule of one condition', () => {
    expect(conditionsOf(tekun).map((c) => c.label)).toEqual([
      '本市户籍',
      '年满60岁、未成年或持有残疾人证',
      '无劳动能力',
      '本人月收入低于低保标准',
      '没有能够赡养的亲属',
    ]);
    const one: TraceNode = {
      text: 'age >= 60 || local',
      label: '年满60岁或本市户籍',
      outcome: 'pass',
      facts: [],
      parts: [leaf('age >= 60', 'pass'), leaf('local', 'fail')],
    };
    expect(conditionsOf(one)).toEqual([one]);
    expect(conditionsOf(leaf('local', 'pass', [], '本市户籍'))).toHaveLength(1);
  });

  it('gather the facts read under a condition, each once', () => {
    expect(factsUnder(tekun.parts[1]!)).toEqual([
      { name: 'age', value: 93 },
      { name: 'disability_grade', value: null },
    ]);
    expect(factsUnder(tekun.parts[3]!)).toEqual([{ name: 'income', value: 0 }]);
  });

  it('find the parameters a condition names, as whole words', () => {
    expect(parametersIn('income < LIBAO', parameters).map((p) => p.name)).toEqual(['LIBAO']);
    expect(parametersIn('age < TEKUN_MINOR_AGE', parameters).map((p) => p.name)).toEqual(['TEKUN_MINOR_AGE']);
    expect(
      parametersIn('LIBAO <= household.pc_income && household.pc_income < 2 * LIBAO', parameters).map((p) => p.name),
    ).toEqual(['LIBAO']);
    expect(parametersIn('x < LIBAO_X', parameters)).toEqual([]);
  });
});

describe('facts in words', () => {
  it('names facts, and eligible() / holds() by the policy', () => {
    expect(factLabel('household.pc_income', 'zh')).toBe('家庭人均月收入');
    expect(factLabel('age', 'en')).toBe('Age');
    expect(factLabel('eligible("TEKUN")', 'zh')).toBe('符合「特困人员供养」条件');
    expect(factLabel('holds("DIBAO")', 'en')).toBe('Receiving Minimum living allowance (dibao)');
    expect(factLabel('something_new', 'zh')).toBe('something_new');
  });

  it('gives values with units, yes/no, and says what is missing', () => {
    expect(factValue('income', 1234.5, 'zh')).toBe('1,234.5 元');
    expect(factValue('household.pc_assets', 474727, 'en')).toBe('¥474,727');
    expect(factValue('age', 93, 'zh')).toBe('93 岁');
    expect(factValue('local', true, 'zh')).toBe('是');
    expect(factValue('able_supporter', false, 'en')).toBe('no');
    expect(factValue('hukou', '外省市', 'en')).toBe('Other province');
    expect(factValue('income', null, 'zh')).toBe('缺失');
    expect(factValue('disability_grade', null, 'zh')).toBe('无（未持残疾证）');
    expect(factValue('disability_grade', 2, 'zh')).toBe('2 级');
  });

  it("uses the pack's own policy names in Chinese", () => {
    expect(policyName('EDU_AID', '教育救助（助学金）', 'zh')).toBe('教育救助（助学金）');
    expect(policyName('EDU_AID', '教育救助（助学金）', 'en')).toBe('Education aid');
  });
});
