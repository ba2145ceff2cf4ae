import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createServices, openDatabase, openSource, systemScope } from '@tingjian/server';
import { writeSyntheticSnapshot } from '../../server/src/test/synthetic.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = join(ROOT, 'packages/cli/bin/tingjian.js');

async function residentCount(dbPath: string): Promise<{ residents: number; synthetic: number }> {
  const database = await openDatabase({ sqlitePath: dbPath });
  try {
    const all = await database.db
      .selectFrom('resident')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const syn = await database.db
      .selectFrom('resident')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('household_id', 'like', 'S%')
      .executeTakeFirstOrThrow();
    return { residents: Number(all.n), synthetic: Number(syn.n) };
  } finally {
    await database.close();
  }
}

describe('an import killed half-way', () => {
  it('leaves the previous state intact (SIGKILL while the transaction is writing)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-crash-'));
    const dbPath = join(dir, 'x.db');
    const database = await openDatabase({ sqlitePath: dbPath });
    const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
    await services.imports.importSnapshot(
      systemScope(),
      await openSource(join(ROOT, 'test/fixtures/samples/changning-small')),
    );
    await database.close();
    const before = await residentCount(dbPath);
    expect(before.residents).toBe(1033);

    const snapshot = join(dir, 'big');
    writeSyntheticSnapshot(snapshot, 150_000);
    // With the heap flag given, the command runs in this process itself (no re-run), so the kill lands on it.
    const child = spawn(process.execPath, ['--max-old-space-size=1024', BIN, 'import', snapshot, '--db', dbPath], {
      stdio: 'ignore',
    });
    const exited = new Promise<void>((r) => child.on('exit', () => r()));
    // Kill once the import's transaction spills to the WAL, or a few seconds in at the latest.
    const started = Date.now();
    const deadline = started + 60_000;
    let killedWhileWriting = false;
    while (Date.now() < deadline && child.exitCode === null) {
      const wal = `${dbPath}-wal`;
      if ((existsSync(wal) && statSync(wal).size > 1024 * 1024) || Date.now() - started > 5000) {
        child.kill('SIGKILL');
        killedWhileWriting = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    await exited;
    expect(killedWhileWriting).toBe(true);
    const after = await residentCount(dbPath);
    expect(after).toEqual(before);
  });
});
