/**
 * Child process: the tag index (issue 4) on an imported million. Adds 83 synthetic tags to the
 * reference dictionary (prevalence log-uniform from 30% down to 0.05%), then measures, in a fresh service: the index build from storage, its memory, and three
 * selections — a 3-clause expression, ranking over 10 tags, counts by street — beside the same
 * queries as SQL over an indexed resident-tag table in SQLite and in DuckDB, on the same pairs.
 * Every query's answer is checked against the peers' before any time counts.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { DuckDBInstance } from '@duckdb/node-api';
import { createServices, openDatabase, systemScope } from '@tingjian/server';
import { parseSelection, PopulationOnDate, type Bitmap, type TagIndex } from '@tingjian/engine';
import { median } from './lib.ts';

const [dbPath] = process.argv.slice(2) as [string];
const ASOF = '2026-11-28';
const SYNTHETIC = 83;

// 1. Synthetic tags written straight into storage (setup, not timed). The frequent ones are rule
// tags (bands of a numeric fact: that is how a 30% tag arises in practice), the rare ones manual
// tags with assignments, as workers set them.
{
  const raw = new BetterSqlite3(dbPath);
  const have = raw.prepare(`select count(*) as n from tag where code like '基准标签%'`).get() as { n: number };
  if (have.n === 0) {
    const setup = await openDatabase({ sqlitePath: dbPath });
    const { population } = await (await createServices(setup, { TINGJIAN_COUNTY: '310105' })).population.snapshot();
    await setup.close();
    const view = new PopulationOnDate(population, ASOF);
    const facts = [
      'age',
      'income',
      'household.pc_income',
      'household.pc_assets',
      'medical_oop',
      'household.housing_area',
      'household.medical',
    ];
    const sortedFact = new Map(
      facts.map((f) => [
        f,
        Float64Array.from((view.fact(f) as { data: Float64Array }).data.filter((v) => v === v)).sort(),
      ]),
    );
    const ids = population.ids;
    const insertTag =
      raw.prepare(`insert into tag (code, category, source, owner_code, description, owner_name, rule, created_by, created_at, updated_by, updated_at)
      values (?, '身份类', ?, '310105', '基准测试用标签', null, ?, 'bench', '2026-11-28T00:00:00Z', 'bench', '2026-11-28T00:00:00Z')`);
    const insertAssignment =
      raw.prepare(`insert into tag_assignment (tag_id, id_number, valid_from, valid_to, reason, evidence, assigned_by, assigned_at, removed_by, removed_at)
      values (?, ?, null, null, '基准测试', null, 'bench', '2026-11-28T00:00:00Z', null, null)`);
    let seed = 12345;
    const rnd = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    raw.transaction(() => {
      for (let k = 0; k < SYNTHETIC; k++) {
        const prevalence = 0.3 * Math.pow(0.0005 / 0.3, k / (SYNTHETIC - 1));
        const code = `基准标签${String(k + 1).padStart(2, '0')}`;
        if (prevalence >= 0.01) {
          const fact = facts[k % facts.length]!;
          const values = sortedFact.get(fact)!;
          const from = rnd() * (1 - prevalence);
          const lo = values[Math.floor(from * (values.length - 1))]!;
          const hi = values[Math.floor((from + prevalence) * (values.length - 1))]!;
          insertTag.run(code, 'rule', lo === hi ? `${fact} == ${lo}` : `${fact} >= ${lo} && ${fact} < ${hi}`);
        } else {
          const tagId = Number(insertTag.run(code, 'manual', null).lastInsertRowid);
          for (const id of ids) if (rnd() < prevalence) insertAssignment.run(tagId, id);
        }
      }
    })();
  }
  raw.close();
}

// 2. The index built from storage by a fresh service, as at start-up.
const database = await openDatabase({ sqlitePath: dbPath });
let t = performance.now();
const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
const population = await services.population.snapshot();
const populationMs = performance.now() - t;
if (population.from !== 'image') throw new Error('the population image should have been written by the setup');
t = performance.now();
const index: TagIndex = await services.tags.indexFor(ASOF);
const indexMs = performance.now() - t;
const tagIds = index.tagIds();
const pairs = index.pairs();
const bytes = index.memoryBytes();

// Tags by prevalence, to compose queries of realistic shape.
const scope = '';
const byCode = new Map<string, Bitmap>();
for (const row of (await services.tags.dictionary(systemScope(), ASOF)).levels.flatMap((l) => l.tags))
  byCode.set(row.code, index.resolve(row.code, scope)!);
const codes = [...byCode.keys()]
  .filter((c) => byCode.get(c)!.size > 0)
  .sort((a, b) => byCode.get(b)!.size - byCode.get(a)!.size);
const pick = (share: number) => codes[Math.min(codes.length - 1, Math.floor(share * codes.length))]!;
const selections = [
  [pick(0.05), pick(0.3), pick(0.5), pick(0.7)],
  [pick(0.1), pick(0.2), pick(0.4), pick(0.9)],
  [pick(0.0), pick(0.6), pick(0.15), pick(0.35)],
  [pick(0.25), pick(0.45), pick(0.02), pick(0.8)],
].map(([a, b, c, d]) => ({ text: `"${a}" AND NOT "${b}" AND ("${c}" OR "${d}")`, a: a!, b: b!, c: c!, d: d! }));
const rankCodes = codes.filter((_, k) => k % Math.max(1, Math.floor(codes.length / 10)) === 1).slice(0, 10);
const streets = services.org.childrenOf('310105').map((u) => u.code);

// 3. The peers, loaded with exactly the index's pairs (dense numbers as person ids).
const dir = mkdtempSync(join(tmpdir(), 'tingjian-tags-bench-'));
const codeId = new Map(codes.map((c, k) => [c, k + 1]));
const sqlite = new BetterSqlite3(join(dir, 'peer.db'));
sqlite.pragma('journal_mode = OFF');
sqlite.exec(
  'create table rt (tag integer not null, person integer not null); create table person (person integer primary key, street integer not null)',
);
const csvPairs: string[] = [];
{
  const ins = sqlite.prepare('insert into rt values (?, ?)');
  const insP = sqlite.prepare('insert into person values (?, ?)');
  sqlite.transaction(() => {
    for (const [code, bitmap] of byCode) {
      const id = codeId.get(code);
      if (!id) continue;
      for (const person of bitmap) {
        ins.run(id, person);
        csvPairs.push(`${id},${person}`);
      }
    }
    for (let k = 0; k < streets.length; k++) for (const person of index.unit(streets[k]!)) insP.run(person, k);
  })();
  sqlite.exec('create index rt_tag_person on rt (tag, person); create index rt_person on rt (person); analyze');
}
writeFileSync(join(dir, 'rt.csv'), `tag,person\n${csvPairs.join('\n')}\n`);
const duck = await (await DuckDBInstance.create(':memory:')).connect();
await duck.run(
  `create table rt as select * from read_csv('${join(dir, 'rt.csv')}', header = true, columns = {'tag': 'INTEGER', 'person': 'INTEGER'})`,
);
{
  const lines = ['person,street'];
  for (let k = 0; k < streets.length; k++) for (const person of index.unit(streets[k]!)) lines.push(`${person},${k}`);
  writeFileSync(join(dir, 'person.csv'), `${lines.join('\n')}\n`);
  await duck.run(
    `create table person as select * from read_csv('${join(dir, 'person.csv')}', header = true, columns = {'person': 'INTEGER', 'street': 'INTEGER'})`,
  );
}

const selSql = (s: (typeof selections)[number]) =>
  `select person from rt where tag = ${codeId.get(s.a)} intersect select person from rt where tag in (${codeId.get(s.c)}, ${codeId.get(s.d)}) except select person from rt where tag = ${codeId.get(s.b)}`;
const rankSql = `select person, count(*) as r from rt where tag in (${rankCodes.map((c) => codeId.get(c)).join(',')}) group by person order by r desc, person limit 50`;
const streetSql = (s: (typeof selections)[number]) =>
  `select p.street, count(*) as n from (${selSql(s)}) s join person p on p.person = s.person group by p.street order by p.street`;

async function timeIt(runs: number, f: () => unknown | Promise<unknown>): Promise<number> {
  const xs: number[] = [];
  await f(); // warm-up
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await f();
    xs.push(performance.now() - s);
  }
  return median(xs);
}

const results: Record<string, { ours: number; sqlite: number; duckdb: number }> = {};
// 3-clause selection: count of the selection.
{
  const ours: number[] = [];
  const sq: number[] = [];
  const dk: number[] = [];
  for (const s of selections) {
    const expr = parseSelection(s.text);
    const mine = index.count(expr, scope);
    const bySqlite = (sqlite.prepare(`select count(*) as n from (${selSql(s)})`).get() as { n: number }).n;
    const byDuck = Number((await duck.runAndReadAll(`select count(*) from (${selSql(s)})`)).getRows()[0]![0]);
    if (mine !== bySqlite || mine !== byDuck)
      throw new Error(`3-clause ${s.text}: ours ${mine}, sqlite ${bySqlite}, duckdb ${byDuck}`);
    ours.push(await timeIt(200, () => index.count(expr, scope)));
    sq.push(await timeIt(5, () => sqlite.prepare(`select count(*) as n from (${selSql(s)})`).get()));
    dk.push(await timeIt(10, () => duck.runAndReadAll(`select count(*) from (${selSql(s)})`)));
  }
  results.threeClause = { ours: median(ours), sqlite: median(sq), duckdb: median(dk) };
}
// Ranking over 10 tags: everyone carrying any of them, most tags first, then by id; first page of 50.
{
  const expr = parseSelection(rankCodes.map((c) => `"${c}"`).join(' OR '));
  const rankMaps = rankCodes.map((c) => byCode.get(c)!);
  const page = index.rank(index.select(expr, scope), rankMaps, 0, 50).rows.map((r) => `${r.index}:${r.rank}`);
  const bySqlite = (sqlite.prepare(rankSql).all() as Array<{ person: number; r: number }>).map(
    (r) => `${r.person}:${r.r}`,
  );
  const byDuck = (await duck.runAndReadAll(rankSql)).getRows().map((r) => `${Number(r[0])}:${Number(r[1])}`);
  if (page.join() !== bySqlite.join() || page.join() !== byDuck.join())
    throw new Error('ranking differs between ours and the peers');
  results.rank10 = {
    ours: await timeIt(100, () => index.rank(index.select(expr, scope), rankMaps, 0, 50)),
    sqlite: await timeIt(5, () => sqlite.prepare(rankSql).all()),
    duckdb: await timeIt(10, () => duck.runAndReadAll(rankSql)),
  };
}
// Counts by street for a selection.
{
  const s = selections[0]!;
  const expr = parseSelection(s.text);
  const mine = index.countBy(index.select(expr, scope), streets).join();
  const counts = (rows: Array<[number, number]>) =>
    streets.map((_, k) => rows.find((r) => r[0] === k)?.[1] ?? 0).join();
  const bySqlite = counts(
    (sqlite.prepare(streetSql(s)).all() as Array<{ street: number; n: number }>).map((r) => [r.street, r.n]),
  );
  const byDuck = counts((await duck.runAndReadAll(streetSql(s))).getRows().map((r) => [Number(r[0]), Number(r[1])]));
  if (mine !== bySqlite || mine !== byDuck)
    throw new Error(`counts by street differ: ${mine} / ${bySqlite} / ${byDuck}`);
  results.byStreet = {
    ours: await timeIt(200, () => index.countBy(index.select(expr, scope), streets)),
    sqlite: await timeIt(5, () => sqlite.prepare(streetSql(s)).all()),
    duckdb: await timeIt(10, () => duck.runAndReadAll(streetSql(s))),
  };
}
sqlite.close();
rmSync(dir, { recursive: true, force: true });
await database.close();
console.log(
  JSON.stringify({
    n: population.population.n,
    tags: tagIds.length,
    pairs,
    bytesPerPair: bytes / pairs,
    populationMs,
    indexMs,
    results,
    example: selections[0]!.text,
    rankTags: rankCodes,
  }),
);
