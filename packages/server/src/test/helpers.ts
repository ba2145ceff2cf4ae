/**
 * Shared test factories. DIALECTS lists SQLite always and PostgreSQL when the test script started
 * a server (scripts/with-postgres.mjs sets TINGJIAN_TEST_PG_URL); each test gets a fresh database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { openDatabase, type Database } from '../db/database.ts';
import { createServices, type Services } from '../services.ts';

export type TestDialect = 'sqlite' | 'postgres';
export const DIALECTS: TestDialect[] = process.env.TINGJIAN_TEST_PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export const FIXTURES = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../test/fixtures');
export const SAMPLE_DIR = join(FIXTURES, 'samples/changning-small');
export const SAMPLE_XLSX = join(FIXTURES, 'samples/changning-small.xlsx');

let counter = 0;

export async function freshDatabase(dialect: TestDialect): Promise<Database> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-test-'));
    const database = await openDatabase({ sqlitePath: join(dir, 'test.db') });
    // The temporary folder goes with the database.
    return { ...database, close: async () => { await database.close(); rmSync(dir, { recursive: true, force: true }); } };
  }
  const base = process.env.TINGJIAN_TEST_PG_URL!;
  const name = `t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return openDatabase({ postgresUrl: url.toString() });
}

export async function freshServices(dialect: TestDialect): Promise<Services> {
  const database = await freshDatabase(dialect);
  return createServices(database, { TINGJIAN_COUNTY: '310105' });
}
