/**
 * "Policy finds people": the policy pack evaluated over the whole registry (engine scan, columnar),
 * the leads (待主动发现) and reviews (待复核) it finds, each explained; the worklist on top of them;
 * the figures per policy and area; and the public self-screener. Scans are cached per (date, data
 * version): an import re-evaluates everyone, and a new day re-evaluates for that day (the man of
 * the first story becomes a TEKUN lead on his 60th birthday).
 */
import {
  addDays, compareScans, compilePack, completedYears, dateKey, explainPolicy, findings, maskIdNumber, PackError, PopulationBuilder,
  membersOf, patchFindings, rescanHouseholds, scanPopulation, T, F, yearsBefore, type CompiledPack, type Finding, type Population, type ScanResult, type Trace,
} from '@tingjian/engine';
import { needsReason, NEXT_STATUS } from '@tingjian/engine/browser';
import { nowIso } from '../../clock.ts';
import { DateCache, type DateEntry } from '../../date-cache.ts';
import { AppError } from '../../errors.ts';
import { draftInvalid, outsidePack, withinPack } from '../../pack-errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { scopeRange, type Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { PopulationService } from '../population/population.service.ts';
import type { ResidentRefs } from '../registry/resident-ref.ts';
import type { PolicyRepository, LeadEventRow } from './policies.repository.ts';
import type { LocalPolicyRepository } from './local-policies.repository.ts';
import { appliesTo, combinedDef, inEffect, parseStored, restrictToOwners, type BrokenLocalPolicy, type EffectivePack, type StoredLocalPolicy } from './local-policies.pack.ts';
import {
  LEAD_STATUS_LABELS, type EligibilityView, type LeadExportRow, type LeadRow, type LeadsPage, type LeadsQuery, type LeadsSummary, type LeadUpdate,
  type PackView, type SimulateRequest, type SimulateResult, type ScreenerRequest, type ScreenerResult, type TraceNode,
} from './policies.schema.ts';

type Status = keyof typeof LEAD_STATUS_LABELS;
type Kind = 'lead' | 'review';

const MAX_CACHED_DATES = 3;

interface ScanEntry {
  /** The policies in effect it was computed with: the reference pack and published local policies. */
  readonly effective: EffectivePack;
  readonly scan: ScanResult;
  readonly population: Population;
  readonly findings: readonly Finding[];
  /** Committee index of each resident (into population.committees). */
  readonly committeeOf: Uint16Array;
  /** Per committee × policy: reached, leads, reviews. */
  readonly cube: Int32Array;
}

const key = (id: string, policy: string, kind: string) => `${id}|${policy}|${kind}`;

export class PolicyService {
  /** The scan per as-of date, for the current data and local policies (version `data/local`). */
  private readonly scans: DateCache<ScanEntry>;
  /** Bumped when a local policy is published or withdrawn: every cached scan is then stale. */
  private localVersion = 0;
  private effectiveCache: { version: number; value: Promise<EffectivePack> } | null = null;
  /**
   * Local policy versions (`code@version`) that compiled but threw when a scan evaluated them,
   * with the reason: left out of the policies in effect from then on (until the process restarts,
   * when they are tried again).
   */
  private readonly failedEvaluation = new Map<string, string>();

  constructor(
    readonly pack: CompiledPack,
    private readonly repo: PolicyRepository,
    private readonly org: OrgService,
    private readonly audit: AuditRepository,
    private readonly population: PopulationService,
    private readonly dataVersion: () => number,
    private readonly refs: ResidentRefs,
    private readonly locals?: LocalPolicyRepository,
  ) {
    this.scans = new DateCache({ name: '政策扫描', size: MAX_CACHED_DATES, version: () => `${this.dataVersion()}/${this.localVersion}`, compute: (asOf, stale) => this.compute(asOf, stale) });
  }

  /**
   * The policies in effect: the reference pack plus the latest published version of each local
   * policy (read from the database, cached until one is published or withdrawn). A local policy
   * that cannot be read, no longer compiles with the others (the reference pack file changed
   * under it; a row from before the rule caps) or threw when evaluated is left out rather than
   * stopping every scan: logged, and listed with the reason (`broken`).
   */
  effectivePack(): Promise<EffectivePack> {
    const version = this.localVersion;
    if (this.effectiveCache && this.effectiveCache.version === version) return this.effectiveCache.value;
    const value = (async () => {
      const rows = this.locals ? [...inEffect(await this.locals.all()).values()] : [];
      const readable: Array<{ stored: StoredLocalPolicy; version: number }> = [];
      const unreadable = new Map<string, BrokenLocalPolicy>();
      for (const r of rows) {
        const failed = this.failedEvaluation.get(`${r.code}@${r.version}`);
        if (failed !== undefined) { unreadable.set(r.code, { version: r.version, reason: failed }); continue; }
        try {
          readable.push({ stored: parseStored(r), version: r.version });
        } catch (err) {
          unreadable.set(r.code, { version: r.version, reason: err instanceof Error ? err.message : String(err) });
        }
      }
      const compiled = this.compileEffective(readable);
      const broken = new Map([...unreadable, ...compiled.broken]);
      for (const [code, b] of broken) console.error(`本地政策 ${code} 第 ${b.version} 版未能生效，已从扫描中排除：${b.reason}`);
      return { ...compiled, broken };
    })();
    this.effectiveCache = { version, value };
    value.catch(() => { if (this.effectiveCache?.value === value) this.effectiveCache = null; });
    return value;
  }

  /**
   * Compiles the reference pack with local policies; those that do not compile are left out and
   * listed in `broken`. `throwOn` names the one whose errors are the caller's (a draft): its
   * error is thrown instead, always as a PackError.
   */
  compileEffective(locals: ReadonlyArray<{ stored: StoredLocalPolicy; version: number }>, throwOn?: string): EffectivePack {
    const kept: Array<{ stored: StoredLocalPolicy; version: number }> = [];
    let pack = this.pack;
    // Passes until nothing more compiles: a policy that refers to another comes in after it.
    let pending = [...locals];
    const errors = new Map<string, PackError>();
    while (pending.length > 0) {
      const left: typeof pending = [];
      errors.clear();
      for (const l of pending) {
        try {
          pack = compilePack(combinedDef(this.pack.def, [...kept, l].map((x) => x.stored)));
          kept.push(l);
        } catch (err) {
          // Anything else a stored definition makes the compiler throw is this policy's error too, not everyone's.
          errors.set(l.stored.code, err instanceof PackError ? err : new PackError(`policies ${l.stored.code}`, `无法编译：${err instanceof Error ? err.message : String(err)}`));
          left.push(l);
        }
      }
      if (left.length === pending.length) break;
      pending = left;
    }
    const failed = throwOn === undefined ? undefined : errors.get(throwOn);
    if (failed && !kept.some((l) => l.stored.code === throwOn)) throw failed;
    return {
      pack,
      owners: new Map(kept.map((l) => [l.stored.code, l.stored.owner])),
      versions: new Map(kept.map((l) => [l.stored.code, l.version])),
      locals: kept,
      broken: new Map(pending.map((l) => [l.stored.code, { version: l.version, reason: reasonOf(errors.get(l.stored.code)) }])),
    };
  }

  /**
   * Evaluates a set of policies in effect over the current registry on a date, as a scan would,
   * before it is published: an error thrown by the evaluation is the draft's, not every street's.
   * A date the pack does not cover is no evaluation error (the scans say so themselves).
   */
  async trialScan(next: EffectivePack, asOf: string): Promise<void> {
    const { population } = await this.population.snapshot();
    try {
      restrictToOwners(scanPopulation(next.pack, population, asOf), population, next.owners);
    } catch (err) {
      if (err instanceof PackError) return;
      throw new AppError('TJ_LOCAL_POLICY_EVALUATION', `草案在当前登记数据上试算失败，未发布：${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /**
   * After a scan threw: which local policies throw on this registry and date, each tried after
   * the reference pack and the ones before it. They are left out from now on (logged, and listed
   * as broken); returns whether any was found (if none, the reference pack itself is at fault).
   */
  private leaveOutFailing(effective: EffectivePack, population: Population, asOf: string, cause: unknown): boolean {
    console.error(`政策扫描（${asOf}）失败，逐项检查本地政策：${cause instanceof Error ? cause.message : String(cause)}`);
    const good: Array<{ stored: StoredLocalPolicy; version: number }> = [];
    let found = false;
    for (const l of effective.locals) {
      try {
        const pack = compilePack(combinedDef(this.pack.def, [...good, l].map((x) => x.stored)));
        scanPopulation(pack, population, asOf);
        good.push(l);
      } catch (err) {
        if (err instanceof PackError) { good.push(l); continue; }
        found = true;
        this.failedEvaluation.set(`${l.stored.code}@${l.version}`, `扫描时出错：${err instanceof Error ? err.message : String(err)}`);
      }
    }
    if (found) this.invalidateLocalPolicies();
    return found;
  }

  /** After a local policy is published or withdrawn: leads, summaries, eligibility and the CLI see it. */
  invalidateLocalPolicies(): void {
    this.localVersion++;
    this.effectiveCache = null;
    this.scans.clear();
  }

  /** Starts the scan of a date in the background (start-up, after imports and publications, at midnight); a failure is logged. */
  warm(asOf: string): void {
    this.scans.warm(asOf);
  }

  /** The scan of a date for the current data (cached). A date outside the pack is an error. */
  scanFor(asOf: string): Promise<ScanEntry> {
    return this.scans.get(asOf);
  }

  /**
   * The scan of a date. After a small import (the population patched, same numbering), only the
   * touched households' members are evaluated again on top of the previous scan of that date.
   */
  private async compute(asOf: string, prior?: DateEntry<ScanEntry>): Promise<ScanEntry> {
    const effective = await this.effectivePack();
    const snapshot = await this.population.snapshot();
    const { population } = snapshot;
    let scan: ScanResult;
    let previous: ScanEntry | null = null;
    try {
      previous = snapshot.patch && prior && prior.version === `${snapshot.patch.from}/${this.localVersion}`
        ? await prior.value.catch(() => null) : null;
      if (previous && previous.effective !== effective) previous = null;
      scan = previous
        ? restrictToOwners(rescanHouseholds(effective.pack, previous.scan, population, snapshot.patch!.households), population, effective.owners)
        : restrictToOwners(scanPopulation(effective.pack, population, asOf), population, effective.owners);
    } catch (err) {
      if (err instanceof PackError) throw outsidePack(err);
      // One local policy must not stop the scan of everyone: find it, leave it out, scan again.
      if (effective.locals.length > 0 && this.leaveOutFailing(effective, population, asOf, err)) return this.compute(asOf);
      throw err;
    }
    const codes = effective.pack.policies.map((p) => p.def.code);
    // After a patch that kept every household in its committee, only the touched households'
    // members change the figures: their old counts are taken out and their new ones put in.
    if (previous && population.household === previous.population.household && population.householdCommittee === previous.population.householdCommittee
      && population.committees === previous.population.committees) {
      const rows = membersOf(population, snapshot.patch!.households);
      const cube = previous.cube.slice();
      tally(cube, previous.scan, codes, previous.committeeOf, rows, -1);
      tally(cube, scan, codes, previous.committeeOf, rows, +1);
      return { effective, scan, population, findings: patchFindings(previous.findings, scan, rows), committeeOf: previous.committeeOf, cube };
    }
    const committeeOf = new Uint16Array(population.n);
    for (let i = 0; i < population.n; i++) committeeOf[i] = population.householdCommittee[population.household[i]!]!;
    const cube = new Int32Array(population.committees.length * codes.length * 3);
    tally(cube, scan, codes, committeeOf, null, +1);
    return { effective, scan, population, findings: findings(scan), committeeOf, cube };
  }

  /** Every finding of the whole deployment on a date (the command line). */
  async allFindings(asOf: string, policy?: string): Promise<Array<{ id_number: string; policy: string; kind: Kind; monthly_amount_yuan: number | null }>> {
    const { pack } = await this.effectivePack();
    if (policy && !pack.policies.some((p) => p.def.code === policy)) throw new AppError('TJ_POLICY_NOT_FOUND', `政策包中没有 ${policy}（可用：${pack.def.policies.map((p) => p.code).join('、')}）`);
    const entry = await this.scanFor(asOf);
    return entry.findings.filter((f) => !policy || f.policy === policy)
      .map((f) => ({ id_number: entry.population.ids[f.index]!, policy: f.policy, kind: f.kind, monthly_amount_yuan: f.monthlyAmount }));
  }

  packView(asOf: string): PackView {
    const def = this.pack.def;
    const dependsOn = new Map(this.pack.policies.map((p) => [p.def.code, p.dependsOn]));
    return {
      code: def.code, name: def.name, version: def.version, asOf,
      policies: def.policies.map((p) => ({
        code: p.code, name: p.name, owner: p.owner, ownerName: this.org.get(p.owner)?.name ?? p.owner, source: p.source,
        effectiveFrom: String(p.effective.from), effectiveTo: p.effective.to == null ? null : String(p.effective.to), rule: p.rule.trim(),
        amount: p.amount ?? null, dependsOn: [...(dependsOn.get(p.code) ?? [])], howToApply: p.apply ?? null,
      })),
      parameters: [...this.pack.parameters.values()].map((p) => {
        let current: number | null = null;
        for (const v of p.values) if (v.from <= asOf) current = v.value;
        return { name: p.name, label: p.label, unit: p.unit ?? null, values: p.values.map((v) => ({ from: v.from, value: v.value, source: v.source })), current };
      }),
    };
  }

  /** The current status of every finding with a worklist history: key → last event. */
  private async lastEvents(): Promise<Map<string, LeadEventRow>> {
    const out = new Map<string, LeadEventRow>();
    for (const e of await this.repo.events()) out.set(key(e.id_number, e.policy, e.kind), e);
    return out;
  }

  private unitMask(entry: ScanEntry, prefix: string): Uint8Array {
    return Uint8Array.from(entry.population.committees, (c) => (c.startsWith(prefix) ? 1 : 0));
  }

  private async filtered(scope: Scope, q: LeadsQuery, asOf: string) {
    const entry = await this.scanFor(asOf);
    const mask = this.unitMask(entry, this.org.unitInScope(scope, q.org));
    const last = await this.lastEvents();
    const day = dateKey(asOf);
    // The findings of the day before, to mark what appeared today (a birthday, a new record). A day
    // before the pack's first parameter values has no findings: everything is new.
    const prev = await this.scanFor(addDays(asOf, -1)).catch(() => null);
    const before = prev ? new Set(prev.findings.map((f) => key(prev.population.ids[f.index]!, f.policy, f.kind))) : new Set<string>();
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
  private async toRows(entry: ScanEntry, page: readonly Finding[], last: Map<string, LeadEventRow>, asOf: string, yesterday: ReadonlySet<string> | null): Promise<LeadRow[]>;
  private async toRows(entry: ScanEntry, page: readonly Finding[], last: Map<string, LeadEventRow>, asOf: string, yesterday: ReadonlySet<string> | null, withRef: false): Promise<LeadExportRow[]>;
  private async toRows(entry: ScanEntry, page: readonly Finding[], last: Map<string, LeadEventRow>, asOf: string, yesterday: ReadonlySet<string> | null, withRef = true): Promise<LeadExportRow[]> {
    const p = entry.population;
    const people = new Map((await this.repo.residentsByIds(page.map((f) => p.ids[f.index]!))).map((r) => [r.id_number, r]));
    const names = new Map(entry.effective.pack.policies.map((x) => [x.def.code, x.def.name]));
    const day = dateKey(asOf);
    return page.flatMap((f) => {
      const id = p.ids[f.index]!;
      const r = people.get(id);
      if (!r) return [];
      const e = last.get(key(id, f.policy, f.kind));
      const status = (e?.status ?? 'new') as Status;
      return [{
        ...(withRef ? { ref: this.refs.ref(id) } : {}), idNumberMasked: maskIdNumber(id), name: r.name, gender: r.gender, age: completedYears(dateKey(r.birth_date), day),
        committeeCode: r.committee_code, committeeName: this.org.get(r.committee_code)?.name ?? r.committee_code, householdId: r.household_id,
        policy: f.policy, policyName: names.get(f.policy) ?? f.policy, kind: f.kind, monthlyAmountYuan: f.monthlyAmount,
        status, statusLabel: LEAD_STATUS_LABELS[status], assignee: e?.assignee ?? null, reason: e?.reason ?? null,
        updatedAt: e?.at ?? null, updatedBy: e?.actor ?? null,
        newToday: yesterday ? !yesterday.has(key(id, f.policy, f.kind)) : false,
      }];
    });
  }

  async leads(scope: Scope, q: LeadsQuery, asOf: string): Promise<LeadsPage> {
    const { entry, rows, last, before } = await this.filtered(scope, q, asOf);
    const page = rows.slice(q.offset, q.offset + q.limit);
    const items = await this.toRows(entry, page, last, asOf, before);
    await this.audit.record(scope, 'leads.list', `leads:${q.kind}`, { asOf, policy: q.policy ?? null, org: q.org ?? scope.orgCode, total: rows.length, offset: q.offset, rows: items.length });
    return { asOf, total: rows.length, items };
  }

  async exportLeads(scope: Scope, q: LeadsQuery, asOf: string, max: number): Promise<LeadExportRow[]> {
    const { entry, rows, last, before } = await this.filtered(scope, q, asOf);
    const items = await this.toRows(entry, rows.slice(0, max), last, asOf, before, false);
    await this.audit.record(scope, 'leads.export', `leads:${q.kind}`, { asOf, policy: q.policy ?? null, org: q.org ?? scope.orgCode, rows: items.length });
    return items;
  }

  /** A step of a lead's worklist; the resident by ref or id number (a ref that does not open: no such lead). */
  async updateLead(scope: Scope, u: LeadUpdate, asOf: string): Promise<LeadRow> {
    const entry = await this.scanFor(asOf);
    const p = entry.population;
    const given = u.ref ?? u.idNumber;
    const resolved = given === undefined ? null : this.refs.resolve(given);
    const i = resolved === null ? undefined : p.indexOf.get(resolved);
    const finding = i === undefined ? undefined : entry.findings.find((f) => f.index === i && f.policy === u.policy && f.kind === u.kind);
    if (i === undefined || !finding || !p.committees[entry.committeeOf[i]!]!.startsWith(scope.orgCode)) throw new AppError('TJ_LEAD_NOT_FOUND');
    const id = p.ids[i]!;
    const last = (await this.lastEvents()).get(key(id, u.policy, u.kind));
    const current = (last?.status ?? 'new') as Status;
    if (scope.role === 'adviser' && last?.assignee !== scope.username) throw new AppError('TJ_FORBIDDEN', '救助顾问只能处理分派给自己的线索');
    if (!NEXT_STATUS[current].includes(u.status)) {
      const allowed = NEXT_STATUS[current].map((s) => LEAD_STATUS_LABELS[s]).join('、') || '（无）';
      throw new AppError('TJ_LEAD_TRANSITION', `线索当前为“${LEAD_STATUS_LABELS[current]}”，只能改为：${allowed}`, { from: current, to: u.status, allowed: NEXT_STATUS[current] });
    }
    if (needsReason(u.status) && !u.reason) throw new AppError('TJ_VALIDATION', `改为“${LEAD_STATUS_LABELS[u.status]}”需要填写原因`);
    let assignee = last?.assignee ?? null;
    if (u.status === 'assigned') {
      if (!u.assignee) throw new AppError('TJ_VALIDATION', '分派需要指定救助顾问');
      const adviser = await this.repo.user(u.assignee);
      const committee = p.committees[entry.committeeOf[i]!]!;
      if (!adviser || adviser.role !== 'adviser' || !committee.startsWith(adviser.org_code) || !adviser.org_code.startsWith(scope.orgCode)) {
        throw new AppError('TJ_VALIDATION', `${u.assignee} 不是负责该居民所在居委会的救助顾问`);
      }
      assignee = adviser.username;
    }
    const at = nowIso();
    await this.repo.transaction(async (trx) => {
      await this.repo.addEvent({ id_number: id, policy: u.policy, kind: u.kind, status: u.status, assignee, reason: u.reason ?? null, actor: scope.username, at }, trx);
      await this.audit.record(scope, 'lead.update', `resident:${id}`, { policy: u.policy, kind: u.kind, from: current, to: u.status, assignee, reason: u.reason ?? null }, trx);
    });
    const prev = await this.scanFor(addDays(asOf, -1)).catch(() => null);
    const before = prev ? new Set(prev.findings.map((f) => key(prev.population.ids[f.index]!, f.policy, f.kind))) : new Set<string>();
    const rows = await this.toRows(entry, [finding], await this.lastEvents(), asOf, before);
    return rows[0]!;
  }

  async summary(scope: Scope, orgCode: string | undefined, asOf: string): Promise<LeadsSummary> {
    const code = this.org.unitInScope(scope, orgCode);
    const entry = await this.scanFor(asOf);
    const pack = entry.effective.pack;
    const codes = pack.policies.map((p) => p.def.code);
    const committees = entry.population.committees;
    const sum = (prefix: string, k: number) => {
      const out = [0, 0, 0];
      committees.forEach((c, ci) => {
        if (!c.startsWith(prefix)) return;
        const slot = (ci * codes.length + k) * 3;
        out[0]! += entry.cube[slot]!; out[1]! += entry.cube[slot + 1]!; out[2]! += entry.cube[slot + 2]!;
      });
      return out as [number, number, number];
    };
    const last = await this.lastEvents();
    const mask = this.unitMask(entry, code);
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
      asOf, org: { code, name: this.org.get(code)?.name ?? code },
      // A local policy of a unit beside the caller's (another street's) is not named to them.
      policies: codes.flatMap((c, k) => {
        const owner = entry.effective.owners.get(c);
        if (owner !== undefined && !code.startsWith(owner) && !owner.startsWith(scope.orgCode)) return [];
        const [reached, leads, reviews] = sum(code, k);
        return [{ code: c, name: pack.policies[k]!.def.name, reached, leads, reviews, takeUp: reached + leads > 0 ? reached / (reached + leads) : null, byStatus: byStatus.get(c) ?? {} }];
      }),
      byArea: areas.map((a) => {
        const t = codes.map((_, k) => sum(a.code, k)).reduce((x, y) => [x[0] + y[0], x[1] + y[1], x[2] + y[2]] as [number, number, number], [0, 0, 0] as [number, number, number]);
        return { code: a.code, name: a.name, reached: t[0], leads: t[1], reviews: t[2] };
      }),
    };
  }

  /** Every policy for one resident (by id number or ref), explained; the view names the person by ref and masked id. */
  async eligibility(scope: Scope, idNumberOrRef: string, asOf: string): Promise<EligibilityView> {
    const entry = await this.scanFor(asOf);
    const resolved = this.refs.resolve(idNumberOrRef);
    const i = resolved === null ? undefined : entry.population.indexOf.get(resolved);
    const idNumber = resolved ?? '';
    if (i === undefined || !entry.population.committees[entry.committeeOf[i]!]!.startsWith(scope.orgCode) || !entry.scan.view.exists[i]) throw new AppError('TJ_RESIDENT_NOT_FOUND');
    const [person] = await this.repo.residentsByIds([idNumber]);
    const { pack, owners } = entry.effective;
    const committee = entry.population.committees[entry.committeeOf[i]!]!;
    // A local policy of another street says nothing about this resident.
    const policies = pack.policies.filter((p) => appliesTo(owners.get(p.def.code), committee)).map((p) => {
      const x = explainPolicy(pack, entry.scan, i, p.def.code);
      return {
        policy: x.policy, name: x.name, source: x.source, inForce: x.inForce, eligible: x.eligible, holds: x.holds, kind: x.kind,
        monthlyAmountYuan: x.monthlyAmount, trace: traceView(x.explanation.trace), missing: [...x.explanation.missing], parameters: [...x.parameters],
      };
    });
    const order = new Map(pack.def.policies.map((p, k) => [p.code, k]));
    policies.sort((a, b) => order.get(a.policy)! - order.get(b.policy)!);
    const events = (await this.repo.eventsOf(idNumber)).map((e) => ({
      at: e.at, actor: e.actor, status: e.status as Status, statusLabel: LEAD_STATUS_LABELS[e.status as Status], assignee: e.assignee, reason: e.reason, policy: e.policy, kind: e.kind as Kind,
    }));
    await this.audit.record(scope, 'resident.eligibility', `resident:${idNumber}`, { asOf });
    return { asOf, ref: this.refs.ref(idNumber), idNumberMasked: maskIdNumber(idNumber), name: person?.name ?? '', policies, events };
  }

  async advisers(scope: Scope, orgCode: string | undefined) {
    // Advisers of the unit and below.
    const [from, to] = scopeRange({ ...scope, orgCode: this.org.unitInScope(scope, orgCode) });
    const rows = await this.repo.advisers(from, to);
    return rows.map((r) => ({ username: r.username, displayName: r.display_name, orgCode: r.org_code, orgName: this.org.get(r.org_code)?.name ?? r.org_code }));
  }

  /**
   * A draft's impact on the current registry: the pack with the draft's parameters and policies
   * scanned beside the published one; who gains and who loses, by area, and the monthly amounts.
   * District administrators only; nothing is published or stored.
   */
  async simulate(scope: Scope, draft: SimulateRequest, asOf: string): Promise<SimulateResult> {
    if (scope.role !== 'district' && scope.role !== 'system') throw new AppError('TJ_FORBIDDEN', '只有区级管理员可以模拟政策调整');
    const current = (await this.effectivePack());
    const def = current.pack.def;
    const parameters = def.parameters.map((p) => {
      const d = draft.parameters.find((x) => x.name === p.name);
      return d ? { ...p, values: d.values } : p;
    });
    for (const d of draft.parameters) if (!def.parameters.some((p) => p.name === d.name)) parameters.push({ name: d.name, label: d.name, values: d.values });
    const policies = def.policies.map((p) => {
      const d = draft.policies.find((x) => x.code === p.code);
      if (!d) return p;
      return {
        ...p, ...(d.name ? { name: d.name } : {}), ...(d.source ? { source: d.source } : {}), ...(d.rule ? { rule: d.rule } : {}),
        ...(d.amount !== undefined ? { amount: d.amount } : {}),
        effective: { from: d.effectiveFrom ?? String(p.effective.from), to: d.effectiveTo !== undefined ? d.effectiveTo : (p.effective.to ?? null) },
      };
    });
    for (const d of draft.policies) {
      if (def.policies.some((p) => p.code === d.code)) continue;
      if (!d.rule || !d.name || !d.source || !d.effectiveFrom) throw new AppError('TJ_VALIDATION', `新政策 ${d.code} 需要名称、法规依据、生效日期和规则`);
      policies.push({ code: d.code, name: d.name, owner: scope.orgCode || '310105', source: d.source, effective: { from: d.effectiveFrom, to: d.effectiveTo ?? null }, rule: d.rule, amount: d.amount ?? null });
    }
    let next: CompiledPack;
    try {
      next = compilePack({ ...def, parameters, policies, scenarios: [] });
    } catch (err) {
      throw draftInvalid(err);
    }
    const result = await this.impactOf(scope, { ...current, pack: next }, asOf);
    await this.audit.record(scope, 'policy.simulate', 'pack', { asOf, parameters: draft.parameters.map((p) => p.name), policies: draft.policies.map((p) => p.code) });
    return result;
  }

  /**
   * Who gains and who loses under another set of policies in effect (a draft), against the
   * published ones, on the current registry: per policy, by area below the caller's unit, with
   * the monthly amounts and some masked id numbers. Nothing is stored.
   */
  async impactOf(scope: Scope, next: EffectivePack, asOf: string): Promise<SimulateResult> {
    const entry = await this.scanFor(asOf);
    const population = entry.population;
    const before = entry.scan;
    const after = withinPack(() => restrictToOwners(scanPopulation(next.pack, population, asOf), population, next.owners));
    const children = this.org.childrenOf(scope.orgCode || '310105');
    const committeeOf = (i: number) => population.committees[population.householdCommittee[population.household[i]!]!]!;
    const inScope = (i: number) => committeeOf(i).startsWith(scope.orgCode);
    const names = new Map([...entry.effective.pack.def.policies, ...next.pack.def.policies].map((p) => [p.code, p.name]));
    return {
      asOf,
      impacts: compareScans(before, after).map((x) => {
        const gains = [...x.gains].filter(inScope);
        const losses = [...x.losses].filter(inScope);
        return {
          policy: x.policy, name: names.get(x.policy) ?? x.policy, gains: gains.length, losses: losses.length,
          monthlyBeforeYuan: x.monthlyBefore, monthlyAfterYuan: x.monthlyAfter,
          byArea: children.map((u) => ({ code: u.code, name: u.name, gains: gains.filter((i) => committeeOf(i).startsWith(u.code)).length, losses: losses.filter((i) => committeeOf(i).startsWith(u.code)).length })),
          examples: { gains: gains.slice(0, 20).map((i) => maskIdNumber(population.ids[i]!)), losses: losses.slice(0, 20).map((i) => maskIdNumber(population.ids[i]!)) },
        };
      }),
    };
  }

  /**
   * The self-screener: a household described by answers, evaluated with the same rules on today's
   * date. Nothing is stored: the population exists only for this call.
   */
  screen(req: ScreenerRequest, asOf: string): ScreenerResult {
    const b = new PopulationBuilder(16);
    b.addHousehold({ household_id: 'H', committee_code: '000000000000', housing_area_m2: req.household.housingAreaM2 ?? null, financial_assets_yuan: req.household.financialAssetsYuan });
    const ids = req.members.map((_, k) => `M${String(k).padStart(2, '0')}`);
    req.members.forEach((m, k) => {
      b.addResident({
        id_number: ids[k]!, birth_date: yearsBefore(asOf, m.age), household_id: 'H', gender: m.gender, hukou: m.hukou, marital_status: null,
        disability_grade: m.disabilityGrade, disability_category: m.disabilityGrade ? m.disabilityCategory : null, monthly_income_yuan: m.monthlyIncomeYuan,
        employment: m.employment, school_stage: m.schoolStage, labor_capacity: m.laborCapacity, chronic_illness: m.chronicIllness, medical_oop_12m_yuan: m.medicalOop12mYuan,
      });
    });
    req.members.forEach((m, k) => { if (m.hasSupporter === '是') b.addRelation(ids[k]!, '配偶', '是'); });
    const population = b.build();
    const scan = withinPack(() => scanPopulation(this.pack, population, asOf));
    const apply = new Map(this.pack.def.policies.map((p) => [p.code, p.apply ?? null]));
    return {
      asOf,
      members: req.members.map((m, k) => {
        const i = population.indexOf.get(ids[k]!)!;
        return {
          label: m.label ?? `成员${k + 1}`,
          results: this.pack.def.policies.map((p) => {
            const x = explainPolicy(this.pack, scan, i, p.code);
            return {
              policy: p.code, name: p.name, eligible: x.eligible, monthlyAmountYuan: x.eligible === 'pass' ? x.monthlyAmount ?? leadAmount(scan, p.code, i) : null,
              reasons: flatten(x.explanation.trace).map((t) => ({ text: plain(t.text), met: t.outcome })), howToApply: apply.get(p.code) ?? null,
            };
          }),
        };
      }),
      notice: '本测算只依据您填写的情况，结果仅供参考，不保存任何个人信息；是否符合以经办部门审核为准。',
    };
  }
}

/** A local policy's compile error in the admin's words: which field, not the engine's place in the combined pack. */
function reasonOf(err: PackError | undefined): string {
  if (!err) return '无法编译';
  return err.message.replace(/^policies(?:\[\d+\])? \S+ rule：/, '认定规则').replace(/^policies(?:\[\d+\])? \S+ amount：/, '金额公式').replace(/^policies(?:\[\d+\])? \S+：/, '');
}

/**
 * Adds (+1) or takes away (−1) the counts of a scan's people (`rows`, or everyone) to the cube:
 * per committee × policy, reached (eligible and holding), leads and reviews.
 */
function tally(cube: Int32Array, scan: ScanResult, codes: readonly string[], committeeOf: Uint16Array, rows: Int32Array | null, sign: number): void {
  const exists = scan.view.exists;
  const n = rows ? rows.length : exists.length;
  codes.forEach((code, k) => {
    const c = scan.columns.get(code)!;
    for (let x = 0; x < n; x++) {
      const i = rows ? rows[x]! : x;
      if (!exists[i]) continue;
      const e = c.eligible[i]!;
      const h = c.holds[i] === T;
      const slot = (committeeOf[i]! * codes.length + k) * 3;
      if (e === T && h) cube[slot]! += sign;
      else if (e === T) cube[slot + 1]! += sign;
      else if (h && e === F) cube[slot + 2]! += sign;
    }
  });
}

function leadAmount(scan: ScanResult, code: string, i: number): number | null {
  const a = scan.columns.get(code)?.amount?.at(i);
  return a === undefined || a !== a ? null : Math.round(a * 100) / 100;
}

function traceView(t: Trace): TraceNode {
  return { text: t.text, outcome: t.outcome, facts: t.facts.map((f) => ({ name: f.name, value: f.value })), parts: t.parts.map(traceView) };
}

/** The top-level conditions of a rule (an AND chain), for a plain list of reasons. */
function flatten(t: Trace): readonly Trace[] {
  return t.parts.length > 0 && !t.text.startsWith('!') ? t.parts : [t];
}

/** Rule text in plain words for residents. */
const PLAIN: Array<[RegExp, string]> = [
  [/^local$/, '本市户籍'], [/^!able_supporter$/, '没有能够赡养、抚养或扶养您的配偶、父母或子女'], [/^no_work_capacity$/, '无劳动能力（年满60岁、未满16岁、重度残疾或经认定无劳动能力）'],
  [/^severe_disability$/, '重度残疾（一、二级，或三级智力、精神残疾）'], [/^disability_grade != null$/, '持有残疾人证'],
  [/^income < LIBAO$/, '本人月收入低于低保标准'], [/^household\.pc_income < LIBAO$/, '家庭人均月收入低于低保标准'],
  [/^household\.pc_assets <= DIBAO_ASSETS_PC$/, '家庭人均金融资产不超过低保规定的上限'], [/^household\.pc_assets <= LOW_INCOME_ASSETS_PC$/, '家庭人均金融资产不超过规定上限'],
  [/^age >= 60 && household\.size == 1$/, '年满60岁且独自居住'], [/^age >= 16$/, '年满16岁'], [/^household\.size == 1$/, '独自居住'], [/^age >= 60$/, '年满60岁'],
  [/^!\(eligible\("TEKUN"\) \|\| holds\("TEKUN"\)\)$/, '不属于特困人员供养对象（特困人员由特困供养统一保障）'],
  [/^age >= 60 \|\| age < TEKUN_MINOR_AGE \|\| disability_grade != null$/, '年满60岁、未成年或持有残疾人证'],
  [/^school_stage in \[.*\]$/, '正在上小学、初中、高中、中职或高校'],
  [/^LIBAO <= household\.pc_income$/, '家庭人均月收入不低于低保标准'], [/^household\.pc_income >= LIBAO$/, '家庭人均月收入不低于低保标准'],
  [/^household\.pc_income < 2 \* LIBAO$/, '家庭人均月收入低于低保标准的2倍'],
  [/^12 \* household\.pc_income < CITY_AVG_INCOME$/, '家庭人均年收入低于上年度本市居民人均可支配收入'],
  [/^\(12 \* household\.income - household\.medical\).*$/, '扣除医疗支出后家庭人均收入低于低保标准，或医疗支出达到家庭年收入的40%'],
  [/^\(?gender == "男" \? age < 60 : age < 50\)?$/, '未到退休年龄（男未满60岁，女未满50岁）'],
  [/^employment in \[.*\]$/, '目前失业或没有工作'], [/^labor_capacity in \[.*\]$/, '有劳动能力或部分劳动能力'],
  [/^eligible\("DIBAO"\) \|\| holds\("DIBAO"\) \|\| eligible\("LOW_INCOME"\) \|\| holds\("LOW_INCOME"\)$/, '家庭属于低保或低收入困难家庭'],
  [/^eligible\("DIBAO"\) \|\| holds\("DIBAO"\) \|\| eligible\("LOW_INCOME"\).*eligible\("TEKUN"\) \|\| holds\("TEKUN"\)$/, '家庭属于低保、低收入、支出型贫困家庭或特困人员'],
];
function plain(text: string): string {
  for (const [re, words] of PLAIN) if (re.test(text)) return words;
  return text;
}
