import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FIXTURES, SAMPLE_DIR, SAMPLE_XLSX, DIALECTS, freshServices } from '../../test/helpers.ts';
import type { Services } from '../../services.ts';
import { systemScope } from '../auth/scope.ts';
import { openSource, type SnapshotSource } from './sources.ts';
import { reportCsv } from './import.service.ts';

const expectedRejected = readFileSync(join(FIXTURES, 'samples/changning-small.rejected.txt'), 'utf8')
  .trim()
  .split('\n')
  .sort();
const rowsNamed = (rejected: Array<{ file: string; line: number }>) =>
  [...new Set(rejected.map((r) => `${r.file}:${r.line}`))].sort();

function copySample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tingjian-sample-'));
  cpSync(SAMPLE_DIR, dir, { recursive: true });
  return dir;
}

for (const dialect of DIALECTS) {
  describe(`import (${dialect})`, () => {
    let services: Services | undefined;
    afterEach(async () => {
      await services?.database.close();
      services = undefined;
    });

    it('imports the sample CSV folder and rejects exactly the rows of the expected report', async () => {
      services = await freshServices(dialect);
      const summary = await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      expect(rowsNamed(summary.rejected)).toEqual(expectedRejected);
      expect(summary.tables.households).toMatchObject({ read: 441, inserted: 441, rejected: 0 });
      expect(summary.tables.residents).toMatchObject({ read: 1043, inserted: 1033, rejected: 10 });
      expect(summary.tables.enrollments).toMatchObject({ read: 280, inserted: 279, rejected: 1 });
      const csv = reportCsv(summary.rejected);
      expect(csv.split('\n')[0]).toBe('file,line,column,reason');
      expect(csv).toContain('residents.csv,1036,birth_date,');
      expect(csv).toContain('enrollments.csv,281,benefit_code,');
      expect(csv).toMatch(/residents\.csv,1039,id_number,.*首次出现在第 527 行/);
    });

    it('reads and checks the CSV files in a worker thread with the same result', async () => {
      services = await freshServices(dialect);
      const summary = await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR), {
        worker: true,
      });
      expect(rowsNamed(summary.rejected)).toEqual(expectedRejected);
      expect(summary.tables.residents).toMatchObject({ read: 1043, inserted: 1033, rejected: 10 });
      expect(summary.tables.enrollments).toMatchObject({ read: 280, inserted: 279, rejected: 1 });
      const other = await freshServices(dialect);
      const inline = await other.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR), { worker: false });
      await other.database.close();
      expect(reportCsv(summary.rejected)).toBe(reportCsv(inline.rejected));
      const again = await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR), {
        worker: true,
      });
      for (const counts of Object.values(again.tables)) expect(counts).toMatchObject({ inserted: 0, updated: 0 });
    });

    it('leaves an empty registry empty when a first load fails half-way', async () => {
      services = await freshServices(dialect);
      const source = await openSource(SAMPLE_DIR);
      const broken: SnapshotSource = {
        name: 'broken',
        tables: {
          ...source.tables,
          relations: {
            ...source.tables.relations!,
            rows: async function* () {
              yield* [];
              throw new Error('disk vanished');
            },
          },
        },
      };
      await expect(services.imports.importSnapshot(systemScope(), broken)).rejects.toThrow('disk vanished');
      const stored = await services.database.db
        .selectFrom('resident')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(stored.n)).toBe(0);
      if (services.database.sqlite)
        expect(services.database.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      const summary = await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      expect(summary.tables.residents).toMatchObject({ inserted: 1033 });
    });

    it('rejects a whole row repeated in the snapshot, naming its first line, in both threads', async () => {
      const dir = copySample();
      const relations = readFileSync(join(dir, 'relations.csv'), 'utf8').trimEnd().split('\n');
      writeFileSync(
        join(dir, 'relations.csv'),
        [...relations, relations[1], relations[3], relations[1]].join('\n') + '\n',
      );
      for (const worker of [false, true]) {
        services = await freshServices(dialect);
        const summary = await services.imports.importSnapshot(systemScope(), await openSource(dir), { worker });
        const repeats = summary.rejected.filter(
          (r) => r.file === 'relations.csv' && r.reason.startsWith('整行在本快照中重复'),
        );
        expect(repeats.map((r) => [r.line, r.reason])).toEqual([
          [relations.length + 1, '整行在本快照中重复（首次出现在第 2 行）'],
          [relations.length + 2, '整行在本快照中重复（首次出现在第 4 行）'],
          [relations.length + 3, '整行在本快照中重复（首次出现在第 2 行）'],
        ]);
        expect(summary.tables.relations!.inserted).toBe(relations.length - 1 + 3 - summary.tables.relations!.rejected);
        await services.database.close();
        services = undefined;
      }
    });

    it('imports the LibreOffice workbook with the same result', async () => {
      services = await freshServices(dialect);
      const summary = await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_XLSX));
      expect(rowsNamed(summary.rejected)).toEqual(expectedRejected);
      expect(summary.tables.residents).toMatchObject({ inserted: 1033 });
      const one = await services.registry.resident360(systemScope('310105'), '310104196611289861');
      expect(one.person).toMatchObject({
        birth_date: '1966-11-28',
        gender: '女',
        disability_grade: 4,
        monthly_income_yuan: 4646,
      });
    });

    it('changes nothing when the same snapshot is imported again', async () => {
      services = await freshServices(dialect);
      await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      const again = await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      for (const counts of Object.values(again.tables)) expect(counts).toMatchObject({ inserted: 0, updated: 0 });
      expect(again.tables.residents!.unchanged).toBe(1033);
    });

    it('updates what a changed snapshot changes and records it in the history', async () => {
      services = await freshServices(dialect);
      const first = await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      const dir = copySample();
      const residents = readFileSync(join(dir, 'residents.csv'), 'utf8').replace(
        '310105196512308306,宋嘉,女,1965-12-30,H0000441,配偶,本市,已婚,1,肢体,3783',
        '310105196512308306,宋嘉,女,1965-12-30,H0000441,配偶,本市,已婚,1,肢体,2100',
      );
      writeFileSync(join(dir, 'residents.csv'), residents);
      writeFileSync(
        join(dir, 'households.csv'),
        readFileSync(join(dir, 'households.csv'), 'utf8').replace(',公房,86,149628', ',公房,999,149628'),
      );
      const second = await services.imports.importSnapshot(systemScope(), await openSource(dir));
      expect(second.tables.residents).toMatchObject({ updated: 1, inserted: 0 });
      expect(second.tables.households).toMatchObject({ updated: 1, inserted: 0 });
      const view = await services.registry.resident360(systemScope('310105'), '310105196512308306');
      expect(view.person.monthly_income_yuan).toBe(2100);
      const incomeChange = view.history.find((h) => h.entity === 'resident');
      expect(incomeChange?.changes.monthly_income_yuan).toEqual([3783, 2100]);
      expect(incomeChange?.source).toMatch(/^import:\d+:/);
      expect(view.history.some((h) => h.entity === 'household' && 'housing_area_m2' in h.changes)).toBe(true);
      // Rows carry no times of their own: created and updated are the runs' (migration 009).
      expect(view.person.createdBy?.importRun).toBe(first.runId);
      expect(view.person.created_at).toBe(view.person.createdBy?.at);
      expect(view.person.updated_at).toBe(incomeChange?.at);
      expect(view.household?.updated_at).toBe(incomeChange?.at);
      const unchanged = await services.registry.resident360(
        systemScope('310105'),
        view.members.find((m) => !m.isSelf)!.ref,
      );
      expect(unchanged.person.updated_at).toBe(unchanged.person.created_at);
    });

    it('leaves the previous state intact when an import fails half-way', async () => {
      services = await freshServices(dialect);
      await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      const dir = copySample();
      writeFileSync(
        join(dir, 'residents.csv'),
        readFileSync(join(dir, 'residents.csv'), 'utf8').replace(',3783,', ',1,'),
      );
      const source = await openSource(dir);
      // A source that breaks after the residents, as a crash or a cut connection would.
      const broken: SnapshotSource = {
        name: 'broken',
        tables: {
          ...source.tables,
          relations: {
            ...source.tables.relations!,
            rows: async function* () {
              yield* [];
              throw new Error('disk vanished');
            },
          },
        },
      };
      await expect(services.imports.importSnapshot(systemScope(), broken)).rejects.toThrow('disk vanished');
      const view = await services.registry.resident360(systemScope('310105'), '310105196512308306');
      expect(view.person.monthly_income_yuan).toBe(3783);
    });

    it('takes a changed snapshot with other bad rows and reports exactly those', async () => {
      services = await freshServices(dialect);
      await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
      const dir = copySample();
      writeFileSync(
        join(dir, 'households.csv'),
        'household_id,committee_code,address,housing_type,housing_area_m2,financial_assets_yuan\nN1,310105001001,新地址,租赁,20,100\nN2,999999999999,坏地址,租赁,20,100\nN3,310105001001,地址,别墅,20,100\n',
      );
      writeFileSync(
        join(dir, 'residents.csv'),
        [
          'id_number,name,gender,birth_date,household_id,relation_to_head,hukou,marital_status,disability_grade,disability_category,monthly_income_yuan,employment,school_stage,labor_capacity,chronic_illness,medical_oop_12m_yuan,phone',
          '11010519491231002X,新人,女,1949-12-31,N1,户主,本市,丧偶,,,800,退休,,无,是,100,13800000000',
          '110105194912310038,坏户,男,1949-12-31,N2,户主,本市,丧偶,,,800,退休,,无,是,100,13800000000',
          '110105194912310046,老户,女,1949-12-31,H0000001,其他,本市,丧偶,,,abc,退休,,无,是,100,13800000000',
        ].join('\n'),
      );
      writeFileSync(
        join(dir, 'relations.csv'),
        'id_number,relative_name,relative_id_number,relation,able_to_support\n11010519491231002X,某某,,子女,是\n110105194912310038,某某,,子女,是\n340104199208304418,杨一丽,510104196809226724,父母,是\n110105194912310054,无人,,子女,是\n',
      );
      writeFileSync(
        join(dir, 'enrollments.csv'),
        'id_number,benefit_code,start_date,end_date\n11010519491231002X,DIBAO,2026-01-01,\n',
      );
      writeFileSync(join(dir, 'identity_tags.csv'), 'id_number,tag\n');
      const summary = await services.imports.importSnapshot(systemScope(), await openSource(dir));
      expect(rowsNamed(summary.rejected)).toEqual([
        'households.csv:3',
        'households.csv:4',
        'relations.csv:3',
        'relations.csv:5',
        'residents.csv:3',
        'residents.csv:4',
      ]);
      expect(summary.tables.relations).toMatchObject({ inserted: 1, unchanged: 1 });
      const view = await services.registry.resident360(systemScope('310105'), '11010519491231002X');
      expect(view.enrollments).toEqual([
        expect.objectContaining({ benefitCode: 'DIBAO', startDate: '2026-01-01', endDate: null }),
      ]);
    });
  });
}
