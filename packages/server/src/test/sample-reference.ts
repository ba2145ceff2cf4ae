/**
 * An independent reading of the sample snapshot for tests: the CSV files parsed with csv-parse
 * and the spec's terms written out plainly, per person, without the engine's columns or bitmaps.
 * Tests compare what the product computes with what this computes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { SAMPLE_DIR } from './helpers.ts';

type Row = Record<string, string>;

function table(name: string): Array<{ line: number; row: Row }> {
  const text = readFileSync(join(SAMPLE_DIR, `${name}.csv`), 'utf8');
  const rows = parse(text, { columns: true, bom: true, skip_empty_lines: true }) as Row[];
  // Line numbers as the rejection report counts them: the header is line 1.
  return rows.map((row, k) => ({ line: k + 2, row }));
}

export interface SamplePerson {
  id: string;
  birth: string;
  household: string;
  committee: string;
  row: Row;
}

export function loadSample() {
  const rejected = new Set(
    readFileSync(join(SAMPLE_DIR, '../changning-small.rejected.txt'), 'utf8').split('\n').filter(Boolean),
  );
  const keep = (file: string) => (x: { line: number }) => !rejected.has(`${file}:${x.line}`);
  const households = new Map(
    table('households')
      .filter(keep('households.csv'))
      .map(({ row }) => [row.household_id!, row]),
  );
  const people: SamplePerson[] = table('residents')
    .filter(keep('residents.csv'))
    .map(({ row }) => ({
      id: row.id_number!,
      birth: row.birth_date!,
      household: row.household_id!,
      committee: households.get(row.household_id!)!.committee_code!,
      row,
    }));
  const relations = table('relations')
    .filter(keep('relations.csv'))
    .map((x) => x.row);
  const enrollments = table('enrollments')
    .filter(keep('enrollments.csv'))
    .map((x) => x.row);
  const identity = table('identity_tags')
    .filter(keep('identity_tags.csv'))
    .map((x) => x.row);
  return { households, people, relations, enrollments, identity };
}

/** Completed years on D, the birthday counting, 29 Feb birthdays on 1 Mar in common years. */
export function age(birth: string, d: string): number {
  let years = Number(d.slice(0, 4)) - Number(birth.slice(0, 4));
  if (d.slice(5) < birth.slice(5)) years--;
  return years;
}

/** The spec's terms over the sample, on a date. */
export function sampleTerms(d: string) {
  const s = loadSample();
  const alive = s.people.filter((p) => p.birth <= d);
  const size = new Map<string, number>();
  for (const p of alive) size.set(p.household, (size.get(p.household) ?? 0) + 1);
  const holds = (id: string, x: string) =>
    s.enrollments.some(
      (e) =>
        e.id_number === id && e.benefit_code === x && e.start_date! <= d && (e.end_date === '' || d <= e.end_date!),
    );
  const ableSupporter = (id: string) =>
    s.relations.some(
      (r) => r.id_number === id && ['配偶', '父母', '子女'].includes(r.relation!) && r.able_to_support === '是',
    );
  const severe = (p: SamplePerson) =>
    ['1', '2'].includes(p.row.disability_grade!) ||
    (p.row.disability_grade === '3' && ['智力', '精神'].includes(p.row.disability_category!));
  const identity = (id: string, tag: string) => s.identity.some((t) => t.id_number === id && t.tag === tag);
  /** Whether p carries a reference tag on d (tag-dictionary.md, "holds for p on D when"). */
  const carries = (p: SamplePerson, code: string): boolean => {
    switch (code) {
      case '低保':
        return holds(p.id, 'DIBAO');
      case '特困':
        return holds(p.id, 'TEKUN');
      case '低收入':
        return holds(p.id, 'LOW_INCOME');
      case '支出型贫困':
        return holds(p.id, 'EXPENDITURE_POOR');
      case '残疾人两项补贴':
        return holds(p.id, 'DISABLED_LIVING') || holds(p.id, 'SEVERE_DISABLED_CARE');
      case '教育救助':
        return holds(p.id, 'EDU_AID');
      case '重残':
        return severe(p);
      case '大病':
        return p.row.chronic_illness === '是';
      case '困境儿童':
        return age(p.birth, d) < 18 && !ableSupporter(p.id);
      case '中共党员':
      case '志愿者':
      case '社区骨干':
      case '退役军人':
        return identity(p.id, code);
      case '独居老人':
        return age(p.birth, d) >= 60 && size.get(p.household) === 1;
      case '高龄老人':
        return age(p.birth, d) >= 80;
      case '0-3岁儿童':
        return age(p.birth, d) <= 3;
      default:
        throw new Error(`no reference for ${code}`);
    }
  };
  return { ...s, alive, carries };
}

/**
 * The reference policy pack evaluated plainly, person by person, straight from the text of
 * reference-policies.md: an independent evaluation to compare `tingjian scan` with.
 */
export function referenceScan(d: string, s = loadSample()) {
  const LIBAO = pick(
    [
      ['2020-07-01', 1240],
      ['2021-07-01', 1330],
      ['2022-07-01', 1420],
      ['2023-07-01', 1510],
    ],
    d,
  );
  const MINOR = pick(
    [
      ['2014-05-01', 16],
      ['2021-07-01', 18],
    ],
    d,
  );
  const CITY = pick(
    [
      ['2021-01-01', 72232],
      ['2022-01-01', 78027],
      ['2023-01-01', 79610],
      ['2024-01-01', 84834],
      ['2025-01-01', 88366],
    ],
    d,
  );
  const alive = s.people.filter((p) => p.birth <= d);
  const members = new Map<string, SamplePerson[]>();
  for (const p of alive) members.set(p.household, [...(members.get(p.household) ?? []), p]);
  const num = (v: string | undefined) => (v === undefined || v === '' ? 0 : Number(v));
  const n = (p: SamplePerson) => members.get(p.household)!.length;
  const hhIncome = (p: SamplePerson) =>
    members.get(p.household)!.reduce((a, m) => a + num(m.row.monthly_income_yuan), 0);
  const pcIncome = (p: SamplePerson) => hhIncome(p) / n(p);
  const pcAssets = (p: SamplePerson) => num(s.households.get(p.household)!.financial_assets_yuan) / n(p);
  const medical = (p: SamplePerson) =>
    members.get(p.household)!.reduce((a, m) => a + num(m.row.medical_oop_12m_yuan), 0);
  const holds = (p: SamplePerson, x: string) =>
    s.enrollments.some(
      (e) =>
        e.id_number === p.id && e.benefit_code === x && e.start_date! <= d && (e.end_date === '' || d <= e.end_date!),
    );
  const able = (p: SamplePerson) =>
    s.relations.some(
      (r) => r.id_number === p.id && ['配偶', '父母', '子女'].includes(r.relation!) && r.able_to_support === '是',
    );
  const grade = (p: SamplePerson) => p.row.disability_grade ?? '';
  const severe = (p: SamplePerson) =>
    ['1', '2'].includes(grade(p)) || (grade(p) === '3' && ['智力', '精神'].includes(p.row.disability_category!));
  const a = (p: SamplePerson) => age(p.birth, d);
  const local = (p: SamplePerson) => p.row.hukou === '本市';
  const noWork = (p: SamplePerson) => p.row.labor_capacity === '无' || a(p) >= 60 || a(p) < 16 || severe(p);
  const lt = (x: number, y: number) => x < y - 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
  const ge = (x: number, y: number) => !lt(x, y);
  const le = (x: number, y: number) => !lt(y, x);
  const eligible: Record<string, (p: SamplePerson) => boolean> = {};
  const X = (code: string) => (p: SamplePerson) => eligible[code]!(p) || holds(p, code);
  eligible.TEKUN = (p) =>
    local(p) &&
    (a(p) >= 60 || a(p) < MINOR || grade(p) !== '') &&
    noWork(p) &&
    lt(num(p.row.monthly_income_yuan), LIBAO) &&
    !able(p);
  eligible.DIBAO = (p) => local(p) && lt(pcIncome(p), LIBAO) && le(pcAssets(p), 60000) && !X('TEKUN')(p);
  eligible.LOW_INCOME = (p) =>
    local(p) && ge(pcIncome(p), LIBAO) && lt(pcIncome(p), 2 * LIBAO) && le(pcAssets(p), 120000) && !X('TEKUN')(p);
  eligible.EXPENDITURE_POOR = (p) =>
    local(p) &&
    ge(pcIncome(p), LIBAO) &&
    lt(12 * pcIncome(p), CITY) &&
    le(pcAssets(p), 120000) &&
    (lt((12 * hhIncome(p) - medical(p)) / (12 * n(p)), LIBAO) || ge(medical(p), 0.4 * 12 * hhIncome(p))) &&
    !X('TEKUN')(p);
  eligible.DISABLED_LIVING = (p) =>
    local(p) && grade(p) !== '' && (X('DIBAO')(p) || X('LOW_INCOME')(p)) && !X('TEKUN')(p);
  eligible.SEVERE_DISABLED_CARE = (p) => local(p) && severe(p) && !X('TEKUN')(p);
  eligible.EDU_AID = (p) =>
    ['小学', '初中', '高中', '中职', '高校'].includes(p.row.school_stage ?? '') &&
    (X('DIBAO')(p) || X('LOW_INCOME')(p) || X('EXPENDITURE_POOR')(p) || X('TEKUN')(p));
  eligible.ELDER_ALONE = (p) => a(p) >= 60 && n(p) === 1;
  eligible.WELFARE_JOB = (p) =>
    local(p) &&
    a(p) >= 16 &&
    a(p) < (p.row.gender === '男' ? 60 : 50) &&
    ['失业', '无'].includes(p.row.employment!) &&
    ['有', '部分'].includes(p.row.labor_capacity!) &&
    (X('DIBAO')(p) || X('LOW_INCOME')(p));
  const amount: Record<string, (p: SamplePerson) => number> = {
    DIBAO: (p) => LIBAO - pcIncome(p),
    DISABLED_LIVING: (p) => (X('DIBAO')(p) ? 410 : 290),
    SEVERE_DISABLED_CARE: (p) => (grade(p) === '1' ? 300 : 150),
  };
  const out: Array<{ id_number: string; policy: string; kind: 'lead' | 'review'; monthly_amount_yuan: number | null }> =
    [];
  for (const p of alive) {
    for (const code of Object.keys(eligible)) {
      const e = eligible[code]!(p);
      const h = holds(p, code);
      if (e && !h)
        out.push({
          id_number: p.id,
          policy: code,
          kind: 'lead',
          monthly_amount_yuan: amount[code] ? Math.round(amount[code]!(p) * 100) / 100 : null,
        });
      else if (h && !e) out.push({ id_number: p.id, policy: code, kind: 'review', monthly_amount_yuan: null });
    }
  }
  return out;
}

function pick(values: Array<[string, number]>, d: string): number {
  let v: number | undefined;
  for (const [from, x] of values) if (from <= d) v = x;
  if (v === undefined) throw new Error(`no parameter value on ${d}`);
  return v;
}

/**
 * The default assessment framework evaluated plainly, household by household, from the spec's text;
 * `options` change k or some weights (to check a framework draft's preview).
 */
export function referenceAssessment(
  d: string,
  s = loadSample(),
  options: { k?: number; weights?: Record<string, number> } = {},
) {
  const LIBAO = pick(
    [
      ['2020-07-01', 1240],
      ['2021-07-01', 1330],
      ['2022-07-01', 1420],
      ['2023-07-01', 1510],
    ],
    d,
  );
  const num = (v: string | undefined) => (v === undefined || v === '' ? 0 : Number(v));
  const able = (id: string) =>
    s.relations.some(
      (r) => r.id_number === id && ['配偶', '父母', '子女'].includes(r.relation!) && r.able_to_support === '是',
    );
  const severe = (p: SamplePerson) =>
    ['1', '2'].includes(p.row.disability_grade ?? '') ||
    (p.row.disability_grade === '3' && ['智力', '精神'].includes(p.row.disability_category!));
  const W: Array<[string, number]> = (
    [
      ['INCOME', 1 / 18],
      ['HOUSING', 1 / 18],
      ['EXPENSE', 1 / 18],
      ['ILLNESS', 1 / 12],
      ['DISABILITY', 1 / 12],
      ['EDUCATION', 1 / 6],
      ['EMPLOYMENT', 1 / 6],
      ['CARE', 1 / 12],
      ['ISOLATION', 1 / 12],
      ['CHILD_SHARE', 1 / 6],
    ] as Array<[string, number]>
  ).map(([c, w]) => [c, options.weights?.[c] ?? w]);
  const k = options.k ?? 1 / 3;
  const eps = 1e-9;
  const households: Array<{
    household_id: string;
    committee: string;
    score: number;
    deprived: string[];
    band: string;
  }> = [];
  for (const [hid, h] of s.households) {
    const ms = s.people.filter((p) => p.household === hid && p.birth <= d);
    if (ms.length === 0) continue;
    const n = ms.length;
    const a = (p: SamplePerson) => age(p.birth, d);
    const hh = ms.reduce((x, p) => x + num(p.row.monthly_income_yuan), 0);
    const med = ms.reduce((x, p) => x + num(p.row.medical_oop_12m_yuan), 0);
    const area = h.housing_area_m2 === '' ? NaN : Number(h.housing_area_m2);
    const on: Record<string, boolean> = {
      INCOME: hh / n < 2 * LIBAO - eps,
      HOUSING: area / n < 10 - eps,
      EXPENSE: med > 0 && med >= 0.3 * 12 * hh - eps * Math.max(1, med),
      ILLNESS: ms.some((p) => p.row.chronic_illness === '是'),
      DISABILITY: ms.some(severe),
      EDUCATION:
        ms.some((p) => a(p) >= 6 && a(p) <= 17 && (p.row.school_stage ?? '') === '') ||
        ms.some((p) => ['高中', '中职', '高校'].includes(p.row.school_stage ?? '')),
      EMPLOYMENT: !ms.some((p) => ['在职', '灵活就业', '退休'].includes(p.row.employment!)),
      CARE:
        ms.some((p) => a(p) >= 80 || severe(p)) &&
        !ms.some(
          (p) => a(p) >= 18 && a(p) <= 69 && p.row.labor_capacity === '有' && (p.row.disability_grade ?? '') === '',
        ),
      ISOLATION: (n === 1 && a(ms[0]!) >= 60) || ms.some((p) => a(p) < 18 && !able(p.id)),
      CHILD_SHARE: 3 * ms.filter((p) => a(p) < 18).length >= n,
    };
    const deprived = W.filter(([c]) => on[c]).map(([c]) => c);
    const score = W.filter(([c]) => on[c]).reduce((x, [, w]) => x + w, 0);
    const band = score >= 0.5 - eps ? 'severe' : score >= k - eps ? 'poor' : score >= 0.2 - eps ? 'vulnerable' : 'none';
    households.push({ household_id: hid, committee: h.committee_code!, score, deprived, band });
  }
  const areas: Array<{
    code: string;
    level: string;
    n: number;
    q: number;
    H: number;
    A: number;
    M0: number;
    contributions: Record<string, number>;
  }> = [];
  for (const [level, len] of [
    ['committee', 12],
    ['street', 9],
    ['district', 6],
  ] as const) {
    for (const code of [...new Set(households.map((h) => h.committee.slice(0, len)))]) {
      const g = households.filter((h) => h.committee.startsWith(code));
      const poor = g.filter((h) => h.score >= k - eps);
      const n = g.length;
      const q = poor.length;
      const M0 = poor.reduce((x, h) => x + h.score, 0) / n;
      const contributions = Object.fromEntries(
        W.map(([c, w]) => [c, M0 === 0 ? 0 : (w * poor.filter((h) => h.deprived.includes(c)).length) / n / M0]),
      );
      areas.push({
        code,
        level,
        n,
        q,
        H: q / n,
        A: q === 0 ? 0 : poor.reduce((x, h) => x + h.score, 0) / q,
        M0,
        contributions,
      });
    }
  }
  return { households, areas };
}
