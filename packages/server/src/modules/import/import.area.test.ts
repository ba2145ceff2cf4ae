/**
 * An import touches only rows whose stored committee lies in the caller's area, in every table:
 * a street worker's snapshot that names another street's household or resident changes nothing
 * of theirs, and is told so in the same words as for a household or resident that does not exist.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DIALECTS, SAMPLE_DIR, freshServices } from '../../test/helpers.ts';
import type { Services } from '../../services.ts';
import { systemScope, type Scope } from '../auth/scope.ts';
import { openSource } from './sources.ts';

/** 华阳路街道's worker; H0000002 and its residents belong to 新泾镇 (310105102027). */
const HUAYANG: Scope = { username: 'huayang', role: 'street', orgCode: '310105001' };
const RESIDENT_HEADER =
  'id_number,name,gender,birth_date,household_id,relation_to_head,hukou,marital_status,disability_grade,disability_category,monthly_income_yuan,employment,school_stage,labor_capacity,chronic_illness,medical_oop_12m_yuan,phone';
/** 罗佳嘉 of H0000002 (新泾镇). */
const XINJING_PERSON = '31011219970724061X';
/** A valid id number of nobody in the registry. */
const NOBODY = '110101199003074477';

function snapshot(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tingjian-area-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

for (const dialect of DIALECTS) {
  describe(`import within the caller's area (${dialect})`, () => {
    let services: Services | undefined;
    afterEach(async () => {
      await services?.database.close();
      services = undefined;
    });

    async function loaded(): Promise<Services> {
      services = await freshServices(dialect);
      await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      return services;
    }
    const household = (s: Services, id: string) =>
      s.database.db.selectFrom('household').selectAll().where('household_id', '=', id).executeTakeFirstOrThrow();
    const resident = (s: Services, id: string) =>
      s.database.db.selectFrom('resident').selectAll().where('id_number', '=', id).executeTakeFirstOrThrow();
    const changes = async (s: Services) =>
      Number(
        (
          await s.database.db
            .selectFrom('change_log')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    it("does not take over another street's household through households.csv", async () => {
      const s = await loaded();
      const before = await household(s, 'H0000002');
      const dir = snapshot({
        'households.csv':
          'household_id,committee_code,address,housing_type,housing_area_m2,financial_assets_yuan\nH0000002,310105001014,仙霞路1号,自有,10,1\n',
      });
      const summary = await s.imports.importSnapshot(HUAYANG, await openSource(dir));
      expect(summary.tables.households).toMatchObject({ inserted: 0, updated: 0, rejected: 1 });
      expect(summary.rejected[0]).toMatchObject({ file: 'households.csv', line: 2, column: 'household_id' });
      expect(await household(s, 'H0000002')).toEqual(before);
      expect((await resident(s, XINJING_PERSON)).committee_code).toBe('310105102027');
      expect(await changes(s)).toBe(0);
    });

    it("does not move another street's resident into the caller's household through residents.csv", async () => {
      const s = await loaded();
      const before = await resident(s, XINJING_PERSON);
      const dir = snapshot({
        'residents.csv': `${RESIDENT_HEADER}\n${XINJING_PERSON},罗佳嘉,男,1997-07-24,H0000003,户主,本市,已婚,,,99999,在职,,有,否,0,13900000000\n`,
      });
      const summary = await s.imports.importSnapshot(HUAYANG, await openSource(dir));
      expect(summary.tables.residents).toMatchObject({ inserted: 0, updated: 0, rejected: 1 });
      expect(summary.rejected[0]).toMatchObject({ file: 'residents.csv', line: 2, column: 'id_number' });
      expect(await resident(s, XINJING_PERSON)).toEqual(before);
      expect(await changes(s)).toBe(0);
    });

    it("refuses rows about another street's residents in every person table, in the words used for nobody", async () => {
      const s = await loaded();
      const count = async (table: 'relation' | 'enrollment' | 'identity_tag') =>
        Number(
          (
            await s.database.db
              .selectFrom(table)
              .select((eb) => eb.fn.countAll().as('n'))
              .where('id_number', '=', XINJING_PERSON)
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = {
        relation: await count('relation'),
        enrollment: await count('enrollment'),
        identity_tag: await count('identity_tag'),
      };
      const dir = snapshot({
        'relations.csv': `id_number,relative_name,relative_id_number,relation,able_to_support\n${XINJING_PERSON},某某,,子女,是\n${NOBODY},某某,,子女,是\n`,
        'enrollments.csv': `id_number,benefit_code,start_date,end_date\n${XINJING_PERSON},DIBAO,2025-01-01,\n${NOBODY},DIBAO,2025-01-01,\n`,
        'identity_tags.csv': `id_number,tag\n${XINJING_PERSON},志愿者\n${NOBODY},志愿者\n`,
      });
      const summary = await s.imports.importSnapshot(HUAYANG, await openSource(dir));
      for (const table of ['relations', 'enrollments', 'identity_tags'] as const) {
        expect(summary.tables[table]).toMatchObject({ inserted: 0, rejected: 2 });
        const [elsewhere, unknown] = summary.rejected.filter((r) => r.file === `${table}.csv`);
        // The same reason, but for the id number it names: nothing tells the two apart.
        expect(elsewhere!.reason.replace(XINJING_PERSON, 'X')).toBe(unknown!.reason.replace(NOBODY, 'X'));
      }
      expect({
        relation: await count('relation'),
        enrollment: await count('enrollment'),
        identity_tag: await count('identity_tag'),
      }).toEqual(before);
    });

    it("refuses a resident into another street's household in the words used for a household that does not exist", async () => {
      const s = await loaded();
      const dir = snapshot({
        'residents.csv': `${RESIDENT_HEADER}\n${NOBODY},新人,男,1990-03-07,H0000002,户主,本市,已婚,,,0,在职,,有,否,0,\n110101199003078136,新人,男,1990-03-07,H9999999,户主,本市,已婚,,,0,在职,,有,否,0,\n`,
      });
      const summary = await s.imports.importSnapshot(HUAYANG, await openSource(dir));
      expect(summary.tables.residents).toMatchObject({ inserted: 0, rejected: 2 });
      const [elsewhere, unknown] = summary.rejected;
      expect(elsewhere!.reason.replace('H0000002', 'X')).toBe(unknown!.reason.replace('H9999999', 'X'));
    });

    it('still lets the district move a household between its streets, and a street update its own', async () => {
      const s = await loaded();
      const district: Scope = { username: 'district', role: 'district', orgCode: '310105' };
      const dir = snapshot({
        'households.csv':
          'household_id,committee_code,address,housing_type,housing_area_m2,financial_assets_yuan\nH0000002,310105001014,仙霞路1号,自有,10,1\n',
      });
      const moved = await s.imports.importSnapshot(district, await openSource(dir));
      expect(moved.tables.households).toMatchObject({ updated: 1, rejected: 0 });
      expect((await resident(s, XINJING_PERSON)).committee_code).toBe('310105001014');
      const own = snapshot({
        'households.csv':
          'household_id,committee_code,address,housing_type,housing_area_m2,financial_assets_yuan\nH0000003,310105001014,仙霞路944弄21号1907室,自有,140,27399\n',
      });
      const updated = await s.imports.importSnapshot(HUAYANG, await openSource(own));
      expect(updated.tables.households).toMatchObject({ updated: 1, rejected: 0 });
    });
  });
}
