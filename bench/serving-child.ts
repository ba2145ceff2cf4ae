/**
 * Import while serving: the product's server on a copy of the imported million, a load client in
 * another process making searches and 360 views, first with nothing else going on (the peer:
 * the same server idle), then while the same million-resident snapshot is imported again over
 * HTTP's path (every row compared with the stored one). Prints p50/p99 of both phases.
 */
import { fork } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildApp, createServices, openDatabase, openSource, systemScope } from '@tingjian/server';
import { percentile, ROOT } from './lib.ts';

const [source, dir, dbPath] = process.argv.slice(2) as [string, string, string];
for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });
copyFileSync(source, dbPath);
const database = await openDatabase({ sqlitePath: dbPath });
const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
const password = 'bench password 1';
if (!(await database.db.selectFrom('app_user').select('username').where('username', '=', 'bench').executeTakeFirst())) {
  await services.auth.createUser(systemScope(), { username: 'bench', displayName: 'bench', role: 'district', orgCode: '310105', password });
}
const app = await buildApp({ services, webDist: null, rateLimitPerMinute: 1_000_000 });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'bench', password }) });
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
const ids = (await database.db.selectFrom('resident').select('id_number').where('id_number', 'like', '3101%').limit(400).execute()).map((r) => r.id_number);

const client = fork(join(ROOT, 'bench/serving-client.ts'), [base, cookie, JSON.stringify(ids)], { execArgv: ['--import', 'tsx'] });
const result = new Promise<Record<string, Record<'search' | 'view', number[]>>>((resolve) => client.on('message', (m: { type: string; phases: Record<string, Record<'search' | 'view', number[]>> }) => { if (m.type === 'result') resolve(m.phases); }));
await new Promise((r) => setTimeout(r, 8_000));
client.send({ type: 'phase', phase: 'import' });
const started = performance.now();
const summary = await services.imports.importSnapshot(systemScope(), await openSource(dir));
const importMs = performance.now() - started;
client.send({ type: 'stop' });
const phases = await result;
await app.close();
await database.close();
for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });

const stats = (xs: number[]) => ({ n: xs.length, p50: percentile(xs, 0.5), p99: percentile(xs, 0.99), max: Math.max(...xs) });
console.log(JSON.stringify({
  residents: summary.tables.residents?.read ?? 0, importMs,
  idle: { search: stats(phases.idle!.search), view: stats(phases.idle!.view) },
  import: { search: stats(phases.import!.search), view: stats(phases.import!.view) },
}));
process.exit(0);
