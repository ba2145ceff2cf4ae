import { Migrator, sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { DIALECTS, freshDatabase } from '../test/helpers.ts';
import { ENTITY_INDEXES } from './indexes.ts';
import { migrationProvider } from './migrations.ts';

/** The columns of an index, as the database has it. */
async function indexColumns(db: Kysely<any>, dialect: string, name: string): Promise<string[]> {
  if (dialect === 'sqlite') {
    const rows = await sql<{ name: string }>`SELECT name FROM pragma_index_info(${name}) ORDER BY seqno`.execute(db);
    return rows.rows.map((r) => r.name);
  }
  const rows = await sql<{ indexdef: string }>`SELECT indexdef FROM pg_indexes WHERE indexname = ${name}`.execute(db);
  const def = rows.rows[0]?.indexdef ?? '';
  return (/\((.*)\)$/.exec(def)?.[1] ?? '')
    .split(',')
    .map((c) => c.trim().replace(/"/g, ''))
    .filter(Boolean);
}

for (const dialect of DIALECTS) {
  describe(`migrations (${dialect})`, () => {
    it('009 keeps when a stored row was created and last changed, as references to the runs', async () => {
      const database = await freshDatabase(dialect);
      try {
        const db = database.db as unknown as Kysely<any>;
        const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
        expect((await migrator.migrateTo('008_compact_whole_rows')).error).toBeUndefined();
        const first = '2026-11-01T08:00:00.000Z';
        const second = '2026-11-20T08:00:00.000Z';
        await db
          .insertInto('import_run')
          .values([
            { id: 1, at: first, actor: 'a', source_name: 's', summary: '{}' },
            { id: 2, at: second, actor: 'b', source_name: 't', summary: '{}' },
          ])
          .execute();
        const household = { committee_code: '310105001001', created_at: first, created_run: 1 };
        await db
          .insertInto('household')
          .values([
            { ...household, household_id: 'H1', updated_at: first },
            { ...household, household_id: 'H2', updated_at: second },
          ])
          .execute();
        await db
          .insertInto('identity_tag')
          .values({ id_number: '310105194501010011', tag: '志愿者', created_at: first, created_run: 1 })
          .execute();
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        const rows = await db.selectFrom('household').selectAll().orderBy('household_id').execute();
        expect(rows.map((r) => [r.household_id, r.created_run, r.updated_run])).toEqual([
          ['H1', 1, null],
          ['H2', 1, 2],
        ]);
        expect(rows[0]).not.toHaveProperty('updated_at');
        expect(await db.selectFrom('identity_tag').selectAll().execute()).toEqual([
          { id_number: '310105194501010011', tag: '志愿者', created_run: 1 },
        ]);
        // And back: the times return from the runs.
        expect((await migrator.migrateTo('008_compact_whole_rows')).error).toBeUndefined();
        const back = await db
          .selectFrom('household')
          .select(['household_id', 'created_at', 'updated_at'])
          .orderBy('household_id')
          .execute();
        expect(back).toEqual([
          { household_id: 'H1', created_at: first, updated_at: first },
          { household_id: 'H2', created_at: first, updated_at: second },
        ]);
      } finally {
        await database.close();
      }
    });

    it('010 gives the name search indexes the committee, as the list of indexes has them, and takes it back', async () => {
      const database = await freshDatabase(dialect);
      try {
        const db = database.db as unknown as Kysely<any>;
        const names = ['resident_name', 'resident_pinyin', 'resident_initials'];
        const listed = names.map((n) => [...ENTITY_INDEXES.find((i) => i.name === n)!.columns]);
        expect(await Promise.all(names.map((n) => indexColumns(db, dialect, n)))).toEqual(listed);
        expect(listed.every((c) => c[2] === 'committee_code')).toBe(true);
        const migrator = new Migrator({ db, provider: migrationProvider(dialect) });
        expect((await migrator.migrateTo('009_rows_name_their_runs')).error).toBeUndefined();
        expect(await Promise.all(names.map((n) => indexColumns(db, dialect, n)))).toEqual(
          listed.map((c) => c.slice(0, 2)),
        );
        expect((await migrator.migrateToLatest()).error).toBeUndefined();
        expect(await Promise.all(names.map((n) => indexColumns(db, dialect, n)))).toEqual(listed);
        if (dialect === 'sqlite') {
          // Counting a search's matches in an area reads the index alone.
          const plan = await sql<{
            detail: string;
          }>`EXPLAIN QUERY PLAN SELECT count(*) FROM resident WHERE name_pinyin >= 'zhang' AND name_pinyin < 'zhang\uffff' AND substr(committee_code, 1, 6) = '310105'`.execute(
            db,
          );
          expect(plan.rows.map((r) => r.detail).join(' ')).toContain('COVERING INDEX resident_pinyin');
        }
      } finally {
        await database.close();
      }
    });
  });
}
