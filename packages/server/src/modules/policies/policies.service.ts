/**
 * "Policy finds people": the policy pack evaluated over the whole registry, the leads (待主动发现)
 * and reviews (待复核) it finds, each explained; the worklist on top of them; the figures per
 * policy and area; simulation of drafts; and the public self-screener. Each job is a part of its
 * own in this folder; PolicyService is the one object the routes, the local policies, the CLI and
 * the tests hold, and hands every call to its part:
 *
 *   policies.scans.ts         the policies in effect and their scans, cached per date and data version
 *   policies.worklist.ts      leads and reviews, their export, lead updates, advisers
 *   policies.figures.ts       reached / leads / reviews / take-up per policy and area
 *   policies.explanations.ts  the pack view and a resident's eligibility, condition by condition
 *   policies.simulation.ts    a draft's impact: who gains, who loses, where, at what cost
 *   policies.screener.ts      the public self-screener
 */
import type { CompiledPack } from '@tingjian/engine';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { PopulationService } from '../population/population.service.ts';
import type { ResidentRefs } from '../registry/resident-ref.ts';
import type { LocalPolicyRepository } from './local-policies.repository.ts';
import type { EffectivePack, StoredLocalPolicy } from './local-policies.pack.ts';
import { PolicyExplanations } from './policies.explanations.ts';
import { PolicyFigures } from './policies.figures.ts';
import type { PolicyRepository } from './policies.repository.ts';
import { PolicyScans, type ScanEntry } from './policies.scans.ts';
import type {
  EligibilityView,
  LeadExportRow,
  LeadRow,
  LeadsPage,
  LeadsQuery,
  LeadsSummary,
  LeadUpdate,
  PackView,
  ScreenerRequest,
  ScreenerResult,
  SimulateRequest,
  SimulateResult,
} from './policies.schema.ts';
import { PolicyScreener } from './policies.screener.ts';
import { PolicySimulation } from './policies.simulation.ts';
import { LeadWorklist } from './policies.worklist.ts';

export class PolicyService {
  readonly scans: PolicyScans;
  readonly worklist: LeadWorklist;
  readonly figures: PolicyFigures;
  readonly explanations: PolicyExplanations;
  readonly simulation: PolicySimulation;
  readonly screener: PolicyScreener;

  constructor(
    readonly pack: CompiledPack,
    repo: PolicyRepository,
    org: OrgService,
    audit: AuditRepository,
    population: PopulationService,
    dataVersion: () => number,
    refs: ResidentRefs,
    locals?: LocalPolicyRepository,
  ) {
    this.scans = new PolicyScans(pack, population, dataVersion, locals);
    this.worklist = new LeadWorklist(this.scans, repo, org, audit, refs);
    this.figures = new PolicyFigures(this.scans, this.worklist, org);
    this.explanations = new PolicyExplanations(this.scans, repo, org, audit, refs);
    this.simulation = new PolicySimulation(this.scans, org, audit);
    this.screener = new PolicyScreener(pack);
  }

  // The scans (policies.scans.ts).
  effectivePack(): Promise<EffectivePack> {
    return this.scans.effectivePack();
  }
  compileEffective(
    locals: ReadonlyArray<{ stored: StoredLocalPolicy; version: number }>,
    throwOn?: string,
  ): EffectivePack {
    return this.scans.compileEffective(locals, throwOn);
  }
  trialScan(next: EffectivePack, asOf: string): Promise<void> {
    return this.scans.trialScan(next, asOf);
  }
  invalidateLocalPolicies(): void {
    this.scans.invalidateLocalPolicies();
  }
  warm(asOf: string): void {
    this.scans.warm(asOf);
  }
  scanFor(asOf: string): Promise<ScanEntry> {
    return this.scans.scanFor(asOf);
  }
  allFindings(asOf: string, policy?: string): ReturnType<PolicyScans['allFindings']> {
    return this.scans.allFindings(asOf, policy);
  }

  // The worklist (policies.worklist.ts).
  leads(scope: Scope, q: LeadsQuery, asOf: string): Promise<LeadsPage> {
    return this.worklist.leads(scope, q, asOf);
  }
  exportLeads(scope: Scope, q: LeadsQuery, asOf: string, max: number): Promise<LeadExportRow[]> {
    return this.worklist.exportLeads(scope, q, asOf, max);
  }
  updateLead(scope: Scope, u: LeadUpdate, asOf: string): Promise<LeadRow> {
    return this.worklist.updateLead(scope, u, asOf);
  }
  advisers(scope: Scope, orgCode: string | undefined): ReturnType<LeadWorklist['advisers']> {
    return this.worklist.advisers(scope, orgCode);
  }

  // The figures (policies.figures.ts).
  summary(scope: Scope, orgCode: string | undefined, asOf: string): Promise<LeadsSummary> {
    return this.figures.summary(scope, orgCode, asOf);
  }

  // Explanations (policies.explanations.ts).
  packView(asOf: string): PackView {
    return this.explanations.packView(asOf);
  }
  eligibility(scope: Scope, idNumberOrRef: string, asOf: string): Promise<EligibilityView> {
    return this.explanations.eligibility(scope, idNumberOrRef, asOf);
  }

  // Simulation (policies.simulation.ts).
  simulate(scope: Scope, draft: SimulateRequest, asOf: string): Promise<SimulateResult> {
    return this.simulation.simulate(scope, draft, asOf);
  }
  impactOf(scope: Scope, next: EffectivePack, asOf: string): Promise<SimulateResult> {
    return this.simulation.impactOf(scope, next, asOf);
  }

  // The self-screener (policies.screener.ts).
  screen(req: ScreenerRequest, asOf: string): ScreenerResult {
    return this.screener.screen(req, asOf);
  }
}
