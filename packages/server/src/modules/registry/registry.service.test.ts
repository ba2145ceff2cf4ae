import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ageOn } from '@tingjian/engine';
import { DIALECTS, FIXTURES, SAMPLE_DIR, freshServices } from '../../test/helpers.ts';
import type { Services } from '../../services.ts';
import { systemScope, type Scope } from '../auth/scope.ts';
import { openSource } from '../import/sources.ts';
import { residentsWorkbook } from './registry.export.ts';
import { RegistryRepository } from './registry.repository.ts';
import { RegistryService } from './registry.service.ts';

const AS_OF = '2026-11-28';
const rejected = new Set(
  readFileSync(join(FIXTURES, 'samples/changning-small.rejected.txt'), 'utf8').trim().split('\n'),
);
const households = new Map(
  (
    parse(readFileSync(join(SAMPLE_DIR, 'households.csv')), { columns: true, bom: true }) as Record<string, string>[]
  ).map((h) => [h.household_id!, h]),
);
// An independent reading of the sample: the accepted residents with their committee.
const residents = (
  parse(readFileSync(join(SAMPLE_DIR, 'residents.csv')), { columns: true, bom: true }) as Record<string, string>[]
)
  .filter((_, i) => !rejected.has(`residents.csv:${i + 2}`))
  .map((r): Record<string, string> & { committee: string } => ({
    ...r,
    committee: households.get(r.household_id!)!.committee_code!,
  }));
const street = '310105001';
const huayang: Scope = { username: 'w', role: 'street', orgCode: street };

for (const dialect of DIALECTS) {
  describe(`resident list, export and dashboard (${dialect})`, () => {
    let services: Services;
    beforeAll(async () => {
      services = await freshServices(dialect);
      await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
    });
    afterAll(async () => services.database.close());

    const all = async (scope: Scope, p: Record<string, unknown>) => {
      const out: string[] = [];
      for (let offset = 0; ; offset += 200) {
        const page = await services.registry.list(scope, { limit: 200, offset, asOf: AS_OF, ...p });
        out.push(...page.items.map((i) => services.refs.open(i.ref)!));
        if (!page.hasMore) return out.sort();
      }
    };

    it('filters by age band, gender, hukou and disability inside the scope, with a total', async () => {
      const expected = residents.filter(
        (r) =>
          r.committee.startsWith(street) &&
          ageOn(r.birth_date!, AS_OF) >= 60 &&
          ageOn(r.birth_date!, AS_OF) <= 79 &&
          r.gender === '女' &&
          r.hukou === '本市',
      );
      const got = await all(huayang, { ageMin: 60, ageMax: 79, gender: '女', hukou: '本市' });
      expect(got).toEqual(expected.map((r) => r.id_number).sort());
      expect(got.length).toBeGreaterThan(3);
      const first = await services.registry.list(huayang, {
        limit: 2,
        offset: 0,
        asOf: AS_OF,
        ageMin: 60,
        ageMax: 79,
        gender: '女',
        hukou: '本市',
      });
      expect(first.total).toBe(expected.length);
      const severe = residents.filter(
        (r) =>
          ['1', '2'].includes(r.disability_grade!) ||
          (r.disability_grade === '3' && ['智力', '精神'].includes(r.disability_category!)),
      );
      expect(await all(systemScope('310105'), { disability: 'severe' })).toEqual(severe.map((r) => r.id_number).sort());
    });

    it('counts matches exactly up to the cap, and past it says "more than"', async () => {
      const matches = residents.filter((r) => r.committee.startsWith(street)).length;
      expect(matches).toBeGreaterThan(6);
      const capped = new RegistryService(
        new RegistryRepository(services.database.db),
        services.org,
        services.audit,
        services.refs,
        5,
      );
      const page = await capped.list(huayang, { limit: 2, offset: 0, asOf: AS_OF });
      expect({ total: page.total, totalCapped: page.totalCapped, hasMore: page.hasMore }).toEqual({
        total: 5,
        totalCapped: true,
        hasMore: true,
      });
      const exact = new RegistryService(
        new RegistryRepository(services.database.db),
        services.org,
        services.audit,
        services.refs,
        matches,
      );
      expect(await exact.list(huayang, { limit: 2, offset: 0, asOf: AS_OF })).toMatchObject({
        total: matches,
        totalCapped: false,
      });
      // A search counts the same way: an id prefix shared by more than five of the street.
      const prefixes = new Map<string, number>();
      for (const r of residents)
        if (r.committee.startsWith(street))
          prefixes.set(r.id_number!.slice(0, 4), (prefixes.get(r.id_number!.slice(0, 4)) ?? 0) + 1);
      const [prefix, n] = [...prefixes].sort((a, b) => b[1] - a[1])[0]!;
      expect(n).toBeGreaterThan(5);
      expect(await capped.list(huayang, { limit: 1, offset: 0, asOf: AS_OF, q: prefix })).toMatchObject({
        total: 5,
        totalCapped: true,
      });
    });

    it('counts the birthday itself in age filters (60 on 2026-11-28)', async () => {
      const born = residents
        .filter((r) => r.birth_date === '1966-11-28')
        .map((r) => r.id_number)
        .sort();
      expect(born.length).toBeGreaterThan(0);
      const sixty = await all(systemScope('310105'), { ageMin: 60, ageMax: 60 });
      for (const id of born) expect(sixty).toContain(id);
      const before = await services.registry.list(systemScope('310105'), {
        limit: 200,
        offset: 0,
        asOf: '2026-11-27',
        ageMin: 60,
      });
      expect(before.items.map((i) => services.refs.open(i.ref))).not.toContain(born[0]);
    });

    it('refuses an org outside the scope', async () => {
      await expect(
        services.registry.list(huayang, { limit: 5, offset: 0, asOf: AS_OF, org: '310105002' }),
      ).rejects.toMatchObject({ code: 'TJ_ORG_NOT_FOUND' });
    });

    it('filters by a benefit held on the date', async () => {
      const enrollments = parse(readFileSync(join(SAMPLE_DIR, 'enrollments.csv')), {
        columns: true,
        bom: true,
      }) as Record<string, string>[];
      const known = new Set(residents.map((r) => r.id_number));
      const holders = [
        ...new Set(
          enrollments
            .filter(
              (e) =>
                e.benefit_code === 'DIBAO' &&
                known.has(e.id_number!) &&
                e.start_date! <= AS_OF &&
                (!e.end_date || e.end_date >= AS_OF),
            )
            .map((e) => e.id_number!),
        ),
      ].sort();
      expect(await all(systemScope('310105'), { benefit: 'DIBAO' })).toEqual(holders);
    });

    it('exports the list as text cells, formulas neutralised, and audits it', async () => {
      const rows = await services.registry.exportRows(huayang, { limit: 0, offset: 0, asOf: AS_OF }, 1000);
      expect(rows.length).toBe(residents.filter((r) => r.committee.startsWith(street)).length);
      const buffer = await residentsWorkbook([
        { ...rows[0]!, name: '=HYPERLINK("http://x","y")' },
        { ...rows[1]!, name: '+1', committeeName: '@SUM(A1)' },
        { ...rows[2]!, name: '-2' },
      ]);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(buffer as unknown as ArrayBuffer);
      const ws = wb.getWorksheet('居民')!;
      const cell = ws.getRow(2).getCell(1);
      expect(cell.formula).toBeUndefined();
      expect(cell.text).toBe('=HYPERLINK("http://x","y")');
      expect(ws.getRow(3).getCell(1).text).toBe('+1');
      expect(ws.getRow(3).getCell(1).type).not.toBe(ExcelJS.ValueType.Number);
      expect(ws.getRow(3).getCell(8).text).toBe('@SUM(A1)');
      expect(ws.getRow(2).getCell(2).text).toMatch(/\*{11}/);
      expect((await services.audit.recent(3, 'w')).some((a) => a.action === 'residents.export')).toBe(true);
    });

    it('gives the dashboard of a street: counts per committee, pyramid, facts', async () => {
      const o = await services.stats.overview(huayang, undefined, AS_OF);
      const mine = residents.filter((r) => r.committee.startsWith(street));
      expect(o.residents).toBe(mine.length);
      expect(o.children.reduce((n, c) => n + c.residents, 0)).toBe(mine.length);
      expect(o.children.every((c) => c.code.startsWith(street) && c.level === 'committee')).toBe(true);
      expect(o.agePyramid.reduce((n, b) => n + b.male + b.female, 0)).toBe(mine.length);
      expect(o.facts.aged80plus).toBe(mine.filter((r) => ageOn(r.birth_date!, AS_OF) >= 80).length);
      expect(o.facts.disability).toBe(mine.filter((r) => r.disability_grade).length);
      const byHousehold = new Map<string, typeof mine>();
      for (const r of mine) byHousehold.set(r.household_id!, [...(byHousehold.get(r.household_id!) ?? []), r]);
      expect(o.facts.eldersAlone).toBe(
        [...byHousehold.values()].filter((m) => m.length === 1 && ageOn(m[0]!.birth_date!, AS_OF) >= 60).length,
      );
      const district = await services.stats.overview(systemScope('310105'), '310105', AS_OF);
      expect(district.children).toHaveLength(10);
      expect(district.households).toBe(441);
    });
  });
}
