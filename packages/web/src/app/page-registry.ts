/**
 * The registry of pages. Each capability owns `src/pages/<domain>/index.ts`, which exports
 * `pages: PageDefinition[]`; `pages.ts` collects every such module, and the router and the menu
 * are built from that one list. A new capability (tags, policies and leads, assessment, cases)
 * adds its folder and touches nothing else.
 */
import { may, type Action } from '@tingjian/engine/browser';
import type { ComponentType } from 'react';
import type { Entry } from './i18n.ts';

export interface PageDefinition {
  /** Route path under the app shell, without a leading slash: '' is the home page; ':name' is a parameter. */
  readonly path: string;
  /** The page component, usually React.lazy(() => import('./XPage.tsx')) so each page is its own chunk. */
  readonly element: ComponentType;
  /** Present for pages in the side menu. */
  readonly menu?: {
    readonly label: Entry;
    readonly icon: ComponentType;
    /** Position in the menu, ascending; leave gaps (10, 20, …) for later capabilities. */
    readonly order: number;
  };
  /**
   * What the page is for, in the table of who may do what (@tingjian/engine: PERMISSIONS): the
   * roles that may do it open the page; absent = every signed-in role. The server refuses by the
   * same table.
   */
  readonly access?: Action;
  /** For pages outside the menu: the menu page to highlight (e.g. 'residents' for a 360 view). */
  readonly menuParent?: string;
}

export interface PageModule {
  readonly pages: readonly PageDefinition[];
}

export function allowed(page: PageDefinition, role: string): boolean {
  return page.access === undefined || may(role, page.access);
}

/** The pages a role may open: the router registers only these. */
export function pagesForRole(pages: readonly PageDefinition[], role: string): PageDefinition[] {
  return pages.filter((p) => allowed(p, role));
}

/** The side menu for a role, in `order`. */
export function menuFor(
  pages: readonly PageDefinition[],
  role: string,
): Array<PageDefinition & { menu: NonNullable<PageDefinition['menu']> }> {
  return pagesForRole(pages, role)
    .filter((p): p is PageDefinition & { menu: NonNullable<PageDefinition['menu']> } => p.menu !== undefined)
    .sort((a, b) => a.menu.order - b.menu.order);
}

/** Whether a route pattern ('residents/:idNumber') matches a location ('/residents/3101…'). */
export function matchesPath(pattern: string, pathname: string): boolean {
  const want = pattern.split('/').filter(Boolean);
  const have = pathname.split('/').filter(Boolean);
  if (want.length !== have.length) return false;
  return want.every((segment, i) =>
    segment.startsWith(':') ? have[i] !== '' : segment === decodeURIComponentSafe(have[i]!),
  );
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** The menu entry to highlight for a location: the page's own, or its menuParent's. */
export function selectedMenuPath(pages: readonly PageDefinition[], pathname: string): string | undefined {
  const page = pages.find((p) => matchesPath(p.path, pathname));
  if (!page) return undefined;
  return page.menu ? page.path : page.menuParent;
}

/** Problems in the collected list: repeated paths, leading slashes, parents that are not menu pages. */
export function checkPages(pages: readonly PageDefinition[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const p of pages) {
    if (p.path.startsWith('/')) problems.push(`path "${p.path}" must not start with "/"`);
    if (seen.has(p.path)) problems.push(`path "${p.path}" is registered twice`);
    seen.add(p.path);
    if (p.menuParent !== undefined && !pages.some((q) => q.path === p.menuParent && q.menu)) {
      problems.push(`menuParent "${p.menuParent}" of "${p.path}" is not a menu page`);
    }
  }
  return problems;
}

/** Flattens the modules found under src/pages/<domain>/index.ts, in folder order. */
export function collectPages(modules: Readonly<Record<string, unknown>>): PageDefinition[] {
  const out: PageDefinition[] = [];
  for (const [file, mod] of Object.entries(modules).sort(([a], [b]) => a.localeCompare(b))) {
    const pages = (mod as Partial<PageModule>).pages;
    if (!Array.isArray(pages)) throw new Error(`${file} must export "pages: PageDefinition[]"`);
    out.push(...(pages as PageDefinition[]));
  }
  const problems = checkPages(out);
  if (problems.length > 0) throw new Error(`page registry: ${problems.join('; ')}`);
  return out;
}
