import { describe, expect, it } from 'vitest';
import { ageOn, addDays } from '../dates.ts';
import { COLUMNS, validateRow } from '../exchange.ts';
import { demoStoryIds, generateDemoPopulation, type DemoOptions } from './generate.ts';

const committees = [
  ...Array.from({ length: 14 }, (_, i) => ({ code: `310105001${String(i + 1).padStart(3, '0')}`, name: `华阳${i + 1}` })),
  ...Array.from({ length: 10 }, (_, i) => ({ code: `310105011${String(i + 1).padStart(3, '0')}`, name: `北新泾${i + 1}` })),
];
const options: DemoOptions = { residents: 5000, asOf: '2026-11-28', committees };
const records = [...generateDemoPopulation(options)];
const residents = records.filter((r) => r.table === 'residents').map((r) => r.row as import('../exchange.ts').ResidentRow);

describe('the demo population', () => {
  it('has about the asked size and valid, unique ids', () => {
    expect(residents.length).toBeGreaterThanOrEqual(5000);
    expect(residents.length).toBeLessThan(5020);
    expect(new Set(residents.map((r) => r.id_number)).size).toBe(residents.length);
  });

  it('writes only rows the import accepts, each household before its members', () => {
    const seen = new Set<string>();
    const wholeRows = new Set<string>();
    for (const rec of records) {
      if (rec.table !== 'households' && rec.table !== 'residents') {
        const key = `${rec.table}:${JSON.stringify(rec.row)}`;
        expect(wholeRows.has(key), key).toBe(false);
        wholeRows.add(key);
      }
      const row = rec.row as unknown as Record<string, unknown>;
      const cells = Object.fromEntries(COLUMNS[rec.table].map(([c]) => [c, row[c] === null || row[c] === undefined ? '' : String(row[c])]));
      const v = validateRow(rec.table, cells);
      expect(v.ok, JSON.stringify(v)).toBe(true);
      if (rec.table === 'households') seen.add(rec.row.household_id);
      if (rec.table === 'residents') expect(seen.has(rec.row.household_id)).toBe(true);
    }
  });

  it('has the age structure of an ageing Shanghai district', () => {
    const share = (p: (age: number) => boolean) => residents.filter((r) => p(ageOn(r.birth_date, options.asOf))).length / residents.length;
    expect(share((a) => a >= 60)).toBeGreaterThan(0.32);
    expect(share((a) => a >= 60)).toBeLessThan(0.42);
    expect(share((a) => a >= 80)).toBeGreaterThan(0.07);
    expect(share((a) => a < 15)).toBeGreaterThan(0.08);
  });

  it('leaves a take-up gap and has enrollments of every main kind', () => {
    const codes = new Set(records.filter((r) => r.table === 'enrollments').map((r) => (r.row as { benefit_code: string }).benefit_code));
    for (const c of ['DIBAO', 'LOW_INCOME', 'TEKUN', 'ELDER_ALONE', 'SEVERE_DISABLED_CARE']) expect(codes).toContain(c);
  });

  it('tells the three stories, relative to the as-of date', () => {
    const ids = demoStoryIds(options);
    const byId = new Map(residents.map((r) => [r.id_number, r]));
    const guo = byId.get(ids.tekunMan)!;
    expect(guo).toMatchObject({ gender: '男', marital_status: '未婚', disability_grade: 4, disability_category: '肢体', hukou: '本市' });
    expect(ageOn(guo.birth_date, options.asOf)).toBe(60);
    expect(ageOn(guo.birth_date, addDays(options.asOf, -1))).toBe(59);
    expect(guo.household_id.startsWith('DSTORY') && committees.some((c) => c.code.startsWith('310105001'))).toBe(true);
    const guoRelations = records.filter((r) => r.table === 'relations' && r.row.id_number === guo.id_number).map((r) => (r.row as { relation: string }).relation);
    expect(guoRelations).toEqual(['兄弟姐妹']);
    const daughter = byId.get(ids.daughter)!;
    expect(ageOn(daughter.birth_date, options.asOf)).toBe(15);
    expect(daughter.school_stage).toBe('中职');
    expect(byId.get(ids.widowedMother)!.marital_status).toBe('丧偶');
    expect(byId.get(ids.disabledWoman)!.disability_grade).toBeNull();
    const storyIds = new Set(Object.values(ids));
    expect(records.some((r) => r.table === 'enrollments' && storyIds.has(r.row.id_number))).toBe(false);
  });

  it('is the same for the same seed and different for another', () => {
    const again = [...generateDemoPopulation(options)].filter((r) => r.table === 'residents').slice(0, 50);
    expect(again.map((r) => r.row)).toEqual(residents.slice(0, 50));
    const other = [...generateDemoPopulation({ ...options, seed: 7 })].filter((r) => r.table === 'residents').slice(0, 5);
    expect(other.map((r) => (r.row as { id_number: string }).id_number)).not.toEqual(residents.slice(0, 5).map((r) => r.id_number));
  });
});
