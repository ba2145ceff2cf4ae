import { describe, expect, it } from 'vitest';
import type { Relation } from '../../api/types.ts';
import { buildRelationGraph, linkLabel, relationGraphOption, shortLinkLabel } from './relation-graph.ts';

const rel = (r: Partial<Relation>): Relation => ({
  relativeName: null,
  relation: '子女',
  ableToSupport: null,
  relativeIdNumberMasked: null,
  relativeRef: null,
  inRegistry: false,
  source: null,
  ...r,
});

describe('relation graph', () => {
  const person = { ref: 'r.self', name: '武兰' };
  const relations = [
    rel({
      relativeName: '李强',
      relation: '子女',
      ableToSupport: '是',
      relativeRef: 'r.liqiang',
      relativeIdNumberMasked: '310105********1234',
      inRegistry: true,
    }),
    rel({ relativeName: '李梅', relation: '子女', ableToSupport: '否', relativeIdNumberMasked: '310104********5678' }),
    rel({ relativeName: '王大', relation: '兄弟姐妹' }),
    rel({
      relativeName: '李强',
      relation: '子女',
      relativeRef: 'r.liqiang',
      relativeIdNumberMasked: '310105********1234',
      inRegistry: true,
    }),
  ];
  const graph = buildRelationGraph(person, relations, 100);

  it('puts the person in the centre and each relative once around them', () => {
    expect(graph.nodes.map((n) => [n.name, n.kind])).toEqual([
      ['武兰', 'self'],
      ['李强', 'inArea'],
      ['李梅', 'notRegistered'],
      ['王大', 'notRegistered'],
    ]);
    expect(graph.nodes[0]).toMatchObject({ x: 0, y: 0 });
    expect(graph.nodes[1]).toMatchObject({ x: -100, y: 0 }); // the first relative on the left
    expect(graph.nodes[3]).toMatchObject({ x: 50, y: 86.603 }); // clockwise on screen: y points down
    for (const n of graph.nodes.slice(1)) expect(Math.hypot(n.x, n.y)).toBeCloseTo(100, 2);
  });

  it('draws one edge per relation row, from the person to the relative', () => {
    expect(graph.links).toHaveLength(4);
    expect(graph.links.every((l) => l.source === graph.nodes[0]!.id)).toBe(true);
    expect(graph.links.map((l) => l.ableToSupport)).toEqual([true, false, null, null]);
  });

  it('labels edges with the relation and the ability to support', () => {
    const labels = { ableToSupport: '有赡养能力', notAbleToSupport: '无赡养能力' };
    expect(graph.links.map((l) => linkLabel(l, labels))).toEqual([
      '子女 · 有赡养能力',
      '子女 · 无赡养能力',
      '兄弟姐妹',
      '子女',
    ]);
    expect(linkLabel(graph.links[0]!, labels, () => 'Child')).toBe('Child · 有赡养能力');
    expect(graph.links.map((l) => shortLinkLabel(l))).toEqual(['子女 ✓', '子女 ✗', '兄弟姐妹', '子女']);
  });

  it('only relatives inside the area carry an id to open', () => {
    expect(graph.nodes.filter((n) => n.ref).map((n) => n.name)).toEqual(['李强']);
    const option = relationGraphOption(graph, {
      kinds: { self: 'a', inArea: 'b', notRegistered: 'd' },
      ableToSupport: 'y',
      notAbleToSupport: 'n',
    });
    const series = (
      option.series as Array<{ data: Array<{ ref: string | null; category: number; value: number[] }> }>
    )[0]!;
    expect(series.data.map((d) => d.ref)).toEqual([null, 'r.liqiang', null, null]);
    expect(series.data.map((d) => d.category)).toEqual([0, 1, 2, 2]);
    expect(series.data[0]!.value).toEqual([0, 0]);
  });

  it('handles a person without relations', () => {
    expect(buildRelationGraph(person, [])).toEqual({ nodes: [expect.objectContaining({ kind: 'self' })], links: [] });
  });
});
