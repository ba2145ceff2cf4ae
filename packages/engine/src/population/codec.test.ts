import { describe, expect, it } from 'vitest';
import { decodePopulation, encodePopulation } from './codec.ts';
import { makePopulation } from './population.fixture.ts';
import { positionsOfSorted, subPopulation } from './population.ts';

describe('population image', () => {
  const p = makePopulation({
    households: [
      { household_id: 'H1', committee_code: '310105001001', housing_area_m2: 9, financial_assets_yuan: null },
      { household_id: 'H2', committee_code: '310105002001' },
    ],
    residents: [
      {
        id_number: 'B',
        household_id: 'H1',
        birth_date: '1966-11-28',
        hukou: '本市',
        monthly_income_yuan: 1200.5,
        disability_grade: 4,
        disability_category: '肢体',
      },
      { id_number: 'A', household_id: 'H2', birth_date: '2000-02-29', employment: '在校', school_stage: '高校' },
      {
        id_number: 'C',
        household_id: 'H2',
        birth_date: '1970-01-01',
        chronic_illness: '是',
        medical_oop_12m_yuan: 5000,
      },
    ],
    relations: [{ id_number: 'A', relation: '父母', able_to_support: '是' }],
    enrollments: [{ id_number: 'C', benefit_code: 'DIBAO', start_date: '2020-01-01', end_date: null }],
    identityTags: [{ id_number: 'B', tag: '退役军人' }],
  });
  it('reads back exactly what it wrote, lookups included', () => {
    const bytes = encodePopulation(p, { version: '7' });
    // An unaligned copy, as a database driver may hand it back.
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const { population: q, meta } = decodePopulation(shifted.subarray(3));
    expect(meta).toEqual({ version: '7' });
    const plain = (x: typeof p) => ({
      ...x,
      indexOf: ['A', 'B', 'C', 'Z'].map((k) => x.indexOf.get(k)),
      householdIndex: ['H1', 'H2', 'H3'].map((k) => x.householdIndex.get(k)),
    });
    expect(plain(q)).toEqual(plain(p));
    expect(q.ids).toEqual(['A', 'B', 'C']);
    expect(q.indexOf.get('C')).toBe(2);
  });
  it('cuts out households with everything about their members', () => {
    const sub = subPopulation(p, [p.householdIndex.get('H2')!]);
    expect(sub.ids).toEqual(['A', 'C']);
    expect(sub.ableSupporter[0]).toBe(1);
    expect([...sub.enrollments.get('DIBAO')!.person]).toEqual([1]);
    expect(sub.coded.chronic_illness[1]).toBe(p.coded.chronic_illness[2]);
    expect(sub.birth[0]).toBe(p.birth[0]);
    expect(sub.committees).toEqual(['310105002001']);
  });
  it('refuses what is not an image', () => {
    expect(() => decodePopulation(new TextEncoder().encode('hello world, not an image'))).toThrow(
      /not a population image/,
    );
  });
});

describe('positionsOfSorted', () => {
  it('finds many ascending keys in one pass, -1 for the missing', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `P${String(i * 3).padStart(5, '0')}`);
    const keys = ['A', 'P00000', 'P00001', 'P00003', 'P00900', 'P02997', 'P02998', 'Z'];
    expect([...positionsOfSorted(ids, keys)]).toEqual([-1, 0, -1, 1, 300, 999, -1, -1]);
    expect(() => positionsOfSorted(ids, ['B', 'A'])).toThrow(/ascending/);
  });
});
