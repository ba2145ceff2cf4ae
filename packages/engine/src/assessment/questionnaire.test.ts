import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compilePack, type PackDef } from '../policies/pack.ts';
import { scenarioPopulation } from '../policies/pack.fixture.ts';
import { parseRule } from '../rules/parse.ts';
import { assessPopulation, compileFramework, type FrameworkDef } from './framework.ts';
import {
  checkVisitAnswer,
  deriveQuestionnaire,
  factsOfRule,
  populationWithAnswers,
  visitFactsOfRule,
} from './questionnaire.ts';

const ROOT = join(import.meta.dirname, '../../../../policies/reference');
const pack = compilePack(parse(readFileSync(join(ROOT, 'pack.yaml'), 'utf8')) as PackDef);
const framework = compileFramework(parse(readFileSync(join(ROOT, 'assessment.yaml'), 'utf8')) as FrameworkDef, pack);
const story = pack.def.scenarios!.find((x) => x.members.some((m) => m.id === 'D'))!;

describe('home-visit questionnaire', () => {
  it('finds the facts a condition reads by walking its tree, parameters left out, derived facts asked at their source', () => {
    expect(factsOfRule(parseRule('household.pc_income < 2 * LIBAO'))).toEqual(['household.pc_income']);
    const care = framework.indicators.find((x) => x.def.code === 'CARE')!.rule;
    expect(factsOfRule(care)).toEqual(['age', 'severe_disability', 'labor_capacity', 'disability_grade']);
    expect(visitFactsOfRule(care)).toEqual(['labor_capacity']);
    expect(visitFactsOfRule(parseRule('local && no_work_capacity && any(employment == "失业")'))).toEqual([
      'hukou',
      'labor_capacity',
      'employment',
    ]);
    expect(visitFactsOfRule(framework.indicators.find((x) => x.def.code === 'HOUSING')!.rule)).toEqual([
      'household.housing_area',
    ]);
  });

  it('asks exactly the missing facts of the indicators not evaluated, then evaluates them with the answers', () => {
    const population = scenarioPopulation({ ...story, household: { financial_assets_yuan: 5000 } });
    const before = assessPopulation(framework, pack, population, story.date).household(0);
    expect(before.unknown).toEqual(['HOUSING', 'ILLNESS']);
    const q = deriveQuestionnaire(framework, population, 0, before.unknown, story.date);
    expect(q.indicators.map((x) => [x.code, x.questions])).toEqual([
      ['HOUSING', ['household.housing_area']],
      ['ILLNESS', ['chronic_illness|D', 'chronic_illness|M']],
    ]);
    expect(q.questions.map((x) => [x.key, x.input, x.member])).toEqual([
      ['household.housing_area', 'number', null],
      ['chronic_illness|D', 'yes_no', 'D'],
      ['chronic_illness|M', 'yes_no', 'M'],
    ]);
    expect(q.questions[1]).toMatchObject({
      question: '是否患有大病或慢性病？',
      choices: ['是', '否'],
      indicators: ['ILLNESS'],
    });

    const { population: filled, applied } = populationWithAnswers(population, 0, [
      { fact: 'household.housing_area', member: null, value: 50 },
      { fact: 'chronic_illness', member: 'M', value: '否' },
      { fact: 'chronic_illness', member: 'M', value: '是' },
      { fact: 'chronic_illness', member: 'D', value: '否' },
      // The registry has her employment: the registry wins.
      { fact: 'employment', member: 'M', value: '在职' },
      { fact: 'chronic_illness', member: 'nobody', value: '是' },
    ]);
    expect(applied.map((a) => [a.fact, a.member, a.value])).toEqual([
      ['household.housing_area', null, 50],
      ['chronic_illness', 'M', '是'],
      ['chronic_illness', 'D', '否'],
    ]);
    const after = assessPopulation(framework, pack, filled, story.date).household(0);
    expect(after.unknown).toEqual([]);
    expect(after.deprived).toEqual(['INCOME', 'ILLNESS', 'EDUCATION', 'EMPLOYMENT', 'CHILD_SHARE']);
    expect(deriveQuestionnaire(framework, filled, 0, after.unknown, story.date).questions).toEqual([]);
    // The original population is untouched.
    expect(assessPopulation(framework, pack, population, story.date).household(0).unknown).toEqual([
      'HOUSING',
      'ILLNESS',
    ]);
  });

  it("checks answers against the exchange format's code lists", () => {
    expect(checkVisitAnswer('employment', 'M', '灵活就业')).toBe('灵活就业');
    expect(checkVisitAnswer('chronic_illness', 'M', true)).toBe('是');
    expect(checkVisitAnswer('household.housing_area', null, '42.5')).toBe(42.5);
    expect(() => checkVisitAnswer('employment', 'M', '打工')).toThrow(
      '就业状况应为 在职、灵活就业、失业、退休、在校、无 之一',
    );
    expect(() => checkVisitAnswer('household.housing_area', null, -3)).toThrow(/住房使用面积应在 0 到 10000m² 之间/);
    expect(() => checkVisitAnswer('household.housing_area', 'M', 3)).toThrow(/不属于某位成员/);
    expect(() => checkVisitAnswer('age', 'M', 3)).toThrow(/没有“age”/);
  });
});
