/** ECharts options of the dashboard, built from the overview as plain data (testable without a DOM). */
import type { EChartsCoreOption } from 'echarts/core';
import type { Overview } from '../../api/types.ts';
import { CHART_COLORS } from '../../app/theme.ts';

const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

/** Grouped bars: residents and households of each child unit (street or committee). */
export function childUnitsOption(
  children: Overview['children'],
  labels: { residents: string; households: string },
): EChartsCoreOption {
  const many = children.length > 8;
  return {
    color: [CHART_COLORS.primary, CHART_COLORS.secondary],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: [labels.residents, labels.households] },
    grid: { ...grid, bottom: many ? 4 : 8 },
    xAxis: {
      type: 'category',
      data: children.map((c) => c.name),
      axisLabel: { interval: 0, rotate: many ? 40 : 0, fontSize: 11, hideOverlap: false },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      { name: labels.residents, type: 'bar', data: children.map((c) => c.residents), barMaxWidth: 26 },
      { name: labels.households, type: 'bar', data: children.map((c) => c.households), barMaxWidth: 26 },
    ],
  };
}

/** Horizontal bars by five-year band, youngest at the bottom: men to the left (negative), women to the right. */
export function pyramidSeries(pyramid: Overview['agePyramid']): { bands: string[]; male: number[]; female: number[] } {
  return {
    bands: pyramid.map((b) => b.band),
    male: pyramid.map((b) => (b.male === 0 ? 0 : -b.male)),
    female: pyramid.map((b) => b.female),
  };
}

export function agePyramidOption(
  pyramid: Overview['agePyramid'],
  labels: { male: string; female: string },
): EChartsCoreOption {
  const { bands, male, female } = pyramidSeries(pyramid);
  const abs = (v: unknown) => String(Math.abs(Number(v)));
  return {
    color: [CHART_COLORS.male, CHART_COLORS.female],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: abs,
    },
    legend: { top: 0, data: [labels.male, labels.female] },
    grid,
    xAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: abs } },
    yAxis: { type: 'category', data: bands, axisTick: { show: false }, axisLabel: { fontSize: 11 } },
    series: [
      { name: labels.male, type: 'bar', stack: 'pyramid', data: male, barCategoryGap: '12%' },
      { name: labels.female, type: 'bar', stack: 'pyramid', data: female, barCategoryGap: '12%' },
    ],
  };
}

/** Holders per benefit, most held first, with the names in the UI language. */
export function benefitsOption(
  benefits: Array<{ name: string; holders: number }>,
  seriesName: string,
): EChartsCoreOption {
  const sorted = [...benefits].sort((a, b) => a.holders - b.holders); // ECharts draws category 0 at the bottom
  return {
    color: [CHART_COLORS.warning],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { ...grid, top: 8 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: sorted.map((b) => b.name),
      axisLabel: { fontSize: 11, width: 150, overflow: 'truncate' },
    },
    series: [
      {
        name: seriesName,
        type: 'bar',
        data: sorted.map((b) => b.holders),
        barMaxWidth: 18,
        label: { show: true, position: 'right', fontSize: 11 },
      },
    ],
  };
}
