/**
 * The Alkire–Foster (2011) counting method for multidimensional poverty: each unit (household,
 * person) is deprived or not in each of d weighted indicators; its deprivation score is the
 * weighted sum, and it is poor when the score reaches the poverty cutoff k. From that come the
 * headcount H, the intensity A, the adjusted headcount M0 = H × A, censored and uncensored
 * headcounts per indicator, the indicators' contributions, subgroup decompositions and, for
 * cardinal indicators, the gap measures M1 and M2.
 *
 * The fast path runs over whole districts (hundreds of thousands of units), so it takes one
 * Uint8Array column per indicator and works column by column over flat typed arrays: no object per
 * unit, no map look-up per cell. `alkireFosterRowByRow` is the same method written the obvious
 * way; it exists to check the fast path and to measure it against.
 *
 * Scores are sums of fractional weights (1/3, 1/18, ...), which floating point cannot represent
 * exactly: 1/36 + 1/36 + 1/18 + 1/12 + 1/12 + 1/18 comes out just below 1/3. Every comparison of a
 * score with a threshold therefore allows AF_TOLERANCE, so that a unit whose score is k on paper
 * is poor in the program too.
 */

/** Slack allowed when a score is compared with a threshold, and when weights are checked to sum to 1. */
export const AF_TOLERANCE = 1e-9;

/** Cell values of a deprivation column. */
export const NOT_DEPRIVED = 0;
export const DEPRIVED = 1;
/** The indicator could not be evaluated for this unit (missing data). Never counts as deprived. */
export const UNKNOWN = 2;

/** Band codes as stored in `AfResult.band`; `BAND_NAMES[code]` is the name. */
export const BAND_NONE = 0;
export const BAND_VULNERABLE = 1;
export const BAND_POOR = 2;
export const BAND_SEVERE = 3;
export const BAND_NAMES = ['none', 'vulnerable', 'poor', 'severe'] as const;
export type AfBand = (typeof BAND_NAMES)[number];

/** Default band thresholds, those of the global MPI: vulnerable from 1/5, severe from 1/2. */
export const DEFAULT_VULNERABLE_FROM = 1 / 5;
export const DEFAULT_SEVERE_FROM = 1 / 2;

export interface AfIndicator {
  /** Unique code; keys the per-indicator records of the aggregates. */
  readonly code: string;
  /** w_j ≥ 0; all weights sum to 1. */
  readonly weight: number;
  /** Optional dimension (health, education, ...) for contributions by dimension. */
  readonly dimension?: string;
}

export interface AfCardinal {
  /** x_ij per unit; NaN where unknown. */
  readonly achievement: Float64Array;
  /** z_j > 0; deprived when x_ij < z_j. */
  readonly cutoff: number;
}

export interface AfInput {
  readonly indicators: readonly AfIndicator[];
  /** Poverty cutoff on the weighted score, 0 < k ≤ 1. */
  readonly k: number;
  /** Number of units. */
  readonly n: number;
  /** deprived[j][i] for indicator j and unit i: DEPRIVED, NOT_DEPRIVED or UNKNOWN; one column of length n per indicator. */
  readonly deprived: readonly Uint8Array[];
  /**
   * 'truth': the columns hold F = 0 (not deprived), U = 1 (unknown), T = 2 (deprived), as a rule
   * evaluation writes them, instead of the codes above.
   */
  readonly coding?: 'truth';
  /** Subgroup of each unit (-1: none) and the number of subgroups. */
  readonly groups?: { readonly index: Int32Array; readonly count: number };
  /**
   * Cardinal data per indicator (null for ordinal ones). M1 and M2 are reported only when every
   * indicator has it: normalised gaps are undefined for an ordinal indicator, and pretending a gap
   * of 1 would mix two different measures into one number.
   */
  readonly cardinal?: readonly (AfCardinal | null)[];
  /** Band thresholds; default 1/5 and 1/2. */
  readonly bands?: { readonly vulnerableFrom?: number; readonly severeFrom?: number };
}

export interface AfAggregate {
  /** Units in the population (or subgroup). */
  readonly n: number;
  /** Poor units. */
  readonly q: number;
  /** Headcount ratio q/n. */
  readonly H: number;
  /** Intensity: mean score of the poor (0 when none is poor). */
  readonly A: number;
  /** Adjusted headcount ratio H × A = mean censored score. */
  readonly M0: number;
  /** Adjusted poverty gap; only when every indicator is cardinal. */
  readonly M1?: number;
  /** Adjusted FGT (squared gaps); only when every indicator is cardinal. */
  readonly M2?: number;
  /** h_j(k): share of units that are poor and deprived in j. */
  readonly censored: Record<string, number>;
  /** Share of units deprived in j, poor or not. */
  readonly uncensored: Record<string, number>;
  /** Share of units for which j is unknown. */
  readonly unknown: Record<string, number>;
  /** w_j h_j(k) / M0; sums to 1 (all 0 when M0 = 0). */
  readonly contributions: Record<string, number>;
  /** Contributions summed by dimension; only when some indicator names a dimension. */
  readonly dimensionContributions?: Record<string, number>;
}

export interface AfResult {
  readonly n: number;
  readonly k: number;
  readonly indicators: readonly AfIndicator[];
  /** c_i, the uncensored deprivation score. The censored score c_i(k) is `poor[i] ? score[i] : 0`. */
  readonly score: Float64Array;
  /** 1 when unit i is poor. */
  readonly poor: Uint8Array;
  /** Band code per unit (BAND_NONE … BAND_SEVERE). */
  readonly band: Uint8Array;
  /** Number of indicators unknown for unit i; `unknownCodes(i)` names them. */
  readonly unknownCount: Uint16Array;
  readonly overall: AfAggregate;
  /** Per subgroup, indexed like `groups.index`; present when groups were given. */
  readonly groups?: AfAggregate[];
  bandName(i: number): AfBand;
  deprivedCodes(i: number): string[];
  unknownCodes(i: number): string[];
}

/**
 * Throws when the indicators cannot carry weights of the method: none at all, an empty or
 * repeated code, a weight that is negative or not finite, or weights not summing to 1 within
 * AF_TOLERANCE.
 */
export function validateWeights(indicators: readonly AfIndicator[]): void {
  if (indicators.length === 0) throw new Error('Alkire–Foster: no indicators given');
  const seen = new Set<string>();
  let sum = 0;
  for (const ind of indicators) {
    if (!ind.code) throw new Error('Alkire–Foster: an indicator has an empty code');
    if (seen.has(ind.code)) throw new Error(`Alkire–Foster: indicator code "${ind.code}" appears twice`);
    seen.add(ind.code);
    if (!Number.isFinite(ind.weight))
      throw new Error(`Alkire–Foster: weight of "${ind.code}" is not a finite number (${ind.weight})`);
    if (ind.weight < 0) throw new Error(`Alkire–Foster: weight of "${ind.code}" is negative (${ind.weight})`);
    sum += ind.weight;
  }
  if (Math.abs(sum - 1) > AF_TOLERANCE) throw new Error(`Alkire–Foster: weights sum to ${sum}, not 1`);
}

function validateK(k: number): void {
  if (!Number.isFinite(k) || k <= 0 || k > 1 + AF_TOLERANCE)
    throw new Error(`Alkire–Foster: poverty cutoff k must be in (0, 1], got ${k}`);
}

/**
 * A deprivation column from cardinal achievements: DEPRIVED when x < cutoff, UNKNOWN when x is
 * NaN, NOT_DEPRIVED otherwise.
 */
export function achievementsToDeprivations(achievement: ArrayLike<number>, cutoff: number): Uint8Array {
  if (!Number.isFinite(cutoff)) throw new Error(`Alkire–Foster: cutoff must be finite, got ${cutoff}`);
  const n = achievement.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const x = achievement[i]!;
    out[i] = x < cutoff ? DEPRIVED : Number.isNaN(x) ? UNKNOWN : NOT_DEPRIVED;
  }
  return out;
}

/** Per-indicator counts and sums for one population; turned into an AfAggregate at the end. */
interface Tally {
  n: number;
  q: number;
  sumCensored: number;
  sumGap1: number;
  sumGap2: number;
}

function aggregate(
  indicators: readonly AfIndicator[],
  t: Tally,
  censored: Float64Array,
  uncensored: Float64Array,
  unknown: Float64Array,
  offset: number,
  withGaps: boolean,
): AfAggregate {
  const { n, q } = t;
  const M0 = n > 0 ? t.sumCensored / n : 0;
  const cen: Record<string, number> = {};
  const unc: Record<string, number> = {};
  const unk: Record<string, number> = {};
  const con: Record<string, number> = {};
  let dims: Record<string, number> | undefined;
  for (let j = 0; j < indicators.length; j++) {
    const ind = indicators[j]!;
    const h = n > 0 ? censored[offset + j]! / n : 0;
    cen[ind.code] = h;
    unc[ind.code] = n > 0 ? uncensored[offset + j]! / n : 0;
    unk[ind.code] = n > 0 ? unknown[offset + j]! / n : 0;
    const c = M0 > 0 ? (ind.weight * h) / M0 : 0;
    con[ind.code] = c;
    if (ind.dimension !== undefined) {
      dims ??= {};
      dims[ind.dimension] = (dims[ind.dimension] ?? 0) + c;
    }
  }
  const out: { -readonly [K in keyof AfAggregate]: AfAggregate[K] } = {
    n,
    q,
    H: n > 0 ? q / n : 0,
    A: q > 0 ? t.sumCensored / q : 0,
    M0,
    censored: cen,
    uncensored: unc,
    unknown: unk,
    contributions: con,
  };
  if (withGaps) {
    out.M1 = n > 0 ? t.sumGap1 / n : 0;
    out.M2 = n > 0 ? t.sumGap2 / n : 0;
  }
  if (dims) out.dimensionContributions = dims;
  return out;
}

/** Runs the method over a population given as deprivation columns. See AfInput and AfResult. */
export function alkireFoster(input: AfInput): AfResult {
  const { indicators, k, n, deprived } = input;
  // The cell codes: the module's own, or F/U/T as rule evaluation writes them (no copy to map).
  const DEP = input.coding === 'truth' ? 2 : DEPRIVED;
  const UNK = input.coding === 'truth' ? 1 : UNKNOWN;
  validateWeights(indicators);
  validateK(k);
  const d = indicators.length;
  if (!Number.isInteger(n) || n < 0) throw new Error(`Alkire–Foster: n must be a non-negative integer, got ${n}`);
  if (d > 0xffff) throw new Error(`Alkire–Foster: at most 65535 indicators, got ${d}`);
  if (deprived.length !== d)
    throw new Error(`Alkire–Foster: ${deprived.length} deprivation columns for ${d} indicators`);
  for (let j = 0; j < d; j++) {
    if (deprived[j]!.length !== n)
      throw new Error(
        `Alkire–Foster: deprivation column of "${indicators[j]!.code}" has length ${deprived[j]!.length}, expected ${n}`,
      );
  }
  const groups = input.groups;
  const G = groups ? groups.count : 0;
  if (groups) {
    if (!Number.isInteger(G) || G < 0)
      throw new Error(`Alkire–Foster: group count must be a non-negative integer, got ${G}`);
    if (groups.index.length !== n)
      throw new Error(`Alkire–Foster: group index has length ${groups.index.length}, expected ${n}`);
  }
  const cardinal = input.cardinal;
  if (cardinal && cardinal.length !== d)
    throw new Error(`Alkire–Foster: ${cardinal.length} cardinal entries for ${d} indicators`);
  const withGaps = !!cardinal && cardinal.every((c) => c !== null);
  if (cardinal) {
    for (let j = 0; j < d; j++) {
      const c = cardinal[j];
      if (!c) continue;
      const code = indicators[j]!.code;
      if (!(c.cutoff > 0) || !Number.isFinite(c.cutoff))
        throw new Error(
          `Alkire–Foster: cutoff of "${code}" must be a positive finite number (gaps are normalised by it), got ${c.cutoff}`,
        );
      if (c.achievement.length !== n)
        throw new Error(`Alkire–Foster: achievements of "${code}" have length ${c.achievement.length}, expected ${n}`);
    }
  }
  const vulnerableFrom = (input.bands?.vulnerableFrom ?? DEFAULT_VULNERABLE_FROM) - AF_TOLERANCE;
  const severeFrom = (input.bands?.severeFrom ?? DEFAULT_SEVERE_FROM) - AF_TOLERANCE;
  const kFrom = k - AF_TOLERANCE;

  // Pass 1, column by column: scores in indicator order, so that each unit's sum is formed in the
  // same order as the row-by-row reference and comes out bit-identical.
  const score = new Float64Array(n);
  const unknownCount = new Uint16Array(n);
  // With up to 30 indicators, each unit's deprivations and unknowns also go into two bit masks,
  // so that the headcounts of pass 3 are one pass over the units instead of one per indicator.
  const masked = d <= 30;
  const deprivedMask = masked ? new Int32Array(n) : null;
  const unknownMask = masked ? new Int32Array(n) : null;
  for (let j = 0; j < d; j++) {
    const col = deprived[j]!;
    const w = indicators[j]!.weight;
    const bit = 1 << j;
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (v === DEP) {
        score[i] = score[i]! + w;
        if (deprivedMask) deprivedMask[i] = deprivedMask[i]! | bit;
      } else if (v !== NOT_DEPRIVED) {
        if (v !== UNK)
          throw new Error(
            `Alkire–Foster: deprivation of "${indicators[j]!.code}" for unit ${i} is ${v}; expected ${NOT_DEPRIVED}, ${DEP} or ${UNK}`,
          );
        unknownCount[i] = unknownCount[i]! + 1;
        if (unknownMask) unknownMask[i] = unknownMask[i]! | bit;
      }
    }
  }

  // Pass 2, unit by unit: identification, bands, and the population and subgroup totals.
  const poor = new Uint8Array(n);
  const band = new Uint8Array(n);
  const all: Tally = { n, q: 0, sumCensored: 0, sumGap1: 0, sumGap2: 0 };
  const gN = new Float64Array(G);
  const gQ = new Float64Array(G);
  const gSum = new Float64Array(G);
  const gIndex = groups?.index;
  for (let i = 0; i < n; i++) {
    const c = score[i]!;
    let g = -1;
    if (gIndex) {
      g = gIndex[i]!;
      if (g >= G || g < -1) throw new Error(`Alkire–Foster: unit ${i} has group ${g}; expected -1 … ${G - 1}`);
      if (g >= 0) gN[g] = gN[g]! + 1;
    }
    if (c >= kFrom) {
      poor[i] = 1;
      all.q++;
      all.sumCensored += c;
      if (g >= 0) {
        gQ[g] = gQ[g]! + 1;
        gSum[g] = gSum[g]! + c;
      }
      // A unit is severe only if it is also poor: with k above 1/2 a non-poor score of 1/2 stays vulnerable.
      band[i] = c >= severeFrom ? BAND_SEVERE : BAND_POOR;
    } else {
      band[i] = c >= vulnerableFrom ? BAND_VULNERABLE : BAND_NONE;
    }
  }

  // Pass 3, column by column: headcounts per indicator, and the censored gaps.
  const censored = new Float64Array(d);
  const uncensored = new Float64Array(d);
  const unknown = new Float64Array(d);
  const gCensored = new Float64Array(G * d);
  const gUncensored = new Float64Array(G * d);
  const gUnknown = new Float64Array(G * d);
  const gGap1 = new Float64Array(G);
  const gGap2 = new Float64Array(G);
  if (deprivedMask && unknownMask) {
    for (let i = 0; i < n; i++) {
      let m = deprivedMask[i]!;
      let u = unknownMask[i]!;
      if (m === 0 && u === 0) continue;
      const g = gIndex ? gIndex[i]! : -1;
      const base = g * d;
      const p = poor[i]!;
      while (m !== 0) {
        const j = 31 - Math.clz32(m & -m);
        m &= m - 1;
        uncensored[j] = uncensored[j]! + 1;
        censored[j] = censored[j]! + p;
        if (g >= 0) {
          gUncensored[base + j] = gUncensored[base + j]! + 1;
          gCensored[base + j] = gCensored[base + j]! + p;
        }
      }
      while (u !== 0) {
        const j = 31 - Math.clz32(u & -u);
        u &= u - 1;
        unknown[j] = unknown[j]! + 1;
        if (g >= 0) gUnknown[base + j] = gUnknown[base + j]! + 1;
      }
    }
  }
  for (let j = 0; j < d; j++) {
    const col = deprived[j]!;
    let cen = 0;
    let unc = 0;
    let unk = 0;
    if (masked) {
      // Counted above, unit by unit.
    } else if (gIndex) {
      for (let i = 0; i < n; i++) {
        const v = col[i]!;
        if (v === NOT_DEPRIVED) continue;
        const g = gIndex[i]!;
        const at = g * d + j;
        if (v === DEP) {
          unc++;
          const p = poor[i]!;
          cen += p;
          if (g >= 0) {
            gUncensored[at] = gUncensored[at]! + 1;
            gCensored[at] = gCensored[at]! + p;
          }
        } else {
          unk++;
          if (g >= 0) gUnknown[at] = gUnknown[at]! + 1;
        }
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = col[i]!;
        if (v === DEP) {
          unc++;
          cen += poor[i]!;
        } else if (v === UNK) unk++;
      }
    }
    if (!masked) {
      censored[j] = cen;
      uncensored[j] = unc;
      unknown[j] = unk;
    }

    const card = withGaps ? cardinal![j]! : null;
    if (card) {
      const x = card.achievement;
      const z = card.cutoff;
      const w = indicators[j]!.weight;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < n; i++) {
        const v = col[i]!;
        const xi = x[i]!;
        // Gaps come from the achievements but identification from the column; if the two disagree
        // the caller built them from different data, and silently trusting either would be wrong.
        if (v === DEP) {
          if (!(xi < z))
            throw new Error(
              `Alkire–Foster: unit ${i} is deprived in "${indicators[j]!.code}" but its achievement ${xi} is not below the cutoff ${z}`,
            );
          if (poor[i] === 1) {
            const gap = (z - xi) / z;
            const g1 = w * gap;
            const g2 = g1 * gap;
            s1 += g1;
            s2 += g2;
            if (gIndex) {
              const g = gIndex[i]!;
              if (g >= 0) {
                gGap1[g] = gGap1[g]! + g1;
                gGap2[g] = gGap2[g]! + g2;
              }
            }
          }
        } else if (v === NOT_DEPRIVED && !(xi >= z)) {
          throw new Error(
            `Alkire–Foster: unit ${i} is not deprived in "${indicators[j]!.code}" but its achievement ${xi} is below the cutoff ${z}`,
          );
        }
      }
      all.sumGap1 += s1;
      all.sumGap2 += s2;
    }
  }

  const overall = aggregate(indicators, all, censored, uncensored, unknown, 0, withGaps);
  let groupAggregates: AfAggregate[] | undefined;
  if (groups) {
    groupAggregates = [];
    for (let g = 0; g < G; g++) {
      const t: Tally = { n: gN[g]!, q: gQ[g]!, sumCensored: gSum[g]!, sumGap1: gGap1[g]!, sumGap2: gGap2[g]! };
      groupAggregates.push(aggregate(indicators, t, gCensored, gUncensored, gUnknown, g * d, withGaps));
    }
  }

  const codesWhere = (i: number, value: number): string[] => {
    const out: string[] = [];
    for (let j = 0; j < d; j++) if (deprived[j]![i] === value) out.push(indicators[j]!.code);
    return out;
  };
  const result: AfResult = {
    n,
    k,
    indicators,
    score,
    poor,
    band,
    unknownCount,
    overall,
    bandName: (i) => BAND_NAMES[band[i]!]!,
    deprivedCodes: (i) => codesWhere(i, DEP),
    unknownCodes: (i) => (unknownCount[i] ? codesWhere(i, UNK) : []),
  };
  return groupAggregates ? { ...result, groups: groupAggregates } : result;
}

/** One unit for the row-by-row reference: codes of the indicators it is deprived in, and those unknown. */
export interface AfRowUnit {
  readonly deprived: readonly string[];
  readonly unknown?: readonly string[];
  /** Subgroup, a non-negative integer; absent: in no subgroup. */
  readonly group?: number;
}

export interface AfRowByRowResult {
  readonly score: number[];
  readonly poor: boolean[];
  readonly band: AfBand[];
  readonly overall: AfAggregate;
  /** Indexed by group number, up to the highest seen (or groupCount - 1). */
  readonly groups: AfAggregate[];
}

/**
 * The same method written the plain way, one unit object at a time with maps: the reference the
 * fast path is tested against and benchmarked with. No cardinal gaps. An indicator listed as both
 * deprived and unknown counts as unknown.
 */
export function alkireFosterRowByRow(
  units: readonly AfRowUnit[],
  indicators: readonly AfIndicator[],
  k: number,
  options: { groupCount?: number; vulnerableFrom?: number; severeFrom?: number } = {},
): AfRowByRowResult {
  validateWeights(indicators);
  validateK(k);
  const weightOf = new Map(indicators.map((ind) => [ind.code, ind.weight]));
  const vulnerableFrom = options.vulnerableFrom ?? DEFAULT_VULNERABLE_FROM;
  const severeFrom = options.severeFrom ?? DEFAULT_SEVERE_FROM;

  interface Acc {
    n: number;
    q: number;
    sum: number;
    cen: Map<string, number>;
    unc: Map<string, number>;
    unk: Map<string, number>;
  }
  const newAcc = (): Acc => ({ n: 0, q: 0, sum: 0, cen: new Map(), unc: new Map(), unk: new Map() });
  const bump = (m: Map<string, number>, code: string): void => {
    m.set(code, (m.get(code) ?? 0) + 1);
  };
  const overallAcc = newAcc();
  const groupAccs = new Map<number, Acc>();
  const score: number[] = [];
  const poor: boolean[] = [];
  const band: AfBand[] = [];

  for (const unit of units) {
    const unknownSet = new Set(unit.unknown ?? []);
    const deprivedSet = new Set(unit.deprived.filter((c) => !unknownSet.has(c)));
    for (const c of [...unknownSet, ...deprivedSet])
      if (!weightOf.has(c)) throw new Error(`Alkire–Foster: unknown indicator code "${c}"`);
    let c = 0;
    for (const ind of indicators) if (deprivedSet.has(ind.code)) c += ind.weight;
    const isPoor = c >= k - AF_TOLERANCE;
    score.push(c);
    poor.push(isPoor);
    band.push(
      isPoor
        ? c >= severeFrom - AF_TOLERANCE
          ? 'severe'
          : 'poor'
        : c >= vulnerableFrom - AF_TOLERANCE
          ? 'vulnerable'
          : 'none',
    );

    const accs = [overallAcc];
    if (unit.group !== undefined) {
      if (!Number.isInteger(unit.group) || unit.group < 0)
        throw new Error(`Alkire–Foster: group must be a non-negative integer, got ${unit.group}`);
      let acc = groupAccs.get(unit.group);
      if (!acc) {
        acc = newAcc();
        groupAccs.set(unit.group, acc);
      }
      accs.push(acc);
    }
    for (const acc of accs) {
      acc.n++;
      if (isPoor) {
        acc.q++;
        acc.sum += c;
      }
      for (const code of deprivedSet) {
        bump(acc.unc, code);
        if (isPoor) bump(acc.cen, code);
      }
      for (const code of unknownSet) bump(acc.unk, code);
    }
  }

  const finish = (acc: Acc): AfAggregate => {
    const M0 = acc.n > 0 ? acc.sum / acc.n : 0;
    const share = (m: Map<string, number>, code: string): number => (acc.n > 0 ? (m.get(code) ?? 0) / acc.n : 0);
    const censored: Record<string, number> = {};
    const uncensored: Record<string, number> = {};
    const unknown: Record<string, number> = {};
    const contributions: Record<string, number> = {};
    const byDimension = new Map<string, number>();
    for (const ind of indicators) {
      censored[ind.code] = share(acc.cen, ind.code);
      uncensored[ind.code] = share(acc.unc, ind.code);
      unknown[ind.code] = share(acc.unk, ind.code);
      contributions[ind.code] = M0 > 0 ? (ind.weight * censored[ind.code]!) / M0 : 0;
      if (ind.dimension !== undefined)
        byDimension.set(ind.dimension, (byDimension.get(ind.dimension) ?? 0) + contributions[ind.code]!);
    }
    const out: AfAggregate = {
      n: acc.n,
      q: acc.q,
      H: acc.n > 0 ? acc.q / acc.n : 0,
      A: acc.q > 0 ? acc.sum / acc.q : 0,
      M0,
      censored,
      uncensored,
      unknown,
      contributions,
    };
    return byDimension.size > 0 ? { ...out, dimensionContributions: Object.fromEntries(byDimension) } : out;
  };

  const groupCount = options.groupCount ?? [...groupAccs.keys()].reduce((m, g) => Math.max(m, g + 1), 0);
  const groups: AfAggregate[] = [];
  for (let g = 0; g < groupCount; g++) groups.push(finish(groupAccs.get(g) ?? newAcc()));
  return { score, poor, band, overall: finish(overallAcc), groups };
}
