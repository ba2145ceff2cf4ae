/**
 * The worklist on top of the scans: the leads (待主动发现) and reviews (待复核) of the caller's
 * area with their follow-up status, filters and the day's new ones; the export; a step of a
 * lead's follow-up (assign to the committee's adviser, contacted, applied, awarded, declined or
 * not eligible with a reason); and the advisers one may assign to. Every list is audited.
 */
import { addDays, completedYears, dateKey, maskIdNumber, type Finding } from '@tingjian/engine';
import { needsReason, NEXT_STATUS } from '@tingjian/engine/browser';
import { nowIso } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { requireAccess } from '../auth/access.ts';
import { scopeRange, type Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { ResidentRefs } from '../registry/resident-ref.ts';
import type { PolicyRepository, LeadEventRow } from './policies.repository.ts';
import type { PolicyScans, ScanEntry } from './policies.scans.ts';
import {
  LEAD_STATUS_LABELS,
  type LeadExportRow,
  type LeadRow,
  type LeadsPage,
  type LeadsQuery,
  type LeadUpdate,
} from './policies.schema.ts';

export type Status = keyof typeof LEAD_STATUS_LABELS;

/** A finding's key in the worklist: the resident, the policy and the kind. */
export const findingKey = (id: string, policy: string, kind: string) => `${id}|${policy}|${kind}`;
const key = findingKey;

/** Which of a scan's committees lie in a unit (1) or not (0), by committee index. */
export function unitMask(entry: ScanEntry, prefix: string): Uint8Array {
  return Uint8Array.from(entry.population.committees, (c) => (c.startsWith(prefix) ? 1 : 0));
}

export class LeadWorklist {
  constructor(
    private readonly scans: PolicyScans,
    private readonly repo: PolicyRepository,
    private readonly org: OrgService,
    private readonly audit: AuditRepository,
    private readonly refs: ResidentRefs,
  ) {}

  /** The current status of every finding with a worklist history: key → last event. */
  async lastEvents(): Promise<Map<string, LeadEventRow>> {
    const out = new Map<string, LeadEventRow>();
    for (const e of await this.repo.events()) out.set(key(e.id_number, e.policy, e.kind), e);
    return out;
  }

  /** The findings of a kind in the caller's area (or a unit of it) on a date, filtered as the query says; with the last events and yesterday's findings. */
  private async filtered(scope: Scope, q: LeadsQuery, asOf: string) {
    const entry = await this.scans.scanFor(asOf);
    const mask = unitMask(entry, this.org.unitInScope(scope, q.org));
    const last = await this.lastEvents();
    const day = dateKey(asOf);
    // The findings of the day before, to mark what appeared today (a birthday, a new record). A day
    // before the pack's first parameter values has no findings: everything is new.
    const prev = await this.scans.scanFor(addDays(asOf, -1)).catch(() => null);
    const before = prev
      ? new Set(prev.findings.map((f) => key(prev.population.ids[f.index]!, f.policy, f.kind)))
      : new Set<string>();
    const yesterday = q.newToday === 'true' ? before : null;
    const p = entry.population;
    const rows = entry.findings.filter((f) => {
      if (f.kind !== q.kind || (q.policy && f.policy !== q.policy) || !mask[entry.committeeOf[f.index]!]) return false;
      if (q.ageMin !== undefined || q.ageMax !== undefined) {
        const age = completedYears(p.birth[f.index]!, day);
        if ((q.ageMin !== undefined && age < q.ageMin) || (q.ageMax !== undefined && age > q.ageMax)) return false;
      }
      const k = key(p.ids[f.index]!, f.policy, f.kind);
      const e = last.get(k);
      if (q.status && (e?.status ?? 'new') !== q.status) return false;
      if (q.assignee && e?.assignee !== q.assignee) return false;
      if (yesterday && yesterday.has(k)) return false;
      return true;
    });
    return { entry, rows, last, before };
  }

  /** Lead rows, each with the resident's ref; without it (`withRef` false) for exports, which show the masked id only. */
  private async toRows(
    entry: ScanEntry,
    page: readonly Finding[],
    last: Map<string, LeadEventRow>,
    asOf: string,
    yesterday: ReadonlySet<string> | null,
  ): Promise<LeadRow[]>;
  private async toRows(
    entry: ScanEntry,
    page: readonly Finding[],
    last: Map<string, LeadEventRow>,
    asOf: string,
    yesterday: ReadonlySet<string> | null,
    withRef: false,
  ): Promise<LeadExportRow[]>;
  private async toRows(
    entry: ScanEntry,
    page: readonly Finding[],
    last: Map<string, LeadEventRow>,
    asOf: string,
    yesterday: ReadonlySet<string> | null,
    withRef = true,
  ): Promise<LeadExportRow[]> {
    const p = entry.population;
    const people = new Map(
      (await this.repo.residentsByIds(page.map((f) => p.ids[f.index]!))).map((r) => [r.id_number, r]),
    );
    const names = new Map(entry.effective.pack.policies.map((x) => [x.def.code, x.def.name]));
    const day = dateKey(asOf);
    return page.flatMap((f) => {
      const id = p.ids[f.index]!;
      const r = people.get(id);
      if (!r) return [];
      const e = last.get(key(id, f.policy, f.kind));
      const status = (e?.status ?? 'new') as Status;
      return [
        {
          ...(withRef ? { ref: this.refs.ref(id) } : {}),
          idNumberMasked: maskIdNumber(id),
          name: r.name,
          gender: r.gender,
          age: completedYears(dateKey(r.birth_date), day),
          committeeCode: r.committee_code,
          committeeName: this.org.get(r.committee_code)?.name ?? r.committee_code,
          householdId: r.household_id,
          policy: f.policy,
          policyName: names.get(f.policy) ?? f.policy,
          kind: f.kind,
          monthlyAmountYuan: f.monthlyAmount,
          status,
          statusLabel: LEAD_STATUS_LABELS[status],
          assignee: e?.assignee ?? null,
          reason: e?.reason ?? null,
          updatedAt: e?.at ?? null,
          updatedBy: e?.actor ?? null,
          newToday: yesterday ? !yesterday.has(key(id, f.policy, f.kind)) : false,
        },
      ];
    });
  }

  async leads(scope: Scope, q: LeadsQuery, asOf: string): Promise<LeadsPage> {
    requireAccess(scope, 'lead.read');
    const { entry, rows, last, before } = await this.filtered(scope, q, asOf);
    const page = rows.slice(q.offset, q.offset + q.limit);
    const items = await this.toRows(entry, page, last, asOf, before);
    await this.audit.record(scope, 'leads.list', `leads:${q.kind}`, {
      asOf,
      policy: q.policy ?? null,
      org: q.org ?? scope.orgCode,
      total: rows.length,
      offset: q.offset,
      rows: items.length,
    });
    return { asOf, total: rows.length, items };
  }

  async exportLeads(scope: Scope, q: LeadsQuery, asOf: string, max: number): Promise<LeadExportRow[]> {
    requireAccess(scope, 'lead.export');
    const { entry, rows, last, before } = await this.filtered(scope, q, asOf);
    const items = await this.toRows(entry, rows.slice(0, max), last, asOf, before, false);
    await this.audit.record(scope, 'leads.export', `leads:${q.kind}`, {
      asOf,
      policy: q.policy ?? null,
      org: q.org ?? scope.orgCode,
      rows: items.length,
    });
    return items;
  }

  /** A step of a lead's worklist; the resident by ref or id number (a ref that does not open: no such lead). */
  async updateLead(scope: Scope, u: LeadUpdate, asOf: string): Promise<LeadRow> {
    requireAccess(scope, 'lead.update');
    const entry = await this.scans.scanFor(asOf);
    const p = entry.population;
    const given = u.ref ?? u.idNumber;
    const resolved = given === undefined ? null : this.refs.resolve(given);
    const i = resolved === null ? undefined : p.indexOf.get(resolved);
    const finding =
      i === undefined
        ? undefined
        : entry.findings.find((f) => f.index === i && f.policy === u.policy && f.kind === u.kind);
    if (i === undefined || !finding) throw new AppError('TJ_LEAD_NOT_FOUND');
    const committee = p.committees[entry.committeeOf[i]!]!;
    const id = p.ids[i]!;
    const last = (await this.lastEvents()).get(key(id, u.policy, u.kind));
    const current = (last?.status ?? 'new') as Status;
    // In the caller's area (else there is no such lead), and for an adviser one assigned to them (reach 'self').
    requireAccess(scope, 'lead.update', { orgCode: committee, by: last?.assignee, missing: 'TJ_LEAD_NOT_FOUND' });
    if (!NEXT_STATUS[current].includes(u.status)) {
      const allowed = NEXT_STATUS[current].map((s) => LEAD_STATUS_LABELS[s]).join('、') || '（无）';
      throw new AppError('TJ_LEAD_TRANSITION', `线索当前为“${LEAD_STATUS_LABELS[current]}”，只能改为：${allowed}`, {
        from: current,
        to: u.status,
        allowed: NEXT_STATUS[current],
      });
    }
    if (needsReason(u.status) && !u.reason)
      throw new AppError('TJ_VALIDATION', `改为“${LEAD_STATUS_LABELS[u.status]}”需要填写原因`);
    let assignee = last?.assignee ?? null;
    if (u.status === 'assigned') {
      if (!u.assignee) throw new AppError('TJ_VALIDATION', '分派需要指定救助顾问');
      const adviser = await this.repo.user(u.assignee);
      if (
        !adviser ||
        adviser.role !== 'adviser' ||
        !committee.startsWith(adviser.org_code) ||
        !adviser.org_code.startsWith(scope.orgCode)
      ) {
        throw new AppError('TJ_VALIDATION', `${u.assignee} 不是负责该居民所在居委会的救助顾问`);
      }
      assignee = adviser.username;
    }
    const at = nowIso();
    await this.repo.transaction(async (trx) => {
      await this.repo.addEvent(
        {
          id_number: id,
          policy: u.policy,
          kind: u.kind,
          status: u.status,
          assignee,
          reason: u.reason ?? null,
          actor: scope.username,
          at,
        },
        trx,
      );
      await this.audit.record(
        scope,
        'lead.update',
        `resident:${id}`,
        { policy: u.policy, kind: u.kind, from: current, to: u.status, assignee, reason: u.reason ?? null },
        trx,
      );
    });
    const prev = await this.scans.scanFor(addDays(asOf, -1)).catch(() => null);
    const before = prev
      ? new Set(prev.findings.map((f) => key(prev.population.ids[f.index]!, f.policy, f.kind)))
      : new Set<string>();
    const rows = await this.toRows(entry, [finding], await this.lastEvents(), asOf, before);
    return rows[0]!;
  }

  /** The advisers of a unit of the caller's area and below, to assign findings to. */
  async advisers(scope: Scope, orgCode: string | undefined) {
    requireAccess(scope, 'lead.read');
    // Advisers of the unit and below.
    const [from, to] = scopeRange({ ...scope, orgCode: this.org.unitInScope(scope, orgCode) });
    const rows = await this.repo.advisers(from, to);
    return rows.map((r) => ({
      username: r.username,
      displayName: r.display_name,
      orgCode: r.org_code,
      orgName: this.org.get(r.org_code)?.name ?? r.org_code,
    }));
  }
}
