/** SQL of the leads worklist, and the reads it needs about residents and advisers. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

export interface LeadEventRow {
  id: number;
  id_number: string;
  policy: string;
  kind: string;
  status: string;
  assignee: string | null;
  reason: string | null;
  actor: string;
  at: string;
}

export class PolicyRepository {
  constructor(private readonly db: Kysely<DB>) {}

  transaction<T>(work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(work);
  }

  /** Every worklist event, oldest first (the worklist is small beside the registry). */
  async events(): Promise<LeadEventRow[]> {
    return (await this.db.selectFrom('lead_event').selectAll().orderBy('id').execute()) as LeadEventRow[];
  }

  async eventsOf(idNumber: string): Promise<LeadEventRow[]> {
    return (await this.db
      .selectFrom('lead_event')
      .selectAll()
      .where('id_number', '=', idNumber)
      .orderBy('id')
      .execute()) as LeadEventRow[];
  }

  async addEvent(row: Omit<LeadEventRow, 'id'>, trx: Transaction<DB>): Promise<void> {
    await trx.insertInto('lead_event').values(row).execute();
  }

  async residentsByIds(ids: readonly string[]) {
    const out = [];
    for (let i = 0; i < ids.length; i += 500) {
      if (ids.length === 0) break;
      out.push(
        ...(await this.db
          .selectFrom('resident')
          .select(['id_number', 'name', 'gender', 'birth_date', 'committee_code', 'household_id'])
          .where('id_number', 'in', ids.slice(i, i + 500))
          .execute()),
      );
    }
    return out;
  }

  async advisers(from: string, to: string) {
    return this.db
      .selectFrom('app_user')
      .select(['username', 'display_name', 'org_code'])
      .where('role', '=', 'adviser')
      .where('org_code', '>=', from)
      .where('org_code', '<', to)
      .orderBy('org_code')
      .orderBy('username')
      .execute();
  }

  async user(username: string) {
    return this.db
      .selectFrom('app_user')
      .select(['username', 'role', 'org_code'])
      .where('username', '=', username)
      .executeTakeFirst();
  }
}
