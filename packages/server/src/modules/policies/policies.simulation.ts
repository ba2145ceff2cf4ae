/**
 * Simulation: another set of policies in effect (a district's draft of parameters and rules, or a
 * local policy's draft) scanned over the current registry beside the published one; who gains and
 * who loses, by area below the caller's unit, with the monthly amounts and some masked id numbers.
 * Nothing is published or stored.
 */
import { compareScans, compilePack, maskIdNumber, scanPopulation, type CompiledPack } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import { draftInvalid, withinPack } from '../../pack-errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { requireAccess } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import { restrictToOwners, type EffectivePack } from './local-policies.pack.ts';
import { LOCAL_WORDING, type PolicyScans } from './policies.scans.ts';
import type { SimulateRequest, SimulateResult } from './policies.schema.ts';

export class PolicySimulation {
  constructor(
    private readonly scans: PolicyScans,
    private readonly org: OrgService,
    private readonly audit: AuditRepository,
  ) {}

  /**
   * A draft's impact on the current registry: the pack with the draft's parameters and policies
   * scanned beside the published one; who gains and who loses, by area, and the monthly amounts.
   * District administrators only; nothing is published or stored.
   */
  async simulate(scope: Scope, draft: SimulateRequest, asOf: string): Promise<SimulateResult> {
    requireAccess(scope, 'policy.simulate');
    const current = await this.scans.effectivePack();
    const def = current.pack.def;
    const parameters = def.parameters.map((p) => {
      const d = draft.parameters.find((x) => x.name === p.name);
      return d ? { ...p, values: d.values } : p;
    });
    for (const d of draft.parameters)
      if (!def.parameters.some((p) => p.name === d.name))
        parameters.push({ name: d.name, label: d.name, values: d.values });
    const policies = def.policies.map((p) => {
      const d = draft.policies.find((x) => x.code === p.code);
      if (!d) return p;
      // A rule rewritten by the draft has conditions of its own: the published wording does not fit them.
      const { labels, ...rest } = p;
      return {
        ...rest,
        ...(d.name ? { name: d.name } : {}),
        ...(d.source ? { source: d.source } : {}),
        ...(d.rule ? { rule: d.rule } : { labels }),
        ...(d.amount !== undefined ? { amount: d.amount } : {}),
        effective: {
          from: d.effectiveFrom ?? String(p.effective.from),
          to: d.effectiveTo !== undefined ? d.effectiveTo : (p.effective.to ?? null),
        },
      };
    });
    for (const d of draft.policies) {
      if (def.policies.some((p) => p.code === d.code)) continue;
      if (!d.rule || !d.name || !d.source || !d.effectiveFrom)
        throw new AppError('TJ_VALIDATION', `新政策 ${d.code} 需要名称、法规依据、生效日期和规则`);
      policies.push({
        code: d.code,
        name: d.name,
        owner: scope.orgCode || this.org.county,
        source: d.source,
        effective: { from: d.effectiveFrom, to: d.effectiveTo ?? null },
        rule: d.rule,
        amount: d.amount ?? null,
      });
    }
    let next: CompiledPack;
    try {
      next = compilePack({ ...def, parameters, policies, scenarios: [] }, LOCAL_WORDING);
    } catch (err) {
      throw draftInvalid(err);
    }
    const result = await this.impactOf(scope, { ...current, pack: next }, asOf);
    await this.audit.record(scope, 'policy.simulate', 'pack', {
      asOf,
      parameters: draft.parameters.map((p) => p.name),
      policies: draft.policies.map((p) => p.code),
    });
    return result;
  }

  /**
   * Who gains and who loses under another set of policies in effect (a draft), against the
   * published ones, on the current registry: per policy, by area below the caller's unit, with
   * the monthly amounts and some masked id numbers. Nothing is stored.
   */
  async impactOf(scope: Scope, next: EffectivePack, asOf: string): Promise<SimulateResult> {
    const entry = await this.scans.scanFor(asOf);
    const population = entry.population;
    const before = entry.scan;
    const after = withinPack(() =>
      restrictToOwners(scanPopulation(next.pack, population, asOf), population, next.owners),
    );
    const children = this.org.childrenOf(scope.orgCode || this.org.county);
    const committeeOf = (i: number) => population.committees[population.householdCommittee[population.household[i]!]!]!;
    const inScope = (i: number) => committeeOf(i).startsWith(scope.orgCode);
    const names = new Map(
      [...entry.effective.pack.def.policies, ...next.pack.def.policies].map((p) => [p.code, p.name]),
    );
    return {
      asOf,
      impacts: compareScans(before, after).map((x) => {
        const gains = [...x.gains].filter(inScope);
        const losses = [...x.losses].filter(inScope);
        return {
          policy: x.policy,
          name: names.get(x.policy) ?? x.policy,
          gains: gains.length,
          losses: losses.length,
          monthlyBeforeYuan: x.monthlyBefore,
          monthlyAfterYuan: x.monthlyAfter,
          byArea: children.map((u) => ({
            code: u.code,
            name: u.name,
            gains: gains.filter((i) => committeeOf(i).startsWith(u.code)).length,
            losses: losses.filter((i) => committeeOf(i).startsWith(u.code)).length,
          })),
          examples: {
            gains: gains.slice(0, 20).map((i) => maskIdNumber(population.ids[i]!)),
            losses: losses.slice(0, 20).map((i) => maskIdNumber(population.ids[i]!)),
          },
        };
      }),
    };
  }
}
