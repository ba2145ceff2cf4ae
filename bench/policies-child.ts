/**
 * Child process: the policy scan (issue 5) on an imported million, data already in memory.
 * - ours: the 9-policy reference pack (engine scanPopulation + findings: each rule compiled to a loop over the typed arrays);
 * - json-rules-engine: the same 9 rules as JSON rules evaluated person by person (facts handed to it
 *   ready-made, so only rule evaluation is timed), on the first PEER_PEOPLE residents and scaled to
 *   the whole population; its findings are checked equal to ours for those residents;
 * - the floor: hand-written loops over the typed arrays for the three simplest rules (TEKUN,
 *   SEVERE_DISABLED_CARE, ELDER_ALONE), beside our engine on a pack of just those three.
 * Also one person's explanation and the re-evaluation after one household changes (patch + rescan).
 */
import { Engine } from 'json-rules-engine';
import { createServices, openDatabase } from '@tingjian/server';
import {
  CODED_FACTS,
  compilePack,
  completedYears,
  dateKey,
  explainPolicy,
  findings,
  OPEN_END,
  patchPopulation,
  PopulationOnDate,
  rescanHouseholds,
  scanPopulation,
  T,
  type CodedFact,
  type Finding,
  type PersonInput,
} from '@tingjian/engine';
import { median, percentile } from './lib.ts';

const [dbPath] = process.argv.slice(2) as [string];
const ASOF = '2026-11-28';
const PEER_PEOPLE = Number(process.env.BENCH_PEER_PEOPLE ?? 20_000);

const database = await openDatabase({ sqlitePath: dbPath });
const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
const { population } = await services.population.snapshot();
const pack = services.policies.pack;
const n = population.n;

// 1. Ours: the whole pack, set-at-a-time. The first scan of a population also builds its
// indexes: reported apart; after two more to warm the JIT, the median of 7.
const times: number[] = [];
let found: Finding[] = [];
for (let r = 0; r < 10; r++) {
  const t = performance.now();
  const scan = scanPopulation(pack, population, ASOF);
  found = [...findings(scan)];
  times.push(performance.now() - t);
}
const firstScanMs = times[0]!;
const scanMs = median(times.slice(3));
const scan = scanPopulation(pack, population, ASOF);

// 2. One person's explanation (every policy of a random resident).
const explain: number[] = [];
let seed = 7;
const rnd = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
for (let k = 0; k < 300; k++) {
  const i = Math.floor(rnd() * n);
  const t = performance.now();
  for (const p of pack.policies) explainPolicy(pack, scan, i, p.def.code);
  explain.push(performance.now() - t);
}

// 3. Re-evaluation after one household changes, the server's path: one member's income changes
// (with their enrollments and identity tags handed over as an import reports them), the change is
// patched into the population (patchPopulation) and the household re-evaluated on top of the
// previous scan (rescanHouseholds).
const reeval: number[] = [];
const reevalPatch: number[] = [];
{
  const iso = (key: number) =>
    `${String(Math.floor(key / 10000)).padStart(4, '0')}-${String(Math.floor(key / 100) % 100).padStart(2, '0')}-${String(key % 100).padStart(2, '0')}`;
  let current = population;
  let previous = scan;
  for (let k = 0; k < 300; k++) {
    const h = Math.floor(rnd() * current.householdIds.length);
    const i = current.memberIndex[current.memberStart[h]!]!;
    const decode = (name: CodedFact) => {
      const c = current.coded[name][i]!;
      return c === 0 ? null : CODED_FACTS[name][c - 1]!;
    };
    const resident: PersonInput = {
      id_number: current.ids[i]!,
      birth_date: iso(current.birth[i]!),
      household_id: current.householdIds[h]!,
      gender: decode('gender'),
      hukou: decode('hukou'),
      marital_status: decode('marital_status'),
      disability_grade: current.disabilityGrade[i] || null,
      disability_category: decode('disability_category'),
      monthly_income_yuan: Math.round(rnd() * 3000),
      employment: decode('employment'),
      school_stage: decode('school_stage'),
      labor_capacity: decode('labor_capacity'),
      chronic_illness: decode('chronic_illness'),
      medical_oop_12m_yuan: Number.isNaN(current.medical[i]!) ? null : current.medical[i]!,
    };
    const enrollments = [...current.enrollments].flatMap(([code, l]) =>
      [...l.person.keys()]
        .filter((x) => l.person[x] === i)
        .map((x) => ({
          benefit_code: code,
          start_date: iso(l.start[x]!),
          end_date: l.end[x] === OPEN_END ? null : iso(l.end[x]!),
        })),
    );
    const tags = [...current.identityTags].filter(([, l]) => l.includes(i)).map(([tag]) => tag);
    const t = performance.now();
    const next = patchPopulation(current, {
      residents: [resident],
      ableSupporter: new Map([[resident.id_number, current.ableSupporter[i] === 1]]),
      enrollments: new Map([[resident.id_number, enrollments]]),
      identityTags: new Map([[resident.id_number, tags]]),
    });
    if (!next) throw new Error('the patch was refused');
    const t1 = performance.now();
    previous = rescanHouseholds(pack, previous, next, Int32Array.of(h));
    const t2 = performance.now();
    current = next;
    reeval.push(t2 - t);
    reevalPatch.push(t1 - t);
  }
  // The last re-evaluation equals a whole scan of the patched registry.
  const whole = findings(scanPopulation(pack, current, ASOF)).map(
    (f) => `${f.index} ${f.policy} ${f.kind} ${f.monthlyAmount}`,
  );
  const partial = findings(previous).map((f) => `${f.index} ${f.policy} ${f.kind} ${f.monthlyAmount}`);
  if (whole.join() !== partial.join()) throw new Error('the re-evaluation differs from a whole scan');
}

// 4. The floor: three simple rules by hand over the typed arrays, beside the engine on the same three.
const simple = compilePack({
  ...pack.def,
  policies: pack.def.policies.filter((p) => ['TEKUN', 'SEVERE_DISABLED_CARE', 'ELDER_ALONE'].includes(p.code)),
});
const LIBAO = pack.parameterOn('LIBAO', ASOF).value;
const MINOR = pack.parameterOn('TEKUN_MINOR_AGE', ASOF).value;
function floor(): Uint8Array[] {
  const day = dateKey(ASOF);
  const size = new Int32Array(population.householdIds.length);
  for (let i = 0; i < n; i++) if (population.birth[i]! <= day) size[population.household[i]!]!++;
  const hukouLocal = 1; // CODED_FACTS.hukou[0] = 本市
  const none = 3; // CODED_FACTS.labor_capacity[2] = 无
  const mental = [5, 6]; // 智力, 精神 (codes are 1-based)
  const tekun = new Uint8Array(n);
  const severeCare = new Uint8Array(n);
  const alone = new Uint8Array(n);
  const grade = population.disabilityGrade;
  const cat = population.coded.disability_category;
  const hk = population.coded.hukou;
  const lc = population.coded.labor_capacity;
  const tekunHolds = new Uint8Array(n);
  const list = population.enrollments.get('TEKUN');
  if (list)
    for (let k = 0; k < list.person.length; k++)
      if (list.start[k]! <= day && day <= list.end[k]!) tekunHolds[list.person[k]!] = 1;
  for (let i = 0; i < n; i++) {
    if (population.birth[i]! > day) continue;
    const age = Math.floor((day - population.birth[i]!) / 10000);
    const g = grade[i]!;
    const severe = g === 1 || g === 2 || (g === 3 && (cat[i] === mental[0] || cat[i] === mental[1]));
    const local = hk[i] === hukouLocal;
    const income = population.income[i]! === population.income[i]! ? population.income[i]! : 0;
    const t =
      local &&
      (age >= 60 || age < MINOR || g !== 0) &&
      (lc[i] === none || age >= 60 || age < 16 || severe) &&
      income < LIBAO &&
      !population.ableSupporter[i];
    tekun[i] = t ? T : 0;
    severeCare[i] = local && severe && !(t || tekunHolds[i]) ? T : 0;
    alone[i] = age >= 60 && size[population.household[i]!] === 1 ? T : 0;
  }
  return [tekun, severeCare, alone];
}
const floorTimes: number[] = [];
const simpleTimes: number[] = [];
let floorOut: Uint8Array[] = [];
for (let r = 0; r < 5; r++) {
  let t = performance.now();
  floorOut = floor();
  floorTimes.push(performance.now() - t);
  t = performance.now();
  scanPopulation(simple, population, ASOF);
  simpleTimes.push(performance.now() - t);
}
{
  const mine = scanPopulation(simple, population, ASOF);
  ['TEKUN', 'SEVERE_DISABLED_CARE', 'ELDER_ALONE'].forEach((code, k) => {
    const a = mine.columns.get(code)!.eligible;
    for (let i = 0; i < n; i++)
      if ((a[i] === T) !== (floorOut[k]![i] === T))
        throw new Error(`floor and engine differ on ${code} for ${population.ids[i]}`);
  });
}

// 5. json-rules-engine, person by person, on the first PEER_PEOPLE residents.
const view = new PopulationOnDate(population, ASOF, (name) => pack.parameterOn(name, ASOF).value);
const col = (name: string) => (view.fact(name) as { data: Float64Array | Uint8Array }).data;
const str = (name: string, i: number) => {
  const c = view.fact(name) as { data: Uint8Array; values: readonly string[] };
  const k = c.data[i]!;
  return k === 0 ? null : c.values[k - 1]!;
};
const holds = (code: string) => (view.call('holds', code) as { data: Uint8Array }).data;
const CITY = pack.parameterOn('CITY_AVG_INCOME', ASOF).value;
const engine = new Engine([], { allowUndefinedFacts: true });
const codes = pack.policies.map((p) => p.def.code);
const covered = (code: string) => ({ fact: `X_${code}`, operator: 'equal', value: true });
const notCovered = (code: string) => ({ fact: `X_${code}`, operator: 'equal', value: false });
const rules: Record<string, { priority: number; conditions: object }> = {
  TEKUN: {
    priority: 100,
    conditions: {
      all: [
        { fact: 'local', operator: 'equal', value: true },
        {
          any: [
            { fact: 'age', operator: 'greaterThanInclusive', value: 60 },
            { fact: 'age', operator: 'lessThan', value: MINOR },
            { fact: 'disabled', operator: 'equal', value: true },
          ],
        },
        { fact: 'no_work_capacity', operator: 'equal', value: true },
        { fact: 'income', operator: 'lessThan', value: LIBAO },
        { fact: 'able_supporter', operator: 'equal', value: false },
      ],
    },
  },
  DIBAO: {
    priority: 90,
    conditions: {
      all: [
        { fact: 'local', operator: 'equal', value: true },
        { fact: 'pc_income', operator: 'lessThan', value: LIBAO },
        { fact: 'pc_assets', operator: 'lessThanInclusive', value: 60000 },
        notCovered('TEKUN'),
      ],
    },
  },
  LOW_INCOME: {
    priority: 90,
    conditions: {
      all: [
        { fact: 'local', operator: 'equal', value: true },
        { fact: 'pc_income', operator: 'greaterThanInclusive', value: LIBAO },
        { fact: 'pc_income', operator: 'lessThan', value: 2 * LIBAO },
        { fact: 'pc_assets', operator: 'lessThanInclusive', value: 120000 },
        notCovered('TEKUN'),
      ],
    },
  },
  EXPENDITURE_POOR: {
    priority: 90,
    conditions: {
      all: [
        { fact: 'local', operator: 'equal', value: true },
        { fact: 'pc_income', operator: 'greaterThanInclusive', value: LIBAO },
        { fact: 'annual_pc_income', operator: 'lessThan', value: CITY },
        { fact: 'pc_assets', operator: 'lessThanInclusive', value: 120000 },
        {
          any: [
            { fact: 'net_pc_income', operator: 'lessThan', value: LIBAO },
            { fact: 'medical_over_share', operator: 'equal', value: true },
          ],
        },
        notCovered('TEKUN'),
      ],
    },
  },
  DISABLED_LIVING: {
    priority: 80,
    conditions: {
      all: [
        { fact: 'local', operator: 'equal', value: true },
        { fact: 'disabled', operator: 'equal', value: true },
        { any: [covered('DIBAO'), covered('LOW_INCOME')] },
        notCovered('TEKUN'),
      ],
    },
  },
  SEVERE_DISABLED_CARE: {
    priority: 80,
    conditions: {
      all: [
        { fact: 'local', operator: 'equal', value: true },
        { fact: 'severe', operator: 'equal', value: true },
        notCovered('TEKUN'),
      ],
    },
  },
  EDU_AID: {
    priority: 80,
    conditions: {
      all: [
        { fact: 'school_stage', operator: 'in', value: ['小学', '初中', '高中', '中职', '高校'] },
        { any: [covered('DIBAO'), covered('LOW_INCOME'), covered('EXPENDITURE_POOR'), covered('TEKUN')] },
      ],
    },
  },
  ELDER_ALONE: {
    priority: 80,
    conditions: {
      all: [
        { fact: 'age', operator: 'greaterThanInclusive', value: 60 },
        { fact: 'size', operator: 'equal', value: 1 },
      ],
    },
  },
  WELFARE_JOB: {
    priority: 80,
    conditions: {
      all: [
        { fact: 'local', operator: 'equal', value: true },
        { fact: 'age', operator: 'greaterThanInclusive', value: 16 },
        { fact: 'below_retirement', operator: 'equal', value: true },
        { fact: 'employment', operator: 'in', value: ['失业', '无'] },
        { fact: 'labor_capacity', operator: 'in', value: ['有', '部分'] },
        { any: [covered('DIBAO'), covered('LOW_INCOME')] },
      ],
    },
  },
};
for (const [code, r] of Object.entries(rules)) {
  engine.addRule({
    name: code,
    priority: r.priority,
    conditions: r.conditions as never,
    event: { type: 'eligible', params: { policy: code } },
    // eligible or holding: what the rules of lower priority read as X(p).
    onSuccess: (_event, almanac) => {
      almanac.addRuntimeFact(`X_${code}`, true);
    },
  });
}
const age = col('age');
const pcIncome = col('household.pc_income');
const pcAssets = col('household.pc_assets');
const hhIncome = col('household.income');
const size = col('household.size');
const medical = col('household.medical');
const income = col('income');
const local = col('local');
const severe = col('severe_disability');
const able = col('able_supporter');
const noWork = col('no_work_capacity');
const heldBy = new Map(codes.map((c) => [c, holds(c)]));
const m = Math.min(PEER_PEOPLE, n);
const peerFindings: string[] = [];
const t0 = performance.now();
for (let i = 0; i < m; i++) {
  if (!view.exists[i]) continue;
  const facts: Record<string, unknown> = {
    age: age[i],
    local: local[i] === T,
    income: income[i],
    pc_income: pcIncome[i],
    pc_assets: pcAssets[i],
    size: size[i],
    annual_pc_income: 12 * pcIncome[i]!,
    net_pc_income: (12 * hhIncome[i]! - medical[i]!) / (12 * size[i]!),
    medical_over_share: medical[i]! >= 0.4 * 12 * hhIncome[i]! - 1e-6,
    disabled: population.disabilityGrade[i] !== 0,
    severe: severe[i] === T,
    able_supporter: able[i] === T,
    no_work_capacity: noWork[i] === T,
    school_stage: str('school_stage', i),
    employment: str('employment', i),
    labor_capacity: str('labor_capacity', i),
    below_retirement: age[i]! < (str('gender', i) === '男' ? 60 : 50),
  };
  for (const c of codes) facts[`X_${c}`] = heldBy.get(c)![i] === T;
  const { events } = await engine.run(facts);
  const eligible = new Set(events.map((e) => (e.params as { policy: string }).policy));
  for (const c of codes) {
    const h = heldBy.get(c)![i] === T;
    if (eligible.has(c) && !h) peerFindings.push(`${i}|${c}|lead`);
    else if (h && !eligible.has(c)) peerFindings.push(`${i}|${c}|review`);
  }
}
const peerMs = performance.now() - t0;
const ours = found
  .filter((f) => f.index < m)
  .map((f) => `${f.index}|${f.policy}|${f.kind}`)
  .sort();
if (ours.join() !== peerFindings.sort().join()) {
  const a = new Set(ours);
  const b = new Set(peerFindings);
  throw new Error(
    `json-rules-engine and ours differ: ${[...a].filter((x) => !b.has(x)).slice(0, 5)} / ${[...b].filter((x) => !a.has(x)).slice(0, 5)}`,
  );
}

await database.close();
console.log(
  JSON.stringify({
    n,
    findings: found.length,
    scanMs,
    firstScanMs,
    explainP50: percentile(explain, 0.5),
    reevalP50: percentile(reeval, 0.5),
    reevalPatchP50: percentile(reevalPatch, 0.5),
    floorMs: median(floorTimes),
    simpleMs: median(simpleTimes),
    peerPeople: m,
    peerMs,
    peerScaledMs: peerMs * (n / m),
    ages: completedYears(population.birth[0]!, dateKey(ASOF)),
  }),
);
