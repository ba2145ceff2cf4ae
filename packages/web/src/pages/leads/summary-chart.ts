/**
 * ECharts options of the workbench's "政策找人" card, from GET /api/leads/summary as plain data
 * (testable without a DOM): per policy the people reached and the leads, stacked, with the take-up
 * as the label; and the leads and reviews of each sub-unit.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { LeadsSummary } from '../../api/policies.ts';
import { CHART_COLORS } from '../../app/theme.ts';

const grid = { left: 8, right: 48, top: 36, bottom: 8, containLabel: true };

/** Take-up as a whole percentage; '—' when nobody is eligible. */
export function takeUpText(takeUp: number | null): string {
  return takeUp === null ? '—' : `${Math.round(takeUp * 100)}%`;
}

/** The totals over all policies: leads, reviews, and the leads nobody has handled yet. */
export function summaryTotals(summary: Pick<LeadsSummary, 'policies'>): {
  leads: number;
  reviews: number;
  reached: number;
  pending: number;
} {
  let leads = 0;
  let reviews = 0;
  let reached = 0;
  let pending = 0;
  for (const p of summary.policies) {
    leads += p.leads;
    reviews += p.reviews;
    reached += p.reached;
    pending += p.byStatus.new ?? 0;
  }
  return { leads, reviews, reached, pending };
}

export interface PolicyBar {
  name: string;
  reached: number;
  leads: number;
  takeUp: number | null;
}

/** Horizontal stacked bars, the pack's first policy on top: reached, then leads; the take-up at the end. */
export function policySummaryOption(
  policies: readonly PolicyBar[],
  labels: { reached: string; leads: string; takeUp: string },
): EChartsCoreOption {
  const rows = [...policies].reverse(); // ECharts draws category 0 at the bottom
  const takeUps = rows.map((p) => takeUpText(p.takeUp));
  return {
    color: [CHART_COLORS.primary, CHART_COLORS.warning],
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (items: Array<{ dataIndex: number; seriesName: string; value: number; marker: string }>) => {
        const i = items[0]?.dataIndex ?? 0;
        return [
          `<b>${rows[i]?.name ?? ''}</b>`,
          ...items.map((x) => `${x.marker}${x.seriesName}：${x.value}`),
          `${labels.takeUp}：${takeUps[i]}`,
        ].join('<br/>');
      },
    },
    legend: { top: 0, data: [labels.reached, labels.leads] },
    grid,
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: rows.map((p) => p.name),
      axisTick: { show: false },
      axisLabel: { fontSize: 11, width: 130, overflow: 'truncate' },
    },
    series: [
      { name: labels.reached, type: 'bar', stack: 'eligible', data: rows.map((p) => p.reached), barMaxWidth: 18 },
      {
        name: labels.leads,
        type: 'bar',
        stack: 'eligible',
        data: rows.map((p) => p.leads),
        barMaxWidth: 18,
        // On the last bar of the stack, so it sits at the end of reached + leads.
        label: {
          show: true,
          position: 'right',
          fontSize: 11,
          color: '#4a5563',
          formatter: (x: { dataIndex: number }) => takeUps[x.dataIndex],
        },
      },
    ],
  };
}

/**
 * The sub-units worth a bar: those with leads or reviews, most leads first (a street has thirty
 * committees, most with none). The chart's bars are these rows, in this order.
 */
export function areaRows(areas: LeadsSummary['byArea']): LeadsSummary['byArea'] {
  return areas
    .filter((a) => a.leads + a.reviews > 0)
    .sort((a, b) => b.leads - a.leads || b.reviews - a.reviews || a.code.localeCompare(b.code));
}

/** Leads and reviews of the sub-units with any (see areaRows), horizontal, most leads on top. */
export function areaLeadsOption(
  rows: LeadsSummary['byArea'],
  labels: { leads: string; reviews: string },
): EChartsCoreOption {
  const bars = [...rows].reverse(); // ECharts draws category 0 at the bottom
  return {
    color: [CHART_COLORS.warning, CHART_COLORS.female],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0, data: [labels.leads, labels.reviews] },
    grid: { ...grid, right: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: bars.map((a) => a.name),
      axisTick: { show: false },
      axisLabel: { fontSize: 11, width: 120, overflow: 'truncate' },
    },
    series: [
      { name: labels.leads, type: 'bar', stack: 'findings', data: bars.map((a) => a.leads), barMaxWidth: 16 },
      { name: labels.reviews, type: 'bar', stack: 'findings', data: bars.map((a) => a.reviews), barMaxWidth: 16 },
    ],
  };
}
