/** Child process: imports a snapshot folder into a fresh SQLite file through the product's import. */
import { rmSync } from 'node:fs';
import { createServices, openDatabase, openSource, systemScope } from '@tingjian/server';
import { maxRssMb } from './lib.ts';

const [dir, dbPath] = process.argv.slice(2) as [string, string];
for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });
const database = await openDatabase({ sqlitePath: dbPath });
const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
const started = performance.now();
const summary = await services.imports.importSnapshot(systemScope(), await openSource(dir));
const ms = performance.now() - started;
await database.close();
console.log(
  JSON.stringify({
    ms,
    maxRssMb: maxRssMb(),
    residents: summary.tables.residents?.inserted ?? 0,
    rejectedRows: summary.rejectedRows,
  }),
);
