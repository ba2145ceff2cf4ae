import { describe, expect, it } from 'vitest';
import type { OrgNode } from '../api/types.ts';
import { contains, filterTree, findNode, flatten, pathTo } from './org-tree.ts';

const unit = (code: string, name: string, level: string, children: OrgNode[] = []): OrgNode => ({
  code,
  name,
  level,
  parentCode: null,
  children,
});
const tree = unit('310105', '长宁区', 'district', [
  unit('310105001', '华阳路街道', 'street', [
    unit('310105001001', '华一居委会', 'committee'),
    unit('310105001002', '华二居委会', 'committee'),
  ]),
  unit('310105002', '江苏路街道', 'street', [unit('310105002008', '岐山居委会', 'committee')]),
]);

describe('org tree', () => {
  it('finds units and the way down to them', () => {
    expect(findNode(tree, '310105002008')?.name).toBe('岐山居委会');
    expect(findNode(tree, '310105009')).toBeUndefined();
    expect(pathTo(tree, '310105001002').map((n) => n.name)).toEqual(['长宁区', '华阳路街道', '华二居委会']);
    expect(pathTo(tree, '999')).toEqual([]);
    expect(contains(tree, '310105001')).toBe(true);
    expect(flatten(tree)).toHaveLength(6);
  });

  it('filters by name or code prefix, keeping ancestors and expanding them', () => {
    const r = filterTree(tree, '岐山')!;
    expect(flatten(r.tree).map((n) => n.name)).toEqual(['长宁区', '江苏路街道', '岐山居委会']);
    expect(r.expanded.sort()).toEqual(['310105', '310105002']);
    expect(flatten(filterTree(tree, '310105001')!.tree).map((n) => n.code)).toEqual([
      '310105',
      '310105001',
      '310105001001',
      '310105001002',
    ]);
    expect(filterTree(tree, '虹桥')).toBeNull();
    expect(filterTree(tree, '  ')!.tree).toBe(tree);
  });
});
