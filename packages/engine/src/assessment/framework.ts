/**
 * Needs-assessment frameworks as versioned data (assessment-framework.md): dimensions and
 * indicators with weights written as fractions, each indicator a household condition in the rule
 * language, and the poverty cutoff k. A framework is checked when loaded (weights sum to 1, rules
 * type-check) and evaluated over the whole population at once: indicators as columns, then the
 * Alkire–Foster counting per household, per committee, street and district.
 */
import { RuleError, type Expr } from '../rules/ast.ts';
import { evaluateTruthAt } from '../rules/columnar.ts';
import { compileRules, CompileUnsupported } from '../rules/compile.ts';
import { parseRule } from '../rules/parse.ts';
import { checkCondition } from '../rules/types.ts';
import { PopulationOnDate } from '../population/facts.ts';
import type { Population } from '../population/population.ts';
import { policyCatalog, type CompiledPack } from '../policies/pack.ts';
import { alkireFoster, validateWeights, type AfAggregate, type AfBand, type AfResult } from './alkire-foster.ts';

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
  constructor(
    readonly where: string,
    message: string,
  ) {
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
  if (!def || !Array.isArray(def.indicators) || def.indicators.length === 0)
    throw new FrameworkError('framework', '至少需要一个指标');
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
    if (Math.abs(sum - w) > 1e-9)
      throw new FrameworkError(`dimensions ${code}`, `维度权重 ${w} 与其指标权重之和 ${sum} 不一致`);
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

export interface AreaAssessment extends Omit<AfAggregate, 'M1' | 'M2' | 'dimensionContributions'> {
  readonly code: string;
  readonly level: 'committee' | 'street' | 'district';
}

export interface Assessment {
  readonly asOf: string;
  /** Assessed households (those with a member on the date), as household indices. */
  readonly units: Int32Array;
  readonly result: AfResult;
  readonly areas: readonly AreaAssessment[];
  /** The u-th assessed household's result. */
  household(u: number): HouseholdAssessment;
  /** Every assessed household's result (builds one object per household). */
  households(): HouseholdAssessment[];
}

/**
 * An indicator at each household's representative member: compiled to one loop over the
 * households with the aggregates as loops over their members (rules/compile.ts), or set-at-a-time
 * when the rule uses a construct the compiler does not cover. Both give the same answers.
 */
function indicatorTruths(
  framework: CompiledFramework,
  view: PopulationOnDate,
  units: Int32Array,
  reps: Int32Array,
): Uint8Array[] {
  // One buffer for all the columns (fewer, larger allocations: less work for the collector).
  const m = reps.length;
  const buffer = new Uint8Array(m * framework.indicators.length);
  const outs = framework.indicators.map((_, j) => buffer.subarray(j * m, (j + 1) * m));
  try {
    // All indicators in one pass over the households: each household's members are read once.
    compileRules(
      framework.indicators.map((x) => ({ rule: x.rule, kind: 'truth' as const })),
      view,
    ).runHouseholds(units, reps, outs);
    return outs;
  } catch (err) {
    if (err instanceof CompileUnsupported) return framework.indicators.map((x) => evaluateTruthAt(x.rule, view, reps));
    throw err;
  }
}

/**
 * Assesses every household with at least one member on the date. Indicators are evaluated for
 * every person at once and read at one member per household (they are household conditions);
 * Alkire–Foster runs once with committees as subgroups, and streets and the district are summed
 * from their committees (n, q, Σ censored scores and censored headcounts all add up).
 */
export function assessPopulation(
  framework: CompiledFramework,
  pack: CompiledPack,
  population: Population,
  asOf: string,
): Assessment {
  const view = new PopulationOnDate(population, asOf, (name) => pack.parameterOn(name, asOf).value);
  const p = population;
  const nh = p.householdIds.length;
  const unitsList = new Int32Array(nh);
  const representative = new Int32Array(nh);
  let n = 0;
  // Members in household order, with their ages on D (negative: not born yet): read in sequence.
  const ages = view.memberAges();
  const ms = p.memberStart;
  for (let h = 0; h < nh; h++) {
    for (let k = ms[h]!, end = ms[h + 1]!; k < end; k++) {
      if (ages[k]! >= 0) {
        unitsList[n] = h;
        representative[n++] = p.memberIndex[k]!;
        break;
      }
    }
  }
  const units = unitsList.subarray(0, n);
  // Evaluated at the representatives only: household facts and aggregates are read per household.
  const reps = representative.subarray(0, n);
  const truths = indicatorTruths(framework, view, units, reps);
  // The indicator columns as evaluated (F/U/T): Alkire–Foster reads them in that coding.
  const deprived = truths;
  const indicators = framework.indicators.map((x) => ({
    code: x.def.code,
    weight: x.weight,
    dimension: x.def.dimension,
  }));
  const groupIndex = new Int32Array(n);
  for (let u = 0; u < n; u++) groupIndex[u] = p.householdCommittee[units[u]!]!;
  const result = alkireFoster({
    indicators,
    k: framework.k,
    n,
    deprived,
    coding: 'truth',
    groups: { index: groupIndex, count: p.committees.length },
  });
  // Sums per committee, then per street and district by code prefix.
  const codes = indicators.map((x) => x.code);
  const sums = new Map<
    string,
    {
      level: AreaAssessment['level'];
      n: number;
      q: number;
      total: number;
      censored: number[];
      uncensored: number[];
      unknown: number[];
    }
  >();
  p.committees.forEach((committee, g) => {
    const a = result.groups![g]!;
    if (a.n === 0) return;
    for (const [level, length] of [
      ['committee', 12],
      ['street', 9],
      ['district', 6],
    ] as const) {
      const code = committee.slice(0, length);
      let s = sums.get(code);
      if (!s)
        sums.set(
          code,
          (s = {
            level,
            n: 0,
            q: 0,
            total: 0,
            censored: codes.map(() => 0),
            uncensored: codes.map(() => 0),
            unknown: codes.map(() => 0),
          }),
        );
      s.n += a.n;
      s.q += a.q;
      s.total += a.M0 * a.n;
      codes.forEach((c, j) => {
        s!.censored[j]! += a.censored[c]! * a.n;
        s!.uncensored[j]! += a.uncensored[c]! * a.n;
        s!.unknown[j]! += a.unknown[c]! * a.n;
      });
    }
  });
  const areas: AreaAssessment[] = [...sums]
    .sort(([a, x], [b, y]) =>
      x.level === y.level
        ? a < b
          ? -1
          : 1
        : ['committee', 'street', 'district'].indexOf(x.level) - ['committee', 'street', 'district'].indexOf(y.level),
    )
    .map(([code, s]) => {
      const M0 = s.total / s.n;
      const share = (counts: number[]) => Object.fromEntries(codes.map((c, j) => [c, counts[j]! / s.n]));
      return {
        code,
        level: s.level,
        n: s.n,
        q: s.q,
        H: s.q / s.n,
        A: s.q === 0 ? 0 : s.total / s.q,
        M0,
        censored: share(s.censored),
        uncensored: share(s.uncensored),
        unknown: share(s.unknown),
        contributions: Object.fromEntries(
          codes.map((c, j) => [c, M0 === 0 ? 0 : (indicators[j]!.weight * s.censored[j]!) / s.n / M0]),
        ),
      };
    });
  const household = (u: number): HouseholdAssessment => ({
    household: units[u]!,
    score: result.score[u]!,
    deprived: result.deprivedCodes(u),
    unknown: result.unknownCodes(u),
    band: result.bandName(u),
  });
  return { asOf, units, result, areas, household, households: () => Array.from({ length: n }, (_, u) => household(u)) };
}
