/**
 * Shared test factories. DIALECTS lists SQLite always and PostgreSQL when the test script started
 * a server (scripts/with-postgres.mjs sets TINGJIAN_TEST_PG_URL); each test gets a fresh database.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { backgroundWarmed } from '../date-cache.ts';
import { openDatabase, type Database } from '../db/database.ts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp } from '../app.ts';
import { systemScope } from '../modules/auth/scope.ts';
import { openSource } from '../modules/import/sources.ts';
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
    // The temporary folder goes with the database; background work (warm-ups, the population
    // image) finishes first, so nothing writes to a closed database or logs after the test.
    return {
      ...database,
      close: async () => {
        await backgroundWarmed();
        await database.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = process.env.TINGJIAN_TEST_PG_URL!;
  const name = `t_${process.pid}_${Date.now()}_${counter++}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  const database = await openDatabase({ postgresUrl: url.toString() });
  return {
    ...database,
    close: async () => {
      await backgroundWarmed();
      await database.close();
    },
  };
}

export async function freshServices(dialect: TestDialect): Promise<Services> {
  const database = await freshDatabase(dialect);
  return createServices(database, { TINGJIAN_COUNTY: '310105' });
}

export const TEST_PASSWORD = 'correct horse battery';

export interface TestAccount {
  readonly username: string;
  readonly role: 'district' | 'street' | 'committee' | 'adviser';
  readonly orgCode: string;
  readonly displayName?: string;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** The sample imported into a fresh database, the accounts created and logged in, the app built (not listening). */
export interface SampleApi {
  readonly services: Services;
  readonly app: FastifyInstance;
  /** A request as one of the accounts (its session cookie), or without a session for null. */
  call(user: string | null, method: Method, url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function sampleApi(dialect: TestDialect, accounts: readonly TestAccount[]): Promise<SampleApi> {
  const services = await freshServices(dialect);
  await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
  for (const a of accounts)
    await services.auth.createUser(systemScope(), { displayName: a.username, ...a, password: TEST_PASSWORD });
  const app = await buildApp({ services, webDist: null });
  const cookies: Record<string, string> = {};
  for (const a of accounts) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/session',
      payload: { username: a.username, password: TEST_PASSWORD },
    });
    cookies[a.username] = `tj_session=${res.cookies.find((c) => c.name === 'tj_session')!.value}`;
  }
  return {
    services,
    app,
    call: (user, method, url, payload) =>
      app.inject({
        method,
        url,
        headers: user ? { cookie: cookies[user]! } : {},
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
    async close() {
      await app.close();
      await services.database.close();
    },
  };
}

/** The app on a real loopback port with a district admin `district` (TEST_PASSWORD): for tests that need real HTTP. */
export async function listeningApp(
  services: Services,
  options: { rateLimitPerMinute?: number } = {},
): Promise<{ base: string; close(): Promise<void> }> {
  await services.auth.createUser(systemScope(), {
    username: 'district',
    displayName: 'district',
    role: 'district',
    orgCode: '310105',
    password: TEST_PASSWORD,
  });
  const app = await buildApp({ services, webDist: null, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  return {
    base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    close: async () => {
      await app.close();
      await services.database.close();
    },
  };
}
