/**
 * What one audit event costs on SQLite: `npx tsx packages/server/src/modules/audit/record-cost.ts`.
 * Every audited read pays it, so the tamper-evident chain must stay cheap. On a temporary file
 * with 20,000 events already in the trail, times record() outside a transaction (an audited read)
 * and inside one (a write), beside the single INSERT that record() was before the chain, and
 * prints microseconds per event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { loadConfig } from '../../config.ts';
import { openDatabase } from '../../db/database.ts';
import type { DB } from '../../db/schema.ts';
import { createServices } from '../../services.ts';

// The county of the configuration (TINGJIAN_COUNTY), as the server would have it.
const county = loadConfig().TINGJIAN_COUNTY;
/** The copy of the trail's table that the old, unchained INSERT writes to (made below). */
type Unchained = Kysely<{ audit_log_unchained: DB['audit_log'] }>;

const dir = mkdtempSync(join(tmpdir(), 'tingjian-audit-cost-'));
const database = await openDatabase({ sqlitePath: join(dir, 'cost.db') });
try {
  const services = await createServices(database, { TINGJIAN_COUNTY: county });
  const scope = { username: 'cost', role: 'district' as const, orgCode: county };
  const detail = { asOf: '2026-12-01', ids: [`${county}194501010011`, `${county}194501010022`] };
  for (let i = 0; i < 20_000; i++)
    await services.audit.record(scope, 'resident.view', `resident:${county}1945010100${i % 100}`, detail);
  const time = async (label: string, n: number, one: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 500; i++) await one(i); // warm
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) await one(i);
    return Number(process.hrtime.bigint() - start) / 1000 / n;
  };
  // The old record(): one INSERT, no chain (into a copy of the table, so as not to break the chain).
  await database.db.schema
    .createTable('audit_log_unchained')
    .as(database.db.selectFrom('audit_log').selectAll().where('id', '<', 0))
    .execute();
  const results: Record<string, number[]> = {};
  for (let round = 0; round < 5; round++) {
    const add = (label: string, us: number) => (results[label] ??= []).push(us);
    add(
      'before: one INSERT (a read)',
      await time('', 5_000, (i) =>
        (database.db as unknown as Unchained)
          .insertInto('audit_log_unchained')
          .values({
            at: new Date().toISOString(),
            actor: scope.username,
            action: 'resident.view',
            target: `resident:${i}`,
            detail: JSON.stringify(detail),
            prev_hash: '',
            hash: '',
          })
          .execute(),
      ),
    );
    add(
      'after: record() outside a transaction (a read)',
      await time('', 5_000, (i) => services.audit.record(scope, 'resident.view', `resident:${i}`, detail)),
    );
    add(
      'before: one INSERT in a transaction (a write)',
      await time('', 3_000, (i) =>
        database.db.transaction().execute((trx) =>
          (trx as unknown as Unchained)
            .insertInto('audit_log_unchained')
            .values({
              at: new Date().toISOString(),
              actor: scope.username,
              action: 'tag.update',
              target: `tag:${i}`,
              detail: JSON.stringify(detail),
              prev_hash: '',
              hash: '',
            })
            .execute(),
        ),
      ),
    );
    add(
      'after: record() in a transaction (a write)',
      await time('', 3_000, (i) =>
        database.db.transaction().execute((trx) => services.audit.record(scope, 'tag.update', `tag:${i}`, detail, trx)),
      ),
    );
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const [label, xs] of Object.entries(results))
    console.log(
      `${label.padEnd(48)} ${median(xs).toFixed(1).padStart(7)} µs  (median of ${xs.length} rounds: ${xs.map((x) => x.toFixed(0)).join(' ')})`,
    );
  const check = await services.audit.verify();
  console.log(check.summary);
} finally {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
}
