/** Child process: search and 360 latencies on an imported database, through the services. */
import { createServices, openDatabase, systemScope } from '@tingjian/server';
import { percentile } from './lib.ts';

const [dbPath, countText] = process.argv.slice(2) as [string, string];
const database = await openDatabase({ sqlitePath: dbPath });
const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
const count = Number(countText);
// A deterministic sample of real residents: every k-th by id.
const sample = await database.db
  .selectFrom('resident')
  .select(['id_number', 'name', 'name_initials', 'name_pinyin', 'committee_code'])
  .where('id_number', '>=', '3')
  .orderBy('id_number')
  .limit(count * 50)
  .execute();
const picks = sample.filter((_, i) => i % 50 === 0).slice(0, count);
const street = { username: 'bench', role: 'street' as const, orgCode: '310105001' };
const district = systemScope('310105');
const search: number[] = [];
const view: number[] = [];
for (const [i, p] of picks.entries()) {
  const q = [p.name, p.name_initials, p.name_pinyin.slice(0, 5), p.id_number.slice(0, 12)][i % 4]!;
  const scope = i % 2 ? street : district;
  let t = performance.now();
  await services.registry.list(scope, { q, limit: 20, offset: 0, asOf: '2026-11-28' });
  search.push(performance.now() - t);
  t = performance.now();
  await services.registry.resident360(district, p.id_number);
  view.push(performance.now() - t);
}
await database.close();
console.log(
  JSON.stringify({
    searchP50: percentile(search, 0.5),
    searchP95: percentile(search, 0.95),
    viewP50: percentile(view, 0.5),
    viewP95: percentile(view, 0.95),
    n: picks.length,
  }),
);
