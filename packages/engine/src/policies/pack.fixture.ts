/** Test factory: builds the population of a pack scenario (one household). Used by tests only. */
import { PopulationBuilder, type Population } from '../population/population.ts';
import type { ScenarioDef } from './pack.ts';

export function scenarioPopulation(s: ScenarioDef): Population {
  const b = new PopulationBuilder();
  const h = s.household as { housing_area_m2?: number; financial_assets_yuan?: number };
  b.addHousehold({
    household_id: 'H',
    committee_code: '310105001001',
    housing_area_m2: h.housing_area_m2 ?? null,
    financial_assets_yuan: h.financial_assets_yuan ?? null,
  });
  const str = (v: unknown) => (v === undefined || v === null ? null : String(v));
  const num = (v: unknown) => (v === undefined || v === null ? null : Number(v));
  for (const m of s.members) {
    b.addResident({
      id_number: m.id,
      birth_date: String(m.birth_date),
      household_id: 'H',
      gender: str(m.gender),
      hukou: str(m.hukou),
      marital_status: str(m.marital_status),
      disability_grade: num(m.disability_grade),
      disability_category: str(m.disability_category),
      monthly_income_yuan: num(m.monthly_income_yuan),
      employment: str(m.employment),
      school_stage: str(m.school_stage),
      labor_capacity: str(m.labor_capacity),
      chronic_illness: str(m.chronic_illness),
      medical_oop_12m_yuan: num(m.medical_oop_12m_yuan),
    });
  }
  for (const r of s.relations ?? []) b.addRelation(r.id, r.relation, r.able_to_support);
  for (const e of s.enrollments ?? [])
    b.addEnrollment(e.id, e.benefit_code, String(e.start_date), e.end_date == null ? null : String(e.end_date));
  return b.build();
}
