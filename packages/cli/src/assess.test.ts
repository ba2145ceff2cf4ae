import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { createServices, openDatabase, systemScope } from '@tingjian/server';
import { referenceAssessment } from '../../server/src/test/sample-reference.ts';

const run = promisify(execFile);
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/tingjian.js');
const SAMPLES = join(ROOT, 'test/fixtures/samples');

type Line = Record<string, unknown> & { type: string };
function compare(ours: Line[], want: Line[]) {
  const id = (l: Line) => `${l.type}|${String(l.household_id ?? l.code)}`;
  const a = new Map(ours.map((l) => [id(l), l]));
  expect([...a.keys()].sort()).toEqual(want.map(id).sort());
  for (const w of want) {
    const o = a.get(id(w))!;
    for (const [f, v] of Object.entries(w)) {
      if (typeof v === 'number') expect(Math.abs((o[f] as number) - v), `${id(w)} ${f}`).toBeLessThanOrEqual(1e-6);
      else if (f === 'contributions')
        for (const [c, x] of Object.entries(v as Record<string, number>))
          expect(Math.abs((o[f] as Record<string, number>)[c]! - x), `${id(w)} ${c}`).toBeLessThanOrEqual(1e-6);
      else expect(o[f], `${id(w)} ${f}`).toEqual(v);
    }
  }
}

describe('tingjian assess (the command, as a user runs it)', () => {
  const db = join(mkdtempSync(join(tmpdir(), 'tingjian-assess-')), 'x.db');
  const assess = async (...args: string[]) => {
    const { stdout } = await run(process.execPath, [BIN, 'assess', ...args, '--db', db, '--format', 'jsonl'], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
  };
  beforeAll(async () => {
    await run(process.execPath, [BIN, 'import', join(SAMPLES, 'changning-small'), '--db', db], { cwd: ROOT });
  }, 120_000);

  it("prints exactly the sample's expected assessment on 2026-11-28", async () => {
    const want = readFileSync(join(SAMPLES, 'changning-small.assess.2026-11-28.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    compare(await assess('--as-of', '2026-11-28'), want);
  }, 60_000);

  for (const d of ['2023-06-30', '2023-07-01', '2024-02-29', '2030-01-01']) {
    it(`equals the framework evaluated independently on ${d}`, async () => {
      const ref = referenceAssessment(d);
      compare(await assess('--as-of', d), [
        ...ref.households.map((h) => ({
          type: 'household',
          household_id: h.household_id,
          score: h.score,
          deprived: h.deprived,
          band: h.band,
        })),
        ...ref.areas.map((a) => ({ type: 'area', ...a })),
      ]);
    }, 60_000);
  }

  it('uses the latest published framework version from the database', async () => {
    const database = await openDatabase({ sqlitePath: db });
    try {
      const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
      const draft = await services.assessment.createDraft(systemScope(), undefined);
      await services.assessment.updateDraft(systemScope(), draft.version, { ...draft.definition, k: '1/4' });
      await services.assessment.publish(systemScope(), draft.version);
    } finally {
      await database.close();
    }
    const d = '2026-11-28';
    const ref = referenceAssessment(d, undefined, { k: 1 / 4 });
    compare(await assess('--as-of', d), [
      ...ref.households.map((h) => ({
        type: 'household',
        household_id: h.household_id,
        score: h.score,
        deprived: h.deprived,
        band: h.band,
      })),
      ...ref.areas.map((a) => ({ type: 'area', ...a })),
    ]);
  }, 60_000);
});
