/**
 * The policies in effect: the reference pack (read-only, from its file) plus the latest published
 * version of each local policy, compiled together so that a local rule may use the reference
 * pack's parameters and eligible("DIBAO"). A local policy applies to its owner's subtree only,
 * as a tag does (tagAppliesTo): outside it nobody is eligible and nobody is reviewed.
 */
import {
  F,
  PackError,
  type CompiledPack,
  type ParameterDef,
  type PackDef,
  type PolicyDef,
  type Population,
  type ScanResult,
  type PolicyColumns,
} from '@tingjian/engine';
import type { LocalPolicyRow } from './local-policies.repository.ts';
import type { LocalPolicyDefinitionView, LocalPolicyInput } from './local-policies.schema.ts';

/** A local policy as stored (JSON): one policy of pack.yaml with the parameters it brings. */
export interface StoredLocalPolicy extends PolicyDef {
  readonly parameters: readonly ParameterDef[];
}

export interface EffectivePack {
  readonly pack: CompiledPack;
  /** Local policy code → owner unit code. */
  readonly owners: ReadonlyMap<string, string>;
  /** Local policy code → version in effect. */
  readonly versions: ReadonlyMap<string, number>;
  /** The local policies compiled in, in the order they were added (each after those it refers to). */
  readonly locals: ReadonlyArray<{ readonly stored: StoredLocalPolicy; readonly version: number }>;
  /**
   * Published versions left out because they failed to read, compile or evaluate: code → the
   * version and the reason. The rest of the policies in effect work without them.
   */
  readonly broken: ReadonlyMap<string, BrokenLocalPolicy>;
}

export interface BrokenLocalPolicy {
  readonly version: number;
  readonly reason: string;
}

export function storedOf(input: LocalPolicyInput, owner: string): StoredLocalPolicy {
  return {
    code: input.code,
    name: input.name,
    owner,
    source: input.source,
    effective: { from: input.effectiveFrom, to: input.effectiveTo ?? null },
    rule: input.rule,
    labels: Object.fromEntries(Object.entries(input.labels ?? {}).filter(([, label]) => label.trim() !== '')),
    amount: input.amount?.trim() ? input.amount : null,
    apply: input.howToApply?.trim() ? input.howToApply : null,
    parameters: input.parameters.map((p) => ({
      name: p.name,
      label: p.label,
      ...(p.unit ? { unit: p.unit } : {}),
      values: p.values.map((v) => ({ from: v.from, value: v.value, source: v.source })),
    })),
  };
}

export function definitionView(d: StoredLocalPolicy): LocalPolicyDefinitionView {
  return {
    code: d.code,
    name: d.name,
    source: d.source,
    effectiveFrom: String(d.effective.from),
    effectiveTo: d.effective.to == null ? null : String(d.effective.to),
    rule: d.rule,
    labels: { ...(d.labels ?? {}) },
    amount: d.amount ?? null,
    howToApply: d.apply ?? null,
    parameters: d.parameters.map((p) => ({
      name: p.name,
      label: p.label,
      unit: p.unit ?? null,
      values: p.values.map((v) => ({ from: String(v.from), value: v.value, source: v.source })),
    })),
  };
}

/** A stored definition, or throws a LocalPolicyUnreadable saying what is wrong with it. */
export function parseStored(row: LocalPolicyRow): StoredLocalPolicy {
  let d: unknown;
  try {
    d = JSON.parse(row.definition);
  } catch (err) {
    throw new LocalPolicyUnreadable(
      `定义无法读取（不是有效的 JSON：${err instanceof Error ? err.message : String(err)}）`,
    );
  }
  // Rows written by hand or by an older version: every field the views and the pack read, checked
  // here so that one such row is reported instead of failing every list and scan.
  const v = d as Record<string, unknown> | null;
  const bad = (field: string) => {
    throw new LocalPolicyUnreadable(`定义无法读取（${field} 缺失或类型不对）`);
  };
  if (typeof v !== 'object' || v === null) return bad('定义');
  for (const f of ['code', 'name', 'source', 'rule'] as const) if (typeof v[f] !== 'string') bad(f);
  if (v.amount != null && typeof v.amount !== 'string') bad('amount');
  if (v.apply != null && typeof v.apply !== 'string') bad('apply');
  // Versions stored before conditions had labels have none: their conditions are shown by their code.
  if (
    v.labels != null &&
    (typeof v.labels !== 'object' ||
      Array.isArray(v.labels) ||
      Object.values(v.labels).some((x) => typeof x !== 'string'))
  )
    bad('labels');
  const effective = v.effective as Record<string, unknown> | null;
  if (
    typeof effective !== 'object' ||
    effective === null ||
    typeof effective.from !== 'string' ||
    (effective.to != null && typeof effective.to !== 'string')
  )
    bad('effective');
  if (!Array.isArray(v.parameters)) bad('parameters');
  for (const p of v.parameters as unknown[]) {
    const q = p as Record<string, unknown> | null;
    if (
      typeof q !== 'object' ||
      q === null ||
      typeof q.name !== 'string' ||
      typeof q.label !== 'string' ||
      !Array.isArray(q.values)
    )
      bad('parameters');
    for (const x of q!.values as unknown[]) {
      const y = x as Record<string, unknown> | null;
      if (
        typeof y !== 'object' ||
        y === null ||
        typeof y.from !== 'string' ||
        typeof y.value !== 'number' ||
        typeof y.source !== 'string'
      )
        bad('parameters.values');
    }
  }
  return v as unknown as StoredLocalPolicy;
}

export class LocalPolicyUnreadable extends Error {}

/** What a version shows when its stored definition cannot be read: its code, and the reason in place of a name. */
export function unreadableView(row: LocalPolicyRow, reason: string): LocalPolicyDefinitionView {
  return {
    code: row.code,
    name: reason,
    source: '',
    effectiveFrom: '',
    effectiveTo: null,
    rule: '',
    labels: {},
    amount: null,
    howToApply: null,
    parameters: [],
  };
}

/** Per code, the version in effect: the latest one ever published, unless it was withdrawn. */
export function inEffect(rows: readonly LocalPolicyRow[]): Map<string, LocalPolicyRow> {
  const latestPublished = new Map<string, LocalPolicyRow>();
  for (const r of rows) {
    if (r.published_at === null) continue;
    const prev = latestPublished.get(r.code);
    if (!prev || prev.version < r.version) latestPublished.set(r.code, r);
  }
  for (const [code, r] of latestPublished) if (r.status !== 'published') latestPublished.delete(code);
  return latestPublished;
}

/** The reference pack's definition with local policies (and their parameters) added after it. */
export function combinedDef(reference: PackDef, locals: readonly StoredLocalPolicy[]): PackDef {
  return {
    ...reference,
    parameters: [...reference.parameters, ...locals.flatMap((l) => l.parameters)],
    policies: [...reference.policies, ...locals.map(({ parameters: _p, ...policy }) => policy)],
    scenarios: [],
  };
}

/**
 * The scan with every local policy limited to its owner's subtree: eligible and holds are false
 * outside it (fresh arrays; the scan's own are left as they were), so no lead or review appears
 * there. Rules of local policies may only refer to policies of their owner or above, whose
 * subtree contains theirs, so the columns they read were already right where they apply.
 */
export function restrictToOwners(
  scan: ScanResult,
  population: Population,
  owners: ReadonlyMap<string, string>,
): ScanResult {
  if (owners.size === 0) return scan;
  const committeeOf = new Uint16Array(population.n);
  for (let i = 0; i < population.n; i++) committeeOf[i] = population.householdCommittee[population.household[i]!]!;
  const columns = new Map<string, PolicyColumns>();
  for (const [code, c] of scan.columns) {
    const owner = owners.get(code);
    if (owner === undefined || population.committees.every((k) => k.startsWith(owner))) {
      columns.set(code, c);
      continue;
    }
    const inside = Uint8Array.from(population.committees, (k) => (k.startsWith(owner) ? 1 : 0));
    const eligible = c.eligible.slice();
    const holds = c.holds.slice();
    for (let i = 0; i < eligible.length; i++) {
      if (inside[committeeOf[i]!]) continue;
      eligible[i] = F;
      holds[i] = F;
    }
    columns.set(code, { ...c, eligible, holds });
  }
  return { ...scan, columns };
}

/** Whether a local policy owned by `owner` applies to a resident of `committee`. */
export function appliesTo(owner: string | undefined, committee: string): boolean {
  return owner === undefined || committee.startsWith(owner);
}

/**
 * Where a pack error points in a draft: the field (rule, amount, parameters, …) and, for a rule
 * or amount, the 1-based character position the rule language reported.
 */
export function errorPosition(err: PackError, code: string): { field: string; position: number | null; where: string } {
  const where = err.where;
  const field =
    / rule$/.test(where) && where.includes(code)
      ? 'rule'
      : / amount$/.test(where) && where.includes(code)
        ? 'amount'
        : / labels$/.test(where) && where.includes(code)
          ? 'labels'
          : where.startsWith('parameters')
            ? 'parameters'
            : 'policy';
  const m = /第 (\d+) 个字符处/.exec(err.message);
  return { field, position: m ? Number(m[1]) : null, where };
}
