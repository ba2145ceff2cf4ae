/**
 * Audit events kept while the writer is busy survive a crash: a process killed with SIGKILL in
 * the middle of an import's hold leaves them in the spool, and the next start writes them into the
 * chain, once, in order, with the chain still verifying.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.ts';
import { createServices } from '../../services.ts';
import { auditSpoolPath } from './audit.keys.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A child process that opens the database, holds the writer as an import's thread does, records reads and dies by SIGKILL. */
const CHILD = `
  import { openDatabase, createServices, systemScope } from '@tingjian/server';
  const database = await openDatabase({ sqlitePath: process.argv[1] });
  const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
  database.reads.hold();
  for (let i = 0; i < 3; i++) await services.audit.record(systemScope(), 'resident.view', 'resident:spool-' + i, { i });
  process.kill(process.pid, 'SIGKILL');
`;

describe('the audit spool (sqlite)', () => {
  it('writes after a restart the reads a killed process had kept, once and in order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tingjian-spool-'));
    dirs.push(dir);
    const path = join(dir, 'test.db');
    // The database exists (and its chain has rows) before the child starts.
    const first = await openDatabase({ sqlitePath: path });
    await createServices(first, { TINGJIAN_COUNTY: '310105' });
    await first.close();
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD, path], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.signal, child.stderr).toBe('SIGKILL');
    const spool = auditSpoolPath({ dialect: 'sqlite', location: path })!;
    expect(readFileSync(spool, 'utf8').trim().split('\n')).toHaveLength(3);

    const database = await openDatabase({ sqlitePath: path });
    const services = await createServices(database, { TINGJIAN_COUNTY: '310105' });
    try {
      const rows = await database.db
        .selectFrom('audit_log')
        .select(['id', 'target'])
        .where('target', 'like', 'resident:spool-%')
        .orderBy('id')
        .execute();
      expect(rows.map((r) => r.target)).toEqual(['resident:spool-0', 'resident:spool-1', 'resident:spool-2']);
      expect(existsSync(spool)).toBe(false);
      expect((await services.audit.verify()).ok).toBe(true);
    } finally {
      await database.close();
    }

    // A spool whose events the chain already holds (written, then killed before emptying it),
    // with a last line cut short: nothing is written twice, and the torn line is skipped.
    const reopened = await openDatabase({ sqlitePath: path });
    const stored = await reopened.db
      .selectFrom('audit_log')
      .select(['at', 'actor', 'action', 'target', 'detail'])
      .where('target', 'like', 'resident:spool-%')
      .orderBy('id')
      .execute();
    await reopened.close();
    writeFileSync(spool, `${stored.map((e) => JSON.stringify(e)).join('\n')}\n{"at":"2026-12-0`);
    const last = await openDatabase({ sqlitePath: path });
    await createServices(last, { TINGJIAN_COUNTY: '310105' });
    try {
      const rows = await last.db
        .selectFrom('audit_log')
        .select('target')
        .where('target', 'like', 'resident:spool-%')
        .execute();
      expect(rows).toHaveLength(3);
      expect(existsSync(spool)).toBe(false);
    } finally {
      await last.close();
    }
  }, 120_000);
});
