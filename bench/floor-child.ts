/**
 * Child process: the floor for the import benchmark. The same CSV rows, parsed by the same CSV
 * parser, inserted into the same schema by plain prepared statements in one transaction: no
 * validation, no reference checks, no search keys, no change detection, indexes maintained as
 * rows arrive.
 */
import { createReadStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import Papa from 'papaparse';
import { openDatabase } from '@tingjian/server';
import { maxRssMb } from './lib.ts';

const [dir, dbPath] = process.argv.slice(2) as [string, string];
for (const s of ['', '-wal', '-shm']) rmSync(dbPath + s, { force: true });
await (await openDatabase({ sqlitePath: dbPath })).close(); // same schema and indexes as the product
const db = new BetterSqlite3(dbPath);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('cache_size = -65536');

const started = performance.now();
/** Each record of a file (header skipped), through papaparse, the parser the product uses. */
function each(file: string, insert: (r: string[]) => void): Promise<void> {
  let first = true;
  return new Promise((resolve, reject) =>
    Papa.parse(createReadStream(join(dir, file), { highWaterMark: 1 << 20, encoding: 'utf8' }) as unknown as File, {
      delimiter: ',',
      newline: '\n',
      skipEmptyLines: true,
      step: (res: Papa.ParseStepResult<string[]>) => {
        if (first) {
          first = false;
          return;
        }
        insert(res.data);
      },
      complete: () => resolve(),
      error: reject,
    }),
  );
}
const n = (v: string | undefined) => (v === undefined || v === '' ? null : Number(v));
const s = (v: string | undefined) => (v === undefined || v === '' ? null : v);
db.exec('BEGIN');
const hh = db.prepare(
  'INSERT INTO household (household_id, committee_code, address, housing_type, housing_area_m2, financial_assets_yuan, created_run) VALUES (?,?,?,?,?,?,?)',
);
const committeeOf = new Map<string, string>();
await each('households.csv', (r) => {
  hh.run(r[0], r[1], s(r[2]), s(r[3]), n(r[4]), n(r[5]), 1);
  committeeOf.set(r[0]!, r[1]!);
});
const res = db.prepare(
  `INSERT INTO resident (id_number, name, name_pinyin, name_initials, gender, birth_date, household_id, committee_code, relation_to_head, hukou, marital_status, disability_grade, disability_category, monthly_income_yuan, employment, school_stage, labor_capacity, chronic_illness, medical_oop_12m_yuan, phone, created_run) VALUES (?,?,'','',?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
);
let residents = 0;
await each('residents.csv', (r) => {
  res.run(
    r[0],
    r[1],
    r[2],
    r[3],
    r[4],
    committeeOf.get(r[4]!) ?? '',
    s(r[5]),
    s(r[6]),
    s(r[7]),
    n(r[8]),
    s(r[9]),
    n(r[10]),
    s(r[11]),
    s(r[12]),
    s(r[13]),
    s(r[14]),
    n(r[15]),
    s(r[16]),
    1,
  );
  residents++;
});
const rel = db.prepare(
  'INSERT INTO relation (id_number, relative_name, relative_id_number, relation, able_to_support, created_run) VALUES (?,?,?,?,?,?)',
);
await each('relations.csv', (r) => rel.run(r[0], s(r[1]), s(r[2]), r[3], s(r[4]), 1));
const enr = db.prepare(
  'INSERT INTO enrollment (id_number, benefit_code, start_date, end_date, created_run) VALUES (?,?,?,?,?)',
);
await each('enrollments.csv', (r) => enr.run(r[0], r[1], r[2], s(r[3]), 1));
const tag = db.prepare('INSERT INTO identity_tag (id_number, tag, created_run) VALUES (?,?,?)');
await each('identity_tags.csv', (r) => tag.run(r[0], r[1], 1));
db.exec('COMMIT');
const ms = performance.now() - started;
db.close();
console.log(JSON.stringify({ ms, maxRssMb: maxRssMb(), residents }));
