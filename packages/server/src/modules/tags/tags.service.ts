/**
 * The tag dictionary and crowd selection. Visibility and editing follow tag-dictionary.md: a tag
 * owned by a unit is seen there and below, changed only by that unit. Selections run on the
 * roaring tag index of the as-of date (built from the in-memory population, kept current on every
 * manual assignment and rebuilt when an import changes the data). Every write and every read of
 * residents' data is audited; every query is confined to the caller's area.
 */
import {
  ancestorCodes,
  completedYears,
  dateKey,
  maskIdNumber,
  parseRule,
  parseSelection,
  PERSON_FACTS,
  PERSON_FUNCTIONS,
  personCatalog,
  checkCondition,
  PopulationOnDate,
  positionsOfSorted,
  printSelection,
  referenceDictionary,
  RuleError,
  TagIndex,
  tagAppliesTo,
  tagCodeClashes,
  tagEditableBy,
  tagVisibleTo,
  type Bitmap,
  type Expr,
  type IndexedTag,
  type TagCategory,
  type TagSource,
} from '@tingjian/engine';
import { nowIso } from '../../clock.ts';
import { DateCache, requireIsoDate } from '../../date-cache.ts';
import { AppError } from '../../errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { allows, requireAccess } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { PopulationService } from '../population/population.service.ts';
import type { ResidentRefs } from '../registry/resident-ref.ts';
import { recordTagChange, type TagRepository, type TagRow } from './tags.repository.ts';
import type {
  AssignRequest,
  AssignResult,
  CountResult,
  DictionaryResponse,
  ResidentTags,
  RuleVocabulary,
  SavedSelection,
  SelectionRequest,
  SelectionResult,
  TagDetail,
  TagInput,
  TagPatch,
  TagView,
} from './tags.schema.ts';

const MAX_CACHED_DATES = 3;
export const BULK_ASSIGN_MAX = 10_000;

/** One resident of a selection, for the command line. */
export interface SegmentRow {
  readonly id_number: string;
  readonly rank: number;
}

export class TagService {
  private tags: TagRow[] = [];
  /** The tag index per as-of date, for the current data. */
  private readonly indexes: DateCache<TagIndex>;
  /** Rule tags whose stored rule cannot be used, by tag id, with the reason: they count nobody, the rest of the dictionary works. */
  private readonly broken = new Map<number, string>();

  constructor(
    private readonly repo: TagRepository,
    private readonly org: OrgService,
    private readonly audit: AuditRepository,
    private readonly population: PopulationService,
    dataVersion: () => number,
    private readonly refs: ResidentRefs,
  ) {
    this.indexes = new DateCache({
      name: '标签索引',
      size: MAX_CACHED_DATES,
      version: dataVersion,
      compute: (asOf) => this.build(asOf),
    });
  }

  /** Lays the reference dictionary on the deployment's county (only the tags it lacks), then loads the dictionary. */
  async ensureReferenceDictionary(countyCode: string): Promise<void> {
    await this.refresh();
    const streetCodes = this.org
      .childrenOf(countyCode)
      .filter((u) => u.level === 'street')
      .map((u) => u.code);
    const have = new Set(this.tags.map((t) => `${t.owner_code}|${t.code}`));
    const at = nowIso();
    const missing = referenceDictionary({ cityCode: countyCode.slice(0, 4), districtCode: countyCode, streetCodes })
      .filter((t) => !have.has(`${t.ownerCode}|${t.code}`))
      .map((t) => ({
        code: t.code,
        category: t.category,
        source: t.source,
        owner_code: t.ownerCode,
        description: t.description,
        owner_name: null,
        rule: t.rule,
        created_by: 'system',
        created_at: at,
        updated_by: 'system',
        updated_at: at,
      }));
    if (missing.length > 0) {
      await this.repo.insertMany(missing);
      await this.refresh();
    }
  }

  async refresh(): Promise<void> {
    this.tags = await this.repo.all();
  }

  /** Starts building the index of a date in the background (start-up, after imports, at midnight). */
  warm(asOf: string): void {
    this.indexes.warm(asOf);
  }

  /** The tag index of a date for the current data, built once per (date, data version). */
  indexFor(asOf: string): Promise<TagIndex> {
    return this.indexes.get(asOf);
  }

  private async build(asOf: string): Promise<TagIndex> {
    const { population } = await this.population.snapshot();
    const assignments = await this.repo.activeAssignments();
    const view = new PopulationOnDate(population, asOf);
    const members = new Map<number, number[]>();
    // Assignments come ordered by id number (the database may order text differently from
    // JavaScript, so sort again: cheap when already sorted), then one merge pass finds them all.
    const ordered = assignments
      .filter((a) => validOn(a, asOf))
      .sort((x, y) => (x.id_number < y.id_number ? -1 : x.id_number > y.id_number ? 1 : 0));
    const positions = positionsOfSorted(
      population.ids,
      ordered.map((a) => a.id_number),
    );
    for (let k = 0; k < ordered.length; k++) {
      const a = ordered[k]!;
      const i = positions[k]!;
      if (i < 0) continue;
      let list = members.get(a.tag_id);
      if (!list) members.set(a.tag_id, (list = []));
      list.push(i);
    }
    const tags = this.tags.map((t) => this.indexed(t, members.get(t.id) ?? []));
    try {
      return new TagIndex(view, tags);
    } catch (err) {
      // A rule that checks but throws when evaluated: build again one tag at a time, leaving out those that throw.
      console.error(
        `标签索引（${asOf}）构建失败，逐个检查规则标签：${err instanceof Error ? err.message : String(err)}`,
      );
      const index = new TagIndex(
        new PopulationOnDate(population, asOf),
        tags.filter((t) => !t.rule),
      );
      for (const t of tags) if (t.rule) this.put(index, t);
      return index;
    }
  }

  /** Puts a tag into an index; a rule that throws when evaluated leaves the tag empty, with the reason. */
  private put(index: TagIndex, t: IndexedTag): void {
    try {
      index.put(t);
    } catch (err) {
      this.markBroken(t.id, t.code, t.ownerCode, err);
      index.put({ ...t, rule: null, members: [] });
    }
  }

  private markBroken(id: number, code: string, owner: string, err: unknown): void {
    const reason = `规则无法使用，该标签暂不计人数：${err instanceof Error ? err.message : String(err)}`;
    if (this.broken.get(id) !== reason) console.error(`标签 ${code}（${owner}）的${reason}`);
    this.broken.set(id, reason);
  }

  /**
   * A tag as the index takes it. A stored rule that no longer parses or checks (written before the
   * rule caps, or by hand) makes the tag count nobody instead of failing the whole dictionary.
   */
  private indexed(t: TagRow, members: number[]): IndexedTag {
    const sorted = members.sort((a, b) => a - b);
    const base = { id: t.id, code: t.code, ownerCode: t.owner_code, source: t.source as TagSource };
    if (!t.rule || t.source === 'manual') return { ...base, rule: null, members: sorted };
    try {
      const rule = parseRule(t.rule);
      checkCondition(rule, personCatalog());
      this.broken.delete(t.id);
      return { ...base, rule, members: sorted };
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      this.markBroken(t.id, t.code, t.owner_code, err);
      return { ...base, rule: null, members: [] };
    }
  }

  private visible(scope: Scope): TagRow[] {
    return this.tags.filter((t) => tagVisibleTo(t.owner_code, scope.orgCode));
  }

  private visibleTag(scope: Scope, id: number): TagRow {
    const t = this.tags.find((x) => x.id === id);
    if (!t || !tagVisibleTo(t.owner_code, scope.orgCode)) throw new AppError('TJ_TAG_NOT_FOUND');
    return t;
  }

  private view(t: TagRow, scope: Scope, count: number): TagView {
    const owner = this.org.get(t.owner_code);
    return {
      id: t.id,
      code: t.code,
      category: t.category as TagCategory,
      source: t.source as TagSource,
      ownerCode: t.owner_code,
      ownerName: owner?.name ?? t.owner_code,
      ownerLevel: owner?.level ?? '',
      description: t.description,
      keeper: t.owner_name,
      rule: t.rule,
      broken: this.broken.get(t.id) ?? null,
      editable: allows(scope, 'tag.write') && tagEditableBy(t.owner_code, scope.orgCode),
      count,
      createdBy: t.created_by,
      createdAt: t.created_at,
      updatedBy: t.updated_by,
      updatedAt: t.updated_at,
    };
  }

  private areas(scope: Scope): Array<{ code: string; name: string; level: string }> {
    const children = this.org.childrenOf(scope.orgCode);
    const units = children.length > 0 ? children : [this.org.get(scope.orgCode)].filter((u) => u !== undefined);
    return units.map((u) => ({ code: u.code, name: u.name, level: u.level }));
  }

  private countByArea(index: TagIndex, bitmap: Bitmap, scope: Scope) {
    const areas = this.areas(scope);
    const counts = index.countBy(
      bitmap,
      areas.map((a) => a.code),
    );
    return areas.map((a, k) => ({ ...a, count: counts[k]! }));
  }

  async dictionary(scope: Scope, asOf: string): Promise<DictionaryResponse> {
    requireAccess(scope, 'tag.read');
    const index = await this.indexFor(asOf);
    const mine = index.unit(scope.orgCode);
    const levels = (
      scope.orgCode === '' ? [...new Set(this.tags.map((t) => t.owner_code))] : ancestorCodes(scope.orgCode)
    ).map((code) => {
      const unit = this.org.get(code);
      const tags = this.tags
        .filter((t) => t.owner_code === code && tagVisibleTo(code, scope.orgCode))
        .map((t) => this.view(t, scope, index.bitmap(t.id)?.andCardinality(mine) ?? 0));
      return { code, name: unit?.name ?? code, level: unit?.level ?? '', tags };
    });
    return { asOf, levels: levels.filter((l) => l.tags.length > 0 || l.code === scope.orgCode) };
  }

  async tag(scope: Scope, id: number, asOf: string): Promise<TagDetail> {
    requireAccess(scope, 'tag.read');
    const t = this.visibleTag(scope, id);
    const index = await this.indexFor(asOf);
    const bitmap = index.bitmap(t.id)!;
    const mine = bitmap.andCardinality(index.unit(scope.orgCode));
    return { ...this.view(t, scope, mine), asOf, byArea: this.countByArea(index, bitmap, scope) };
  }

  vocabulary(): RuleVocabulary {
    return {
      facts: PERSON_FACTS.map((f) => ({
        name: f.name,
        type: f.type,
        label: f.label,
        values: f.values ? [...f.values] : null,
      })),
      functions: PERSON_FUNCTIONS.map((f) => ({ name: f.name, label: f.label, argValues: [...f.argValues] })),
    };
  }

  private checkRule(text: string): void {
    try {
      checkCondition(parseRule(text), personCatalog());
    } catch (err) {
      if (err instanceof RuleError)
        throw new AppError('TJ_RULE_INVALID', `规则有误：${err.message}`, {
          start: err.start,
          end: err.end,
          column: err.column,
        });
      throw err;
    }
  }

  async create(scope: Scope, input: TagInput): Promise<TagView> {
    requireAccess(scope, 'tag.write');
    if (scope.orgCode === '' || !this.org.get(scope.orgCode)) throw new AppError('TJ_ORG_NOT_FOUND');
    if (
      tagCodeClashes(
        input.code,
        scope.orgCode,
        this.tags.map((t) => ({ code: t.code, ownerCode: t.owner_code })),
      )
    )
      throw new AppError('TJ_TAG_CODE_TAKEN', `标签名“${input.code}”已被您可见的上级或下级标签使用，请换一个名称`);
    if (input.source === 'rule') {
      if (!input.rule)
        throw new AppError('TJ_RULE_INVALID', '规则标签需要填写规则，例如 age >= 60 && household.size == 1', {
          start: 0,
          end: 0,
          column: 1,
        });
      this.checkRule(input.rule);
    }
    const at = nowIso();
    const row = {
      code: input.code,
      category: input.category,
      source: input.source,
      owner_code: scope.orgCode,
      description: input.description,
      owner_name: input.keeper ?? null,
      rule: input.source === 'rule' ? input.rule! : null,
      created_by: scope.username,
      created_at: at,
      updated_by: scope.username,
      updated_at: at,
    };
    const id = await this.repo.transaction(async (trx) => {
      const newId = await this.repo.insert(row, trx);
      await this.audit.record(
        scope,
        'tag.create',
        `tag:${newId}`,
        { code: row.code, owner: row.owner_code, source: row.source, rule: row.rule },
        trx,
      );
      return newId;
    });
    await this.refresh();
    await this.reindexTag(id);
    return this.view(
      this.tags.find((t) => t.id === id)!,
      scope,
      0,
    );
  }

  async update(scope: Scope, id: number, patch: TagPatch, asOf: string): Promise<TagView> {
    requireAccess(scope, 'tag.write');
    const t = this.visibleTag(scope, id);
    if (!tagEditableBy(t.owner_code, scope.orgCode)) throw new AppError('TJ_TAG_NOT_EDITABLE');
    if (patch.rule !== undefined) {
      if (t.source !== 'rule')
        throw new AppError('TJ_RULE_INVALID', '只有规则标签有规则可改', { start: 0, end: 0, column: 1 });
      this.checkRule(patch.rule);
    }
    const at = nowIso();
    const changes = {
      ...(patch.category ? { category: patch.category } : {}),
      ...(patch.description ? { description: patch.description } : {}),
      ...(patch.keeper !== undefined ? { owner_name: patch.keeper } : {}),
      ...(patch.rule !== undefined ? { rule: patch.rule } : {}),
      updated_by: scope.username,
      updated_at: at,
    };
    await this.repo.transaction(async (trx) => {
      await this.repo.update(id, changes, trx);
      await this.audit.record(
        scope,
        'tag.update',
        `tag:${id}`,
        {
          before: { category: t.category, description: t.description, keeper: t.owner_name, rule: t.rule },
          after: patch,
        },
        trx,
      );
    });
    await this.refresh();
    await this.reindexTag(id);
    const index = await this.indexFor(asOf);
    return this.view(
      this.tags.find((x) => x.id === id)!,
      scope,
      index.bitmap(id)?.andCardinality(index.unit(scope.orgCode)) ?? 0,
    );
  }

  async remove(scope: Scope, id: number): Promise<void> {
    requireAccess(scope, 'tag.write');
    const t = this.visibleTag(scope, id);
    if (!tagEditableBy(t.owner_code, scope.orgCode)) throw new AppError('TJ_TAG_NOT_EDITABLE');
    const at = nowIso();
    await this.repo.transaction(async (trx) => {
      await this.repo.removeAllOf(id, scope.username, at, trx);
      await this.repo.delete(id, trx);
      await this.audit.record(
        scope,
        'tag.delete',
        `tag:${id}`,
        { code: t.code, owner: t.owner_code, source: t.source, rule: t.rule },
        trx,
      );
    });
    await this.refresh();
    this.broken.delete(id);
    for (const [, index] of this.indexes.dates()) (await index).drop(id);
  }

  /** Recomputes one tag in every cached index (after a create or edit). */
  private async reindexTag(id: number): Promise<void> {
    const t = this.tags.find((x) => x.id === id);
    if (!t) return;
    const assignments = t.source === 'manual' ? await this.repo.activeAssignmentsOf(id) : [];
    for (const [asOf, entry] of this.indexes.dates()) {
      const index = await entry;
      const population = index.view.population;
      const members = assignments
        .filter((a) => validOn(a, asOf))
        .map((a) => population.indexOf.get(a.id_number))
        .filter((i): i is number => i !== undefined);
      this.put(index, this.indexed(t, members));
    }
  }

  private parseSelectionOrFail(expression: string): Expr {
    try {
      return parseSelection(expression);
    } catch (err) {
      throw selectionError(err);
    }
  }

  private selectOrFail(index: TagIndex, expr: Expr, scope: Scope): Bitmap {
    try {
      return index.select(expr, scope.orgCode);
    } catch (err) {
      throw selectionError(err);
    }
  }

  async count(scope: Scope, expression: string, asOf: string): Promise<CountResult> {
    requireAccess(scope, 'selection.query');
    const expr = this.parseSelectionOrFail(expression);
    const index = await this.indexFor(asOf);
    const bitmap = this.selectOrFail(index, expr, scope);
    return {
      asOf,
      expression: printSelection(expr),
      count: bitmap.size,
      byArea: this.countByArea(index, bitmap, scope),
    };
  }

  private rankBitmaps(index: TagIndex, scope: Scope, codes: readonly string[]): Bitmap[] {
    return codes.map((code) => {
      const b = index.resolve(code, scope.orgCode);
      if (!b)
        throw new AppError('TJ_SELECTION_INVALID', `排序标签“${code}”不存在，或不在您的可见范围内`, {
          start: 0,
          end: 0,
          column: 1,
          rankTag: code,
        });
      return b;
    });
  }

  async query(scope: Scope, req: SelectionRequest & { asOf: string }): Promise<SelectionResult> {
    requireAccess(scope, 'selection.query');
    const expr = this.parseSelectionOrFail(req.expression);
    const index = await this.indexFor(req.asOf);
    const bitmap = this.selectOrFail(index, expr, scope);
    const rankCodes = req.rank ?? [];
    const rankBitmaps = this.rankBitmaps(index, scope, rankCodes);
    const page = index.rank(bitmap, rankBitmaps, req.offset, req.limit);
    const rows = (await this.rows(index, page.rows, rankCodes, rankBitmaps)).map(({ id, ...row }) => ({
      ref: this.refs.ref(id),
      ...row,
    }));
    await this.audit.record(scope, 'selection.query', `selection:${printSelection(expr)}`, {
      asOf: req.asOf,
      count: bitmap.size,
      rank: rankCodes,
      offset: req.offset,
      rows: rows.length,
    });
    return {
      asOf: req.asOf,
      expression: printSelection(expr),
      count: bitmap.size,
      byRank: rankCodes.length > 0 ? [...page.byRank] : null,
      byArea: this.countByArea(index, bitmap, scope),
      rows,
      hasMore: req.offset + rows.length < bitmap.size,
    };
  }

  private async rows(
    index: TagIndex,
    ranked: ReadonlyArray<{ index: number; rank: number }>,
    rankCodes: readonly string[],
    rankBitmaps: readonly Bitmap[],
  ) {
    const population = index.view.population;
    const ids = ranked.map((r) => population.ids[r.index]!);
    const people = new Map((await this.repo.residentsByIds(ids)).map((p) => [p.id_number, p]));
    const day = dateKey(index.asOf);
    return ranked.flatMap((r) => {
      const id = population.ids[r.index]!;
      const p = people.get(id);
      if (!p) return [];
      return [
        {
          id,
          idNumberMasked: maskIdNumber(id),
          name: p.name,
          gender: p.gender,
          age: completedYears(dateKey(p.birth_date), day),
          committeeCode: p.committee_code,
          committeeName: this.org.get(p.committee_code)?.name ?? p.committee_code,
          householdId: p.household_id,
          rank: r.rank,
          rankTags: rankCodes.filter((_, k) => rankBitmaps[k]!.has(r.index)),
        },
      ];
    });
  }

  /** Every resident of a selection, ranked, for exports (audited as one read). */
  async exportRows(scope: Scope, req: { expression: string; rank?: string[]; asOf: string }, max: number) {
    requireAccess(scope, 'selection.export');
    const expr = this.parseSelectionOrFail(req.expression);
    const index = await this.indexFor(req.asOf);
    const bitmap = this.selectOrFail(index, expr, scope);
    const rankCodes = req.rank ?? [];
    const rankBitmaps = this.rankBitmaps(index, scope, rankCodes);
    const page = index.rank(bitmap, rankBitmaps, 0, max);
    const rows = (await this.rows(index, page.rows, rankCodes, rankBitmaps)).map(({ id: _id, ...row }) => row);
    await this.audit.record(scope, 'selection.export', `selection:${printSelection(expr)}`, {
      asOf: req.asOf,
      count: bitmap.size,
      rank: rankCodes,
      rows: rows.length,
    });
    return { expression: printSelection(expr), count: bitmap.size, rows };
  }

  /** The whole ranked selection as (id_number, rank), for the command line (system scope). */
  async *segment(
    scope: Scope,
    expression: string,
    rank: readonly string[],
    asOf: string,
  ): AsyncGenerator<SegmentRow[]> {
    requireAccess(scope, 'selection.export');
    const expr = this.parseSelectionOrFail(expression);
    const index = await this.indexFor(asOf);
    const bitmap = this.selectOrFail(index, expr, scope);
    const rankBitmaps = this.rankBitmaps(index, scope, rank);
    const ids = index.view.population.ids;
    const pageSize = 50_000;
    for (let offset = 0; offset < bitmap.size; offset += pageSize) {
      const page = index.rank(bitmap, rankBitmaps, offset, pageSize);
      yield page.rows.map((r) => ({ id_number: ids[r.index]!, rank: r.rank }));
    }
  }

  async assign(scope: Scope, tagId: number, req: AssignRequest, asOf: string): Promise<AssignResult> {
    requireAccess(scope, 'tag.assign');
    const t = this.visibleTag(scope, tagId);
    if (t.source !== 'manual') throw new AppError('TJ_TAG_NOT_MANUAL');
    if (req.validFrom) requireIsoDate(req.validFrom, '有效期起');
    if (req.validTo) requireIsoDate(req.validTo, '有效期止');
    if (req.validFrom && req.validTo && req.validTo < req.validFrom)
      throw new AppError('TJ_VALIDATION', '有效期止不能早于有效期起');
    const index = await this.indexFor(req.selection?.asOf ?? asOf);
    const population = index.view.population;
    let targets: string[];
    const skipped: AssignResult['skipped'] = [];
    const skip = (id: string, reason: string) =>
      skipped.push({ ref: this.refs.ref(id), idNumberMasked: maskIdNumber(id), reason });
    const NOT_FOUND = '在您的辖区内找不到该居民';
    if (req.selection) {
      const bitmap = this.selectOrFail(index, this.parseSelectionOrFail(req.selection.expression), scope);
      if (bitmap.size > BULK_ASSIGN_MAX)
        throw new AppError(
          'TJ_SELECTION_TOO_LARGE',
          `该圈选有 ${bitmap.size} 人，一次至多批量标注 ${BULK_ASSIGN_MAX} 人`,
        );
      targets = bitmap.toArray().map((i) => population.ids[i]!);
    } else {
      const ids = new Set<string>();
      for (const given of new Set(req.idNumbers ?? [])) {
        const id = this.refs.resolve(given);
        // A ref that does not open is as unknown as an id number nobody has.
        if (id === null) skipped.push({ ref: given, idNumberMasked: null, reason: NOT_FOUND });
        else ids.add(id);
      }
      targets = [...ids];
    }
    const mine = index.unit(scope.orgCode);
    const current = index.bitmap(tagId);
    const accepted: Array<{ id: string; index: number }> = [];
    for (const id of targets) {
      const i = population.indexOf.get(id);
      // Outside the caller's area, a resident is "not found": the reply must not reveal who lives elsewhere.
      if (i === undefined || !mine.has(i)) {
        skip(id, NOT_FOUND);
        continue;
      }
      const committee = population.committees[population.householdCommittee[population.household[i]!]!]!;
      if (!tagAppliesTo(t.owner_code, committee)) {
        skip(id, '不在该标签的适用范围内');
        continue;
      }
      if (current?.has(i)) {
        skip(id, '已有此标签');
        continue;
      }
      accepted.push({ id, index: i });
    }
    const at = nowIso();
    if (accepted.length > 0) {
      await this.repo.transaction(async (trx) => {
        await this.repo.assign(
          accepted.map((a) => ({
            tag_id: tagId,
            id_number: a.id,
            valid_from: req.validFrom ?? null,
            valid_to: req.validTo ?? null,
            reason: req.reason,
            evidence: req.evidence ?? null,
            assigned_by: scope.username,
            assigned_at: at,
          })),
          trx,
        );
        for (const a of accepted) {
          // The history holds [before, after] pairs per field, like every other change of a resident.
          await recordTagChange(trx, {
            at,
            actor: scope.username,
            idNumber: a.id,
            tagId,
            action: 'tag.assign',
            detail: {
              标签: [null, t.code],
              原因: [null, req.reason],
              证据: [null, req.evidence ?? null],
              有效期: [null, `${req.validFrom ?? '—'} 至 ${req.validTo ?? '—'}`],
            },
          });
        }
        await this.audit.record(
          scope,
          'tag.assign',
          `tag:${tagId}`,
          {
            code: t.code,
            residents: accepted.length,
            reason: req.reason,
            selection: req.selection?.expression ?? null,
          },
          trx,
        );
      });
      for (const [date, entry] of this.indexes.dates()) {
        if (!validOn({ valid_from: req.validFrom ?? null, valid_to: req.validTo ?? null }, date)) continue;
        const ix = await entry;
        for (const a of accepted) {
          const k = ix.view.population.indexOf.get(a.id);
          if (k !== undefined) ix.addMember(tagId, k);
        }
      }
    }
    return { assigned: accepted.length, skipped };
  }

  /** Takes the resident off a manual tag; the resident by id number or ref. */
  async unassign(scope: Scope, tagId: number, idNumberOrRef: string, asOf: string): Promise<void> {
    requireAccess(scope, 'tag.assign');
    const t = this.visibleTag(scope, tagId);
    if (t.source !== 'manual') throw new AppError('TJ_TAG_NOT_MANUAL');
    const index = await this.indexFor(asOf);
    const idNumber = this.refs.resolve(idNumberOrRef);
    const i = idNumber === null ? undefined : index.view.population.indexOf.get(idNumber);
    if (idNumber === null || i === undefined || !index.unit(scope.orgCode).has(i))
      throw new AppError('TJ_RESIDENT_NOT_FOUND');
    const at = nowIso();
    const removed = await this.repo.transaction(async (trx) => {
      const n = await this.repo.unassign(tagId, idNumber, scope.username, at, trx);
      if (n > 0) {
        await recordTagChange(trx, {
          at,
          actor: scope.username,
          idNumber,
          tagId,
          action: 'tag.unassign',
          detail: { 标签: [t.code, null] },
        });
        await this.audit.record(scope, 'tag.unassign', `tag:${tagId}`, { code: t.code, idNumber }, trx);
      }
      return n;
    });
    if (removed === 0) throw new AppError('TJ_NOT_FOUND', '该居民没有这个人工标签');
    for (const [, entry] of this.indexes.dates()) {
      const ix = await entry;
      const k = ix.view.population.indexOf.get(idNumber);
      if (k !== undefined) ix.removeMember(tagId, k);
    }
  }

  /** The tags a resident carries; the resident by id number or ref. */
  async residentTags(scope: Scope, idNumberOrRef: string, asOf: string): Promise<ResidentTags> {
    requireAccess(scope, 'resident.view');
    const index = await this.indexFor(asOf);
    const idNumber = this.refs.resolve(idNumberOrRef);
    const i = idNumber === null ? undefined : index.view.population.indexOf.get(idNumber);
    if (idNumber === null || i === undefined || !index.unit(scope.orgCode).has(i))
      throw new AppError('TJ_RESIDENT_NOT_FOUND');
    const assignments = await this.repo.assignmentsOfPerson(idNumber);
    await this.audit.record(scope, 'resident.tags', `resident:${idNumber}`, { asOf });
    const tags = this.visible(scope)
      .filter((t) => index.bitmap(t.id)?.has(i))
      .map((t) => {
        const a = t.source === 'manual' ? assignments.find((x) => x.tag_id === t.id && validOn(x, asOf)) : undefined;
        return {
          id: t.id,
          code: t.code,
          category: t.category,
          source: t.source as TagSource,
          ownerName: this.org.get(t.owner_code)?.name ?? t.owner_code,
          assignment: a
            ? {
                reason: a.reason,
                evidence: a.evidence,
                assignedBy: a.assigned_by,
                assignedAt: a.assigned_at,
                validFrom: a.valid_from,
                validTo: a.valid_to,
              }
            : null,
        };
      });
    return { asOf, tags };
  }

  async savedSelections(scope: Scope): Promise<SavedSelection[]> {
    requireAccess(scope, 'selection.query');
    return (await this.repo.savedSelections(scope.orgCode)).map(savedView);
  }

  async saveSelection(
    scope: Scope,
    input: { name: string; expression: string; rank: string[] },
  ): Promise<SavedSelection> {
    requireAccess(scope, 'selection.save');
    const expr = this.parseSelectionOrFail(input.expression);
    const at = nowIso();
    const row = {
      name: input.name,
      expression: printSelection(expr),
      rank_tags: JSON.stringify(input.rank),
      org_code: scope.orgCode,
      created_by: scope.username,
      created_at: at,
    };
    const id = await this.repo.transaction(async (trx) => {
      const newId = await this.repo.saveSelection(row, trx);
      await this.audit.record(
        scope,
        'selection.save',
        `saved_selection:${newId}`,
        { name: row.name, expression: row.expression },
        trx,
      );
      return newId;
    });
    return savedView({ id, ...row });
  }

  async deleteSavedSelection(scope: Scope, id: number): Promise<void> {
    requireAccess(scope, 'selection.save');
    const row = await this.repo.getSavedSelection(id);
    if (!row || row.org_code !== scope.orgCode) throw new AppError('TJ_SAVED_SELECTION_NOT_FOUND');
    await this.repo.transaction(async (trx) => {
      await this.repo.deleteSavedSelection(id, trx);
      await this.audit.record(scope, 'selection.delete', `saved_selection:${id}`, { name: row.name }, trx);
    });
  }
}

function savedView(r: {
  id: number;
  name: string;
  expression: string;
  rank_tags: string;
  created_by: string;
  created_at: string;
}): SavedSelection {
  return {
    id: Number(r.id),
    name: r.name,
    expression: r.expression,
    rank: JSON.parse(r.rank_tags) as string[],
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function validOn(a: { valid_from: string | null; valid_to: string | null }, asOf: string): boolean {
  return (a.valid_from === null || a.valid_from <= asOf) && (a.valid_to === null || asOf <= a.valid_to);
}

function selectionError(err: unknown): unknown {
  if (err instanceof RuleError)
    return new AppError('TJ_SELECTION_INVALID', `圈选条件有误：${err.message}`, {
      start: err.start,
      end: err.end,
      column: err.column,
    });
  return err;
}
