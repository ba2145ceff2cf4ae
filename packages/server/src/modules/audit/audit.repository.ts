import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { Scope } from '../auth/scope.ts';
import { nowIso } from '../../clock.ts';

/**
 * The audit trail: who read or wrote what. Writers pass their transaction so that the event is
 * stored together with the change or not at all.
 */
export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** `at`: when it happened, if not now (an event kept while the writer was busy: audit.deferred.ts). */
  async record(scope: Scope, action: string, target: string, detail: Record<string, unknown> = {}, trx?: Transaction<DB>, at: string = nowIso()): Promise<void> {
    await (trx ?? this.db).insertInto('audit_log')
      .values({ at, actor: scope.username, action, target, detail: JSON.stringify(detail) })
      .execute();
  }

  recent(limit: number, actor?: string) {
    let q = this.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(limit);
    if (actor) q = q.where('actor', '=', actor);
    return q.execute();
  }
}
