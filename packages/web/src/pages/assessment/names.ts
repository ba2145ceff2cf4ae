/**
 * Names and colours of the assessment's codes in both languages: bands, indicators, dimensions,
 * indicator statuses and the kinds of help. The server sends the framework's Chinese names; the
 * English ones live here, and a code the framework adds later falls back to the server's name.
 */
import type { Band, IndicatorStatus } from '../../api/assessment.ts';
import type { Entry, Lang } from '../../app/i18n.ts';

export const BAND_NAMES: Readonly<Record<Band, Entry>> = {
  none: { zh: '无困境', en: 'No hardship' },
  vulnerable: { zh: '脆弱', en: 'Vulnerable' },
  poor: { zh: '困难', en: 'In hardship' },
  severe: { zh: '深度困难', en: 'Severe hardship' },
};

/** Ant Design tag colours, from calm to alarming. */
export const BAND_TAG_COLORS: Readonly<Record<Band, string>> = {
  none: 'green',
  vulnerable: 'gold',
  poor: 'orange',
  severe: 'red',
};

/** The same scale for charts (hex; ECharts does not know Ant Design's preset names). */
export const BAND_CHART_COLORS: Readonly<Record<Band, string>> = {
  none: '#52a67a',
  vulnerable: '#d9a520',
  poor: '#e07a1f',
  severe: '#c0392b',
};

export function bandName(band: string, lang: Lang): string {
  const entry = (BAND_NAMES as Readonly<Record<string, Entry>>)[band];
  return entry ? entry[lang] : band;
}

export const INDICATOR_NAMES: Readonly<Record<string, Entry>> = {
  INCOME: { zh: '收入困境', en: 'Income' },
  HOUSING: { zh: '居住困境', en: 'Housing' },
  EXPENSE: { zh: '支出困境', en: 'Spending' },
  ILLNESS: { zh: '疾病困境', en: 'Illness' },
  DISABILITY: { zh: '残疾困境', en: 'Disability' },
  EDUCATION: { zh: '教育困境', en: 'Education' },
  EMPLOYMENT: { zh: '就业困境', en: 'Employment' },
  CARE: { zh: '照护困境', en: 'Care' },
  ISOLATION: { zh: '孤立无依', en: 'Isolation' },
  CHILD_SHARE: { zh: '儿童青少年占比', en: 'Share of children' },
};

export const DIMENSION_NAMES: Readonly<Record<string, Entry>> = {
  MATERIAL: { zh: '物质', en: 'Material' },
  HEALTH: { zh: '健康', en: 'Health' },
  EDUCATION: { zh: '教育', en: 'Education' },
  EMPLOYMENT: { zh: '就业', en: 'Employment' },
  SOCIAL: { zh: '社会支持', en: 'Social support' },
  CHILDREN: { zh: '儿童青少年', en: 'Children and youth' },
};

/**
 * In Chinese the framework's own name wins (a revised framework may rename an indicator);
 * in English ours, else the server's name.
 */
function named(map: Readonly<Record<string, Entry>>, code: string, lang: Lang, serverName?: string): string {
  if (lang === 'zh') return serverName ?? map[code]?.zh ?? code;
  return map[code]?.en ?? serverName ?? code;
}

export const indicatorName = (code: string, lang: Lang, serverName?: string) =>
  named(INDICATOR_NAMES, code, lang, serverName);
export const dimensionName = (code: string, lang: Lang, serverName?: string) =>
  named(DIMENSION_NAMES, code, lang, serverName);

export const STATUS_NAMES: Readonly<Record<IndicatorStatus, Entry>> = {
  deprived: { zh: '困境', en: 'Deprived' },
  not_deprived: { zh: '无', en: 'No' },
  unknown: { zh: '未能评估', en: 'Not assessable' },
};
export const STATUS_TAG_COLORS: Readonly<Record<IndicatorStatus, string>> = {
  deprived: 'red',
  not_deprived: 'default',
  unknown: 'gold',
};

/**
 * Shades per dimension: the indicators of one dimension share a hue, so the stacked bars read
 * by dimension first (material blues, health reds …) and by indicator second.
 */
const DIMENSION_SHADES: readonly (readonly string[])[] = [
  ['#0f5c8c', '#3b87c4', '#8dbde3'],
  ['#b03a2e', '#e06c5f', '#f2aaa2'],
  ['#2e8b57', '#6cc08b', '#b5e0c3'],
  ['#c77a12', '#eba94e', '#f6d49f'],
  ['#6b4fa3', '#9d86cf', '#cbbfe8'],
  ['#13858a', '#4fbcc0', '#a3dcde'],
];
const OTHER_SHADES = ['#6b7785', '#9aa5b1', '#c5cdd6'];

/** A colour for each indicator code, in the framework's order. */
export function indicatorColors(
  dimensions: readonly { code: string }[],
  indicators: readonly { code: string; dimension: string }[],
): Record<string, string> {
  const used = new Map<string, number>();
  const out: Record<string, string> = {};
  for (const x of indicators) {
    const d = dimensions.findIndex((dim) => dim.code === x.dimension);
    const shades = d >= 0 ? DIMENSION_SHADES[d % DIMENSION_SHADES.length]! : OTHER_SHADES;
    const i = used.get(x.dimension) ?? 0;
    used.set(x.dimension, i + 1);
    out[x.code] = shades[i % shades.length]!;
  }
  return out;
}
