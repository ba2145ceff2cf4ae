import { describe, expect, it } from 'vitest';
import {
  checkPages,
  collectPages,
  matchesPath,
  menuFor,
  pagesForRole,
  selectedMenuPath,
  type PageDefinition,
} from './page-registry.ts';
import { PAGES } from './pages.ts';

const Dummy = () => null;
const Icon = () => null;
const page = (path: string, extra: Partial<PageDefinition> = {}): PageDefinition => ({
  path,
  element: Dummy,
  ...extra,
});

describe('page registry', () => {
  const pages: PageDefinition[] = [
    page('users', { menu: { label: { zh: '用户', en: 'Users' }, icon: Icon, order: 90 }, access: 'user.read' }),
    page('', { menu: { label: { zh: '工作台', en: 'Home' }, icon: Icon, order: 10 } }),
    page('residents', { menu: { label: { zh: '居民', en: 'Residents' }, icon: Icon, order: 20 } }),
    page('residents/:idNumber', { menuParent: 'residents' }),
  ];

  it('builds the menu in order, without pages a role may not open', () => {
    expect(menuFor(pages, 'district').map((p) => p.path)).toEqual(['', 'residents', 'users']);
    expect(menuFor(pages, 'street').map((p) => p.path)).toEqual(['', 'residents']);
    expect(pagesForRole(pages, 'adviser').map((p) => p.path)).not.toContain('users');
  });

  it('matches route patterns against locations', () => {
    expect(matchesPath('residents/:idNumber', '/residents/31010519600317754X')).toBe(true);
    expect(matchesPath('residents/:idNumber', '/residents')).toBe(false);
    expect(matchesPath('', '/')).toBe(true);
    expect(matchesPath('residents', '/residents/')).toBe(true);
  });

  it('highlights the parent menu entry of a detail page', () => {
    expect(selectedMenuPath(pages, '/residents/310105196003177547')).toBe('residents');
    expect(selectedMenuPath(pages, '/residents')).toBe('residents');
    expect(selectedMenuPath(pages, '/')).toBe('');
    expect(selectedMenuPath(pages, '/nowhere')).toBeUndefined();
  });

  it('reports repeated paths and dangling parents', () => {
    expect(checkPages([page('a'), page('a'), page('/b'), page('c', { menuParent: 'x' })])).toEqual([
      'path "a" is registered twice',
      'path "/b" must not start with "/"',
      'menuParent "x" of "c" is not a menu page',
    ]);
    expect(() => collectPages({ './x/index.ts': { nothing: true } })).toThrow(/must export "pages/);
  });

  it('collects the real pages from src/pages/<domain>/index.ts', () => {
    expect(checkPages(PAGES)).toEqual([]);
    const paths = PAGES.map((p) => p.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '',
        'residents',
        'residents/:idNumber',
        'households/:householdId',
        'imports',
        'users',
        'selections',
        'tags',
        'tags/:id',
      ]),
    );
    expect(menuFor(PAGES, 'district').map((p) => p.menu.label.zh)).toEqual([
      '工作台',
      '居民',
      '待主动发现',
      '人群圈选',
      '标签字典',
      '政策库',
      '需求评估',
      '数据导入',
      '用户与角色',
      '审计日志',
    ]);
    expect(menuFor(PAGES, 'street').map((p) => p.menu.label.zh)).not.toContain('用户与角色');
    expect(menuFor(PAGES, 'street').map((p) => p.menu.label.zh)).not.toContain('审计日志');
    // By the same table the server refuses by: only districts and streets import.
    expect(menuFor(PAGES, 'street').map((p) => p.menu.label.zh)).toContain('数据导入');
    expect(menuFor(PAGES, 'committee').map((p) => p.menu.label.zh)).not.toContain('数据导入');
    expect(menuFor(PAGES, 'adviser').map((p) => p.menu.label.zh)).not.toContain('数据导入');
    expect(pagesForRole(PAGES, 'adviser').map((p) => p.path)).not.toContain('imports');
  });
});
