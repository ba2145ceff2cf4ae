/**
 * Child process: the needs assessment (issue 6) on an imported million (≈ 440,000 households),
 * data already in memory: ours (each indicator compiled to a loop over the households and their
 * members in household order, Alkire–Foster over typed arrays) beside a
 * straightforward row-at-a-time implementation over member objects (households → members →
 * indicator checks → scores → per-area sums with maps). The two answers are checked equal.
 */
import { createServices, openDatabase } from '@tingjian/server';
import { assessPopulation, CODED_FACTS, completedYears, dateKey, type CodedFact } from '@tingjian/engine';
import { median } from './lib.ts';

const [dbPath] = process.argv.slice(2) as [string];
const ASOF = '2026-11-28';
const database = await openDatabase({ sqlitePath: dbPath });
const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
const { population: p } = await services.population.snapshot();
const framework = services.assessment.framework;
const pack = services.policies.pack;

// Both sides get the same treatment: 3 runs to warm the JIT, then the median of 7.
const WARM = 3;
const RUNS = 7;
const ours: number[] = [];
const first = performance.now();
let result = assessPopulation(framework, pack, p, ASOF);
// The first assessment of a population also keeps the aggregates of date-free facts: reported apart.
const firstMs = performance.now() - first;
for (let r = 1; r < WARM; r++) result = assessPopulation(framework, pack, p, ASOF);
for (let r = 0; r < RUNS; r++) {
  const t = performance.now();
  result = assessPopulation(framework, pack, p, ASOF);
  ours.push(performance.now() - t);
}

// The rows, as a straightforward program would hold them: one object per member, grouped by household.
const day = dateKey(ASOF);
const code = (name: CodedFact, i: number) => {
  const c = p.coded[name][i]!;
  return c === 0 ? null : CODED_FACTS[name][c - 1]!;
};
interface Member {
  age: number;
  income: number;
  medical: number;
  chronic: string | null;
  grade: number;
  category: string | null;
  school: string | null;
  employment: string | null;
  labor: string | null;
  able: boolean;
}
const households: Array<{ id: string; committee: string; area: number; members: Member[] }> = [];
for (let h = 0; h < p.householdIds.length; h++) {
  const members: Member[] = [];
  for (let k = p.memberStart[h]!; k < p.memberStart[h + 1]!; k++) {
    const i = p.memberIndex[k]!;
    if (p.birth[i]! > day) continue;
    members.push({
      age: completedYears(p.birth[i]!, day),
      income: Number.isNaN(p.income[i]!) ? 0 : p.income[i]!,
      medical: Number.isNaN(p.medical[i]!) ? 0 : p.medical[i]!,
      chronic: code('chronic_illness', i),
      grade: p.disabilityGrade[i]!,
      category: code('disability_category', i),
      school: code('school_stage', i),
      employment: code('employment', i),
      labor: code('labor_capacity', i),
      able: p.ableSupporter[i] === 1,
    });
  }
  if (members.length > 0)
    households.push({
      id: p.householdIds[h]!,
      committee: p.committees[p.householdCommittee[h]!]!,
      area: p.housingArea[h]!,
      members,
    });
}
const LIBAO = pack.parameterOn('LIBAO', ASOF).value;
const weights = new Map(framework.indicators.map((x) => [x.def.code, x.weight]));
function rowAtATime() {
  const eps = 1e-9;
  const severe = (m: Member) =>
    m.grade === 1 || m.grade === 2 || (m.grade === 3 && (m.category === '智力' || m.category === '精神'));
  const areas = new Map<string, { n: number; q: number; sum: number; deprived: Map<string, number> }>();
  const out: Array<{ id: string; score: number; deprived: string[] }> = [];
  for (const h of households) {
    const n = h.members.length;
    const hh = h.members.reduce((a, m) => a + m.income, 0);
    const med = h.members.reduce((a, m) => a + m.medical, 0);
    const flags: Record<string, boolean> = {
      INCOME: hh / n < 2 * LIBAO - eps * Math.max(1, 2 * LIBAO),
      HOUSING: !Number.isNaN(h.area) && h.area / n < 10 - eps * 10,
      EXPENSE: med > 0 && med >= 0.3 * 12 * hh - eps * Math.max(1, med),
      ILLNESS: h.members.some((m) => m.chronic === '是'),
      DISABILITY: h.members.some(severe),
      EDUCATION:
        h.members.some((m) => m.age >= 6 && m.age <= 17 && m.school === null) ||
        h.members.some((m) => m.school === '高中' || m.school === '中职' || m.school === '高校'),
      EMPLOYMENT: !h.members.some(
        (m) => m.employment === '在职' || m.employment === '灵活就业' || m.employment === '退休',
      ),
      CARE:
        h.members.some((m) => m.age >= 80 || severe(m)) &&
        !h.members.some((m) => m.age >= 18 && m.age <= 69 && m.labor === '有' && m.grade === 0),
      ISOLATION: (n === 1 && h.members[0]!.age >= 60) || h.members.some((m) => m.age < 18 && !m.able),
      CHILD_SHARE: 3 * h.members.filter((m) => m.age < 18).length >= n,
    };
    const deprived = [...weights.keys()].filter((c) => flags[c]);
    const score = deprived.reduce((a, c) => a + weights.get(c)!, 0);
    out.push({ id: h.id, score, deprived });
    for (const key of [h.committee, h.committee.slice(0, 9), h.committee.slice(0, 6)]) {
      let a = areas.get(key);
      if (!a) areas.set(key, (a = { n: 0, q: 0, sum: 0, deprived: new Map() }));
      a.n++;
      if (score >= framework.k - eps) {
        a.q++;
        a.sum += score;
        for (const c of deprived) a.deprived.set(c, (a.deprived.get(c) ?? 0) + 1);
      }
    }
  }
  return { out, areas };
}
const peer: number[] = [];
let rows = rowAtATime();
for (let r = 1; r < WARM; r++) rows = rowAtATime();
for (let r = 0; r < RUNS; r++) {
  const t = performance.now();
  rows = rowAtATime();
  peer.push(performance.now() - t);
}
// Same answers: every household's score and deprivations, every area's q.
const byId = new Map(rows.out.map((x) => [x.id, x]));
for (let u = 0; u < result.units.length; u++) {
  const h = result.household(u);
  const x = byId.get(p.householdIds[h.household]!)!;
  if (Math.abs(x.score - h.score) > 1e-9 || x.deprived.join() !== h.deprived.join())
    throw new Error(`row-at-a-time differs for ${x.id}: ${x.deprived} / ${h.deprived}`);
}
for (const a of result.areas) if (rows.areas.get(a.code)!.q !== a.q) throw new Error(`q differs for ${a.code}`);
await database.close();
console.log(
  JSON.stringify({ n: p.n, households: result.units.length, oursMs: median(ours), firstMs, peerMs: median(peer) }),
);
