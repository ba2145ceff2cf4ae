/**
 * The registry in memory as typed columns (engine Population), rebuilt when the data changes.
 * Tag indexes, policy scans and assessments all read this one copy instead of the database.
 */
import { decodePopulation, encodePopulation, PopulationBuilder, type Population } from '@tingjian/engine';
import { nowIso } from '../../clock.ts';
import type { PopulationRepository } from './population.repository.ts';

export interface PopulationSnapshot {
  readonly version: number;
  readonly population: Population;
  /** Milliseconds the load took, for the logs and the benchmark. */
  readonly loadMs: number;
  /** Where it came from: the stored image, or the registry's rows (then the image is rewritten). */
  readonly from: 'image' | 'rows';
}

export class PopulationService {
  private current: { version: number; value: Promise<PopulationSnapshot> } | null = null;

  constructor(private readonly repo: PopulationRepository, private readonly dataVersion: () => number) {}

  /** The population for the current data version (loading it once per version). */
  snapshot(): Promise<PopulationSnapshot> {
    const version = this.dataVersion();
    if (this.current?.version !== version) {
      const value = this.load(version);
      this.current = { version, value };
      value.catch(() => { if (this.current?.value === value) this.current = null; });
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

  private async fromRows(): Promise<Population> {
    const b = new PopulationBuilder(1024);
    for await (const page of this.repo.households()) for (const h of page) b.addHousehold(h);
    for await (const page of this.repo.residents()) for (const r of page) b.addResident(r);
    for (const id of await this.repo.ableSupporters()) b.addRelation(id, '配偶', '是');
    for await (const page of this.repo.enrollments()) for (const e of page) b.addEnrollment(e.id_number, e.benefit_code, e.start_date, e.end_date);
    for await (const page of this.repo.identityTags()) for (const t of page) b.addIdentityTag(t.id_number, t.tag);
    return b.build();
  }
}
