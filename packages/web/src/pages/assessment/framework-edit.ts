/**
 * The framework editor's pure logic: weights and k typed as fractions ("1/18") or decimals, the
 * live sum check (the server's rule: the weights sum to 1 within 1e-9), each dimension's weight as
 * the sum of its indicators', and where in a condition an error lies.
 */
import type { FrameworkDefinition, FrameworkIssue } from '../../api/assessment.ts';

/** "1/18", "0.25", 0.25 → the number; null when it is not a number or a fraction. */
export function parseWeight(v: string | number | undefined | null): number | null {
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (typeof v !== 'string') return null;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(?:\/\s*(\d+(?:\.\d+)?))?\s*$/.exec(v);
  if (!m) return null;
  const value = m[2] ? Number(m[1]) / Number(m[2]) : Number(m[1]);
  return Number.isFinite(value) ? value : null;
}

export const WEIGHT_TOLERANCE = 1e-9;

export interface WeightCheck {
  /** The sum of the weights that parse. */
  readonly sum: number;
  /** Indicator codes whose weight is not a number or a fraction. */
  readonly invalid: readonly string[];
  readonly ok: boolean;
}

export function checkWeights(indicators: FrameworkDefinition['indicators']): WeightCheck {
  let sum = 0;
  const invalid: string[] = [];
  for (const x of indicators) {
    const w = parseWeight(x.weight);
    if (w === null || w < 0) invalid.push(x.code);
    else sum += w;
  }
  return { sum, invalid, ok: invalid.length === 0 && Math.abs(sum - 1) <= WEIGHT_TOLERANCE };
}

/** Each dimension's weight: the sum of its indicators' (that is what the server checks a written one against). */
export function dimensionWeights(def: Pick<FrameworkDefinition, 'dimensions' | 'indicators'>): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(def.dimensions.map((d) => [d.code, 0]));
  for (const x of def.indicators) {
    const w = parseWeight(x.weight);
    if (w !== null && x.dimension in out) out[x.dimension]! += w;
  }
  return out;
}

/** k as typed: a number in (0, 1], else null. */
export function parseK(v: string | number): number | null {
  const k = parseWeight(v);
  return k !== null && k > 0 && k <= 1 ? k : null;
}

/**
 * The definition to send: dimension weights left out (the server takes each as the sum of its
 * indicators', so that changing one indicator's weight does not also require editing its dimension).
 */
export function definitionToSend(def: FrameworkDefinition): FrameworkDefinition {
  return { ...def, dimensions: def.dimensions.map(({ code, name }) => ({ code, name })) };
}

/** A condition split around an error's position, to underline the part at fault. */
export function splitAtError(
  rule: string,
  issue: Pick<FrameworkIssue, 'start' | 'end'>,
): { before: string; at: string; after: string } | null {
  if (issue.start === null) return null;
  const start = Math.min(Math.max(issue.start, 0), rule.length);
  const end = Math.min(Math.max(issue.end ?? start, start + 1), rule.length);
  return { before: rule.slice(0, start), at: rule.slice(start, end) || ' ', after: rule.slice(end) };
}

/** Replaces one indicator's field, leaving the others as they are. */
export function withIndicator(
  def: FrameworkDefinition,
  code: string,
  patch: Partial<FrameworkDefinition['indicators'][number]>,
): FrameworkDefinition {
  return { ...def, indicators: def.indicators.map((x) => (x.code === code ? { ...x, ...patch } : x)) };
}
