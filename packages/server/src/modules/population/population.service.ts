/**
 * The registry in memory as typed columns (engine Population), rebuilt when the data changes.
 * Tag indexes, policy scans and assessments all read this one copy instead of the database.
 */
import { PopulationBuilder, type Population } from '@tingjian/engine';
import type { PopulationRepository } from './population.repository.ts';

export interface PopulationSnapshot {
  readonly version: number;
  readonly population: Population;
  /** Milliseconds the load took, for the logs and the benchmark. */
  readonly loadMs: number;
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

  private async load(version: number): Promise<PopulationSnapshot> {
    const started = performance.now();
    const b = new PopulationBuilder(1024);
    for await (const page of this.repo.households()) for (const h of page) b.addHousehold(h);
    for await (const page of this.repo.residents()) for (const r of page) b.addResident(r);
    for await (const page of this.repo.relations()) for (const r of page) b.addRelation(r.id_number, r.relation, r.able_to_support);
    for await (const page of this.repo.enrollments()) for (const e of page) b.addEnrollment(e.id_number, e.benefit_code, e.start_date, e.end_date);
    for await (const page of this.repo.identityTags()) for (const t of page) b.addIdentityTag(t.id_number, t.tag);
    const population = b.build();
    return { version, population, loadMs: performance.now() - started };
  }
}
