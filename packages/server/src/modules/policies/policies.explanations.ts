/**
 * The policies explained: the pack as it stands on a date (每项政策的法规依据、规则与带日期和来源的参数),
 * and one resident's every policy evaluated condition by condition, with the facts read and the
 * parameters used, and the worklist history of their findings (a sensitive read, audited).
 */
import { explainPolicy, maskIdNumber, type PolicyExplanation, type Trace } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { requireAccess } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { ResidentRefs } from '../registry/resident-ref.ts';
import type { PolicyRepository } from './policies.repository.ts';
import { appliesTo } from './local-policies.pack.ts';
import type { FindingKind, PolicyScans } from './policies.scans.ts';
import { LEAD_STATUS_LABELS, type EligibilityView, type PackView, type TraceNode } from './policies.schema.ts';
import type { Status } from './policies.worklist.ts';

export class PolicyExplanations {
  constructor(
    private readonly scans: PolicyScans,
    private readonly repo: PolicyRepository,
    private readonly org: OrgService,
    private readonly audit: AuditRepository,
    private readonly refs: ResidentRefs,
  ) {}

  /** The reference pack as it stands on a date: each policy with its source, period, rule and amount, and every parameter with its dated, cited values. */
  packView(asOf: string): PackView {
    const pack = this.scans.pack;
    const def = pack.def;
    const dependsOn = new Map(pack.policies.map((p) => [p.def.code, p.dependsOn]));
    const conditions = new Map(pack.policies.map((p) => [p.def.code, p.conditions]));
    return {
      code: def.code,
      name: def.name,
      version: def.version,
      asOf,
      policies: def.policies.map((p) => ({
        code: p.code,
        name: p.name,
        owner: p.owner,
        ownerName: this.org.get(p.owner)?.name ?? p.owner,
        source: p.source,
        effectiveFrom: String(p.effective.from),
        effectiveTo: p.effective.to == null ? null : String(p.effective.to),
        rule: p.rule.trim(),
        amount: p.amount ?? null,
        conditions: (conditions.get(p.code) ?? []).map((c) => ({ text: c.text, label: c.label })),
        dependsOn: [...(dependsOn.get(p.code) ?? [])],
        howToApply: p.apply ?? null,
      })),
      parameters: [...pack.parameters.values()].map((p) => {
        let current: number | null = null;
        for (const v of p.values) if (v.from <= asOf) current = v.value;
        return {
          name: p.name,
          label: p.label,
          unit: p.unit ?? null,
          values: p.values.map((v) => ({ from: v.from, value: v.value, source: v.source })),
          current,
        };
      }),
    };
  }

  /** Every policy for one resident (by id number or ref), explained; the view names the person by ref and masked id. */
  async eligibility(scope: Scope, idNumberOrRef: string, asOf: string): Promise<EligibilityView> {
    requireAccess(scope, 'resident.view');
    const entry = await this.scans.scanFor(asOf);
    const resolved = this.refs.resolve(idNumberOrRef);
    const i = resolved === null ? undefined : entry.population.indexOf.get(resolved);
    const idNumber = resolved ?? '';
    if (
      i === undefined ||
      !entry.population.committees[entry.committeeOf[i]!]!.startsWith(scope.orgCode) ||
      !entry.scan.view.exists[i]
    )
      throw new AppError('TJ_RESIDENT_NOT_FOUND');
    const [person] = await this.repo.residentsByIds([idNumber]);
    const { pack, owners } = entry.effective;
    const committee = entry.population.committees[entry.committeeOf[i]!]!;
    // A local policy of another street says nothing about this resident.
    const policies = pack.policies
      .filter((p) => appliesTo(owners.get(p.def.code), committee))
      .map((p) => {
        const x = explainPolicy(pack, entry.scan, i, p.def.code);
        return {
          policy: x.policy,
          name: x.name,
          source: x.source,
          inForce: x.inForce,
          eligible: x.eligible,
          holds: x.holds,
          kind: x.kind,
          monthlyAmountYuan: x.monthlyAmount,
          trace: labelledTrace(x),
          missing: [...x.explanation.missing],
          parameters: [...x.parameters],
        };
      });
    const order = new Map(pack.def.policies.map((p, k) => [p.code, k]));
    policies.sort((a, b) => order.get(a.policy)! - order.get(b.policy)!);
    const events = (await this.repo.eventsOf(idNumber)).map((e) => ({
      at: e.at,
      actor: e.actor,
      status: e.status as Status,
      statusLabel: LEAD_STATUS_LABELS[e.status as Status],
      assignee: e.assignee,
      reason: e.reason,
      policy: e.policy,
      kind: e.kind as FindingKind,
    }));
    await this.audit.record(scope, 'resident.eligibility', `resident:${idNumber}`, { asOf });
    return {
      asOf,
      ref: this.refs.ref(idNumber),
      idNumberMasked: maskIdNumber(idNumber),
      name: person?.name ?? '',
      policies,
      events,
    };
  }
}

/** An explanation's trace as the API gives it: each condition of the rule with its label (the pack's wording). */
function labelledTrace(x: PolicyExplanation): TraceNode {
  const labels = new Map<Trace, string>(x.conditions.map((c) => [c.trace, c.label]));
  const view = (t: Trace): TraceNode => ({
    text: t.text,
    label: labels.get(t) ?? null,
    outcome: t.outcome,
    facts: t.facts.map((f) => ({ name: f.name, value: f.value })),
    parts: t.parts.map(view),
  });
  return view(x.explanation.trace);
}
