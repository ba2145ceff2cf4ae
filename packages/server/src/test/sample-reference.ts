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
  const rejected = new Set(readFileSync(join(SAMPLE_DIR, '../changning-small.rejected.txt'), 'utf8').split('\n').filter(Boolean));
  const keep = (file: string) => (x: { line: number }) => !rejected.has(`${file}:${x.line}`);
  const households = new Map(table('households').filter(keep('households.csv')).map(({ row }) => [row.household_id!, row]));
  const people: SamplePerson[] = table('residents').filter(keep('residents.csv')).map(({ row }) => ({
    id: row.id_number!, birth: row.birth_date!, household: row.household_id!, committee: households.get(row.household_id!)!.committee_code!, row,
  }));
  const relations = table('relations').filter(keep('relations.csv')).map((x) => x.row);
  const enrollments = table('enrollments').filter(keep('enrollments.csv')).map((x) => x.row);
  const identity = table('identity_tags').filter(keep('identity_tags.csv')).map((x) => x.row);
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
  const holds = (id: string, x: string) => s.enrollments.some((e) => e.id_number === id && e.benefit_code === x && e.start_date! <= d && (e.end_date === '' || d <= e.end_date!));
  const ableSupporter = (id: string) => s.relations.some((r) => r.id_number === id && ['配偶', '父母', '子女'].includes(r.relation!) && r.able_to_support === '是');
  const severe = (p: SamplePerson) => ['1', '2'].includes(p.row.disability_grade!) || (p.row.disability_grade === '3' && ['智力', '精神'].includes(p.row.disability_category!));
  const identity = (id: string, tag: string) => s.identity.some((t) => t.id_number === id && t.tag === tag);
  /** Whether p carries a reference tag on d (tag-dictionary.md, "holds for p on D when"). */
  const carries = (p: SamplePerson, code: string): boolean => {
    switch (code) {
      case '低保': return holds(p.id, 'DIBAO');
      case '特困': return holds(p.id, 'TEKUN');
      case '低收入': return holds(p.id, 'LOW_INCOME');
      case '支出型贫困': return holds(p.id, 'EXPENDITURE_POOR');
      case '残疾人两项补贴': return holds(p.id, 'DISABLED_LIVING') || holds(p.id, 'SEVERE_DISABLED_CARE');
      case '教育救助': return holds(p.id, 'EDU_AID');
      case '重残': return severe(p);
      case '大病': return p.row.chronic_illness === '是';
      case '困境儿童': return age(p.birth, d) < 18 && !ableSupporter(p.id);
      case '中共党员': case '志愿者': case '社区骨干': case '退役军人': return identity(p.id, code);
      case '独居老人': return age(p.birth, d) >= 60 && size.get(p.household) === 1;
      case '高龄老人': return age(p.birth, d) >= 80;
      case '0-3岁儿童': return age(p.birth, d) <= 3;
      default: throw new Error(`no reference for ${code}`);
    }
  };
  return { ...s, alive, carries };
}
