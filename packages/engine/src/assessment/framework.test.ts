import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compilePack, type PackDef } from '../policies/pack.ts';
import { scenarioPopulation } from '../policies/pack.fixture.ts';
import { assessPopulation, compileFramework, parseFraction, type FrameworkDef } from './framework.ts';

const ROOT = join(import.meta.dirname, '../../../../policies/reference');
const pack = compilePack(parse(readFileSync(join(ROOT, 'pack.yaml'), 'utf8')) as PackDef);
const def = parse(readFileSync(join(ROOT, 'assessment.yaml'), 'utf8')) as FrameworkDef;
const framework = compileFramework(def, pack);

describe('assessment framework', () => {
  it('reads fractions and checks that weights sum to 1 and match their dimensions', () => {
    expect(parseFraction('1/18', 'x')).toBeCloseTo(1 / 18, 15);
    expect(framework.k).toBeCloseTo(1 / 3, 15);
    const heavier = { ...def, indicators: def.indicators.map((x, i) => (i === 0 ? { ...x, weight: '1/9' } : x)) };
    expect(() => compileFramework(heavier, pack)).toThrow(/weights|维度权重/);
    const badRule = {
      ...def,
      indicators: def.indicators.map((x, i) => (i === 0 ? { ...x, rule: 'household.pc_incom < 2' } : x)),
    };
    expect(() => compileFramework(badRule, pack)).toThrow(
      /indicators\[0\] INCOME rule：第 1 个字符处：未知的事实或参数/,
    );
  });

  it("assesses the second story's household: income, employment, children — and never counts missing data as deprived", () => {
    const s = pack.def.scenarios!.find((x) => x.members.some((m) => m.id === 'D'))!;
    const population = scenarioPopulation({ ...s, household: { financial_assets_yuan: 5000 } });
    const a = assessPopulation(framework, pack, population, s.date);
    expect(a.units).toHaveLength(1);
    const h = a.household(0);
    // Housing area unknown: listed, not deprived.
    // Housing area and chronic illness were not recorded: listed as not evaluated, never deprived.
    expect(h.unknown).toEqual(['HOUSING', 'ILLNESS']);
    expect(h.deprived).toEqual(['INCOME', 'EDUCATION', 'EMPLOYMENT', 'CHILD_SHARE']);
    expect(h.score).toBeCloseTo(1 / 18 + 1 / 6 + 1 / 6 + 1 / 6, 12);
    expect(h.band).toBe('severe');
    expect(a.areas.map((x) => [x.level, x.code, x.n, x.q])).toEqual([
      ['committee', '310105001001', 1, 1],
      ['street', '310105001', 1, 1],
      ['district', '310105', 1, 1],
    ]);
  });
});
