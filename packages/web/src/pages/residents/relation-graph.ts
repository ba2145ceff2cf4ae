/**
 * The relations of a resident as a graph: the person in the centre, each relative on a circle
 * around them. Relatives the user may open, relatives in the registry but outside the user's
 * area, and people not in the registry are drawn differently; each edge is labelled with the
 * relation and whether the relative is able to support the person.
 */
import type { EChartsCoreOption } from 'echarts/core';
import type { Relation } from '../../api/types.ts';
import { CHART_COLORS } from '../../app/theme.ts';

export const NODE_KINDS = ['self', 'inArea', 'notRegistered'] as const;
export type NodeKind = (typeof NODE_KINDS)[number];

export interface GraphNode {
  id: string;
  name: string;
  kind: NodeKind;
  /** The relative's ref when the user may open their 360 view. */
  ref: string | null;
  idNumberMasked: string | null;
  x: number;
  y: number;
}

export interface GraphLink {
  source: string;
  target: string;
  relation: string;
  /** 是 → true, 否 → false, not recorded → null. */
  ableToSupport: boolean | null;
}

export interface RelationGraph {
  nodes: GraphNode[];
  links: GraphLink[];
}

export function relativeKind(r: Relation): Exclude<NodeKind, 'self'> {
  // The server says only whether the relative is registered in the caller's area.
  return r.inRegistry && r.relativeRef ? 'inArea' : 'notRegistered';
}

function support(v: string | null): boolean | null {
  if (v === '是') return true;
  if (v === '否') return false;
  return null;
}

/** One node per relative (a relative named in two rows gets two edges), laid out on a circle. */
export function buildRelationGraph(
  person: { ref: string; name: string },
  relations: readonly Relation[],
  radius = 100,
): RelationGraph {
  const selfId = `self:${person.ref}`;
  const nodes: GraphNode[] = [
    { id: selfId, name: person.name, kind: 'self', ref: null, idNumberMasked: null, x: 0, y: 0 },
  ];
  const links: GraphLink[] = [];
  const byKey = new Map<string, GraphNode>();
  relations.forEach((r, i) => {
    const key =
      r.relativeRef ?? (r.relativeIdNumberMasked ? `${r.relativeIdNumberMasked}:${r.relativeName ?? ''}` : `row:${i}`);
    let node = byKey.get(key);
    if (!node) {
      node = {
        id: `rel:${key}`,
        name: r.relativeName ?? '—',
        kind: relativeKind(r),
        ref: r.relativeRef,
        idNumberMasked: r.relativeIdNumberMasked,
        x: 0,
        y: 0,
      };
      byKey.set(key, node);
      nodes.push(node);
    }
    links.push({ source: selfId, target: node.id, relation: r.relation, ableToSupport: support(r.ableToSupport) });
  });
  const others = nodes.slice(1);
  others.forEach((n, i) => {
    // Start on the left and go clockwise (screen y points down), so that one or two relatives sit
    // level with the person and their edge labels read horizontally. Rounded for stable tests.
    const angle = Math.PI + (2 * Math.PI * i) / others.length;
    n.x = Math.round(radius * Math.cos(angle) * 1000) / 1000;
    n.y = Math.round(radius * Math.sin(angle) * 1000) / 1000;
  });
  return { nodes, links };
}

export interface GraphLabels {
  kinds: Record<NodeKind, string>;
  ableToSupport: string;
  notAbleToSupport: string;
}

/** The relation and, spelled out, whether the relative can support: the edge's tooltip. */
export function linkLabel(
  link: GraphLink,
  labels: Pick<GraphLabels, 'ableToSupport' | 'notAbleToSupport'>,
  relationName: (r: string) => string = (r) => r,
): string {
  const rel = relationName(link.relation);
  if (link.ableToSupport === true) return `${rel} · ${labels.ableToSupport}`;
  if (link.ableToSupport === false) return `${rel} · ${labels.notAbleToSupport}`;
  return rel;
}

/** The short text drawn on the edge: the relation with ✓ (able to support) or ✗ (not able). */
export function shortLinkLabel(link: GraphLink, relationName: (r: string) => string = (r) => r): string {
  const mark = link.ableToSupport === true ? ' ✓' : link.ableToSupport === false ? ' ✗' : '';
  return `${relationName(link.relation)}${mark}`;
}

const STYLE: Record<NodeKind, { color: string; symbol: string; size: number; border: 'solid' | 'dashed' }> = {
  self: { color: CHART_COLORS.primary, symbol: 'circle', size: 58, border: 'solid' },
  inArea: { color: CHART_COLORS.secondary, symbol: 'circle', size: 44, border: 'solid' },
  notRegistered: { color: '#ffffff', symbol: 'roundRect', size: 44, border: 'dashed' },
};

/**
 * Drawn on a hidden value grid rather than with layout 'none' alone: ECharts would stretch the
 * nodes' bounding box to the chart, which turns one relative straight above the person into a line.
 */
export function relationGraphOption(
  graph: RelationGraph,
  labels: GraphLabels,
  relationName?: (r: string) => string,
  radius = 100,
): EChartsCoreOption {
  const extent = radius * 1.28;
  const axis = { type: 'value', min: -extent, max: extent, show: false };
  return {
    tooltip: { formatter: '{b}' },
    legend: {
      bottom: 0,
      data: NODE_KINDS.map((k) => labels.kinds[k]),
      selectedMode: false,
      itemWidth: 14,
      itemHeight: 10,
      itemGap: 18,
    },
    grid: { left: 40, right: 40, top: 16, bottom: 40 },
    xAxis: axis,
    // Screen y grows downwards, the value axis upwards: flip so the first relative sits on top.
    yAxis: { ...axis, inverse: true },
    animationDuration: 300,
    series: [
      {
        type: 'graph',
        coordinateSystem: 'cartesian2d',
        roam: false,
        categories: NODE_KINDS.map((k) => ({
          name: labels.kinds[k],
          symbol: STYLE[k].symbol,
          itemStyle: {
            color: STYLE[k].color,
            borderColor: k === 'notRegistered' ? CHART_COLORS.muted : '#fff',
            borderWidth: 2,
            borderType: STYLE[k].border,
          },
        })),
        label: { show: true, position: 'inside', fontSize: 12, color: '#fff' },
        edgeSymbol: ['none', 'arrow'],
        edgeSymbolSize: 8,
        edgeLabel: {
          show: true,
          fontSize: 11,
          color: '#344054',
          backgroundColor: 'rgba(255,255,255,0.9)',
          padding: [1, 3],
        },
        data: graph.nodes.map((n) => ({
          id: n.id,
          name: n.name,
          value: [n.x, n.y],
          category: NODE_KINDS.indexOf(n.kind),
          symbolSize: STYLE[n.kind].size,
          label: n.kind === 'notRegistered' ? { color: '#4a5563' } : undefined,
          // Read back by the click handler: which 360 view to open (only relatives inside the area).
          ref: n.ref,
          cursor: n.ref ? 'pointer' : 'default',
          tooltip: { formatter: [n.name, labels.kinds[n.kind], n.idNumberMasked].filter(Boolean).join('<br/>') },
        })),
        links: graph.links.map((l) => ({
          source: l.source,
          target: l.target,
          label: { formatter: shortLinkLabel(l, relationName) },
          tooltip: { formatter: linkLabel(l, labels, relationName) },
          lineStyle: {
            width: l.ableToSupport ? 2.5 : 1.5,
            type: l.ableToSupport === false ? 'dashed' : 'solid',
            color: l.ableToSupport ? CHART_COLORS.secondary : CHART_COLORS.muted,
            curveness: 0,
          },
        })),
      },
    ],
  };
}
