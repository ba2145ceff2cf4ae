/** Test factory: a small population from partial rows (defaults fill the rest). Used by tests only. */
import {
  CODED_FACTS,
  PopulationBuilder,
  type HouseholdInput,
  type PersonInput,
  type Population,
} from './population.ts';

export type PersonSpec = Partial<PersonInput> & { id_number: string; household_id: string; birth_date: string };

export function makePopulation(spec: {
  households: Array<Partial<HouseholdInput> & { household_id: string }>;
  residents: PersonSpec[];
  relations?: Array<{ id_number: string; relation: string; able_to_support: string | null }>;
  enrollments?: Array<{ id_number: string; benefit_code: string; start_date: string; end_date: string | null }>;
  identityTags?: Array<{ id_number: string; tag: string }>;
}): Population {
  const b = new PopulationBuilder();
  for (const h of spec.households)
    b.addHousehold({ committee_code: '310105001001', housing_area_m2: null, financial_assets_yuan: null, ...h });
  // Reversed on purpose: the builder must put residents in id order whatever order they come in.
  const residents = [...spec.residents].reverse();
  for (const r of residents) {
    b.addResident({
      gender: null,
      hukou: null,
      marital_status: null,
      disability_grade: null,
      disability_category: null,
      monthly_income_yuan: null,
      employment: null,
      school_stage: null,
      labor_capacity: null,
      chronic_illness: null,
      medical_oop_12m_yuan: null,
      ...r,
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

/** A population with every kind of gap: empty cells, unborn members, one-person and large households. */

export function randomPopulationSpec(seed: number, households: number): Parameters<typeof makePopulation>[0] {
  const r = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const maybe = <T>(v: T, pNull = 0.2): T | null => (r() < pNull ? null : v);
  const hs = Array.from({ length: households }, (_, h) => ({
    household_id: `H${String(h).padStart(5, '0')}`,
    housing_area_m2: maybe(Math.round(r() * 120), 0.15),
    financial_assets_yuan: maybe(Math.round(r() * 80000), 0.2),
  }));
  const residents: PersonSpec[] = [];
  let id = 0;
  for (const h of hs) {
    const size = 1 + Math.floor(r() * r() * 6);
    for (let k = 0; k < size; k++) {
      const year = 1925 + Math.floor(r() * 102); // some born after the as-of dates: they do not exist yet
      const month = 1 + Math.floor(r() * 12);
      const day = month === 2 && r() < 0.2 ? 29 : 1 + Math.floor(r() * 28);
      const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
      residents.push({
        id_number: `P${String(id++).padStart(6, '0')}`,
        household_id: h.household_id,
        birth_date: `${year}-${String(month).padStart(2, '0')}-${String(month === 2 && day === 29 && !leap ? 28 : day).padStart(2, '0')}`,
        gender: maybe(pick(CODED_FACTS.gender), 0.05),
        hukou: maybe(pick(CODED_FACTS.hukou), 0.1),
        marital_status: maybe(pick(CODED_FACTS.marital_status)),
        disability_grade: r() < 0.7 ? null : 1 + Math.floor(r() * 4),
        disability_category: r() < 0.7 ? null : pick(CODED_FACTS.disability_category),
        monthly_income_yuan: maybe(Math.round(r() * 6000) + (r() < 0.3 ? 0.5 : 0)),
        employment: maybe(pick(CODED_FACTS.employment)),
        school_stage: r() < 0.6 ? null : pick(CODED_FACTS.school_stage),
        labor_capacity: maybe(pick(CODED_FACTS.labor_capacity)),
        chronic_illness: maybe(pick(CODED_FACTS.chronic_illness)),
        medical_oop_12m_yuan: maybe(Math.round(r() * 30000)),
      });
    }
  }
  const relations = residents
    .filter(() => r() < 0.4)
    .map((p) => ({
      id_number: p.id_number,
      relation: pick(['配偶', '父母', '子女']),
      able_to_support: pick(['是', '否', null]),
    }));
  const enrollments = residents
    .filter(() => r() < 0.2)
    .map((p) => ({
      id_number: p.id_number,
      benefit_code: pick(['DIBAO', 'TEKUN', 'LOW_INCOME']),
      start_date: '2020-01-01',
      end_date: r() < 0.5 ? null : '2026-06-30',
    }));
  return { households: hs, residents, relations, enrollments };
}

export function randomPopulation(seed: number, households: number): Population {
  return makePopulation(randomPopulationSpec(seed, households));
}
