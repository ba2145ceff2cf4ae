import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { makePopulation, prng, randomPopulationSpec } from '../population/population.fixture.ts';
import { membersOf, patchPopulation } from '../population/population.ts';
import { compilePack, type PackDef } from './pack.ts';
import { findings, patchFindings, rescanHouseholds, scanPopulation } from './scan.ts';

const pack = compilePack(
  parse(readFileSync(join(import.meta.dirname, '../../../../policies/reference/pack.yaml'), 'utf8')) as PackDef,
);

describe('re-evaluating only the households a change touched', () => {
  it('gives the same findings and amounts as a whole scan of the registry rebuilt from the changed rows', () => {
    const spec = randomPopulationSpec(3, 600);
    const before = makePopulation(spec);
    const r = prng(99);
    // Change 40 households: incomes, disability, a birth date, a benefit ending, a relation's support, a housing area.
    const households = [
      ...new Set(
        Array.from({ length: 40 }, () => spec.households[Math.floor(r() * spec.households.length)]!.household_id),
      ),
    ];
    const touched = new Set(households);
    const residents = spec.residents.map((p) => {
      if (!touched.has(p.household_id)) return p;
      return {
        ...p,
        monthly_income_yuan: r() < 0.5 ? Math.round(r() * 900) : (p.monthly_income_yuan ?? null),
        disability_grade: r() < 0.3 ? 1 : (p.disability_grade ?? null),
        birth_date: r() < 0.1 ? '1966-11-28' : p.birth_date,
      };
    });
    const changedIds = new Set(residents.filter((p) => touched.has(p.household_id)).map((p) => p.id_number));
    const enrollments = (spec.enrollments ?? []).map((e) =>
      changedIds.has(e.id_number) && r() < 0.5 ? { ...e, end_date: '2025-12-31' } : e,
    );
    enrollments.push(
      ...[...changedIds]
        .slice(0, 5)
        .map((id) => ({ id_number: id, benefit_code: 'DIBAO', start_date: '2026-01-01', end_date: null })),
    );
    const relations = (spec.relations ?? []).map((x) =>
      changedIds.has(x.id_number) ? { ...x, able_to_support: '否' } : x,
    );
    const hs = spec.households.map((h) => (touched.has(h.household_id) ? { ...h, housing_area_m2: 12 } : h));
    const after = makePopulation({ ...spec, households: hs, residents, enrollments, relations });

    const patched = patchPopulation(before, {
      households: hs
        .filter((h) => touched.has(h.household_id))
        .map((h) => ({ committee_code: '310105001001', housing_area_m2: null, financial_assets_yuan: null, ...h })),
      residents: residents
        .filter((p) => changedIds.has(p.id_number))
        .map((p) => ({
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
          ...p,
        })),
      ableSupporter: new Map([...changedIds].map((id) => [id, after.ableSupporter[after.indexOf.get(id)!] === 1])),
      enrollments: new Map([...changedIds].map((id) => [id, enrollments.filter((e) => e.id_number === id)])),
    });
    expect(patched).not.toBeNull();
    for (const asOf of ['2026-11-28', '2026-11-27', '2024-02-29']) {
      const whole = scanPopulation(pack, after, asOf);
      const previous = scanPopulation(pack, before, asOf);
      const touchedHouseholds = households.map((id) => before.householdIndex.get(id)!);
      const partial = rescanHouseholds(pack, previous, patched!, touchedHouseholds);
      const list = (s: typeof whole) =>
        [...findings(s)].map((f) => `${after.ids[f.index]} ${f.policy} ${f.kind} ${f.monthlyAmount}`);
      expect(list(partial)).toEqual(list(whole));
      // The previous list with the touched members' findings replaced: the same list, in order.
      const rows = membersOf(before, touchedHouseholds);
      const patchedList = patchFindings(findings(previous), partial, rows).map(
        (f) => `${after.ids[f.index]} ${f.policy} ${f.kind} ${f.monthlyAmount}`,
      );
      expect(patchedList).toEqual(list(whole));
      expect(list(partial).length).toBeGreaterThan(0);
      // And the change mattered: the findings before differ.
      expect(list(scanPopulation(pack, before, asOf))).not.toEqual(list(whole));
    }
  });

  it('keeps the columns a change did not alter, and still equals a whole scan (incomes only, benefits as they were)', () => {
    const spec = randomPopulationSpec(8, 400);
    const before = makePopulation(spec);
    const base = {
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
    };
    const household = spec.households[7]!.household_id;
    const residents = spec.residents.map((p) =>
      p.household_id === household ? { ...p, monthly_income_yuan: 0, hukou: '本市' } : p,
    );
    const after = makePopulation({ ...spec, residents });
    const patched = patchPopulation(before, {
      residents: residents.filter((p) => p.household_id === household).map((p) => ({ ...base, ...p })),
    })!;
    expect(patched.enrollments).toBe(before.enrollments);
    const previous = scanPopulation(pack, before, '2026-11-28');
    const partial = rescanHouseholds(pack, previous, patched, [before.householdIndex.get(household)!]);
    const whole = scanPopulation(pack, after, '2026-11-28');
    const list = (s: typeof whole) =>
      [...findings(s)].map((f) => `${after.ids[f.index]} ${f.policy} ${f.kind} ${f.monthlyAmount}`);
    expect(list(partial)).toEqual(list(whole));
    expect(list(partial)).not.toEqual(list(previous));
    // Only the columns a value changed in are new; enrollments given as they were keep the map.
    const again = patchPopulation(before, {
      residents: residents.filter((p) => p.household_id === household).map((p) => ({ ...base, ...p })),
      enrollments: new Map(
        residents
          .filter((p) => p.household_id === household)
          .map((p) => [p.id_number, (spec.enrollments ?? []).filter((e) => e.id_number === p.id_number)]),
      ),
    })!;
    expect(again.enrollments).toBe(before.enrollments);
    expect(again.birth).toBe(before.birth);
    expect(again.coded.gender).toBe(before.coded.gender);
    expect(again.income).not.toBe(before.income);
    // Benefits held did not change: the previous columns are reused, not copied.
    for (const [code, c] of partial.columns) expect(c.holds).toBe(previous.columns.get(code)!.holds);
    expect([...partial.columns].some(([code, c]) => c.eligible === previous.columns.get(code)!.eligible)).toBe(true);
  });

  it('refuses a structural change: a new resident, or a move to another household', () => {
    const spec = randomPopulationSpec(5, 50);
    const p = makePopulation(spec);
    const someone = spec.residents[0]!;
    const base = {
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
    };
    expect(patchPopulation(p, { residents: [{ ...base, ...someone, id_number: 'NEW000000000000000' }] })).toBeNull();
    const other = spec.households.find((h) => h.household_id !== someone.household_id)!;
    expect(patchPopulation(p, { residents: [{ ...base, ...someone, household_id: other.household_id }] })).toBeNull();
    expect(
      patchPopulation(p, {
        households: [
          { household_id: 'H-NEW', committee_code: '310105001001', housing_area_m2: null, financial_assets_yuan: null },
        ],
      }),
    ).toBeNull();
  });
});
