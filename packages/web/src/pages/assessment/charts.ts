/**
 * ECharts options of the assessment page, built from GET /api/assessment/areas as plain data
 * (testable without a DOM): each sub-unit's M0 split into the indicators' contributions, and the
 * households of the area by band.
 */
import type { EChartsCoreOption } from 'echarts/core';
import { BANDS, type AreaFigures, type Band } from '../../api/assessment.ts';
import { BAND_CHART_COLORS } from './names.ts';
import { percent } from './figures.ts';

export interface ContributionSeries {
  code: string;
  data: number[];
}
export interface ContributionChart {
  /** The bars: sub-units with households, highest M0 first. */
  units: AreaFigures[];
  /** One stacked series per indicator; data[i] is that indicator's part of units[i]'s M0. */
  series: ContributionSeries[];
  /** Sub-units left out because no household is registered there. */
  empty: number;
}

/**
 * The segments of each bar are contribution × M0, so a bar is as tall as its unit's M0 and units
 * compare by height, while the colours show what the hardship is made of (contributions alone
 * would make every bar 100% and hide that one street is twice as deprived as another).
 */
export function contributionSeries(
  children: readonly AreaFigures[],
  indicators: readonly { code: string }[],
): ContributionChart {
  const units = children.filter((c) => c.n > 0).sort((a, b) => b.M0 - a.M0 || a.code.localeCompare(b.code));
  return {
    units,
    series: indicators.map((x) => ({ code: x.code, data: units.map((u) => (u.contributions[x.code] ?? 0) * u.M0) })),
    empty: children.length - units.length,
  };
}

/** The axis of M0 in percent: 0.05 → '5%', 0.025 → '2.5%'. */
export function axisPercent(v: number): string {
  return `${Number((v * 100).toFixed(1))}%`;
}

interface TooltipItem {
  dataIndex: number;
  seriesIndex: number;
  seriesName: string;
  value: number;
  marker: string;
}

export interface ContributionLabels {
  /** Indicator code → name in the UI language. */
  names: Readonly<Record<string, string>>;
  colors: Readonly<Record<string, string>>;
  /** e.g. 'M0', 'H', '贡献度'. */
  m0: string;
  h: string;
  contribution: string;
}

export function contributionOption(chart: ContributionChart, labels: ContributionLabels): EChartsCoreOption {
  const { units, series } = chart;
  const many = units.length > 8;
  const last = series.length - 1;
  return {
    color: series.map((s) => labels.colors[s.code] ?? '#9aa5b1'),
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      confine: true,
      formatter: (items: TooltipItem[]) => {
        const u = units[items[0]?.dataIndex ?? 0];
        if (!u) return '';
        const head = `<b>${u.name}</b><br/>${labels.m0} ${percent(u.M0)}　${labels.h} ${percent(u.H)}　n ${u.n}　q ${u.q}`;
        // Only the indicators with a part: a unit is rarely deprived in all ten.
        const parts = items
          .filter((x) => x.value > 0)
          .map((x) => {
            const code = series[x.seriesIndex]?.code ?? '';
            return `${x.marker}${x.seriesName}　${percent(x.value)}（${labels.contribution} ${percent(u.contributions[code] ?? 0, 1)}）`;
          });
        return [head, ...parts].join('<br/>');
      },
    },
    legend: {
      top: 0,
      itemWidth: 12,
      itemHeight: 10,
      itemGap: 8,
      textStyle: { fontSize: 11 },
      data: series.map((s) => labels.names[s.code] ?? s.code),
    },
    grid: { left: 8, right: 16, top: 66, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: units.map((u) => u.name),
      // Committee names are long (…居委会) and a street has twenty: slant them when there are many.
      axisLabel: {
        interval: 0,
        rotate: many ? 40 : 0,
        fontSize: 11,
        hideOverlap: false,
        width: many ? 96 : 84,
        overflow: 'truncate',
      },
    },
    yAxis: { type: 'value', name: labels.m0, nameTextStyle: { align: 'right' }, axisLabel: { formatter: axisPercent } },
    series: series.map((s, i) => ({
      name: labels.names[s.code] ?? s.code,
      type: 'bar',
      stack: 'M0',
      data: s.data,
      barMaxWidth: 34,
      emphasis: { focus: 'series' },
      // The total on the topmost segment: a zero-height segment still sits at the top of its stack.
      ...(i === last
        ? {
            label: {
              show: !many,
              position: 'top',
              fontSize: 11,
              color: '#4a5563',
              formatter: (x: { dataIndex: number }) => percent(units[x.dataIndex]?.M0 ?? 0),
            },
          }
        : {}),
    })),
  };
}

/** Which indicator and which unit a click on a segment means; undefined outside the bars. */
export function segmentAt(
  chart: ContributionChart,
  seriesIndex: number | undefined,
  dataIndex: number | undefined,
): { indicator: string; unit: AreaFigures } | undefined {
  const s = seriesIndex === undefined ? undefined : chart.series[seriesIndex];
  const u = dataIndex === undefined ? undefined : chart.units[dataIndex];
  return s && u ? { indicator: s.code, unit: u } : undefined;
}

/** Households per band, least to most deprived, each with its share of all assessed households. */
export function bandRows(bands: Readonly<Record<string, number>>): Array<{ band: Band; count: number; share: number }> {
  const total = BANDS.reduce((n, b) => n + (bands[b] ?? 0), 0);
  return BANDS.map((band) => ({ band, count: bands[band] ?? 0, share: total > 0 ? (bands[band] ?? 0) / total : 0 }));
}

export function bandsOption(
  bands: Readonly<Record<string, number>>,
  labels: { names: Readonly<Record<Band, string>>; households: string },
): EChartsCoreOption {
  const rows = bandRows(bands);
  return {
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: rows.map((r) => labels.names[r.band]),
      axisTick: { show: false },
      axisLabel: { fontSize: 12, interval: 0 },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: labels.households,
        type: 'bar',
        barMaxWidth: 40,
        data: rows.map((r) => ({ value: r.count, itemStyle: { color: BAND_CHART_COLORS[r.band] } })),
        label: {
          show: true,
          position: 'top',
          fontSize: 11,
          formatter: (x: { dataIndex: number }) =>
            `${rows[x.dataIndex]?.count ?? 0}（${percent(rows[x.dataIndex]?.share ?? 0, 1)}）`,
        },
      },
    ],
  };
}

/** The largest censored headcount ratio of the heat table: its colour scale runs from 0 to this. */
export function heatMax(units: readonly AreaFigures[], indicators: readonly { code: string }[]): number {
  let max = 0;
  for (const u of units) for (const x of indicators) max = Math.max(max, u.censored[x.code] ?? 0);
  return max;
}
