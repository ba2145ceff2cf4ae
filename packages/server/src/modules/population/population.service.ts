/**
 * The registry in memory as typed columns (engine Population), rebuilt when the data changes.
 * Tag indexes, policy scans and assessments all read this one copy instead of the database.
 */
import {
  decodePopulation,
  encodePopulation,
  patchPopulation,
  PopulationBuilder,
  type Population,
} from '@tingjian/engine';
import type { DataChange } from '../import/import.service.ts';
import { nowIso } from '../../clock.ts';
import type { PopulationRepository } from './population.repository.ts';
import { nextTurn } from '../../db/paging.ts';
import { inBackground } from '../../date-cache.ts';

export interface PopulationSnapshot {
  readonly version: number;
  readonly population: Population;
  /** Milliseconds the load took, for the logs and the benchmark. */
  readonly loadMs: number;
  /** Where it came from: the stored image, the registry's rows (then the image is rewritten), or a patch of the previous version. */
  readonly from: 'image' | 'rows' | 'patch';
  /** For a patch: the version it was patched from and the households whose members changed (indices). */
  readonly patch?: { readonly from: number; readonly households: Int32Array };
}

/** Above this many changed residents and households, building anew is simpler than patching. */
const PATCH_LIMIT = 20_000;

export class PopulationService {
  private current: { version: number; value: Promise<PopulationSnapshot> } | null = null;

  constructor(
    private readonly repo: PopulationRepository,
    private readonly dataVersion: () => number,
  ) {}

  /**
   * Follows a committed import: a small change to residents and households already in memory is
   * patched into a copy of the columns (same numbering), and the households it touched are
   * remembered so that scans re-evaluate just their members. Anything else loads on next use.
   */
  applyChange(change: DataChange): void {
    const prev = this.current;
    if (!prev || prev.version !== change.version - 1 || change.structural) return;
    if (change.persons.size + change.households.size > PATCH_LIMIT) return;
    const value = this.patch(prev.value, change);
    this.current = { version: change.version, value };
    value.catch(() => {
      if (this.current?.value === value) this.current = null;
    });
  }

  private async patch(previous: Promise<PopulationSnapshot>, change: DataChange): Promise<PopulationSnapshot> {
    const started = performance.now();
    const base = (await previous).population;
    const rows = await this.repo.rowsFor([...change.persons], [...change.households]);
    const enrollments = new Map<string, Array<{ benefit_code: string; start_date: string; end_date: string | null }>>(
      [...change.persons].map((id) => [id, []]),
    );
    for (const e of rows.enrollments) enrollments.get(e.id_number)?.push(e);
    const identityTags = new Map<string, string[]>([...change.persons].map((id) => [id, []]));
    for (const t of rows.identityTags) identityTags.get(t.id_number)?.push(t.tag);
    const population = patchPopulation(base, {
      households: rows.households,
      residents: rows.residents,
      ableSupporter: new Map([...change.persons].map((id) => [id, rows.able.has(id)])),
      enrollments,
      identityTags,
    });
    if (!population) return this.load(change.version);
    const touched = new Set<number>();
    for (const id of change.households) {
      const h = population.householdIndex.get(id);
      if (h !== undefined) touched.add(h);
    }
    for (const id of change.persons) {
      const i = population.indexOf.get(id);
      if (i !== undefined) touched.add(population.household[i]!);
    }
    // The stored image follows in the background, labelled with this import's run, and only if no
    // other import came since (then that one's change writes it): a restart before it is written
    // rebuilds from the rows.
    const storage = `run:${change.runId}`;
    if ((await this.repo.storageVersion()) === storage) {
      // Each in a task of its own, after the patch has been handed on: at a million the encoding
      // (~0.3 s) and the write of the image (~0.4 s, one SQLite statement) held the requests as
      // one stall with the patch itself.
      inBackground(async () => {
        try {
          await nextTurn();
          const data = encodePopulation(population, { version: storage });
          await nextTurn();
          await this.repo.writeImage(storage, data, nowIso());
        } catch (err) {
          console.error(
            `人口快照写入失败（下次启动时从登记表重建）：${err instanceof Error ? err.message : String(err)}`,
          );
        }
      });
    }
    return {
      version: change.version,
      population,
      loadMs: performance.now() - started,
      from: 'patch',
      patch: { from: change.version - 1, households: Int32Array.from([...touched].sort((a, b) => a - b)) },
    };
  }

  /** The population for the current data version (loading it once per version). */
  snapshot(): Promise<PopulationSnapshot> {
    const version = this.dataVersion();
    if (this.current?.version !== version) {
      const value = this.load(version);
      this.current = { version, value };
      value.catch(() => {
        if (this.current?.value === value) this.current = null;
      });
    }
    return this.current.value;
  }

  /**
   * The stored image when it matches the registry's state (a restart reads tens of megabytes, not
   * millions of rows); otherwise the rows, after which the image is rewritten for next time.
   */
  private async load(version: number): Promise<PopulationSnapshot> {
    const started = performance.now();
    const storage = await this.repo.storageVersion();
    const image = await this.repo.readImage();
    if (image && image.version === storage) {
      try {
        const { population } = decodePopulation(image.data);
        return { version, population, loadMs: performance.now() - started, from: 'image' };
      } catch {
        // A damaged or older image: rebuild it from the rows below.
      }
    }
    const population = await this.fromRows();
    await this.repo.writeImage(storage, encodePopulation(population, { version: storage }), nowIso());
    return { version, population, loadMs: performance.now() - started, from: 'rows' };
  }

  /** The population read afresh from the registry's rows (what a patch must equal). */
  async fromRows(): Promise<Population> {
    const b = new PopulationBuilder(1024);
    for await (const page of this.repo.households()) for (const h of page) b.addHousehold(h);
    for await (const page of this.repo.residents()) for (const r of page) b.addResident(r);
    for (const id of await this.repo.ableSupporters()) b.addRelation(id, '配偶', '是');
    for await (const page of this.repo.enrollments())
      for (const e of page) b.addEnrollment(e.id_number, e.benefit_code, e.start_date, e.end_date);
    for await (const page of this.repo.identityTags()) for (const t of page) b.addIdentityTag(t.id_number, t.tag);
    return b.build();
  }
}
