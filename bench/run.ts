/**
 * `npm run bench`: the benchmarks of the issues, each beside its peer on the same data in the same
 * run. Prints a table and writes bench/results/latest.json. BENCH_RESIDENTS overrides the size
 * (default 1,000,000); BENCH_RUNS the repetitions for medians (default 3).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, ROOT, runChild, type BenchResult } from './lib.ts';

const residents = Number(process.env.BENCH_RESIDENTS ?? 1_000_000);
const runs = Number(process.env.BENCH_RUNS ?? 3);
const work = join(tmpdir(), 'tingjian-bench');
mkdirSync(work, { recursive: true });
const snapshot = join(work, `snapshot-${residents}`);
const results: BenchResult[] = [];

if (!existsSync(join(snapshot, 'identity_tags.csv'))) {
  console.error(`generating a ${residents}-resident snapshot in ${snapshot} …`);
  rmSync(snapshot, { recursive: true, force: true });
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'packages/cli/bin/tingjian.js'),
      'demo',
      '--out',
      snapshot,
      '--residents',
      String(residents),
      '--as-of',
      '2026-11-28',
      '--db',
      join(work, 'gen.db'),
    ],
    { stdio: 'inherit', cwd: ROOT },
  );
}

// 1. Import: ours vs the floor (plain prepared statements, one transaction, no validation).
type ImportRun = { ms: number; maxRssMb: number; residents: number };
const ours: ImportRun[] = [];
const floor: ImportRun[] = [];
for (let i = 0; i < runs; i++) {
  console.error(`import run ${i + 1}/${runs} …`);
  floor.push(await runChild<ImportRun>('floor-child.ts', [snapshot, join(work, 'floor.db')]));
  // The heap limit `tingjian import` runs with (packages/cli/bin/tingjian.js).
  ours.push(
    await runChild<ImportRun>('import-child.ts', [snapshot, join(work, 'ours.db')], ['--max-old-space-size=1024']),
  );
}
const oursMs = median(ours.map((r) => r.ms));
const floorMs = median(floor.map((r) => r.ms));
results.push({
  name: 'import CSV snapshot into SQLite',
  n: ours[0]!.residents,
  ours_ms: Math.round(oursMs),
  peer: 'floor: prepared INSERTs, one transaction, no validation',
  peer_ms: Math.round(floorMs),
  ratio: +(oursMs / floorMs).toFixed(2),
  note: `peak RSS ${Math.max(...ours.map((r) => r.maxRssMb))} MB (floor ${Math.max(...floor.map((r) => r.maxRssMb))} MB)`,
});

// 2. Search and the 360 view on the imported database.
const reg = await runChild<{ searchP50: number; searchP95: number; viewP50: number; viewP95: number; n: number }>(
  'registry-child.ts',
  [join(work, 'ours.db'), '400'],
);
results.push({
  name: 'resident search p50 (name / initials / pinyin / id prefix)',
  n: ours[0]!.residents,
  ours_ms: +reg.searchP50.toFixed(3),
  peer: null,
  peer_ms: null,
  ratio: null,
  note: `p95 ${reg.searchP95.toFixed(2)} ms over ${reg.n} queries`,
});
results.push({
  name: 'resident 360 view p50',
  n: ours[0]!.residents,
  ours_ms: +reg.viewP50.toFixed(3),
  peer: null,
  peer_ms: null,
  ratio: null,
  note: `p95 ${reg.viewP95.toFixed(2)} ms over ${reg.n} views`,
});

// 2b. Reads while an import writes: searches and 360 views from another process, the server idle
// (the peer) and then during a re-import of the same snapshot.
{
  type Stats = { n: number; p50: number; p99: number; max: number };
  const serving = await runChild<
    { residents: number; updated: number; importMs: number } & Record<
      'idle' | 'import' | 'after',
      Record<'search' | 'view', Stats>
    >
  >('serving-child.ts', [join(work, 'ours.db'), snapshot, join(work, 'serving.db')], ['--max-old-space-size=4096']);
  for (const kind of ['search', 'view'] as const) {
    const idle = serving.idle[kind];
    const label = kind === 'search' ? 'resident search' : 'resident 360 view';
    for (const [phase, s, when] of [
      [
        'during a re-import',
        serving.import[kind],
        `while the import of ${Math.round(serving.importMs / 1000)} s ran (${serving.updated} residents changed)`,
      ],
      ['in the 20 s after it', serving.after[kind], 'while the caches followed the change'],
    ] as const) {
      results.push({
        name: `${label} p99 ${phase}`,
        n: serving.residents,
        ours_ms: +s.p99.toFixed(1),
        peer: 'the same server idle',
        peer_ms: +idle.p99.toFixed(1),
        ratio: +(s.p99 / idle.p99).toFixed(2),
        note: `p50 ${s.p50.toFixed(1)} ms, max ${s.max.toFixed(0)} ms over ${s.n} requests ${when}; goal p99 < 100 ms`,
      });
    }
  }
}

// 3. Tags and crowd selection on the imported million, beside SQLite and DuckDB on the same pairs.
{
  type Q = { ours: number; sqlite: number; duckdb: number };
  const tags = await runChild<{
    n: number;
    tags: number;
    pairs: number;
    bytesPerPair: number;
    populationMs: number;
    indexMs: number;
    results: Record<'threeClause' | 'rank10' | 'byStreet', Q>;
    example: string;
  }>('tags-child.ts', [join(work, 'ours.db')], ['--max-old-space-size=4096']);
  results.push({
    name: 'tag index build from storage (population columns + bitmaps)',
    n: tags.n,
    ours_ms: Math.round(tags.populationMs + tags.indexMs),
    peer: null,
    peer_ms: null,
    ratio: null,
    note: `${tags.tags} tags, ${tags.pairs} pairs: load ${Math.round(tags.populationMs)} ms + bitmaps ${Math.round(tags.indexMs)} ms; ${tags.bytesPerPair.toFixed(2)} bytes per (resident, tag) pair`,
  });
  const rows: Array<[string, Q]> = [
    ['selection, 3 clauses (e.g. A AND NOT B AND (C OR D)), count', tags.results.threeClause],
    ['ranking over 10 tags, first page of 50', tags.results.rank10],
    ['counts by street of a 3-clause selection', tags.results.byStreet],
  ];
  for (const [name, q] of rows) {
    results.push({
      name: `${name} vs SQLite`,
      n: tags.n,
      ours_ms: +q.ours.toFixed(4),
      peer: 'SQLite, indexed (tag, person) table',
      peer_ms: +q.sqlite.toFixed(2),
      ratio: +(q.ours / q.sqlite).toFixed(5),
      note: `${Math.round(q.sqlite / q.ours)}× faster`,
    });
    results.push({
      name: `${name} vs DuckDB`,
      n: tags.n,
      ours_ms: +q.ours.toFixed(4),
      peer: 'DuckDB (@duckdb/node-api), same table',
      peer_ms: +q.duckdb.toFixed(2),
      ratio: +(q.ours / q.duckdb).toFixed(5),
      note: `${Math.round(q.duckdb / q.ours)}× faster`,
    });
  }
}

// 4. Policies: the scan beside json-rules-engine and the typed-array floor; explanation; one household;
// and the whole `tingjian scan` command, start to finish.
{
  const pol = await runChild<{
    n: number;
    findings: number;
    scanMs: number;
    firstScanMs: number;
    explainP50: number;
    reevalP50: number;
    reevalPatchP50: number;
    floorMs: number;
    simpleMs: number;
    peerPeople: number;
    peerMs: number;
    peerScaledMs: number;
  }>('policies-child.ts', [join(work, 'ours.db')], ['--max-old-space-size=4096']);
  results.push({
    name: 'policy scan, 9-policy reference pack, data in memory',
    n: pol.n,
    ours_ms: Math.round(pol.scanMs),
    peer: `json-rules-engine, person by person (${pol.peerPeople} people timed, scaled to n)`,
    peer_ms: Math.round(pol.peerScaledMs),
    ratio: +(pol.scanMs / pol.peerScaledMs).toFixed(5),
    note: `${Math.round(pol.peerScaledMs / pol.scanMs)}× faster; ${pol.findings} findings; peer's findings checked equal on the people it ran; the first scan of a population ${Math.round(pol.firstScanMs)} ms (builds the date-free indexes)`,
  });
  results.push({
    name: 'policy scan, the 3 simplest rules (TEKUN, SEVERE_DISABLED_CARE, ELDER_ALONE)',
    n: pol.n,
    ours_ms: Math.round(pol.simpleMs),
    peer: 'floor: hand-written loop over the typed arrays',
    peer_ms: Math.round(pol.floorMs),
    ratio: +(pol.simpleMs / pol.floorMs).toFixed(2),
  });
  results.push({
    name: "one person's explanation (all 9 policies) p50",
    n: pol.n,
    ours_ms: +pol.explainP50.toFixed(3),
    peer: null,
    peer_ms: null,
    ratio: null,
  });
  results.push({
    name: 're-evaluation after one household changes p50 (patch + rescan)',
    n: pol.n,
    ours_ms: +pol.reevalP50.toFixed(3),
    peer: null,
    peer_ms: null,
    ratio: null,
    note: `of which patching the population ${pol.reevalPatchP50.toFixed(2)} ms; the result checked equal to a whole scan`,
  });
  const scanRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    execFileSync(
      process.execPath,
      [join(ROOT, 'packages/cli/bin/tingjian.js'), 'scan', '--as-of', '2026-11-28', '--db', join(work, 'ours.db')],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    scanRuns.push(performance.now() - t);
  }
  results.push({
    name: '`tingjian scan` command on the 1M database, start to finish',
    n: pol.n,
    ours_ms: Math.round(median(scanRuns)),
    peer: null,
    peer_ms: null,
    ratio: null,
  });
}

// 5. Needs assessment: ours beside a row-at-a-time implementation; the whole `tingjian assess` command.
{
  const as = await runChild<{ n: number; households: number; oursMs: number; firstMs: number; peerMs: number }>(
    'assess-child.ts',
    [join(work, 'ours.db')],
    ['--max-old-space-size=4096'],
  );
  results.push({
    name: `needs assessment of every household (${as.households}), data in memory`,
    n: as.n,
    ours_ms: Math.round(as.oursMs),
    peer: 'row-at-a-time: member objects per household, plain checks, maps per area',
    peer_ms: Math.round(as.peerMs),
    ratio: +(as.oursMs / as.peerMs).toFixed(2),
    note: `answers checked equal; the first assessment of a population ${Math.round(as.firstMs)} ms (keeps the aggregates of date-free facts)`,
  });
  const assessRuns: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    execFileSync(
      process.execPath,
      [join(ROOT, 'packages/cli/bin/tingjian.js'), 'assess', '--as-of', '2026-11-28', '--db', join(work, 'ours.db')],
      { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] },
    );
    assessRuns.push(performance.now() - t);
  }
  results.push({
    name: '`tingjian assess` command on the 1M database, start to finish',
    n: as.n,
    ours_ms: Math.round(median(assessRuns)),
    peer: null,
    peer_ms: null,
    ratio: null,
  });
}

// 6. The workbench in a browser on the imported million (production build of packages/web).
if (existsSync(join(ROOT, 'packages/web/dist/index.html'))) {
  const web = await runChild<{
    figuresMs: number;
    homeCold: number;
    homeWarm: number;
    pageChange: number;
    pageChangeMax: number;
    listApi: number;
  }>('web-child.ts', [join(work, 'ours.db')]);
  results.push({
    name: 'dashboard figures of every unit (one pass, after start-up or an import)',
    n: ours[0]!.residents,
    ours_ms: Math.round(web.figuresMs),
    peer: null,
    peer_ms: null,
    ratio: null,
  });
  results.push({
    name: 'home page first load in Chromium (fresh browser page, district)',
    n: ours[0]!.residents,
    ours_ms: Math.round(web.homeCold),
    peer: null,
    peer_ms: null,
    ratio: null,
    note: `later loads median ${Math.round(web.homeWarm)} ms`,
  });
  results.push({
    name: 'resident list page change in Chromium (median of 12)',
    n: ours[0]!.residents,
    ours_ms: Math.round(web.pageChange),
    peer: null,
    peer_ms: null,
    ratio: null,
    note: `max ${Math.round(web.pageChangeMax)} ms; of which the API ${web.listApi.toFixed(1)} ms (median)`,
  });
} else {
  console.error('packages/web/dist is missing: run `npm run build:web` for the browser benchmarks');
}

mkdirSync(join(ROOT, 'bench/results'), { recursive: true });
writeFileSync(join(ROOT, 'bench/results/latest.json'), JSON.stringify(results, null, 2) + '\n');
console.table(results.map((r) => ({ ...r, peer: r.peer?.slice(0, 40) ?? '-' })));
