/**
 * An import written by its own thread (import.offthread.ts) stores what an import in place
 * stores, answers with the same summary and errors, and leaves the requests' connection free.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { DIALECTS, freshServices } from '../../test/helpers.ts';
import { systemScope } from '../auth/scope.ts';
import type { ImportSummary } from './import.service.ts';
import { csvFolderSource, openSource } from './sources.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function snapshot(services: Services, residents: number, seed: number): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'tingjian-offthread-'));
  dirs.push(dir);
  await services.demo.writeSnapshot(dir, { residents, asOf: '2026-11-28', seed });
  return dir;
}

/** The same twice over: a registry of 1,500 residents, then a second snapshot with rows to reject. */
async function twoImports(services: Services, thread: boolean, onProgress?: () => void): Promise<ImportSummary> {
  await services.imports.importSnapshot(systemScope(), csvFolderSource(await snapshot(services, 1_500, 1)), {
    thread: false,
  });
  const second = await snapshot(services, 3_000, 2);
  // Two bad rows: an id number that fails its check digit, and a relation to nobody.
  const residents = readFileSync(join(second, 'residents.csv'), 'utf8').split('\n');
  writeFileSync(
    join(second, 'residents.csv'),
    [...residents.slice(0, 2), residents[1]!.replace(/^(\d{17})./, '$1Z'), ...residents.slice(2)].join('\n'),
  );
  appendFileSync(join(second, 'relations.csv'), '110101199001011237,11010119900101123X,配偶\n');
  return services.imports.importSnapshot(systemScope(), csvFolderSource(second), { thread, onProgress });
}

const comparable = (s: ImportSummary) => ({
  tables: s.tables,
  rejected: s.rejected,
  rejectedRows: s.rejectedRows,
  rejectedCells: s.rejectedCells,
  report: s.report.csv(),
});

describe.each(DIALECTS)('an import in its own thread (%s)', (dialect) => {
  it('stores and answers what the same import in place stores and answers', async () => {
    const inPlace = await freshServices(dialect);
    const offThread = await freshServices(dialect);
    try {
      const here = await twoImports(inPlace, false);
      const there = await twoImports(offThread, true);
      expect(here.rejectedRows).toBeGreaterThanOrEqual(2);
      expect(comparable(there)).toEqual(comparable(here));
      const count = async (s: Services) =>
        Number(
          (
            await s.database.db
              .selectFrom('resident')
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      expect(await count(offThread)).toBe(await count(inPlace));
      // The caches followed: the statistics count the new residents in both.
      expect(offThread.imports.dataVersion).toBe(inPlace.imports.dataVersion);
      const total = async (s: Services) => (await s.stats.overview(systemScope(), '310105', s.today())).residents;
      expect(await total(offThread)).toBe(await total(inPlace));
      // The report stored with the run is the one answered.
      const stored = await offThread.database.db
        .selectFrom('import_report')
        .select('run_id')
        .where('run_id', '=', there.runId)
        .execute();
      expect(stored.length).toBeGreaterThan(0);
    } finally {
      await inPlace.database.close();
      await offThread.database.close();
    }
  }, 180_000);

  it('refuses a bad file with the words of an import in place, and stores nothing', async () => {
    const services = await freshServices(dialect);
    try {
      await services.imports.importSnapshot(systemScope(), csvFolderSource(await snapshot(services, 300, 1)));
      const bad = mkdtempSync(join(tmpdir(), 'tingjian-offthread-bad-'));
      dirs.push(bad);
      // UTF-16, as Excel's "Unicode text" saves it: refused whole, naming the encoding.
      writeFileSync(
        join(bad, 'residents.csv'),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id_number,name\n', 'utf16le')]),
      );
      const errorOf = (thread: boolean) =>
        openSource(bad)
          .then((s) => services.imports.importSnapshot(systemScope(), s, { thread }))
          .then(
            () => null,
            (e: unknown) => e,
          );
      const here = await errorOf(false);
      const there = await errorOf(true);
      expect(here).toBeInstanceOf(AppError);
      expect(there).toBeInstanceOf(AppError);
      expect({ code: (there as AppError).code, message: (there as AppError).message }).toEqual({
        code: (here as AppError).code,
        message: (here as AppError).message,
      });
      expect(services.imports.dataVersion).toBe(1);
    } finally {
      await services.database.close();
    }
  }, 120_000);
});

describe('an import in its own thread (sqlite): the requests keep their connection', () => {
  it("leaves the requests' connection outside any transaction, and keeps audit rows until the commit", async () => {
    const services = await freshServices('sqlite');
    try {
      const seen: Array<{ inTransaction: boolean; writerBusy: boolean; niced: number }> = [];
      // Threads of this process at nice 10 (the 19th field of /proc/self/task/<tid>/stat).
      const niced = () =>
        readdirSync('/proc/self/task').filter((t) => {
          try {
            return (
              readFileSync(`/proc/self/task/${t}/stat`, 'utf8')
                .replace(/^.*\) /, '')
                .split(' ')[16] === '10'
            );
          } catch {
            return false;
          }
        }).length;
      let recorded = false;
      const summary = await twoImports(services, true, () => {
        seen.push({
          inTransaction: services.database.sqlite!.inTransaction,
          writerBusy: services.database.reads!.writerBusy,
          niced: niced(),
        });
        if (!recorded) {
          recorded = true;
          void services.audit.record(systemScope(), 'resident.view', 'resident:offthread-probe');
        }
      });
      expect(summary.tables.residents?.inserted).toBeGreaterThan(1_000);
      expect(seen.length).toBeGreaterThan(0);
      // In place, the import's transaction is this connection's; here it is the other thread's.
      expect(seen.every((s) => !s.inTransaction && s.writerBusy)).toBe(true);
      // The import's thread gives way to requests (Linux).
      if (existsSync('/proc/thread-self')) expect(Math.max(...seen.map((s) => s.niced))).toBeGreaterThanOrEqual(1);
      expect(services.database.reads!.writerBusy).toBe(false);
      // The read recorded meanwhile was kept, and written once the thread had committed.
      await new Promise((r) => setTimeout(r, 200));
      const trail = await services.audit.recent(50);
      expect(trail.some((e) => e.target === 'resident:offthread-probe')).toBe(true);
    } finally {
      await services.database.close();
    }
  }, 180_000);
});
