/**
 * Needs-assessment frameworks as versioned data (assessment-framework.md): dimensions and
 * indicators with weights written as fractions, each indicator a household condition in the rule
 * language, and the poverty cutoff k. A framework is checked when loaded (weights sum to 1, rules
 * type-check) and evaluated over the whole population at once: indicators as columns, then the
 * Alkire–Foster counting per household, per committee, street and district.
 */
import { RuleError, type Expr } from '../rules/ast.ts';
import { evaluateTruth, T, U } from '../rules/columnar.ts';
import { parseRule } from '../rules/parse.ts';
import { checkCondition } from '../rules/types.ts';
import { PopulationOnDate } from '../population/facts.ts';
import type { Population } from '../population/population.ts';
import { policyCatalog, type CompiledPack } from '../policies/pack.ts';
import { alkireFoster, validateWeights, DEPRIVED, NOT_DEPRIVED, UNKNOWN, type AfAggregate, type AfBand } from './alkire-foster.ts';

export interface IndicatorDef {
  readonly code: string;
  readonly name: string;
  readonly dimension: string;
  readonly weight: string | number;
  readonly rule: string;
  /** The kinds of help that answer this need: policies, services, social resources. */
  readonly help?: readonly string[];
}

export interface FrameworkDef {
  readonly code: string;
  readonly name: string;
  readonly version: number;
  readonly k: string | number;
  readonly dimensions: ReadonlyArray<{ code: string; name: string; weight: string | number }>;
  readonly indicators: readonly IndicatorDef[];
}

export interface CompiledFramework {
  readonly def: FrameworkDef;
  readonly k: number;
  readonly indicators: ReadonlyArray<{ readonly def: IndicatorDef; readonly weight: number; readonly rule: Expr }>;
}

export class FrameworkError extends Error {
  constructor(readonly where: string, message: string) {
    super(`${where}：${message}`);
    this.name = 'FrameworkError';
  }
}

/** "1/18", "0.25" or a number. */
export function parseFraction(v: string | number, where: string): number {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+(?:\.\d+)?))?\s*$/.exec(String(v));
  if (!m) throw new FrameworkError(where, `“${String(v)}” 不是数或分数`);
  const value = m[2] ? Number(m[1]) / Number(m[2]) : Number(m[1]);
  if (!Number.isFinite(value)) throw new FrameworkError(where, `“${String(v)}” 不是有效的数`);
  return value;
}

export function compileFramework(def: FrameworkDef, pack: CompiledPack): CompiledFramework {
  if (!def || !Array.isArray(def.indicators) || def.indicators.length === 0) throw new FrameworkError('framework', '至少需要一个指标');
  const k = parseFraction(def.k, 'k');
  if (!(k > 0 && k <= 1)) throw new FrameworkError('k', '贫困临界值 k 应在 (0, 1] 之间');
  const dims = new Map(def.dimensions.map((d) => [d.code, parseFraction(d.weight, `dimensions ${d.code}`)]));
  const catalog = policyCatalog(pack.parameters.keys(), []);
  const indicators = def.indicators.map((ind, i) => {
    const where = `indicators[${i}] ${ind.code}`;
    if (!dims.has(ind.dimension)) throw new FrameworkError(where, `维度 ${ind.dimension} 未定义`);
    let rule: Expr;
    try {
      rule = parseRule(ind.rule);
      checkCondition(rule, catalog);
    } catch (err) {
      if (err instanceof RuleError) throw new FrameworkError(`${where} rule`, err.message);
      throw err;
    }
    return { def: ind, weight: parseFraction(ind.weight, where), rule };
  });
  try {
    validateWeights(indicators.map((x) => ({ code: x.def.code, weight: x.weight })));
  } catch (err) {
    throw new FrameworkError('weights', err instanceof Error ? err.message : String(err));
  }
  // Each dimension's weight is the sum of its indicators' (the spec's 1/6 per dimension).
  for (const [code, w] of dims) {
    const sum = indicators.filter((x) => x.def.dimension === code).reduce((a, x) => a + x.weight, 0);
    if (Math.abs(sum - w) > 1e-9) throw new FrameworkError(`dimensions ${code}`, `维度权重 ${w} 与其指标权重之和 ${sum} 不一致`);
  }
  return { def, k, indicators };
}

export interface HouseholdAssessment {
  readonly household: number;
  readonly score: number;
  readonly deprived: readonly string[];
  readonly unknown: readonly string[];
  readonly band: AfBand;
}

export interface AreaAssessment extends AfAggregate {
  readonly code: string;
  readonly level: 'committee' | 'street' | 'district';
}

export interface Assessment {
  readonly asOf: string;
  readonly households: readonly HouseholdAssessment[];
  readonly areas: readonly AreaAssessment[];
}

/**
 * Assesses every household with at least one member on the date. Indicators are evaluated for
 * every person at once and read at one member per household (they are household conditions).
 */
export function assessPopulation(framework: CompiledFramework, pack: CompiledPack, population: Population, asOf: string): Assessment {
  const view = new PopulationOnDate(population, asOf, (name) => pack.parameterOn(name, asOf).value);
  const p = population;
  // One existing member per household represents it; households with none are not assessed.
  const units: number[] = [];
  const representative: number[] = [];
  for (let h = 0; h < p.householdIds.length; h++) {
    for (let k = p.memberStart[h]!; k < p.memberStart[h + 1]!; k++) {
      const i = p.memberIndex[k]!;
      if (view.exists[i]) { units.push(h); representative.push(i); break; }
    }
  }
  const n = units.length;
  const deprived = framework.indicators.map((ind) => {
    const truth = evaluateTruth(ind.rule, view);
    const col = new Uint8Array(n);
    for (let u = 0; u < n; u++) { const t = truth[representative[u]!]!; col[u] = t === T ? DEPRIVED : t === U ? UNKNOWN : NOT_DEPRIVED; }
    return col;
  });
  const indicators = framework.indicators.map((x) => ({ code: x.def.code, weight: x.weight, dimension: x.def.dimension }));
  const committeeOf = units.map((h) => p.committees[p.householdCommittee[h]!]!);
  const areas: AreaAssessment[] = [];
  for (const [level, length] of [['committee', 12], ['street', 9], ['district', 6]] as const) {
    const codes = [...new Set(committeeOf.map((c) => c.slice(0, length)))].sort();
    const at = new Map(codes.map((c, g) => [c, g]));
    const index = Int32Array.from(committeeOf, (c) => at.get(c.slice(0, length))!);
    const result = alkireFoster({ indicators, k: framework.k, n, deprived, groups: { index, count: codes.length } });
    codes.forEach((code, g) => areas.push({ ...result.groups![g]!, code, level }));
  }
  const all = alkireFoster({ indicators, k: framework.k, n, deprived });
  const households = units.map((h, u) => ({ household: h, score: all.score[u]!, deprived: all.deprivedCodes(u), unknown: all.unknownCodes(u), band: all.bandName(u) }));
  return { asOf, households, areas };
}
