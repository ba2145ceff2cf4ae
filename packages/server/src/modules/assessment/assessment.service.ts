/**
 * The needs assessment (assessment-framework.md): the framework evaluated over every household
 * on a date, cached per (date, data version), with figures per committee, street and district.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { assessPopulation, compileFramework, FrameworkError, isIsoDate, PackError, type Assessment, type CompiledFramework, type CompiledPack, type FrameworkDef, type Population } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import { nowIso } from '../../clock.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { PopulationService } from '../population/population.service.ts';
import type { AssessmentRepository } from './assessment.repository.ts';
import { BAND_LABELS, type AreaAssessment, type FrameworkView, type HouseholdAssessmentView, type HouseholdsPage } from './assessment.schema.ts';

export const DEFAULT_FRAMEWORK_FILE = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../policies/reference/assessment.yaml');

export function loadFrameworkFile(pack: CompiledPack, path = DEFAULT_FRAMEWORK_FILE): CompiledFramework {
  let def: FrameworkDef;
  try {
    def = parse(readFileSync(path, 'utf8')) as FrameworkDef;
  } catch (err) {
    throw new AppError('TJ_CONFIG', `评估框架 ${path} 无法读取：${err instanceof Error ? err.message : String(err)}`);
  }
  try {
    return compileFramework(def, pack);
  } catch (err) {
    if (err instanceof FrameworkError) throw new AppError('TJ_CONFIG', `评估框架 ${path} 有误：${err.message}`);
    throw err;
  }
}

export interface AssessmentEntry {
  readonly assessment: Assessment;
  /** The population it was computed from. */
  readonly population: Population;
  readonly householdIds: readonly string[];
}

export class AssessmentService {
  private readonly cache = new Map<string, { version: number; value: Promise<AssessmentEntry> }>();

  constructor(
    readonly framework: CompiledFramework,
    private readonly pack: CompiledPack,
    private readonly population: PopulationService,
    private readonly dataVersion: () => number,
    private readonly org: OrgService,
    private readonly audit: AuditRepository,
    private readonly repo: AssessmentRepository,
  ) {}

  warm(asOf: string): void {
    this.assess(asOf).catch(() => undefined);
  }

  frameworkView(): FrameworkView {
    const f = this.framework;
    return {
      code: f.def.code, name: f.def.name, version: f.def.version, k: f.k,
      dimensions: f.def.dimensions.map((d) => ({ code: d.code, name: d.name, weight: f.indicators.filter((x) => x.def.dimension === d.code).reduce((a, x) => a + x.weight, 0) })),
      indicators: f.indicators.map((x) => ({ code: x.def.code, name: x.def.name, dimension: x.def.dimension, weight: x.weight, rule: x.def.rule.trim(), help: [...(x.def.help ?? [])] })),
    };
  }

  /** The figures of a unit and of each unit directly below it (AF: n, q, H, A, M0, contributions). */
  async areas(scope: Scope, orgCode: string | undefined, asOf: string): Promise<AreaAssessment> {
    const code = this.org.unitInScope(scope, orgCode);
    const { assessment, population } = await this.assess(asOf);
    const figures = (c: string) => {
      const a = assessment.areas.find((x) => x.code === c);
      const unit = this.org.get(c);
      const zero = Object.fromEntries(this.framework.indicators.map((x) => [x.def.code, 0]));
      return {
        code: c, name: unit?.name ?? c, level: unit?.level ?? '', n: a?.n ?? 0, q: a?.q ?? 0, H: a?.H ?? 0, A: a?.A ?? 0, M0: a?.M0 ?? 0,
        censored: a?.censored ?? zero, contributions: a?.contributions ?? zero,
      };
    };
    const bands: Record<string, number> = { none: 0, vulnerable: 0, poor: 0, severe: 0 };
    for (const h of assessment.households()) if (population.committees[population.householdCommittee[h.household]!]!.startsWith(code)) bands[h.band]!++;
    return { asOf, framework: { code: this.framework.def.code, version: this.framework.def.version }, unit: figures(code), children: this.org.childrenOf(code).map((u) => figures(u.code)), bands };
  }

  /** Households of an area by score, highest first (drill-down; audited). */
  async households(scope: Scope, q: { org?: string; band?: string; indicator?: string; limit: number; offset: number }, asOf: string): Promise<HouseholdsPage> {
    const code = this.org.unitInScope(scope, q.org);
    const { assessment, population } = await this.assess(asOf);
    const rows = assessment.households()
      .filter((h) => population.committees[population.householdCommittee[h.household]!]!.startsWith(code))
      .filter((h) => (!q.band || h.band === q.band) && (!q.indicator || h.deprived.includes(q.indicator)))
      .sort((a, b) => b.score - a.score || (population.householdIds[a.household]! < population.householdIds[b.household]! ? -1 : 1));
    await this.audit.record(scope, 'assessment.households', `org:${code}`, { asOf, band: q.band ?? null, indicator: q.indicator ?? null, total: rows.length });
    return { asOf, total: rows.length, items: rows.slice(q.offset, q.offset + q.limit).map((h) => this.row(population, h)) };
  }

  private row(population: { householdIds: readonly string[]; committees: readonly string[]; householdCommittee: Uint16Array; memberStart: Int32Array }, h: { household: number; score: number; band: string; deprived: readonly string[]; unknown: readonly string[] }) {
    const committee = population.committees[population.householdCommittee[h.household]!]!;
    const band = h.band as keyof typeof BAND_LABELS;
    return {
      householdId: population.householdIds[h.household]!, committeeCode: committee, committeeName: this.org.get(committee)?.name ?? committee,
      members: population.memberStart[h.household + 1]! - population.memberStart[h.household]!, score: h.score, band, bandLabel: BAND_LABELS[band],
      deprived: [...h.deprived], unknown: [...h.unknown],
    };
  }

  async household(scope: Scope, householdId: string, asOf: string): Promise<HouseholdAssessmentView> {
    const { assessment, population } = await this.assess(asOf);
    const index = population.householdIndex.get(householdId);
    const u = index === undefined ? -1 : assessment.units.indexOf(index);
    const h = u < 0 ? undefined : assessment.household(u);
    if (!h || !population.committees[population.householdCommittee[h.household]!]!.startsWith(scope.orgCode)) throw new AppError('TJ_HOUSEHOLD_NOT_FOUND');
    await this.audit.record(scope, 'household.assessment', `household:${householdId}`, { asOf });
    const history = (await this.repo.history(householdId)).map((r) => ({ asOf: r.as_of, frameworkVersion: r.framework_version, score: r.score, band: r.band, deprived: JSON.parse(r.deprived) as string[], recordedBy: r.recorded_by, recordedAt: r.recorded_at }));
    return {
      ...this.row(population, h), asOf, framework: { code: this.framework.def.code, version: this.framework.def.version },
      indicators: this.framework.indicators.map((x) => ({
        code: x.def.code, name: x.def.name, dimension: x.def.dimension, weight: x.weight,
        status: h.deprived.includes(x.def.code) ? 'deprived' as const : h.unknown.includes(x.def.code) ? 'unknown' as const : 'not_deprived' as const,
        help: [...(x.def.help ?? [])],
      })),
      history,
    };
  }

  /** Keeps a household's assessment with its framework version and date (a later version never rewrites it). */
  async record(scope: Scope, householdId: string, asOf: string): Promise<HouseholdAssessmentView> {
    const view = await this.household(scope, householdId, asOf);
    await this.repo.transaction(async (trx) => {
      await this.repo.insertWith(trx, {
        household_id: householdId, as_of: asOf, framework_code: view.framework.code, framework_version: view.framework.version, score: view.score, band: view.band,
        deprived: JSON.stringify(view.deprived), unknown: JSON.stringify(view.unknown), recorded_by: scope.username, recorded_at: nowIso(),
      });
      await this.audit.record(scope, 'assessment.record', `household:${householdId}`, { asOf, framework: view.framework, score: view.score, band: view.band }, trx);
    });
    return this.household(scope, householdId, asOf);
  }

  assess(asOf: string): Promise<AssessmentEntry> {
    if (!isIsoDate(asOf)) throw new AppError('TJ_BAD_DATE', `日期 ${asOf} 不存在，应为 YYYY-MM-DD`);
    const version = this.dataVersion();
    const hit = this.cache.get(asOf);
    if (hit && hit.version === version) return hit.value;
    const value = (async () => {
      const { population } = await this.population.snapshot();
      try {
        return { assessment: assessPopulation(this.framework, this.pack, population, asOf), population, householdIds: population.householdIds };
      } catch (err) {
        if (err instanceof PackError) throw new AppError('TJ_OUTSIDE_PACK', `该日期不在政策包的适用期内：${err.message}`);
        throw err;
      }
    })();
    this.cache.set(asOf, { version, value });
    value.catch(() => { if (this.cache.get(asOf)?.value === value) this.cache.delete(asOf); });
    while (this.cache.size > 3) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }
}
