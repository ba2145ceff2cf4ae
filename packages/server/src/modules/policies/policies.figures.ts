/**
 * The figures of the policies: per policy, in the caller's unit, the people reached (eligible and
 * receiving), the leads, the reviews, the take-up and the leads by worklist status; and per area
 * below the unit. Sums of the scan's counts per committee, so no resident is read.
 */
import { requireAccess } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { PolicyScans } from './policies.scans.ts';
import type { LeadsSummary } from './policies.schema.ts';
import { findingKey as key, unitMask, type LeadWorklist } from './policies.worklist.ts';

export class PolicyFigures {
  constructor(
    private readonly scans: PolicyScans,
    private readonly worklist: LeadWorklist,
    private readonly org: OrgService,
  ) {}

  /** A unit's figures on a date: per policy reached, leads, reviews, take-up and leads by status; per area below it the totals. */
  async summary(scope: Scope, orgCode: string | undefined, asOf: string): Promise<LeadsSummary> {
    requireAccess(scope, 'lead.read');
    const code = this.org.unitInScope(scope, orgCode);
    const entry = await this.scans.scanFor(asOf);
    const pack = entry.effective.pack;
    const codes = pack.policies.map((p) => p.def.code);
    const committees = entry.population.committees;
    const sum = (prefix: string, k: number) => {
      const out = [0, 0, 0];
      committees.forEach((c, ci) => {
        if (!c.startsWith(prefix)) return;
        const slot = (ci * codes.length + k) * 3;
        out[0]! += entry.cube[slot]!;
        out[1]! += entry.cube[slot + 1]!;
        out[2]! += entry.cube[slot + 2]!;
      });
      return out as [number, number, number];
    };
    const last = await this.worklist.lastEvents();
    const mask = unitMask(entry, code);
    const byStatus = new Map<string, Record<string, number>>();
    for (const f of entry.findings) {
      if (f.kind !== 'lead' || !mask[entry.committeeOf[f.index]!]) continue;
      const s = last.get(key(entry.population.ids[f.index]!, f.policy, f.kind))?.status ?? 'new';
      const r = byStatus.get(f.policy) ?? {};
      r[s] = (r[s] ?? 0) + 1;
      byStatus.set(f.policy, r);
    }
    const children = this.org.childrenOf(code);
    const areas = children.length > 0 ? children : [this.org.get(code)!].filter(Boolean);
    return {
      asOf,
      org: { code, name: this.org.get(code)?.name ?? code },
      // A local policy of a unit beside the caller's (another street's) is not named to them.
      policies: codes.flatMap((c, k) => {
        const owner = entry.effective.owners.get(c);
        if (owner !== undefined && !code.startsWith(owner) && !owner.startsWith(scope.orgCode)) return [];
        const [reached, leads, reviews] = sum(code, k);
        return [
          {
            code: c,
            name: pack.policies[k]!.def.name,
            reached,
            leads,
            reviews,
            takeUp: reached + leads > 0 ? reached / (reached + leads) : null,
            byStatus: byStatus.get(c) ?? {},
          },
        ];
      }),
      byArea: areas.map((a) => {
        const t = codes
          .map((_, k) => sum(a.code, k))
          .reduce((x, y) => [x[0] + y[0], x[1] + y[1], x[2] + y[2]] as [number, number, number], [0, 0, 0] as [
            number,
            number,
            number,
          ]);
        return { code: a.code, name: a.name, reached: t[0], leads: t[1], reviews: t[2] };
      }),
    };
  }
}
