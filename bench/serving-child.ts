/**
 * Import while serving: the product's server on a copy of the imported million, a load client in
 * another process making searches and 360 views, first with nothing else going on (the peer:
 * the same server idle), then while the million-resident snapshot is imported again through the
 * import service the HTTP route calls (every row compared with the stored one; 1,000 residents'
 * incomes changed, as a monthly snapshot changes some), then for 20 s after the commit, while the
 * caches follow the change. Prints p50/p99 of each phase.
 */
import { fork } from 'node:child_process';
import {
  copyFileSync,
  createReadStream,
  createWriteStream,
  mkdirSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildApp, createServices, openDatabase, openSource, systemScope } from '@tingjian/server';
import { percentile, ROOT } from './lib.ts';

const [source, snapshotDir, dbPath] = process.argv.slice(2) as [string, string, string];

/** The snapshot with every 1,000th resident's monthly income raised by 1,234 yuan; the other tables linked. */
async function changedSnapshot(from: string, to: string): Promise<number> {
  rmSync(to, { recursive: true, force: true });
  mkdirSync(to, { recursive: true });
  for (const f of readdirSync(from)) if (f !== 'residents.csv') symlinkSync(join(from, f), join(to, f));
  const out = createWriteStream(join(to, 'residents.csv'));
  let header: string[] | null = null;
  let changed = 0;
  let i = 0;
  for await (const line of createInterface({
    input: createReadStream(join(from, 'residents.csv')),
    crlfDelay: Infinity,
  })) {
    if (!header) {
      header = line.split(',');
      out.write(`${line}\n`);
      continue;
    }
    let row = line;
    if (i++ % 1000 === 0) {
      const cells = line.split(',');
      const at = header.indexOf('monthly_income_yuan');
      cells[at] = String(Number(cells[at] || 0) + 1234);
      row = cells.join(',');
      changed++;
    }
    if (!out.write(`${row}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r) => out.end(() => r()));
  return changed;
}
const dir = `${dbPath}.snapshot`;
const changed = await changedSnapshot(snapshotDir, dir);
for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });
copyFileSync(source, dbPath);
const database = await openDatabase({ sqlitePath: dbPath });
const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
const password = 'bench password 1';
if (!(await database.db.selectFrom('app_user').select('username').where('username', '=', 'bench').executeTakeFirst())) {
  await services.auth.createUser(systemScope(), {
    username: 'bench',
    displayName: 'bench',
    role: 'district',
    orgCode: '310105',
    password,
  });
}
const app = await buildApp({ services, webDist: null, rateLimitPerMinute: 1_000_000 });
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
const login = await fetch(`${base}/api/session`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'bench', password }),
});
const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
const ids = (
  await database.db.selectFrom('resident').select('id_number').where('id_number', 'like', '3101%').limit(400).execute()
).map((r) => r.id_number);

const client = fork(join(ROOT, 'bench/serving-client.ts'), [base, cookie, JSON.stringify(ids)], {
  execArgv: ['--import', 'tsx'],
});
const result = new Promise<Record<string, Record<'search' | 'view', number[]>>>((resolve) =>
  client.on('message', (m: { type: string; phases: Record<string, Record<'search' | 'view', number[]>> }) => {
    if (m.type === 'result') resolve(m.phases);
  }),
);
await new Promise((r) => setTimeout(r, 8_000));
client.send({ type: 'phase', phase: 'import' });
const started = performance.now();
const summary = await services.imports.importSnapshot(systemScope(), await openSource(dir));
const importMs = performance.now() - started;
client.send({ type: 'phase', phase: 'after' });
await new Promise((r) => setTimeout(r, 20_000));
client.send({ type: 'stop' });
const phases = await result;
await app.close();
await database.close();
for (const s of ['', '-wal', '-shm', '.audit-pending']) rmSync(dbPath + s, { force: true });
rmSync(dir, { recursive: true, force: true });

const stats = (xs: number[]) => ({
  n: xs.length,
  p50: percentile(xs, 0.5),
  p99: percentile(xs, 0.99),
  max: Math.max(...xs),
});
console.log(
  JSON.stringify({
    residents: summary.tables.residents?.read ?? 0,
    changedInSnapshot: changed,
    updated: summary.tables.residents?.updated ?? 0,
    importMs,
    idle: { search: stats(phases.idle!.search), view: stats(phases.idle!.view) },
    import: { search: stats(phases.import!.search), view: stats(phases.import!.view) },
    after: { search: stats(phases.after!.search), view: stats(phases.after!.view) },
  }),
);
process.exit(0);
