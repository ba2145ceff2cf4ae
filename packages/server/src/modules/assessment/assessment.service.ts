/**
 * The needs assessment (assessment-framework.md): the framework evaluated over every household
 * on a date, cached per (date, data version), with figures per committee, street and district.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import {
  assessPopulation,
  checkCondition,
  checkVisitAnswer,
  compileFramework,
  completedYears,
  dateKey,
  deriveQuestionnaire,
  FrameworkError,
  maskIdNumber,
  PackError,
  parseFraction,
  parseRule,
  policyCatalog,
  populationWithAnswers,
  RuleError,
  VISIT_FACTS,
  type Assessment,
  type CompiledFramework,
  type CompiledPack,
  type FrameworkDef,
  type HouseholdAssessment,
  type Population,
} from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import { nowIso } from '../../clock.ts';
import { DateCache, requireIsoDate } from '../../date-cache.ts';
import { outsidePack, withinPack } from '../../pack-errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { requireAccess, type Action } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { PopulationService } from '../population/population.service.ts';
import type { ResidentRefs } from '../registry/resident-ref.ts';
import type { AssessmentRepository, FrameworkRow } from './assessment.repository.ts';
import {
  BAND_LABELS,
  frameworkDefinition,
  type AreaAssessment,
  type FrameworkCheck,
  type FrameworkDefinition,
  type FrameworkPreview,
  type FrameworkVersionDetail,
  type FrameworkVersionRow,
  type FrameworkVersions,
  type FrameworkView,
  type HouseholdAssessmentView,
  type HouseholdsPage,
  type Questionnaire,
  type VisitAnswersRequest,
} from './assessment.schema.ts';

export const DEFAULT_FRAMEWORK_FILE = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../../policies/reference/assessment.yaml',
);

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
  /** The assessment per as-of date, for the current data and the framework in use (dropped when it changes). */
  private readonly cache: DateCache<AssessmentEntry>;

  /** The framework in use: the latest published version, or the shipped file when none is. */
  private current: CompiledFramework;
  /**
   * Published versions passed over, with the reason: they could not be read, no longer checked,
   * or threw when assessing (found at start-up or when an assessment failed; tried again after a restart).
   */
  private readonly failed = new Map<number, string>();

  constructor(
    /** The shipped framework (version 1): the base when the database has no published version. */
    private readonly base: CompiledFramework,
    private readonly pack: CompiledPack,
    private readonly population: PopulationService,
    dataVersion: () => number,
    private readonly org: OrgService,
    private readonly audit: AuditRepository,
    private readonly repo: AssessmentRepository,
    private readonly refs: ResidentRefs,
  ) {
    this.current = base;
    this.cache = new DateCache({
      name: '需求评估',
      size: 3,
      version: dataVersion,
      compute: (asOf) => this.compute(asOf),
    });
  }

  get framework(): CompiledFramework {
    return this.current;
  }

  /**
   * Switches to the latest published version in the database that checks, else the shipped file
   * (at start-up, and after the version in use failed to assess). A version that fails is logged
   * and passed over: one bad row must not stop the start or every assessment.
   */
  async loadPublished(): Promise<void> {
    for (const row of await this.repo.frameworkVersions(this.base.def.code)) {
      if (row.status !== 'published' || this.failed.has(row.version)) continue;
      const compiled = this.compileRow(row);
      if (typeof compiled !== 'string') {
        if (this.current !== compiled) this.use(compiled);
        return;
      }
      this.passOver(row.version, compiled);
    }
    if (this.current !== this.base) this.use(this.base);
  }

  private passOver(version: number, reason: string): void {
    this.failed.set(version, reason);
    console.error(`评估框架第 ${version} 版未能启用，改用更早的版本：${reason}`);
  }

  /** A stored version compiled, or why it cannot be (its definition unreadable, a check failing). */
  private compileRow(row: FrameworkRow): CompiledFramework | string {
    let def: FrameworkDefinition;
    try {
      def = readDefinition(row);
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
    try {
      const result = this.check(def, row.version);
      return result.compiled ?? result.errors.map((e) => e.message).join('；');
    } catch (err) {
      return `无法编译：${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private use(framework: CompiledFramework): void {
    this.current = framework;
    this.cache.clear();
  }

  warm(asOf: string): void {
    this.cache.warm(asOf);
  }

  frameworkView(): FrameworkView {
    const f = this.framework;
    return {
      code: f.def.code,
      name: f.def.name,
      version: f.def.version,
      k: f.k,
      dimensions: f.def.dimensions.map((d) => ({
        code: d.code,
        name: d.name,
        weight: f.indicators.filter((x) => x.def.dimension === d.code).reduce((a, x) => a + x.weight, 0),
      })),
      indicators: f.indicators.map((x) => ({
        code: x.def.code,
        name: x.def.name,
        dimension: x.def.dimension,
        weight: x.weight,
        rule: x.def.rule.trim(),
        help: [...(x.def.help ?? [])],
      })),
    };
  }

  /** The figures of a unit and of each unit directly below it (AF: n, q, H, A, M0, contributions). */
  async areas(scope: Scope, orgCode: string | undefined, asOf: string): Promise<AreaAssessment> {
    requireAccess(scope, 'assessment.read');
    const code = this.org.unitInScope(scope, orgCode);
    const { assessment, population } = await this.assess(asOf);
    const figures = (c: string) => {
      const a = assessment.areas.find((x) => x.code === c);
      const unit = this.org.get(c);
      const zero = Object.fromEntries(this.framework.indicators.map((x) => [x.def.code, 0]));
      return {
        code: c,
        name: unit?.name ?? c,
        level: unit?.level ?? '',
        n: a?.n ?? 0,
        q: a?.q ?? 0,
        H: a?.H ?? 0,
        A: a?.A ?? 0,
        M0: a?.M0 ?? 0,
        censored: a?.censored ?? zero,
        contributions: a?.contributions ?? zero,
      };
    };
    const bands: Record<string, number> = { none: 0, vulnerable: 0, poor: 0, severe: 0 };
    for (const h of assessment.households())
      if (population.committees[population.householdCommittee[h.household]!]!.startsWith(code)) bands[h.band]!++;
    return {
      asOf,
      framework: { code: this.framework.def.code, version: this.framework.def.version },
      unit: figures(code),
      children: this.org.childrenOf(code).map((u) => figures(u.code)),
      bands,
    };
  }

  /** Households of an area by score, highest first (drill-down; audited). */
  async households(
    scope: Scope,
    q: { org?: string; band?: string; indicator?: string; limit: number; offset: number },
    asOf: string,
  ): Promise<HouseholdsPage> {
    requireAccess(scope, 'assessment.read');
    const code = this.org.unitInScope(scope, q.org);
    const { assessment, population } = await this.assess(asOf);
    const rows = assessment
      .households()
      .filter((h) => population.committees[population.householdCommittee[h.household]!]!.startsWith(code))
      .filter((h) => (!q.band || h.band === q.band) && (!q.indicator || h.deprived.includes(q.indicator)))
      .sort(
        (a, b) =>
          b.score - a.score || (population.householdIds[a.household]! < population.householdIds[b.household]! ? -1 : 1),
      );
    await this.audit.record(scope, 'assessment.households', `org:${code}`, {
      asOf,
      band: q.band ?? null,
      indicator: q.indicator ?? null,
      total: rows.length,
    });
    return {
      asOf,
      total: rows.length,
      items: rows.slice(q.offset, q.offset + q.limit).map((h) => this.row(population, h)),
    };
  }

  private row(
    population: {
      householdIds: readonly string[];
      committees: readonly string[];
      householdCommittee: Uint16Array;
      memberStart: Int32Array;
    },
    h: { household: number; score: number; band: string; deprived: readonly string[]; unknown: readonly string[] },
  ) {
    const committee = population.committees[population.householdCommittee[h.household]!]!;
    const band = h.band as keyof typeof BAND_LABELS;
    return {
      householdId: population.householdIds[h.household]!,
      committeeCode: committee,
      committeeName: this.org.get(committee)?.name ?? committee,
      members: population.memberStart[h.household + 1]! - population.memberStart[h.household]!,
      score: h.score,
      band,
      bandLabel: BAND_LABELS[band],
      deprived: [...h.deprived],
      unknown: [...h.unknown],
    };
  }

  /** A household of the caller's area, to `action`, with its registry-only result on the date; 404 outside the area. */
  private async locate(scope: Scope, action: Action, householdId: string, asOf: string) {
    const entry = await this.assess(asOf);
    const { assessment, population } = entry;
    const index = population.householdIndex.get(householdId);
    const u = index === undefined ? -1 : assessment.units.indexOf(index);
    const h = u < 0 ? undefined : assessment.household(u);
    if (!h) throw new AppError('TJ_HOUSEHOLD_NOT_FOUND');
    requireAccess(scope, action, {
      orgCode: population.committees[population.householdCommittee[h.household]!],
      missing: 'TJ_HOUSEHOLD_NOT_FOUND',
    });
    return { entry, index: h.household, registry: h };
  }

  /**
   * The household alone with its visit answers (those of visits on or before the date) filled in
   * where the registry lacks the fact, and its assessment so; `undefined` without answers.
   */
  private async withVisit(entry: AssessmentEntry, householdId: string, index: number, asOf: string, alone = false) {
    const all = await this.repo.visitAnswers(householdId);
    const rows = all.filter((r) => r.visit_date <= asOf);
    const answers = rows.map((r) => ({
      fact: r.fact,
      member: r.member_id_number,
      value: VISIT_FACTS.get(r.fact)?.input === 'number' ? Number(r.value) : r.value,
    }));
    // No answers: the registry's result stands, and no sub-population is built for it.
    if (rows.length === 0 && !alone)
      return {
        population: entry.population,
        result: undefined,
        all,
        used: new Set<string>(),
        lastVisit: null,
        applied: 0,
      };
    const { population, applied } = populationWithAnswers(entry.population, index, answers);
    const result: HouseholdAssessment = withinPack(() =>
      assessPopulation(this.framework, this.pack, population, asOf).household(0),
    );
    const used = new Set(applied.map((a) => `${a.fact}|${a.member ?? ''}`));
    const usedRows = rows.filter((r) => used.has(`${r.fact}|${r.member_id_number ?? ''}`));
    return {
      population,
      result,
      all,
      used,
      lastVisit: usedRows.reduce<string | null>((a, r) => (a === null || r.visit_date > a ? r.visit_date : a), null),
      applied: applied.length,
    };
  }

  async household(scope: Scope, householdId: string, asOf: string): Promise<HouseholdAssessmentView> {
    requireAccess(scope, 'assessment.read');
    const { entry, index, registry } = await this.locate(scope, 'assessment.read', householdId, asOf);
    const { population } = entry;
    const visit = await this.withVisit(entry, householdId, index, asOf);
    // With answers the household's own result (same framework and date), shown under its registry index.
    const h = visit.result && visit.applied > 0 ? { ...visit.result, household: index } : registry;
    await this.audit.record(scope, 'household.assessment', `household:${householdId}`, { asOf });
    const history = (await this.repo.history(householdId)).map((r) => ({
      asOf: r.as_of,
      frameworkVersion: r.framework_version,
      score: r.score,
      band: r.band,
      deprived: JSON.parse(r.deprived) as string[],
      recordedBy: r.recorded_by,
      recordedAt: r.recorded_at,
    }));
    return {
      ...this.row(population, h),
      asOf,
      framework: { code: this.framework.def.code, version: this.framework.def.version },
      indicators: this.framework.indicators.map((x) => ({
        code: x.def.code,
        name: x.def.name,
        dimension: x.def.dimension,
        weight: x.weight,
        status: h.deprived.includes(x.def.code)
          ? ('deprived' as const)
          : h.unknown.includes(x.def.code)
            ? ('unknown' as const)
            : ('not_deprived' as const),
        help: [...(x.def.help ?? [])],
        fromVisit: registry.unknown.includes(x.def.code) && !h.unknown.includes(x.def.code),
      })),
      visit: { answers: visit.applied, lastVisit: visit.applied > 0 ? visit.lastVisit : null },
      history,
    };
  }

  /** Keeps a household's assessment with its framework version and date (a later version never rewrites it). */
  async record(scope: Scope, householdId: string, asOf: string): Promise<HouseholdAssessmentView> {
    requireAccess(scope, 'assessment.record');
    const view = await this.household(scope, householdId, asOf);
    await this.repo.transaction(async (trx) => {
      await this.repo.insertWith(trx, {
        household_id: householdId,
        as_of: asOf,
        framework_code: view.framework.code,
        framework_version: view.framework.version,
        score: view.score,
        band: view.band,
        deprived: JSON.stringify(view.deprived),
        unknown: JSON.stringify(view.unknown),
        recorded_by: scope.username,
        recorded_at: nowIso(),
      });
      await this.audit.record(
        scope,
        'assessment.record',
        `household:${householdId}`,
        { asOf, framework: view.framework, score: view.score, band: view.band },
        trx,
      );
    });
    return this.household(scope, householdId, asOf);
  }

  // Framework versions: drafts checked like the shipped file, previewed on the registry, published by district admins.

  /** A framework in its editable form (weights and k as written: fractions stay fractions). */
  private definitionOf(f: CompiledFramework): FrameworkDefinition {
    return {
      name: f.def.name,
      k: f.def.k,
      dimensions: f.def.dimensions.map((d) => ({ code: d.code, name: d.name, weight: d.weight })),
      indicators: f.def.indicators.map((x) => ({
        code: x.code,
        name: x.name,
        dimension: x.dimension,
        weight: x.weight,
        rule: x.rule.trim(),
        help: [...(x.help ?? [])],
      })),
    };
  }

  /**
   * Checks a framework as edited: k in (0, 1], every condition (with the position of an error),
   * weights summing to 1 within 1e-9, each dimension's weight (when given) equal to the sum of
   * its indicators'; then the engine's own compileFramework, which has the last word.
   */
  private check(def: FrameworkDefinition, version: number): FrameworkCheck & { compiled?: CompiledFramework } {
    const errors: FrameworkCheck['errors'] = [];
    const issue = (
      where: string,
      message: string,
      indicator: string | null = null,
      start: number | null = null,
      end: number | null = null,
    ) => {
      errors.push({ where, indicator, message, start, end });
    };
    const value = (v: string | number, where: string, label: string, indicator: string | null = null) => {
      try {
        return parseFraction(v, where);
      } catch {
        issue(where, `${label}“${String(v)}”不是数或分数（如 1/18、0.25）`, indicator);
        return NaN;
      }
    };
    const k = value(def.k, 'k', '临界值 k ');
    if (Number.isFinite(k) && !(k > 0 && k <= 1)) issue('k', `临界值 k = ${round(k)} 应在 (0, 1] 之间`);
    const catalog = policyCatalog(this.pack.parameters.keys(), []);
    const dims = new Map<string, number>();
    for (const d of def.dimensions)
      if (dims.has(d.code)) issue(`dimensions ${d.code}`, `维度代码 ${d.code} 重复`);
      else dims.set(d.code, 0);
    const seen = new Set<string>();
    let sum = 0;
    let summable = true;
    def.indicators.forEach((x, i) => {
      const where = `indicators[${i}] ${x.code}`;
      if (seen.has(x.code)) issue(where, `指标代码 ${x.code} 重复`, x.code);
      seen.add(x.code);
      if (!dims.has(x.dimension)) issue(where, `指标 ${x.code}（${x.name}）的维度 ${x.dimension} 未定义`, x.code);
      const w = value(x.weight, `${where} weight`, `指标 ${x.code}（${x.name}）的权重`, x.code);
      if (Number.isFinite(w) && w < 0) issue(`${where} weight`, `指标 ${x.code}（${x.name}）的权重不能为负`, x.code);
      if (Number.isFinite(w)) {
        sum += w;
        dims.set(x.dimension, (dims.get(x.dimension) ?? 0) + w);
      } else summable = false;
      try {
        checkCondition(parseRule(x.rule), catalog);
      } catch (err) {
        if (!(err instanceof RuleError)) throw err;
        issue(`${where} rule`, `指标 ${x.code}（${x.name}）的判定条件${err.message}`, x.code, err.start, err.end);
      }
    });
    if (summable && Math.abs(sum - 1) > 1e-9)
      issue('weights', `各指标权重之和为 ${round(sum)}，应为 1（误差不超过 1e-9）`);
    for (const d of def.dimensions) {
      if (d.weight === undefined || !summable) continue;
      const w = value(d.weight, `dimensions ${d.code}`, `维度 ${d.name} 的权重`);
      if (Number.isFinite(w) && Math.abs(w - (dims.get(d.code) ?? 0)) > 1e-9)
        issue(
          `dimensions ${d.code}`,
          `维度 ${d.name} 的权重 ${round(w)} 与其指标权重之和 ${round(dims.get(d.code) ?? 0)} 不一致`,
        );
    }
    const weightSum = summable ? sum : null;
    if (errors.length > 0) return { ok: false, weightSum, errors };
    const fdef: FrameworkDef = {
      code: this.base.def.code,
      name: def.name,
      version,
      k: def.k,
      // A dimension's weight is that of its indicators when not written out.
      dimensions: def.dimensions.map((d) => ({
        code: d.code,
        name: d.name,
        weight: d.weight ?? dims.get(d.code) ?? 0,
      })),
      indicators: def.indicators.map((x) => ({
        code: x.code,
        name: x.name,
        dimension: x.dimension,
        weight: x.weight,
        rule: x.rule,
        help: x.help,
      })),
    };
    try {
      return { ok: true, weightSum, errors: [], compiled: compileFramework(fdef, this.pack) };
    } catch (err) {
      if (!(err instanceof FrameworkError)) throw err;
      issue(err.where, err.message);
      return { ok: false, weightSum, errors };
    }
  }

  private mustCheck(def: FrameworkDefinition, version: number): CompiledFramework {
    const result = this.check(def, version);
    if (!result.compiled)
      throw new AppError('TJ_FRAMEWORK_INVALID', `评估框架有误：${result.errors.map((e) => e.message).join('；')}`, {
        errors: result.errors,
      });
    return result.compiled;
  }

  /** Checks a framework without storing it (the editor's live check). */
  checkDefinition(scope: Scope, def: FrameworkDefinition): FrameworkCheck {
    requireAccess(scope, 'framework.edit');
    const { ok, weightSum, errors } = this.check(def, 0);
    return { ok, weightSum, errors };
  }

  private rowView(row: FrameworkRow): FrameworkVersionRow {
    let name: string;
    try {
      name = readDefinition(row).name;
    } catch {
      name = `第 ${row.version} 版（定义无法读取）`;
    }
    return {
      code: row.code,
      version: row.version,
      status: row.status === 'published' ? 'published' : 'draft',
      name,
      source: 'database',
      inUse: this.current.def.code === row.code && this.current.def.version === row.version,
      createdBy: row.created_by,
      createdAt: row.created_at,
      publishedBy: row.published_by,
      publishedAt: row.published_at,
      broken: this.failed.get(row.version) ?? null,
    };
  }

  private baseView(): FrameworkVersionRow {
    return {
      code: this.base.def.code,
      version: this.base.def.version,
      status: 'published',
      name: this.base.def.name,
      source: 'file',
      inUse: this.current === this.base,
      createdBy: 'system',
      createdAt: null,
      publishedBy: 'system',
      publishedAt: null,
      broken: null,
    };
  }

  async versions(scope: Scope): Promise<FrameworkVersions> {
    requireAccess(scope, 'assessment.read');
    const rows = await this.repo.frameworkVersions(this.base.def.code);
    const items = rows.map((r) => this.rowView(r));
    if (!rows.some((r) => r.version === this.base.def.version)) items.push(this.baseView());
    items.sort((a, b) => b.version - a.version);
    return { inUse: { code: this.current.def.code, version: this.current.def.version }, items };
  }

  /** A version with its definition (the shipped file for the base version). */
  private async stored(version: number): Promise<{ row: FrameworkVersionRow; definition: FrameworkDefinition }> {
    const row = await this.repo.frameworkVersion(this.base.def.code, version);
    if (row) {
      let definition: FrameworkDefinition;
      try {
        definition = readDefinition(row);
      } catch (err) {
        throw new AppError(
          'TJ_FRAMEWORK_INVALID',
          `第 ${version} 版评估框架${err instanceof Error ? err.message : String(err)}`,
        );
      }
      return { row: this.rowView(row), definition };
    }
    if (version === this.base.def.version) return { row: this.baseView(), definition: this.definitionOf(this.base) };
    throw new AppError('TJ_FRAMEWORK_NOT_FOUND', `没有第 ${version} 版评估框架`);
  }

  async version(scope: Scope, version: number): Promise<FrameworkVersionDetail> {
    requireAccess(scope, 'assessment.read');
    const { row, definition } = await this.stored(version);
    const { ok, weightSum, errors } = this.check(definition, version);
    return { ...row, definition, check: { ok, weightSum, errors } };
  }

  /** A new draft (the next version number), from the given definition or a copy of the one in use. One draft at a time. */
  async createDraft(scope: Scope, def: FrameworkDefinition | undefined): Promise<FrameworkVersionDetail> {
    requireAccess(scope, 'framework.edit');
    const code = this.base.def.code;
    const rows = await this.repo.frameworkVersions(code);
    const open = rows.find((r) => r.status === 'draft');
    if (open) throw new AppError('TJ_FRAMEWORK_CONFLICT', `已有草稿第 ${open.version} 版：请编辑它，或发布后再新建`);
    const version = Math.max(this.base.def.version, ...rows.map((r) => r.version)) + 1;
    const definition = def ?? this.definitionOf(this.current);
    this.mustCheck(definition, version);
    const at = nowIso();
    await this.repo.transaction(async (trx) => {
      await this.repo.insertFramework(trx, {
        code,
        version,
        status: 'draft',
        definition: JSON.stringify(definition),
        created_by: scope.username,
        created_at: at,
        updated_at: at,
        published_by: null,
        published_at: null,
      });
      await this.audit.record(
        scope,
        'assessment.framework.draft',
        `framework:${code}@${version}`,
        { version, from: def ? 'request' : this.current.def.version },
        trx,
      );
    });
    return this.version(scope, version);
  }

  async updateDraft(scope: Scope, version: number, def: FrameworkDefinition): Promise<FrameworkVersionDetail> {
    requireAccess(scope, 'framework.edit');
    const code = this.base.def.code;
    const row = await this.repo.frameworkVersion(code, version);
    if (!row) {
      if (version === this.base.def.version)
        throw new AppError('TJ_FRAMEWORK_CONFLICT', `第 ${version} 版已发布，不能再修改；请新建草稿`);
      throw new AppError('TJ_FRAMEWORK_NOT_FOUND', `没有第 ${version} 版评估框架`);
    }
    if (row.status !== 'draft')
      throw new AppError('TJ_FRAMEWORK_CONFLICT', `第 ${version} 版已发布，不能再修改；请新建草稿`);
    this.mustCheck(def, version);
    await this.repo.transaction(async (trx) => {
      await this.repo.updateDraft(trx, code, version, JSON.stringify(def), nowIso());
      await this.audit.record(
        scope,
        'assessment.framework.update',
        `framework:${code}@${version}`,
        { version, weights: Object.fromEntries(def.indicators.map((x) => [x.code, x.weight])), k: def.k },
        trx,
      );
    });
    return this.version(scope, version);
  }

  /**
   * What a version would change on the current registry on a date, against the framework in use:
   * households by band before and after, the band changes (by transition and by street), and
   * each street's n, q, H, A, M0 before and after. Nothing is stored.
   */
  async preview(scope: Scope, version: number, asOf: string): Promise<FrameworkPreview> {
    requireAccess(scope, 'framework.edit');
    const { definition } = await this.stored(version);
    const framework = this.mustCheck(definition, version);
    const entry = await this.assess(asOf);
    const { population } = entry;
    const before = entry.assessment;
    const after: Assessment = withinPack(() => assessPopulation(framework, this.pack, population, asOf));
    const root =
      scope.orgCode.length >= 6 ? scope.orgCode : (before.areas.find((a) => a.level === 'district')?.code ?? '');
    const committeeOf = (u: number) => population.committees[population.householdCommittee[before.units[u]!]!]!;
    const bands = {
      before: { none: 0, vulnerable: 0, poor: 0, severe: 0 } as Record<string, number>,
      after: { none: 0, vulnerable: 0, poor: 0, severe: 0 } as Record<string, number>,
    };
    const transitions = new Map<string, number>();
    const changedBy = new Map<string, number>();
    const examples: FrameworkPreview['examples'] = [];
    let changed = 0;
    for (let u = 0; u < before.units.length; u++) {
      const committee = committeeOf(u);
      if (!committee.startsWith(root)) continue;
      const from = before.result.bandName(u);
      const to = after.result.bandName(u);
      bands.before[from]!++;
      bands.after[to]!++;
      if (from === to) continue;
      changed++;
      transitions.set(`${from}>${to}`, (transitions.get(`${from}>${to}`) ?? 0) + 1);
      changedBy.set(committee.slice(0, 9), (changedBy.get(committee.slice(0, 9)) ?? 0) + 1);
      examples.push({
        householdId: population.householdIds[before.units[u]!]!,
        committeeCode: committee,
        from,
        to,
        scoreBefore: before.result.score[u]!,
        scoreAfter: after.result.score[u]!,
      });
    }
    const figures = (a: Assessment, code: string) => {
      const x = a.areas.find((y) => y.code === code);
      return { n: x?.n ?? 0, q: x?.q ?? 0, H: x?.H ?? 0, A: x?.A ?? 0, M0: x?.M0 ?? 0 };
    };
    const order = ['none', 'vulnerable', 'poor', 'severe'];
    await this.audit.record(scope, 'assessment.framework.preview', `framework:${this.base.def.code}@${version}`, {
      asOf,
      changed,
    });
    return {
      asOf,
      before: { code: this.current.def.code, version: this.current.def.version },
      after: { code: framework.def.code, version },
      bands,
      area: {
        code: root,
        name: this.org.get(root)?.name ?? root,
        before: figures(before, root),
        after: figures(after, root),
      },
      changed,
      transitions: [...transitions]
        .map(([key, count]) => {
          const [from, to] = key.split('>') as [(typeof examples)[number]['from'], (typeof examples)[number]['to']];
          return { from, to, count };
        })
        .sort(
          (a, b) =>
            b.count - a.count ||
            order.indexOf(a.from) - order.indexOf(b.from) ||
            order.indexOf(a.to) - order.indexOf(b.to),
        ),
      byStreet: this.org.childrenOf(root).map((s) => ({
        code: s.code,
        name: s.name,
        changed: changedBy.get(s.code) ?? 0,
        before: figures(before, s.code),
        after: figures(after, s.code),
      })),
      examples: examples
        .sort(
          (a, b) =>
            Math.abs(b.scoreAfter - b.scoreBefore) - Math.abs(a.scoreAfter - a.scoreBefore) ||
            (a.householdId < b.householdId ? -1 : 1),
        )
        .slice(0, 50),
    };
  }

  /** Publishes a draft: it becomes the framework in use, and every cached assessment is dropped. Stored results keep their version. */
  async publish(scope: Scope, version: number): Promise<FrameworkVersionDetail> {
    requireAccess(scope, 'framework.publish');
    const code = this.base.def.code;
    const row = await this.repo.frameworkVersion(code, version);
    if (!row) {
      if (version === this.base.def.version) throw new AppError('TJ_FRAMEWORK_CONFLICT', `第 ${version} 版已发布`);
      throw new AppError('TJ_FRAMEWORK_NOT_FOUND', `没有第 ${version} 版评估框架`);
    }
    if (row.status !== 'draft') throw new AppError('TJ_FRAMEWORK_CONFLICT', `第 ${version} 版已发布`);
    const { definition } = await this.stored(version);
    const framework = this.mustCheck(definition, version);
    // Assessed over the registry first, as its preview does: a version that throws there would
    // otherwise throw in every assessment of the district once in use.
    await this.trialAssess(framework, nowIso().slice(0, 10));
    const previous = this.current.def.version;
    await this.repo.transaction(async (trx) => {
      await this.repo.markPublished(trx, code, version, scope.username, nowIso());
      await this.audit.record(
        scope,
        'assessment.framework.publish',
        `framework:${code}@${version}`,
        { version, previous },
        trx,
      );
    });
    this.use(framework);
    return this.version(scope, version);
  }

  // The home-visit questionnaire

  /**
   * The questions of a home visit to a household: for each indicator still not evaluated (with
   * earlier answers applied), the facts it reads that the registry lacks, for the household or
   * for each member; and the answers given so far. Members are named by ref (in question keys
   * too, `fact|ref`), never by full id number.
   */
  async questionnaire(scope: Scope, householdId: string, asOf: string): Promise<Questionnaire> {
    requireAccess(scope, 'assessment.read');
    const { entry, index } = await this.locate(scope, 'assessment.read', householdId, asOf);
    const visit = await this.withVisit(entry, householdId, index, asOf, true);
    const q = deriveQuestionnaire(this.framework, visit.population, 0, visit.result!.unknown, asOf);
    const names = new Map((await this.repo.memberNames(householdId)).map((r) => [r.id_number, r]));
    const day = dateKey(asOf);
    const seen = new Set<string>();
    const applied = new Set<number>();
    for (const r of [...visit.all].reverse()) {
      const key = `${r.fact}|${r.member_id_number ?? ''}`;
      if (r.visit_date > asOf || seen.has(key)) continue;
      seen.add(key);
      if (visit.used.has(key)) applied.add(r.id);
    }
    await this.audit.record(scope, 'household.questionnaire', `household:${householdId}`, {
      asOf,
      questions: q.questions.length,
    });
    // A question's key is `fact` or `fact|member id`: the member by ref in what goes out.
    const publicKey = (key: string) => {
      const bar = key.indexOf('|');
      return bar < 0 ? key : `${key.slice(0, bar)}|${this.refs.ref(key.slice(bar + 1))}`;
    };
    return {
      householdId,
      asOf,
      framework: { code: this.framework.def.code, version: this.framework.def.version },
      indicators: q.indicators.map((x) => ({
        code: x.code,
        name: x.name,
        facts: [...x.facts],
        questions: x.questions.map(publicKey),
      })),
      questions: q.questions.map((x) => {
        const i = x.member === null ? undefined : visit.population.indexOf.get(x.member);
        const who = x.member === null ? undefined : names.get(x.member);
        return {
          key: publicKey(x.key),
          fact: x.fact,
          level: x.level,
          member:
            x.member === null
              ? null
              : {
                  ref: this.refs.ref(x.member),
                  name: who?.name ?? maskIdNumber(x.member),
                  relation: who?.relation_to_head ?? null,
                  age: i === undefined ? 0 : completedYears(visit.population.birth[i]!, day),
                },
          label: x.label,
          question: x.question,
          input: x.input,
          choices: x.choices ? [...x.choices] : null,
          unit: x.unit ?? null,
          min: x.min ?? null,
          max: x.max ?? null,
          indicators: [...x.indicators],
        };
      }),
      answers: visit.all.map((r) => ({
        fact: r.fact,
        label: VISIT_FACTS.get(r.fact)?.label ?? r.fact,
        member: r.member_id_number === null ? null : this.refs.ref(r.member_id_number),
        memberName: r.member_id_number === null ? null : (names.get(r.member_id_number)?.name ?? null),
        value: r.value,
        visitDate: r.visit_date,
        answeredBy: r.answered_by,
        answeredAt: r.answered_at,
        applied: applied.has(r.id),
      })),
    };
  }

  /**
   * Stores a visit's answers (checked against the code lists; members of the household only, by
   * ref or id number; audited), then the assessment with them.
   */
  async answer(
    scope: Scope,
    householdId: string,
    body: VisitAnswersRequest,
    asOf: string,
  ): Promise<HouseholdAssessmentView> {
    requireAccess(scope, 'visit.answer');
    requireIsoDate(body.visitDate, '走访日期');
    const { entry, index } = await this.locate(scope, 'visit.answer', householdId, asOf);
    const p = entry.population;
    const members = new Set<string>();
    for (let k = p.memberStart[index]!; k < p.memberStart[index + 1]!; k++) members.add(p.ids[p.memberIndex[k]!]!);
    const at = nowIso();
    const rows = body.answers.map((a) => {
      let value: string | number;
      try {
        value = checkVisitAnswer(a.fact, a.member, a.value);
      } catch (err) {
        if (err instanceof RangeError) throw new AppError('TJ_VISIT_ANSWER_INVALID', err.message);
        throw err;
      }
      const member = a.member === null ? null : this.refs.resolve(a.member);
      // A ref that does not open is as much "not a member" as the id number of someone else.
      if (a.member !== null && (member === null || !members.has(member)))
        throw new AppError('TJ_VISIT_ANSWER_INVALID', `${a.member} 不是该家庭的成员`);
      return {
        household_id: householdId,
        fact: a.fact,
        member_id_number: member,
        value: String(value),
        visit_date: body.visitDate,
        answered_by: scope.username,
        answered_at: at,
      };
    });
    await this.repo.transaction(async (trx) => {
      await this.repo.insertVisitAnswers(trx, rows);
      await this.audit.record(
        scope,
        'household.visit_answers',
        `household:${householdId}`,
        {
          visitDate: body.visitDate,
          facts: rows.map((r) => (r.member_id_number ? `${r.fact}|${r.member_id_number}` : r.fact)),
        },
        trx,
      );
    });
    return this.household(scope, householdId, asOf);
  }

  /** Throws TJ_FRAMEWORK_EVALUATION when assessing the registry with `framework` throws (a date outside the pack is no such error). */
  private async trialAssess(framework: CompiledFramework, asOf: string): Promise<void> {
    const { population } = await this.population.snapshot();
    try {
      assessPopulation(framework, this.pack, population, asOf);
    } catch (err) {
      if (err instanceof PackError) return;
      throw new AppError(
        'TJ_FRAMEWORK_EVALUATION',
        `评估框架第 ${framework.def.version} 版在当前登记数据上预览失败，未发布：${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** The assessment of every household on a date for the current data (cached). A date outside the pack is an error. */
  assess(asOf: string): Promise<AssessmentEntry> {
    return this.cache.get(asOf);
  }

  private async compute(asOf: string): Promise<AssessmentEntry> {
    const { population } = await this.population.snapshot();
    for (;;) {
      const framework = this.framework;
      try {
        return {
          assessment: assessPopulation(framework, this.pack, population, asOf),
          population,
          householdIds: population.householdIds,
        };
      } catch (err) {
        if (err instanceof PackError) throw outsidePack(err);
        // A stored version that throws on this registry: the previous good one (or the shipped file) instead, for everyone.
        if (framework === this.base) throw err;
        this.passOver(framework.def.version, `评估时出错：${err instanceof Error ? err.message : String(err)}`);
        await this.loadPublished();
      }
    }
  }
}

function round(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/** A stored version's definition, checked for shape (a row written by hand or by an older release may not be one). */
function readDefinition(row: FrameworkRow): FrameworkDefinition {
  let json: unknown;
  try {
    json = JSON.parse(row.definition);
  } catch (err) {
    throw new Error(`定义无法读取（不是有效的 JSON：${err instanceof Error ? err.message : String(err)}）`);
  }
  const parsed = frameworkDefinition.safeParse(json);
  if (!parsed.success)
    throw new Error(
      `定义无法读取（${parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '定义'}：${i.message}`)
        .join('；')}）`,
    );
  return parsed.data as FrameworkDefinition;
}
