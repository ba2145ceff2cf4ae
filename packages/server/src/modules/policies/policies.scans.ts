/**
 * The scans of the policies in effect: the reference pack and the published local policies,
 * compiled together, evaluated over the whole registry (engine scan, columnar) per as-of date
 * and cached per (date, data version, local-policy version). An import re-evaluates everyone, or
 * after a small one only the touched households; a new day re-evaluates for that day (the man of
 * the first story becomes a TEKUN lead on his 60th birthday). Each scan carries its findings and
 * the counts per committee and policy that the figures sum.
 */
import {
  compilePack,
  findings,
  membersOf,
  PackError,
  patchFindings,
  rescanHouseholds,
  scanPopulation,
  T,
  F,
  type CompiledPack,
  type Finding,
  type Population,
  type ScanResult,
} from '@tingjian/engine';
import { DateCache, type DateEntry } from '../../date-cache.ts';
import { AppError } from '../../errors.ts';
import { outsidePack } from '../../pack-errors.ts';
import type { PopulationService } from '../population/population.service.ts';
import type { LocalPolicyRepository } from './local-policies.repository.ts';
import {
  combinedDef,
  inEffect,
  parseStored,
  restrictToOwners,
  type BrokenLocalPolicy,
  type EffectivePack,
  type StoredLocalPolicy,
} from './local-policies.pack.ts';

const MAX_CACHED_DATES = 3;
/**
 * How the reference pack is compiled with local policies: a condition their author left without
 * a label is worded by its code (the reference pack's own were all checked when its file loaded).
 */
export const LOCAL_WORDING = { unlabelled: 'code' } as const;

export type FindingKind = 'lead' | 'review';

export interface ScanEntry {
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

export class PolicyScans {
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
    private readonly population: PopulationService,
    private readonly dataVersion: () => number,
    private readonly locals?: LocalPolicyRepository,
  ) {
    this.scans = new DateCache({
      name: '政策扫描',
      size: MAX_CACHED_DATES,
      version: () => `${this.dataVersion()}/${this.localVersion}`,
      compute: (asOf, stale) => this.compute(asOf, stale),
    });
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
        if (failed !== undefined) {
          unreadable.set(r.code, { version: r.version, reason: failed });
          continue;
        }
        try {
          readable.push({ stored: parseStored(r), version: r.version });
        } catch (err) {
          unreadable.set(r.code, { version: r.version, reason: err instanceof Error ? err.message : String(err) });
        }
      }
      const compiled = this.compileEffective(readable);
      const broken = new Map([...unreadable, ...compiled.broken]);
      for (const [code, b] of broken)
        console.error(`本地政策 ${code} 第 ${b.version} 版未能生效，已从扫描中排除：${b.reason}`);
      return { ...compiled, broken };
    })();
    this.effectiveCache = { version, value };
    value.catch(() => {
      if (this.effectiveCache?.value === value) this.effectiveCache = null;
    });
    return value;
  }

  /**
   * Compiles the reference pack with local policies; those that do not compile are left out and
   * listed in `broken`. `throwOn` names the one whose errors are the caller's (a draft): its
   * error is thrown instead, always as a PackError.
   */
  compileEffective(
    locals: ReadonlyArray<{ stored: StoredLocalPolicy; version: number }>,
    throwOn?: string,
  ): EffectivePack {
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
          pack = compilePack(
            combinedDef(
              this.pack.def,
              [...kept, l].map((x) => x.stored),
            ),
            LOCAL_WORDING,
          );
          kept.push(l);
        } catch (err) {
          // Anything else a stored definition makes the compiler throw is this policy's error too, not everyone's.
          errors.set(
            l.stored.code,
            err instanceof PackError
              ? err
              : new PackError(
                  `policies ${l.stored.code}`,
                  `无法编译：${err instanceof Error ? err.message : String(err)}`,
                ),
          );
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
      broken: new Map(
        pending.map((l) => [l.stored.code, { version: l.version, reason: reasonOf(errors.get(l.stored.code)) }]),
      ),
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
      throw new AppError(
        'TJ_LOCAL_POLICY_EVALUATION',
        `草案在当前登记数据上试算失败，未发布：${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /**
   * After a scan threw: which local policies throw on this registry and date, each tried after
   * the reference pack and the ones before it. They are left out from now on (logged, and listed
   * as broken); returns whether any was found (if none, the reference pack itself is at fault).
   */
  private leaveOutFailing(effective: EffectivePack, population: Population, asOf: string, cause: unknown): boolean {
    console.error(
      `政策扫描（${asOf}）失败，逐项检查本地政策：${cause instanceof Error ? cause.message : String(cause)}`,
    );
    const good: Array<{ stored: StoredLocalPolicy; version: number }> = [];
    let found = false;
    for (const l of effective.locals) {
      try {
        const pack = compilePack(
          combinedDef(
            this.pack.def,
            [...good, l].map((x) => x.stored),
          ),
          LOCAL_WORDING,
        );
        scanPopulation(pack, population, asOf);
        good.push(l);
      } catch (err) {
        if (err instanceof PackError) {
          good.push(l);
          continue;
        }
        found = true;
        this.failedEvaluation.set(
          `${l.stored.code}@${l.version}`,
          `扫描时出错：${err instanceof Error ? err.message : String(err)}`,
        );
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
      previous =
        snapshot.patch && prior && prior.version === `${snapshot.patch.from}/${this.localVersion}`
          ? await prior.value.catch(() => null)
          : null;
      if (previous && previous.effective !== effective) previous = null;
      scan = previous
        ? restrictToOwners(
            rescanHouseholds(effective.pack, previous.scan, population, snapshot.patch!.households),
            population,
            effective.owners,
          )
        : restrictToOwners(scanPopulation(effective.pack, population, asOf), population, effective.owners);
    } catch (err) {
      if (err instanceof PackError) throw outsidePack(err);
      // One local policy must not stop the scan of everyone: find it, leave it out, scan again.
      if (effective.locals.length > 0 && this.leaveOutFailing(effective, population, asOf, err))
        return this.compute(asOf);
      throw err;
    }
    const codes = effective.pack.policies.map((p) => p.def.code);
    // After a patch that kept every household in its committee, only the touched households'
    // members change the figures: their old counts are taken out and their new ones put in.
    if (
      previous &&
      population.household === previous.population.household &&
      population.householdCommittee === previous.population.householdCommittee &&
      population.committees === previous.population.committees
    ) {
      const rows = membersOf(population, snapshot.patch!.households);
      const cube = previous.cube.slice();
      tally(cube, previous.scan, codes, previous.committeeOf, rows, -1);
      tally(cube, scan, codes, previous.committeeOf, rows, +1);
      return {
        effective,
        scan,
        population,
        findings: patchFindings(previous.findings, scan, rows),
        committeeOf: previous.committeeOf,
        cube,
      };
    }
    const committeeOf = new Uint16Array(population.n);
    for (let i = 0; i < population.n; i++) committeeOf[i] = population.householdCommittee[population.household[i]!]!;
    const cube = new Int32Array(population.committees.length * codes.length * 3);
    tally(cube, scan, codes, committeeOf, null, +1);
    return { effective, scan, population, findings: findings(scan), committeeOf, cube };
  }

  /** Every finding of the whole deployment on a date (the command line). */
  async allFindings(
    asOf: string,
    policy?: string,
  ): Promise<Array<{ id_number: string; policy: string; kind: FindingKind; monthly_amount_yuan: number | null }>> {
    const { pack } = await this.effectivePack();
    if (policy && !pack.policies.some((p) => p.def.code === policy))
      throw new AppError(
        'TJ_POLICY_NOT_FOUND',
        `政策包中没有 ${policy}（可用：${pack.def.policies.map((p) => p.code).join('、')}）`,
      );
    const entry = await this.scanFor(asOf);
    return entry.findings
      .filter((f) => !policy || f.policy === policy)
      .map((f) => ({
        id_number: entry.population.ids[f.index]!,
        policy: f.policy,
        kind: f.kind,
        monthly_amount_yuan: f.monthlyAmount,
      }));
  }
}

/** A local policy's compile error in the admin's words: which field, not the engine's place in the combined pack. */
function reasonOf(err: PackError | undefined): string {
  if (!err) return '无法编译';
  return err.message
    .replace(/^policies(?:\[\d+\])? \S+ rule：/, '认定规则')
    .replace(/^policies(?:\[\d+\])? \S+ amount：/, '金额公式')
    .replace(/^policies(?:\[\d+\])? \S+ labels：/, '条件说明：')
    .replace(/^policies(?:\[\d+\])? \S+：/, '');
}

/**
 * Adds (+1) or takes away (−1) the counts of a scan's people (`rows`, or everyone) to the cube:
 * per committee × policy, reached (eligible and holding), leads and reviews.
 */
function tally(
  cube: Int32Array,
  scan: ScanResult,
  codes: readonly string[],
  committeeOf: Uint16Array,
  rows: Int32Array | null,
  sign: number,
): void {
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
