/**
 * Local policies: a district's or street's own policies beside the reference pack (which stays
 * read-only). The owner unit's district admins or street workers write a draft — checked by
 * compiling it with the reference pack and the other policies in effect — simulate its impact on
 * the registry, publish it, and withdraw it. A published version is never rewritten: editing it
 * starts a new draft version. Publishing and withdrawing make every scan (leads, summaries,
 * eligibility, `tingjian scan`) use the new set at once. Every write is audited with the change.
 */
import { PackError, walk } from '@tingjian/engine';
import { nowIso } from '../../clock.ts';
import { AppError } from '../../errors.ts';
import { draftInvalid } from '../../pack-errors.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import { allows, requireAccess, type Action } from '../auth/access.ts';
import type { Scope } from '../auth/scope.ts';
import type { OrgService } from '../org/org.service.ts';
import type { PolicyService } from './policies.service.ts';
import type { LocalPolicyRepository, LocalPolicyRow } from './local-policies.repository.ts';
import {
  definitionView,
  errorPosition,
  inEffect,
  LocalPolicyUnreadable,
  parseStored,
  storedOf,
  unreadableView,
  type BrokenLocalPolicy,
  type EffectivePack,
  type StoredLocalPolicy,
} from './local-policies.pack.ts';
import type {
  LocalPolicyInput,
  LocalPolicySimulateResult,
  LocalPolicyStatus,
  LocalPolicyView,
} from './local-policies.schema.ts';

export class LocalPolicyService {
  constructor(
    private readonly repo: LocalPolicyRepository,
    private readonly policies: PolicyService,
    private readonly org: OrgService,
    private readonly audit: AuditRepository,
    private readonly today: () => string,
  ) {}

  /** A unit's own policies, those of the units above it (published ones) and of the units below it. */
  private visible(scope: Scope, owner: string): 'own' | 'above' | 'below' | null {
    if (scope.orgCode === owner) return 'own';
    if (scope.orgCode === '' || owner.startsWith(scope.orgCode)) return 'below';
    if (scope.orgCode.startsWith(owner)) return 'above';
    return null;
  }

  /** Drafting and publishing are the owner unit's (the table's reach 'unit'). */
  private editable(scope: Scope, owner: string): boolean {
    return allows(scope, 'policy.draft', { orgCode: owner });
  }

  /**
   * Withdrawing is the owner's, and also the district admin's for any unit of the district (reach
   * 'area'): a street's policy that misbehaves must not wait for that street to act.
   */
  private withdrawable(scope: Scope, owner: string): boolean {
    return allows(scope, 'policy.withdraw', { orgCode: owner });
  }

  /** Published versions left out of the scans, by code (none when the policies in effect cannot be had at all). */
  private async brokenNow(): Promise<ReadonlyMap<string, BrokenLocalPolicy>> {
    return (await this.policies.effectivePack().catch(() => null))?.broken ?? new Map();
  }

  private view(
    scope: Scope,
    rows: readonly LocalPolicyRow[],
    broken: ReadonlyMap<string, BrokenLocalPolicy>,
  ): LocalPolicyView | null {
    if (rows.length === 0) return null;
    const owner = rows[0]!.owner_code;
    const seen = this.visible(scope, owner);
    if (seen === null) return null;
    // Drafts of a unit above are its own business until published.
    const shown = seen === 'above' ? rows.filter((r) => r.published_at !== null) : [...rows];
    if (shown.length === 0) return null;
    const latest = shown[shown.length - 1]!;
    const effective = inEffect(rows).get(rows[0]!.code);
    const left = effective ? broken.get(effective.code) : undefined;
    return {
      code: latest.code,
      ownerCode: owner,
      ownerName: this.org.get(owner)?.name ?? owner,
      version: latest.version,
      status: latest.status as LocalPolicyStatus,
      latest: readableView(latest),
      inEffectVersion: effective?.version ?? null,
      editable: this.editable(scope, owner),
      withdrawable: effective !== undefined && this.withdrawable(scope, owner),
      broken:
        left && left.version === effective?.version
          ? `第 ${left.version} 版未能生效，已从扫描中排除：${left.reason}`
          : null,
      versions: shown
        .slice()
        .reverse()
        .map((r) => ({
          version: r.version,
          status: r.status as LocalPolicyStatus,
          definition: readableView(r),
          createdBy: r.created_by,
          createdAt: r.created_at,
          updatedBy: r.updated_by,
          updatedAt: r.updated_at,
          publishedBy: r.published_by,
          publishedAt: r.published_at,
          withdrawnBy: r.withdrawn_by,
          withdrawnAt: r.withdrawn_at,
        })),
    };
  }

  async list(scope: Scope): Promise<LocalPolicyView[]> {
    requireAccess(scope, 'policy.read');
    const byCode = new Map<string, LocalPolicyRow[]>();
    for (const r of await this.repo.all()) {
      const list = byCode.get(r.code) ?? [];
      list.push(r);
      byCode.set(r.code, list);
    }
    const broken = await this.brokenNow();
    return [...byCode.values()].flatMap((rows) => this.view(scope, rows, broken) ?? []);
  }

  async get(scope: Scope, code: string): Promise<LocalPolicyView> {
    requireAccess(scope, 'policy.read');
    const v = this.view(scope, await this.repo.versionsOf(code), await this.brokenNow());
    if (!v) throw new AppError('TJ_LOCAL_POLICY_NOT_FOUND');
    return v;
  }

  /**
   * The rows of a code the caller may `action` (draft, publish or withdraw), or the error they
   * would get: one they cannot see is not found; one they see but may not act on (their role may
   * not, or it is another unit's) is not theirs to change.
   */
  private async ownRows(scope: Scope, code: string, action: Action): Promise<LocalPolicyRow[]> {
    const rows = await this.repo.versionsOf(code);
    if (rows.length === 0 || !this.view(scope, rows, new Map())) throw new AppError('TJ_LOCAL_POLICY_NOT_FOUND');
    requireAccess(scope, action, {
      orgCode: rows[0]!.owner_code,
      missing: 'TJ_LOCAL_POLICY_NOT_EDITABLE',
      beyond: 'TJ_LOCAL_POLICY_NOT_EDITABLE',
    });
    return rows;
  }

  /** The stored draft, or a clear error when its row cannot be read (written by hand or by an older version). */
  private storedDraft(row: LocalPolicyRow): StoredLocalPolicy {
    try {
      return parseStored(row);
    } catch (err) {
      if (err instanceof LocalPolicyUnreadable)
        throw new AppError('TJ_VALIDATION', `第 ${row.version} 版草稿的${err.message}：请重新填写并保存草稿`, {
          field: 'policy',
        });
      throw err;
    }
  }

  /**
   * Checks a draft the way a scan will use it: compiled with the reference pack and the other
   * local policies in effect. A rule error names the field and the character position.
   */
  private async check(draft: StoredLocalPolicy): Promise<EffectivePack> {
    const reference = this.policies.pack;
    if (reference.def.policies.some((p) => p.code === draft.code)) {
      throw new AppError(
        'TJ_LOCAL_POLICY_CODE_TAKEN',
        `政策代码 ${draft.code} 是参考政策包中的政策；参考政策包只读，请换一个代码`,
      );
    }
    const all = await this.repo.all();
    // Rows that cannot be read are in effect for nobody (the scans leave them out): not for this check either.
    const readable = (r: LocalPolicyRow) => {
      try {
        parseStored(r);
        return true;
      } catch {
        return false;
      }
    };
    const others = [...inEffect(all).values()].filter((r) => r.code !== draft.code && readable(r));
    // Parameter names are shared by every rule in effect: a local policy brings new ones only.
    const taken = new Map<string, string>(reference.def.parameters.map((p) => [p.name, '参考政策包']));
    const latestOf = new Map<string, LocalPolicyRow>();
    for (const r of all) if (r.code !== draft.code && readable(r)) latestOf.set(r.code, r);
    // Another unit's policy is named only to those who may see it (its unit, above, or below).
    const visible = (owner: string) => owner.startsWith(draft.owner ?? '') || (draft.owner ?? '').startsWith(owner);
    for (const r of [...others, ...latestOf.values()])
      for (const p of parseStored(r).parameters)
        if (!taken.has(p.name)) taken.set(p.name, visible(r.owner_code) ? `本地政策 ${r.code}` : '其他单位的本地政策');
    const names = new Set<string>();
    for (const p of draft.parameters) {
      if (taken.has(p.name))
        throw new AppError('TJ_VALIDATION', `参数名 ${p.name} 已被${taken.get(p.name)}使用，请换一个名称`, {
          field: 'parameters',
          parameter: p.name,
        });
      if (names.has(p.name))
        throw new AppError('TJ_VALIDATION', `参数名 ${p.name} 重复`, { field: 'parameters', parameter: p.name });
      names.add(p.name);
    }
    let next: EffectivePack;
    try {
      next = this.policies.compileEffective(
        [...others.map((r) => ({ stored: parseStored(r), version: r.version })), { stored: draft, version: 0 }],
        draft.code,
      );
    } catch (err) {
      // The draft's place in the combined pack (policies[12]) means nothing to its author.
      throw err instanceof PackError
        ? draftInvalid(err, (e) => e.message.replace(/^policies\[\d+\] /, ''), errorPosition(err, draft.code))
        : err;
    }
    const compiled = next.pack.policies.find((p) => p.def.code === draft.code)!;
    // eligible("X") may name a reference policy or a local one of this unit or a unit above,
    // whose subtree holds this one's (so what it reads is right wherever this policy applies).
    for (const dep of compiled.dependsOn) {
      const owner = next.owners.get(dep);
      if (owner !== undefined && !draft.owner.startsWith(owner)) {
        throw new AppError(
          'TJ_RULE_INVALID',
          `草案有误：eligible("${dep}") 是${this.org.get(owner)?.name ?? owner}的本地政策，不适用于本单位的全部居民`,
          { field: 'rule', position: null, where: 'rule' },
        );
      }
    }
    // A rule is evaluated from its effective date on: every parameter it reads needs a value by then.
    const from = String(draft.effective.from);
    for (const e of [compiled.rule, compiled.amount]) {
      if (!e) continue;
      for (const node of walk(e)) {
        if (node.kind !== 'ref') continue;
        const p = next.pack.parameters.get(node.name);
        if (p && p.values[0]!.from > from) {
          throw new AppError(
            'TJ_VALIDATION',
            `参数 ${p.name} 的第一个取值从 ${p.values[0]!.from} 起，晚于政策的生效日期 ${from}：请补充更早的取值或推迟生效日期`,
            { field: 'parameters', parameter: p.name },
          );
        }
      }
    }
    return next;
  }

  async create(scope: Scope, input: LocalPolicyInput): Promise<LocalPolicyView> {
    requireAccess(scope, 'policy.draft');
    const draft = storedOf(input, scope.orgCode);
    if ((await this.repo.versionsOf(input.code)).length > 0)
      throw new AppError('TJ_LOCAL_POLICY_CODE_TAKEN', `政策代码 ${input.code} 已被使用，请换一个代码`);
    await this.check(draft);
    const at = nowIso();
    await this.repo.transaction(async (trx) => {
      await this.repo.insert(
        {
          code: draft.code,
          owner_code: scope.orgCode,
          version: 1,
          status: 'draft',
          definition: JSON.stringify(draft),
          created_by: scope.username,
          created_at: at,
          updated_by: scope.username,
          updated_at: at,
          published_by: null,
          published_at: null,
          withdrawn_by: null,
          withdrawn_at: null,
        },
        trx,
      );
      await this.audit.record(
        scope,
        'local_policy.create',
        `local_policy:${draft.code}`,
        { version: 1, owner: scope.orgCode, definition: draft },
        trx,
      );
    });
    return this.get(scope, draft.code);
  }

  /** Saves the draft: rewrites the current draft, or starts a new version after a published or withdrawn one. */
  async saveDraft(scope: Scope, code: string, input: LocalPolicyInput): Promise<LocalPolicyView> {
    requireAccess(scope, 'policy.draft');
    const rows = await this.ownRows(scope, code, 'policy.draft');
    if (input.code !== code)
      throw new AppError('TJ_VALIDATION', '政策代码不能修改；请用新代码另建一项政策', { field: 'code' });
    const draft = storedOf(input, rows[0]!.owner_code);
    await this.check(draft);
    const latest = rows[rows.length - 1]!;
    const at = nowIso();
    await this.repo.transaction(async (trx) => {
      if (latest.status === 'draft') {
        if ((await this.repo.updateDraft(code, latest.version, JSON.stringify(draft), scope.username, at, trx)) !== 1)
          throw new AppError('TJ_LOCAL_POLICY_STATE', '草稿已被他人发布，请刷新后重试');
      } else {
        await this.repo.insert(
          {
            code,
            owner_code: latest.owner_code,
            version: latest.version + 1,
            status: 'draft',
            definition: JSON.stringify(draft),
            created_by: scope.username,
            created_at: at,
            updated_by: scope.username,
            updated_at: at,
            published_by: null,
            published_at: null,
            withdrawn_by: null,
            withdrawn_at: null,
          },
          trx,
        );
      }
      await this.audit.record(
        scope,
        'local_policy.save_draft',
        `local_policy:${code}`,
        { version: latest.status === 'draft' ? latest.version : latest.version + 1, definition: draft },
        trx,
      );
    });
    return this.get(scope, code);
  }

  private draftOf(rows: readonly LocalPolicyRow[]): LocalPolicyRow {
    const latest = rows[rows.length - 1]!;
    if (latest.status !== 'draft')
      throw new AppError(
        'TJ_LOCAL_POLICY_STATE',
        `第 ${latest.version} 版已${latest.status === 'published' ? '发布' : '撤回'}，没有待发布的草稿：请先修改并保存草稿`,
      );
    return latest;
  }

  /** The stored draft's impact, against the policies in effect now (the simulate endpoint's answer). */
  async simulate(scope: Scope, code: string, asOf = this.today()): Promise<LocalPolicySimulateResult> {
    requireAccess(scope, 'policy.preview');
    const rows = await this.repo.versionsOf(code);
    // The caller's unit's own drafts and those of the units below it.
    requireAccess(scope, 'policy.preview', { orgCode: rows[0]?.owner_code, missing: 'TJ_LOCAL_POLICY_NOT_FOUND' });
    const draft = this.draftOf(rows);
    const next = await this.check(this.storedDraft(draft));
    const result = await this.policies.impactOf(scope, next, asOf);
    await this.audit.record(scope, 'local_policy.simulate', `local_policy:${code}`, { version: draft.version, asOf });
    // The draft's own policy first, then any other whose findings it changes.
    const impacts = result.impacts
      .filter((x) => x.policy === code || x.gains > 0 || x.losses > 0 || x.monthlyBeforeYuan !== x.monthlyAfterYuan)
      .sort((a, b) => (a.policy === code ? -1 : b.policy === code ? 1 : 0));
    return { ...result, impacts, code, version: draft.version };
  }

  /** Publishing and withdrawing ask with the policy found (ownRows), so that one the caller cannot see stays not found. */
  async publish(scope: Scope, code: string): Promise<LocalPolicyView> {
    const rows = await this.ownRows(scope, code, 'policy.publish');
    const draft = this.draftOf(rows);
    // Checked again: the policies in effect may have changed since the draft was saved.
    const next = await this.check(this.storedDraft(draft));
    // And evaluated over the registry, as a simulation does: a rule that throws there would
    // otherwise throw in every scan of the district once published.
    await this.policies.trialScan(next, this.today());
    const at = nowIso();
    await this.repo.transaction(async (trx) => {
      if ((await this.repo.publish(code, draft.version, scope.username, at, trx)) !== 1)
        throw new AppError('TJ_LOCAL_POLICY_STATE', '草稿已被他人发布，请刷新后重试');
      await this.audit.record(
        scope,
        'local_policy.publish',
        `local_policy:${code}`,
        { version: draft.version, replaces: inEffect(rows).get(code)?.version ?? null },
        trx,
      );
    });
    this.policies.invalidateLocalPolicies();
    this.policies.warm(this.today());
    return this.get(scope, code);
  }

  async withdraw(scope: Scope, code: string): Promise<LocalPolicyView> {
    const rows = await this.ownRows(scope, code, 'policy.withdraw');
    const current = inEffect(rows).get(code);
    if (!current) throw new AppError('TJ_LOCAL_POLICY_STATE', '该政策当前没有生效的版本，无需撤回');
    const at = nowIso();
    await this.repo.transaction(async (trx) => {
      if ((await this.repo.withdraw(code, current.version, scope.username, at, trx)) !== 1)
        throw new AppError('TJ_LOCAL_POLICY_STATE', '该版本已被撤回，请刷新后重试');
      await this.audit.record(
        scope,
        'local_policy.withdraw',
        `local_policy:${code}`,
        { version: current.version, owner: current.owner_code, byOwner: scope.orgCode === current.owner_code },
        trx,
      );
    });
    this.policies.invalidateLocalPolicies();
    this.policies.warm(this.today());
    return this.get(scope, code);
  }
}

/** A version's definition as shown, or its code with the reason when the stored row cannot be read. */
function readableView(row: LocalPolicyRow) {
  try {
    return definitionView(parseStored(row));
  } catch (err) {
    if (err instanceof LocalPolicyUnreadable) return unreadableView(row, err.message);
    throw err;
  }
}
