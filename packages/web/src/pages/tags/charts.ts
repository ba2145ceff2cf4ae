/** Chart options and figures of the tag pages, as plain data (testable without a DOM). */
import type { EChartsCoreOption } from 'echarts/core';
import type { AreaCount } from '../../api/tags.ts';
import { CHART_COLORS } from '../../app/theme.ts';

/** Vertical bars of a tag's (or a selection's) count in each unit below the user's. */
export function byAreaOption(byArea: readonly AreaCount[], seriesName: string): EChartsCoreOption {
  const many = byArea.length > 8;
  return {
    color: [CHART_COLORS.warning],
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: {
      type: 'category',
      data: byArea.map((a) => a.name),
      // Committee names are long (…居民委员会): slant them when there are many.
      axisLabel: {
        interval: 0,
        rotate: many ? 40 : 0,
        fontSize: 11,
        hideOverlap: false,
        width: many ? 96 : 120,
        overflow: 'truncate',
      },
    },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        name: seriesName,
        type: 'bar',
        data: byArea.map((a) => a.count),
        barMaxWidth: 28,
        label: { show: !many, position: 'top', fontSize: 11 },
      },
    ],
  };
}

export interface AreaShare {
  readonly code: string;
  readonly name: string;
  readonly count: number;
  readonly share: number;
}

/**
 * The units with anyone selected, most first, each with its share of the largest (for the small
 * bars beside the live count), and how many units had nobody.
 */
export function areaShares(byArea: readonly AreaCount[]): { shares: AreaShare[]; empty: number } {
  const withPeople = byArea
    .filter((a) => a.count > 0)
    .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
  const max = withPeople[0]?.count ?? 0;
  return {
    shares: withPeople.map((a) => ({ code: a.code, name: a.name, count: a.count, share: max > 0 ? a.count / max : 0 })),
    empty: byArea.length - withPeople.length,
  };
}

/** byRank[r] = people carrying exactly r ranking tags; shown from the most tags down, without empty counts. */
export function rankSummary(byRank: readonly number[] | null): Array<{ rank: number; people: number }> {
  if (!byRank) return [];
  return byRank
    .map((people, rank) => ({ rank, people }))
    .filter((x) => x.people > 0)
    .reverse();
}

/** Rows carrying this many ranking tags or more are highlighted: several hardships at once. */
export const MULTI_TAG_RANK = 2;
