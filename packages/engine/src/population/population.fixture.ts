/** Test factory: a small population from partial rows (defaults fill the rest). Used by tests only. */
import { PopulationBuilder, type HouseholdInput, type PersonInput, type Population } from './population.ts';

export type PersonSpec = Partial<PersonInput> & { id_number: string; household_id: string; birth_date: string };

export function makePopulation(spec: {
  households: Array<Partial<HouseholdInput> & { household_id: string }>;
  residents: PersonSpec[];
  relations?: Array<{ id_number: string; relation: string; able_to_support: string | null }>;
  enrollments?: Array<{ id_number: string; benefit_code: string; start_date: string; end_date: string | null }>;
  identityTags?: Array<{ id_number: string; tag: string }>;
}): Population {
  const b = new PopulationBuilder();
  for (const h of spec.households) b.addHousehold({ committee_code: '310105001001', housing_area_m2: null, financial_assets_yuan: null, ...h });
  // Reversed on purpose: the builder must put residents in id order whatever order they come in.
  const residents = [...spec.residents].reverse();
  for (const r of residents) {
    b.addResident({
      gender: null, hukou: null, marital_status: null, disability_grade: null, disability_category: null, monthly_income_yuan: null,
      employment: null, school_stage: null, labor_capacity: null, chronic_illness: null, medical_oop_12m_yuan: null, ...r,
    });
  }
  for (const r of spec.relations ?? []) b.addRelation(r.id_number, r.relation, r.able_to_support);
  for (const e of spec.enrollments ?? []) b.addEnrollment(e.id_number, e.benefit_code, e.start_date, e.end_date);
  for (const t of spec.identityTags ?? []) b.addIdentityTag(t.id_number, t.tag);
  return b.build();
}

/** A small deterministic PRNG for randomized cross-checks (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
