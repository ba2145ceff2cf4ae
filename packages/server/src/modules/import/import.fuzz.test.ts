/**
 * Random and adversarial input through the import readers, from a fixed seed and within a time
 * budget: CSV files mutated (random bytes, quotes, huge fields, invalid UTF-8, GBK bytes, control
 * characters, truncation, repeated lines), zips (of mutated tables, truncated, with flipped
 * bytes, random), workbooks (cells of any text, truncated, flipped), read and checked as the
 * import's preparation does, in place and in the worker thread; and a share of them imported
 * into a registry that holds the sample. Each must import or be refused with a TJ_IMPORT_*
 * AppError, never fail otherwise, and a refused file must leave the stored data as it was.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES, type TableName } from '@tingjian/engine';
import { AppError } from '../../errors.ts';
import type { Services } from '../../services.ts';
import { freshServices, SAMPLE_DIR } from '../../test/helpers.ts';
import { systemScope } from '../auth/scope.ts';
import { prepareTable } from './import.prepare.ts';
import { PreparedTables } from './import.threads.ts';
import { openSource, type SnapshotSource } from './sources.ts';
import { unzipSnapshot } from './unzip.ts';
import { workbookBytes } from './test-workbook.ts';

/** Fixed, so a failure reproduces; TINGJIAN_FUZZ_SEED and TINGJIAN_FUZZ_MS explore further by hand. */
const SEED = Number(process.env.TINGJIAN_FUZZ_SEED ?? 20_261_128);
/**
 * Wall-clock budget of each part, past a minimum of cases: the cases run from the seed in order,
 * so every machine runs the same first ones and a faster one runs more.
 */
const BUDGET_MS = Number(process.env.TINGJIAN_FUZZ_MS ?? 20_000);
const UNBOUNDED = process.env.TINGJIAN_FUZZ_MS !== undefined;

/** mulberry32: small, fast, and the same sequence everywhere. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sampleText = (table: TableName, lines: number) =>
  readFileSync(join(SAMPLE_DIR, `${table}.csv`), 'utf8')
    .split('\n')
    .slice(0, lines)
    .join('\n') + '\n';
const SAMPLE: Record<TableName, string> = Object.fromEntries(TABLES.map((t) => [t, sampleText(t, 40)])) as Record<
  TableName,
  string
>;
/** GB18030 bytes of 张伟 (valid GB18030, invalid UTF-8). */
const GBK = Buffer.from([0xd5, 0xc5, 0xce, 0xb0]);
const ODD_TEXT = [
  '𠮷',
  '𠮷磊',
  'Ａｌｉ',
  '阿卜杜·买买提',
  '\u0000',
  '\u202e',
  '\ufffd',
  '"',
  '""',
  '",',
  '\r',
  '\n',
  '\t',
  '\u2028',
  '\ud842',
  ',,,,',
  '=1+1',
  '<c>&amp;]]>',
  '\ufeff',
  ' ',
  '9'.repeat(400),
];

class Case {
  constructor(readonly rnd: () => number) {}
  int(n: number): number {
    return Math.floor(this.rnd() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }
  /** Mostly text: printable ASCII, CSV's own characters and Chinese; now and then any byte. */
  texty(n: number): Buffer {
    if (this.rnd() < 0.25) return this.bytes(n);
    const alphabet = 'abcXYZ019,,"\n\r -.张伟志愿者𠮷·';
    return Buffer.from(Array.from({ length: n }, () => alphabet[this.int(alphabet.length)]).join(''));
  }

  /** One mutation of a file's bytes. */
  mutate(data: Buffer): Buffer {
    const at = this.int(data.length + 1);
    const splice = (insert: Buffer | string, remove = 0) =>
      Buffer.concat([
        data.subarray(0, at),
        Buffer.isBuffer(insert) ? insert : Buffer.from(insert),
        data.subarray(Math.min(data.length, at + remove)),
      ]);
    switch (this.int(14)) {
      case 0: {
        const out = Buffer.from(data);
        for (let k = 0; k < 1 + this.int(8); k++)
          if (out.length) out[this.int(out.length)] = this.rnd() < 0.3 ? this.int(256) : 32 + this.int(95);
        return out;
      }
      case 1:
        return splice(this.texty(1 + this.int(60)));
      case 2:
        return splice('"');
      case 3:
        return splice(`,"${'x'.repeat(60_000 + this.int(20_000))}"`);
      case 4:
        return splice('y'.repeat(60_000 + this.int(20_000)));
      case 5:
        return splice(
          this.pick([Buffer.from([0xff]), Buffer.from([0xc3, 0x28]), Buffer.from([0x80]), Buffer.from([0xe4, 0xb8])]),
        );
      case 6:
        return splice(GBK);
      case 7:
        return data.subarray(0, at);
      case 8: {
        const lines = data.toString('latin1').split('\n');
        const line = this.pick(lines);
        return Buffer.from(`${lines.join('\n')}\n${`${line}\n`.repeat(500 + this.int(3000))}`, 'latin1');
      }
      case 9:
        return Buffer.from(
          data.toString('latin1').replace(/\n/g, this.pick(['\r', '\r\n', '\n\n', '\u2028'])),
          'latin1',
        );
      case 10:
        return splice(this.pick(ODD_TEXT));
      case 11:
        return this.bytes(this.int(4000));
      case 12:
        return Buffer.concat([
          this.pick([Buffer.from([0xff, 0xfe]), Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xfe, 0xff])]),
          data,
        ]);
      default:
        return splice(`,${this.pick(ODD_TEXT)}`);
    }
  }

  mutated(data: Buffer): Buffer {
    let out = data;
    for (let k = 0, n = 1 + this.int(3); k < n; k++) out = this.mutate(out);
    return out;
  }

  /** Tables of a snapshot, some of them, each as it is or mutated. */
  tables(): Partial<Record<TableName, Buffer>> {
    const out: Partial<Record<TableName, Buffer>> = {};
    for (const t of TABLES)
      if (this.rnd() < 0.6) out[t] = this.rnd() < 0.7 ? this.mutated(Buffer.from(SAMPLE[t])) : Buffer.from(SAMPLE[t]);
    if (Object.keys(out).length === 0) out.identity_tags = this.mutated(Buffer.from(SAMPLE.identity_tags));
    return out;
  }

  async zip(tables: Partial<Record<TableName, Buffer>>): Promise<Buffer> {
    const zip = new yazl.ZipFile();
    for (const [t, data] of Object.entries(tables))
      zip.addBuffer(data, this.rnd() < 0.5 ? `snap/${t}.csv` : `${t}.csv`, { compress: this.rnd() < 0.8 });
    zip.end();
    const chunks: Buffer[] = [];
    for await (const c of zip.outputStream) chunks.push(c as Buffer);
    const whole = Buffer.concat(chunks);
    switch (this.int(5)) {
      case 0:
        return whole.subarray(0, this.int(whole.length));
      case 1: {
        const out = Buffer.from(whole);
        for (let k = 0; k < 1 + this.int(6); k++) out[this.int(out.length)] = this.int(256);
        return out;
      }
      case 2:
        return this.bytes(this.int(3000));
      default:
        return whole;
    }
  }

  async workbook(): Promise<Buffer> {
    const sheets: Record<string, string[][]> = {};
    for (const t of TABLES) {
      if (this.rnd() < 0.4) continue;
      const rows = SAMPLE[t]
        .trimEnd()
        .split('\n')
        .map((l) => l.split(','));
      for (let k = 0; k < this.int(6); k++) {
        const row = this.pick(rows);
        const text =
          this.rnd() < 0.5
            ? this.pick(ODD_TEXT)
            : this.rnd() < 0.3
              ? 'z'.repeat(70_000)
              : String.fromCharCode(...Array.from({ length: this.int(20) }, () => this.int(0x3000)));
        row[this.int(row.length)] = text;
      }
      sheets[this.rnd() < 0.9 ? t : 'Sheet1'] = rows;
    }
    const whole = await workbookBytes(sheets, this.rnd() < 0.5);
    switch (this.int(5)) {
      case 0:
        return whole.subarray(0, this.int(whole.length));
      case 1: {
        const out = Buffer.from(whole);
        for (let k = 0; k < 1 + this.int(6); k++) out[this.int(out.length)] = this.int(256);
        return out;
      }
      default:
        return whole;
    }
  }
}

/** The file a case gives, written into a fresh folder: a CSV folder, one CSV table, a zip or a workbook. */
async function writeCase(c: Case, root: string, n: number): Promise<{ path: string; name?: string; zip: boolean }> {
  const dir = join(root, `case${n}`);
  mkdirSync(dir);
  switch (c.int(4)) {
    case 0: {
      for (const [t, data] of Object.entries(c.tables())) writeFileSync(join(dir, `${t}.csv`), data);
      return { path: dir, zip: false };
    }
    case 1: {
      const t = c.pick(TABLES);
      const path = join(dir, `${t}.csv`);
      writeFileSync(path, c.mutated(Buffer.from(SAMPLE[t])));
      return { path, zip: false };
    }
    case 2: {
      const path = join(dir, 'upload.zip');
      writeFileSync(path, await c.zip(c.tables()));
      return { path, zip: true };
    }
    default: {
      const path = join(dir, 'book.xlsx');
      writeFileSync(path, await c.workbook());
      return { path, zip: false };
    }
  }
}

/** Opens a case as the upload route does (a zip is unpacked first). */
async function open(file: { path: string; zip: boolean }): Promise<SnapshotSource> {
  const path = file.zip ? await unzipSnapshot(file.path, `${file.path}.d`) : file.path;
  return openSource(path);
}

/** Whether an error is a refusal of the file: an AppError with a TJ_IMPORT_* code and a Chinese message. */
function expectRefusal(err: unknown, what: string): void {
  if (!(err instanceof AppError) || !err.code.startsWith('TJ_IMPORT_')) {
    throw new Error(
      `${what}: not a refusal but ${err instanceof Error ? `${err.constructor.name}: ${err.message}\n${err.stack}` : String(err)}`,
    );
  }
  expect(err.message, what).toMatch(/[\u4e00-\u9fff]/);
}

describe('import readers under random and adversarial input', () => {
  const root = mkdtempSync(join(tmpdir(), 'tingjian-fuzz-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it(
    'read and check every case, in place and in the worker thread, or refuse it',
    async () => {
      const c = new Case(prng(SEED));
      const started = performance.now();
      const outcomes = { read: 0, refused: 0 };
      for (let n = 0; n < (UNBOUNDED ? Infinity : 400) && (n < 60 || performance.now() - started < BUDGET_MS); n++) {
        const file = await writeCase(c, root, n);
        const what = `case ${n} (${file.path})`;
        const worker = c.rnd() < 0.25;
        try {
          const source = await open(file);
          const readers = TABLES.flatMap((t) => (source.tables[t] ? [[t, source.tables[t]!] as const] : []));
          if (worker) {
            const prepared = new PreparedTables(readers, true);
            try {
              for (const [t, r] of readers)
                for await (const _ of prepared.batches(t, r)) {
                  /* read */
                }
            } finally {
              await prepared.close();
            }
          } else {
            for (const [t, r] of readers)
              for await (const _ of prepareTable(t, r)) {
                /* read */
              }
          }
          outcomes.read++;
        } catch (err) {
          expectRefusal(err, what);
          outcomes.refused++;
        }
      }
      // Both kinds of outcome happen: the cases are neither all broken nor all harmless.
      expect(outcomes.read).toBeGreaterThanOrEqual(5);
      expect(outcomes.refused).toBeGreaterThanOrEqual(5);
    },
    BUDGET_MS + 120_000,
  );

  describe('imported into a registry', () => {
    let services: Services;
    beforeAll(async () => {
      services = await freshServices('sqlite');
      await services.imports.importSnapshot(systemScope(), await openSource(SAMPLE_DIR));
    }, 60_000);
    afterAll(async () => services?.database.close());

    /** What a refused import must leave as it was. */
    async function fingerprint(): Promise<string> {
      const db = services.database.db;
      const count = async (
        t: 'household' | 'resident' | 'relation' | 'enrollment' | 'identity_tag' | 'import_run' | 'change_log',
      ) =>
        Number(
          (
            await db
              .selectFrom(t)
              .select((eb) => eb.fn.countAll().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const names = await db
        .selectFrom('resident')
        .select(['id_number', 'name', 'phone', 'household_id', 'committee_code'])
        .orderBy('id_number')
        .execute();
      return JSON.stringify([
        await count('household'),
        await count('resident'),
        await count('relation'),
        await count('enrollment'),
        await count('identity_tag'),
        await count('import_run'),
        await count('change_log'),
        names,
      ]);
    }

    it(
      'import every case or refuse it leaving the stored data unchanged',
      async () => {
        const c = new Case(prng(SEED + 1));
        const started = performance.now();
        let refused = 0;
        for (let n = 0; n < (UNBOUNDED ? Infinity : 80) && (n < 20 || performance.now() - started < BUDGET_MS); n++) {
          const file = await writeCase(c, root, 10_000 + n);
          const what = `import case ${n} (${file.path})`;
          const before = await fingerprint();
          try {
            const source = await open(file);
            const summary = await services.imports.importSnapshot(systemScope(), source, { worker: c.rnd() < 0.25 });
            expect(summary.runId, what).toBeGreaterThan(0);
          } catch (err) {
            expectRefusal(err, what);
            expect(await fingerprint(), `${what}: stored data changed by a refused file`).toBe(before);
            refused++;
          }
        }
        expect(refused).toBeGreaterThanOrEqual(3);
      },
      BUDGET_MS + 120_000,
    );
  });
});
