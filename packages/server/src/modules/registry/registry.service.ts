import { classifySearch, maskIdNumber, maskPhone, yearsBefore, type OrgUnit } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { requireAccess } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { RegistryRepository, ResidentFilter, SortField } from './registry.repository.ts';
import type { ResidentListItem } from './registry.schema.ts';
import type { ResidentRefs } from './resident-ref.ts';

export type { ResidentListItem };
/** A list row as exported to a spreadsheet: as on screen, without the ref. */
export type ResidentExportItem = Omit<ResidentListItem, 'ref'>;

export interface ResidentListParams {
  q?: string;
  org?: string;
  ageMin?: number;
  ageMax?: number;
  gender?: string;
  hukou?: string;
  disability?: 'any' | 'severe' | 'none';
  benefit?: string;
  sort?: SortField;
  order?: 'asc' | 'desc';
  limit: number;
  offset: number;
  /** The date ages and benefits are evaluated on. */
  asOf: string;
}

/** Matches a list counts exactly; past this it says "more than" (RegistryRepository.countUpTo). */
export const COUNT_CAP = 10_000;

export class RegistryService {
  constructor(
    private readonly repo: RegistryRepository,
    private readonly org: OrgService,
    private readonly audit: AuditRepository,
    private readonly refs: ResidentRefs,
    private readonly countCap = COUNT_CAP,
  ) {}

  /**
   * The resident list of an org unit in the caller's scope: search by name, full pinyin, pinyin
   * initials or id number (prefixes), filters, sorting and paging on the server. Lists show
   * masked id numbers and phones, and a ref (resident-ref.ts) to open a person with, never the
   * full id number. The total is counted on the first page only: later pages stay index range
   * scans on a million rows.
   */
  async list(
    scope: Scope,
    p: ResidentListParams,
  ): Promise<{ items: ResidentListItem[]; hasMore: boolean; total: number | null; totalCapped: boolean }> {
    requireAccess(scope, 'resident.list');
    const filter = this.filter(scope, p);
    const rows = await this.repo.list(filter, p.sort, p.order ?? 'asc', p.limit + 1, p.offset);
    // Counted up to COUNT_CAP only: past it the list says "more than 10,000" (a page of a million never waits for a count).
    const counted =
      p.offset === 0 ? (rows.length <= p.limit ? rows.length : await this.repo.countUpTo(filter, this.countCap)) : null;
    const totalCapped = counted !== null && counted > this.countCap;
    const total = totalCapped ? this.countCap : counted;
    const shown = rows.slice(0, p.limit);
    // Who saw whom, even masked: "who looked at my record" finds list reads too.
    await this.audit.record(scope, 'residents.list', `org:${filter.orgCode}`, {
      params: p,
      ids: shown.map((r) => r.id_number),
    });
    return {
      items: shown.map((r) => ({ ref: this.refs.ref(r.id_number), ...this.listItem(r) })),
      hasMore: rows.length > p.limit,
      total,
      totalCapped,
    };
  }

  /** Builds the repository filter; an org outside the caller's scope is not found. */
  filter(scope: Scope, p: ResidentListParams): ResidentFilter {
    const orgCode = p.org ?? scope.orgCode;
    if (!orgCode.startsWith(scope.orgCode) || (orgCode !== '' && !this.org.get(orgCode)))
      throw new AppError('TJ_ORG_NOT_FOUND');
    const asOf = p.asOf;
    const f: ResidentFilter = { orgCode, gender: p.gender, hukou: p.hukou, disability: p.disability };
    if (p.ageMin !== undefined) f.bornOnOrBefore = yearsBefore(asOf, p.ageMin);
    if (p.ageMax !== undefined) f.bornAfter = yearsBefore(asOf, p.ageMax + 1);
    if (p.benefit) f.benefit = { code: p.benefit, asOf };
    const text = (p.q ?? '').trim();
    if (text !== '') {
      const kind = classifySearch(text);
      f.prefixes =
        kind === 'pinyin'
          ? [
              { field: 'name_initials', value: text.toLowerCase() },
              { field: 'name_pinyin', value: text.toLowerCase() },
            ]
          : [{ field: kind === 'id' ? 'id_number' : 'name', value: kind === 'id' ? text.toUpperCase() : text }];
    }
    return f;
  }

  /** The list as rows for a spreadsheet (masked as on screen), at most `max` rows; audited. */
  async exportRows(scope: Scope, p: ResidentListParams, max: number): Promise<ResidentExportItem[]> {
    requireAccess(scope, 'resident.export');
    const filter = this.filter(scope, p);
    const rows = await this.repo.list(filter, p.sort, p.order ?? 'asc', max, 0);
    await this.audit.record(scope, 'residents.export', `org:${filter.orgCode}`, { params: p, rows: rows.length });
    return rows.map((r) => this.listItem(r));
  }

  private listItem(r: {
    id_number: string;
    name: string;
    gender: string;
    birth_date: string;
    household_id: string;
    committee_code: string;
    hukou: string | null;
    disability_grade: number | null;
    phone: string | null;
  }): ResidentExportItem {
    return {
      idNumberMasked: maskIdNumber(r.id_number),
      name: r.name,
      gender: r.gender,
      birthDate: r.birth_date,
      householdId: r.household_id,
      committeeCode: r.committee_code,
      committeeName: this.org.get(r.committee_code)?.name ?? r.committee_code,
      hukou: r.hukou,
      disabilityGrade: r.disability_grade,
      phoneMasked: r.phone ? maskPhone(r.phone) : null,
    };
  }

  /**
   * The resident "360": the person in full, household and members, relations (relatives inside
   * and outside the registry), enrollments, identity tags and change history with sources. A
   * sensitive read: audited. Outside the caller's scope it does not exist (404). The person is
   * given by id number or ref (a ref that does not open is as unknown); the person's own id
   * number is shown in full, the members' and relatives' masked, with their refs.
   */
  async resident360(scope: Scope, idNumberOrRef: string) {
    requireAccess(scope, 'resident.view');
    const idNumber = this.refs.resolve(idNumberOrRef);
    const person = idNumber === null ? undefined : await this.repo.resident(scope, idNumber);
    if (!person || idNumber === null) throw new AppError('TJ_RESIDENT_NOT_FOUND');
    await this.audit.record(scope, 'resident.view', `resident:${idNumber}`);
    const [household, members, relations, enrollments, tags, history] = await Promise.all([
      this.repo.household(scope, person.household_id),
      this.repo.members(person.household_id),
      this.repo.relations(idNumber),
      this.repo.enrollments(idNumber),
      this.repo.identityTags(idNumber),
      this.repo.history(idNumber, person.household_id),
    ]);
    const relativeIds = relations.map((r) => r.relative_id_number).filter((v): v is string => !!v);
    const relatives = new Map((await this.repo.peopleByIds(relativeIds)).map((p) => [p.id_number, p]));
    const runIds = [
      ...new Set(
        [
          person.created_run,
          household?.created_run,
          ...enrollments.map((e) => e.created_run),
          ...relations.map((r) => r.created_run),
          ...tags.map((t) => t.created_run),
        ].filter((v): v is number => v !== null && v !== undefined),
      ),
    ];
    const runs = new Map((await this.repo.importRuns(runIds)).map((r) => [Number(r.id), r]));
    const source = (run: number | null | undefined) => {
      const r = run === null || run === undefined ? undefined : runs.get(Number(run));
      return r ? { importRun: Number(r.id), source: r.source_name, at: r.at, actor: r.actor } : null;
    };
    const { name_pinyin: _p, name_initials: _i, created_run, updated_run: _u, ...rest } = person;
    return {
      person: {
        ...rest,
        ref: this.refs.ref(idNumber),
        orgPath: this.org
          .path(person.committee_code)
          .map((u: OrgUnit) => ({ code: u.code, name: u.name, level: u.level })),
        createdBy: source(created_run),
      },
      household: household ? { ...householdRecord(household), createdBy: source(household.created_run) } : null,
      members: members.map((m) => ({
        ref: this.refs.ref(m.id_number),
        idNumberMasked: maskIdNumber(m.id_number),
        name: m.name,
        gender: m.gender,
        birthDate: m.birth_date,
        relationToHead: m.relation_to_head,
        isSelf: m.id_number === idNumber,
      })),
      relations: relations.map((r) => {
        const inRegistry = r.relative_id_number ? relatives.get(r.relative_id_number) : undefined;
        const visible = inRegistry !== undefined && inRegistry.committee_code.startsWith(scope.orgCode);
        return {
          relativeName: r.relative_name,
          relation: r.relation,
          ableToSupport: r.able_to_support,
          relativeIdNumberMasked: r.relative_id_number ? maskIdNumber(r.relative_id_number) : null,
          // Linkable only when the relative is in the registry and in the caller's area; one
          // registered in another area reads as not registered, so the view tells nobody where
          // else a person lives.
          relativeRef: visible && r.relative_id_number ? this.refs.ref(r.relative_id_number) : null,
          inRegistry: visible,
          source: source(r.created_run),
        };
      }),
      enrollments: enrollments.map((e) => ({
        benefitCode: e.benefit_code,
        startDate: e.start_date,
        endDate: e.end_date,
        source: source(e.created_run),
      })),
      identityTags: tags.map((t) => ({ tag: t.tag, source: source(t.created_run) })),
      history: history.map((h) => ({
        at: h.at,
        actor: h.actor,
        source: h.source,
        entity: h.entity,
        action: h.action,
        changes: JSON.parse(h.detail) as Record<string, [unknown, unknown]>,
      })),
    };
  }

  async household(scope: Scope, householdId: string) {
    requireAccess(scope, 'household.view');
    const household = await this.repo.household(scope, householdId);
    if (!household) throw new AppError('TJ_HOUSEHOLD_NOT_FOUND');
    await this.audit.record(scope, 'household.view', `household:${householdId}`);
    const members = await this.repo.members(householdId);
    const n = members.length;
    const income = members.reduce((s, m) => s + (m.monthly_income_yuan ?? 0), 0);
    return {
      household: householdRecord(household),
      orgPath: this.org.path(household.committee_code).map((u) => ({ code: u.code, name: u.name, level: u.level })),
      members: members.map((m) => ({ ref: this.refs.ref(m.id_number), ...this.listItem(m) })),
      figures: {
        members: n,
        monthlyIncomeYuan: income,
        perCapitaMonthlyIncomeYuan: n > 0 ? income / n : null,
        perCapitaAssetsYuan: n > 0 ? (household.financial_assets_yuan ?? 0) / n : null,
        perCapitaAreaM2: n > 0 && household.housing_area_m2 !== null ? household.housing_area_m2 / n : null,
        medicalOop12mYuan: members.reduce((s, m) => s + (m.medical_oop_12m_yuan ?? 0), 0),
      },
    };
  }
}

/** A household row as the API shows it: times, not the run that last changed it. */
function householdRecord<H extends { updated_run: number | null }>(h: H): Omit<H, 'updated_run'> {
  const { updated_run: _u, ...rest } = h;
  return rest;
}
