import { describe, expect, it } from 'vitest';
import { exprFromJson, RuleError, stripSpans } from './ast.ts';
import { evaluateColumns, evaluateTruth, F, T, U } from './columnar.ts';
import { evaluateScalar, explainRule } from './explain.ts';
import { parseRule } from './parse.ts';
import { printRule } from './print.ts';
import { checkCondition, typecheck } from './types.ts';
import { PopulationOnDate, personCatalog } from '../population/facts.ts';
import { makePopulation, prng } from '../population/population.fixture.ts';
import { CODED_FACTS } from '../population/population.ts';

const catalog = personCatalog({ params: new Set(['LIBAO']) });

describe('rule text form', () => {
  const rules = [
    'local && age >= 60 && household.size == 1',
    'employment in ["失业", "无"] && (holds("DIBAO") || holds("LOW_INCOME"))',
    '!(severe_disability || disability_grade != null) || age < 16',
    'household.pc_income < 2 * LIBAO',
    '(12 * household.income - household.medical) / (12 * household.size) < LIBAO',
    'disability_grade == 1 ? 300 : 150',
    'a - (b - c) == -1',
    'x * (y + z) / 2 > 0.5',
    'tag("独居老人") && !tag("特困")',
  ];
  it.each(rules)('parse → print → parse gives the same tree: %s', (text) => {
    const tree = stripSpans(parseRule(text));
    const printed = printRule(tree);
    expect(stripSpans(parseRule(printed))).toEqual(tree);
    expect(exprFromJson(JSON.parse(JSON.stringify(tree)))).toEqual(tree);
  });

  it('prints with the minimum of parentheses', () => {
    expect(printRule(parseRule('((a && b)) || (c)'))).toBe('a && b || c');
    expect(printRule(parseRule('a && (b || c)'))).toBe('a && (b || c)');
  });

  it('names the position of a syntax error', () => {
    const err = (text: string) => {
      try {
        parseRule(text);
      } catch (e) {
        return e as RuleError;
      }
      throw new Error('no error');
    };
    expect(err('age >= ').column).toBe(8);
    expect(err('age >= 60 &&& x').message).toMatch(/第 13 个字符处/);
    expect(err('age > 1 < 2').message).toMatch(/不能连写/);
    expect(err('"abc').message).toMatch(/结束引号/);
    expect(err('').message).toMatch(/为空/);
  });

  it('reads back what it prints: strings with control characters or lone surrogates; no number too large to print', () => {
    for (const value of ['a\u0000b', '\ud800', 'x\r\b\f\ty', '😀', '"\'\\']) {
      const tree = stripSpans(parseRule(`employment == ${JSON.stringify(value)}`));
      expect(stripSpans(parseRule(printRule(tree)))).toEqual(tree);
      expect((tree as { right: { value: string } }).right.value).toBe(value);
    }
    expect(() => parseRule('employment == "\\u12"')).toThrow(/无法识别的转义/);
    expect(() => parseRule('age < 1e999')).toThrow(/第 7 个字符处：数值过大/);
    expect(() => parseRule(`age < ${'9'.repeat(400)}`)).toThrow(/数值过大/);
  });

  it('rejects a malformed JSON tree, naming the path', () => {
    expect(() =>
      exprFromJson({ kind: 'binary', op: '&&', left: { kind: 'ref', name: 'a' }, right: { kind: 'bogus' } }),
    ).toThrow(/\$\.right/);
  });
});

describe('type checking', () => {
  const err = (text: string) => {
    try {
      checkCondition(parseRule(text), catalog);
    } catch (e) {
      return e as RuleError;
    }
    throw new Error('no error');
  };
  it('accepts well-typed rules', () => {
    expect(typecheck(parseRule('household.pc_income < 2 * LIBAO'), catalog)).toBe('boolean');
    expect(typecheck(parseRule('disability_grade == 1 ? 300 : 150'), catalog)).toBe('number');
  });
  it('names unknown facts, wrong codes and type errors at their position', () => {
    expect(err('agee >= 60').message).toBe('第 1 个字符处：未知的事实或参数 “agee”');
    expect(err('age >= 60 && employment == "失 业"').message).toMatch(/第 28 个字符处："失 业" 不是 employment 的取值/);
    expect(err('holds("DIBOA")').message).toMatch(/不是 holds\(\) 可用的代码/);
    expect(err('age && local').message).toMatch(/左边是数值/);
    expect(err('age + 1').message).toMatch(/应为条件/);
    expect(err('tag("特困")').message).toMatch(/不能引用标签/);
  });
});

describe('evaluation', () => {
  // A random population: every combination of missing and present facts shows up.
  const rnd = prng(7);
  const pick = <T>(xs: readonly T[]): T | null => (rnd() < 0.15 ? null : xs[Math.floor(rnd() * xs.length)]!);
  const households = Array.from({ length: 60 }, (_, h) => ({
    household_id: `H${h}`,
    financial_assets_yuan: rnd() < 0.2 ? null : Math.round(rnd() * 200000),
    housing_area_m2: rnd() < 0.2 ? null : 5 + rnd() * 80,
  }));
  const residents = Array.from({ length: 200 }, (_, i) => ({
    id_number: `ID${String(i).padStart(5, '0')}`,
    household_id: `H${Math.floor(rnd() * 60)}`,
    birth_date: `${1930 + Math.floor(rnd() * 95)}-${String(1 + Math.floor(rnd() * 12)).padStart(2, '0')}-${String(1 + Math.floor(rnd() * 28)).padStart(2, '0')}`,
    hukou: pick(CODED_FACTS.hukou),
    employment: pick(CODED_FACTS.employment),
    labor_capacity: pick(CODED_FACTS.labor_capacity),
    chronic_illness: pick(CODED_FACTS.chronic_illness),
    disability_grade: rnd() < 0.2 ? 1 + Math.floor(rnd() * 4) : null,
    disability_category: pick(CODED_FACTS.disability_category),
    monthly_income_yuan: rnd() < 0.2 ? null : Math.round(rnd() * 5000),
    medical_oop_12m_yuan: rnd() < 0.3 ? null : Math.round(rnd() * 20000),
  }));
  const population = makePopulation({
    households,
    residents,
    relations: residents
      .filter(() => rnd() < 0.3)
      .map((r) => ({
        id_number: r.id_number,
        relation: rnd() < 0.5 ? '子女' : '兄弟姐妹',
        able_to_support: rnd() < 0.7 ? '是' : '否',
      })),
    enrollments: residents
      .filter(() => rnd() < 0.2)
      .map((r) => ({
        id_number: r.id_number,
        benefit_code: 'DIBAO',
        start_date: '2020-01-01',
        end_date: rnd() < 0.5 ? null : '2026-11-28',
      })),
  });
  const view = new PopulationOnDate(population, '2026-11-28', (name) => (name === 'LIBAO' ? 1510 : NaN));
  const rules = [
    'local && age >= 60 && household.size == 1',
    'employment in ["失业", "无"] && (holds("DIBAO") || !able_supporter)',
    '!(no_work_capacity) || chronic_illness == "是"',
    'household.pc_income < 2 * LIBAO && household.pc_assets <= 60000',
    '(12 * household.income - household.medical) / (12 * household.size) < LIBAO || household.medical >= 0.4 * 12 * household.income',
    'disability_grade != null && disability_grade <= 2',
    'household.housing_area / household.size < 10',
    'labor_capacity != "有" && local',
  ];
  it.each(rules)('the columnar and the per-person evaluators agree: %s', (text) => {
    const rule = parseRule(text);
    checkCondition(rule, catalog);
    const column = evaluateTruth(rule, view);
    let unknown = 0;
    for (let i = 0; i < view.n; i++) {
      const one = evaluateScalar(rule, view.person(i));
      expect(column[i], `${population.ids[i]}`).toBe(one === null ? U : one ? T : F);
      if (one === null) unknown++;
    }
    expect(column.length).toBe(200);
    if (text.startsWith('labor_capacity')) expect(unknown).toBeGreaterThan(0);
  });

  it('computes numbers columnwise and per person alike', () => {
    const rule = parseRule('disability_grade == 1 ? 300 : 150');
    const col = evaluateColumns(rule, view);
    expect(col.type).toBe('number');
    for (let i = 0; i < view.n; i++) {
      const v = evaluateScalar(rule, view.person(i));
      const c = (col as { data: Float64Array }).data[i]!;
      expect(Number.isNaN(c) ? null : c).toBe(v);
    }
  });

  it('explains each condition with the values it read, and names what is missing', () => {
    const p = makePopulation({
      households: [{ household_id: 'H1' }],
      residents: [
        { id_number: 'A', household_id: 'H1', birth_date: '1966-11-28', hukou: null, monthly_income_yuan: 0 },
      ],
    });
    const v = new PopulationOnDate(p, '2026-11-28', () => 1510);
    const ex = explainRule(
      parseRule('local && age >= 60 && household.size == 1 && income < LIBAO'),
      v.person(0),
      (n) => n === 'LIBAO',
    );
    expect(ex.outcome).toBe('unknown');
    expect(ex.missing).toEqual(['local']);
    expect(ex.trace.parts.map((t) => [t.text, t.outcome])).toEqual([
      ['local', 'unknown'],
      ['age >= 60', 'pass'],
      ['household.size == 1', 'pass'],
      ['income < LIBAO', 'pass'],
    ]);
    expect(ex.trace.parts[1]!.facts).toEqual([{ name: 'age', value: 60 }]);
    expect([...ex.params]).toEqual([['LIBAO', 1510]]);
  });
});

describe('dates in facts', () => {
  const p = makePopulation({
    households: [{ household_id: 'H1' }, { household_id: 'H2' }],
    residents: [
      { id_number: 'A', household_id: 'H1', birth_date: '1966-11-28' },
      { id_number: 'B', household_id: 'H2', birth_date: '2000-02-29' },
      { id_number: 'C', household_id: 'H2', birth_date: '2026-12-01' },
    ],
  });
  const age = (asOf: string, i: number) =>
    (new PopulationOnDate(p, asOf).fact('age') as { data: Float64Array }).data[i];
  it('counts the birthday itself, and 29 February ages on 1 March in common years', () => {
    expect(age('2026-11-27', 0)).toBe(59);
    expect(age('2026-11-28', 0)).toBe(60);
    expect(age('2001-02-28', 1)).toBe(0);
    expect(age('2001-03-01', 1)).toBe(1);
    expect(age('2004-02-29', 1)).toBe(4);
  });
  it('leaves out of households those born after the date', () => {
    const before = new PopulationOnDate(p, '2026-11-28');
    expect((before.fact('household.size') as { data: Float64Array }).data[1]).toBe(1);
    expect(before.exists[2]).toBe(0);
    const after = new PopulationOnDate(p, '2026-12-01');
    expect((after.fact('household.size') as { data: Float64Array }).data[1]).toBe(2);
  });
});
