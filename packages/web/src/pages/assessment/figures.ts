/**
 * Pure helpers of the assessment pages: how weights, scores and ratios are written, the heat
 * table's colour scale, the help list split into its kinds, indicators grouped by dimension and
 * the comparison of two dates.
 */
import type { AreaFigures } from '../../api/assessment.ts';

/**
 * A weight or score as the framework writes it: 1/18, 1/3, 17/36. Weights are fractions with
 * small denominators (the framework file says 1/18, not 0.0556) and a score is a sum of them, so
 * the fraction is exact where a decimal is not; anything else falls back to three decimals.
 */
export function fraction(x: number, maxDenominator = 360): string {
  if (!Number.isFinite(x)) return '—';
  const sign = x < 0 ? '−' : '';
  const v = Math.abs(x);
  for (let d = 1; d <= maxDenominator; d++) {
    const n = Math.round(v * d);
    if (Math.abs(v - n / d) < 1e-9) return d === 1 ? `${sign}${n}` : `${sign}${n}/${d}`;
  }
  return `${sign}${v.toFixed(3)}`;
}

/** A share as a percentage: 0.12244 → '12.24%'. */
export function percent(x: number, digits = 2): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—';
}

/** A score or an intensity (0 … 1) with three decimals: 0.41049 → '0.410'. */
export function decimal(x: number, digits = 3): string {
  return Number.isFinite(x) ? x.toFixed(digits) : '—';
}

/** A signed difference with a true minus sign; a difference that rounds to zero is '0'. */
export function signed(v: number, digits = 0): string {
  const text = Math.abs(v).toFixed(digits);
  if (Number(text) === 0) return (0).toFixed(digits);
  return `${v > 0 ? '+' : '−'}${text}`;
}

/** The same day in the form the server takes, or null for anything that is not a real date (2026-02-30). */
export function isIsoDate(v: string | null | undefined): v is string {
  if (!v || !/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

export interface HeatCell {
  background: string;
  color: string;
}

const HEAT_LOW = [255, 242, 224] as const; // a pale apricot: some deprivation
const HEAT_HIGH = [196, 52, 18] as const; // a deep vermilion: the table's worst cell

/**
 * The heat table's colour for a censored headcount ratio, relative to the table's largest: zero
 * stays uncoloured (most cells of a small area are zero, and the eye should go to the others),
 * the rest runs from pale to deep, with white text once the background is dark.
 */
export function heatColor(value: number, max: number): HeatCell | null {
  if (!(value > 0) || !(max > 0)) return null;
  const t = Math.min(1, value / max);
  const mix = HEAT_LOW.map((low, i) => Math.round(low + (HEAT_HIGH[i]! - low) * t));
  const hex = `#${mix.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  return { background: hex, color: t > 0.55 ? '#ffffff' : '#1f2933' };
}

export type HelpKind = 'policy' | 'service' | 'resource' | 'other';
export interface HelpGroup {
  kind: HelpKind;
  items: string[];
}

const HELP_PREFIXES: ReadonlyArray<readonly [string, HelpKind]> = [
  ['政策', 'policy'],
  ['服务', 'service'],
  ['社会资源', 'resource'],
];

/**
 * The framework writes each help line as "政策：最低生活保障、低收入困难家庭认定"; the card shows
 * the kind as a label and the items one by one. A line without a known prefix is kept whole.
 */
export function helpGroups(help: readonly string[]): HelpGroup[] {
  return help
    .map((line) => {
      const m = /^\s*([^：:]{1,8})[：:]\s*(.+)$/.exec(line);
      const kind = m ? HELP_PREFIXES.find(([prefix]) => prefix === m[1]!.trim())?.[1] : undefined;
      if (!m || !kind) return { kind: 'other' as const, items: [line.trim()].filter(Boolean) };
      return {
        kind,
        items: m[2]!
          .split(/[、；;]/)
          .map((s) => s.trim())
          .filter(Boolean),
      };
    })
    .filter((g) => g.items.length > 0);
}

export interface DimensionGroup<T> {
  code: string;
  name: string;
  weight: number | null;
  items: T[];
}

/**
 * Indicators grouped under their dimensions, in the framework's dimension order; an indicator of
 * a dimension the list does not know gets a group of its own rather than vanishing.
 */
export function groupByDimension<T extends { dimension: string }>(
  dimensions: readonly { code: string; name: string; weight?: number }[],
  indicators: readonly T[],
): DimensionGroup<T>[] {
  const groups: DimensionGroup<T>[] = dimensions.map((d) => ({
    code: d.code,
    name: d.name,
    weight: d.weight ?? null,
    items: [],
  }));
  for (const x of indicators) {
    let group = groups.find((g) => g.code === x.dimension);
    if (!group) {
      group = { code: x.dimension, name: x.dimension, weight: null, items: [] };
      groups.push(group);
    }
    group.items.push(x);
  }
  return groups.filter((g) => g.items.length > 0);
}

export type TrendKey = 'n' | 'q' | 'H' | 'A' | 'M0';
export type TrendDirection = 'better' | 'worse' | 'same' | 'neutral';
export interface TrendRow {
  key: TrendKey;
  earlier: number;
  later: number;
  delta: number;
  direction: TrendDirection;
}
export interface Dated {
  asOf: string;
  unit: Pick<AreaFigures, TrendKey>;
}

const TREND_KEYS: readonly TrendKey[] = ['n', 'q', 'H', 'A', 'M0'];

/**
 * Two dates' figures of one area, earlier first, with the change from the earlier to the later.
 * Fewer poor households, a lower H, A or M0 is better; the number of households says nothing
 * about hardship, so its change is neutral.
 */
export function trend(a: Dated, b: Dated): { earlier: Dated; later: Dated; rows: TrendRow[] } {
  const [earlier, later] = a.asOf <= b.asOf ? [a, b] : [b, a];
  const rows = TREND_KEYS.map((key): TrendRow => {
    const delta = later.unit[key] - earlier.unit[key];
    const direction: TrendDirection =
      key === 'n' ? 'neutral' : Math.abs(delta) < 1e-12 ? 'same' : delta < 0 ? 'better' : 'worse';
    return { key, earlier: earlier.unit[key], later: later.unit[key], delta, direction };
  });
  return { earlier, later, rows };
}

/** A figure as the page writes it: H and M0 as percentages, A as a decimal, n and q as counts. */
export function figureText(key: TrendKey, v: number): string {
  if (key === 'H' || key === 'M0') return percent(v);
  if (key === 'A') return decimal(v);
  return String(v);
}

/** A change: H and M0 in percentage points (the caller adds the unit), A in decimals, counts whole. */
export function deltaText(key: TrendKey, delta: number): string {
  if (key === 'H' || key === 'M0') return signed(delta * 100, 2);
  if (key === 'A') return signed(delta, 3);
  return signed(delta);
}
