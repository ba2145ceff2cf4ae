import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, AppUserTable } from '../../db/schema.ts';

export class UserRepository {
  constructor(private readonly db: Kysely<DB>) {}

  find(username: string): Promise<Selectable<AppUserTable> | undefined> {
    return this.db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
  }

  /** Users whose unit lies within the scope's subtree. */
  list(orgPrefix: string): Promise<Selectable<AppUserTable>[]> {
    return this.db.selectFrom('app_user').selectAll()
      .where('org_code', '>=', orgPrefix).where('org_code', '<', `${orgPrefix}~`)
      .orderBy('org_code').orderBy('username').execute();
  }

  async setFailures(username: string, failures: number, retryAfter: string | null, lockedAt: string | null): Promise<void> {
    await this.db.updateTable('app_user').set({ failed_logins: failures, retry_after: retryAfter, locked_at: lockedAt }).where('username', '=', username).execute();
  }

  async insert(user: Insertable<AppUserTable>): Promise<void> {
    await this.db.insertInto('app_user').values(user).execute();
  }

  async count(): Promise<number> {
    const r = await this.db.selectFrom('app_user').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

export class SessionRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async create(tokenHash: string, username: string, createdAt: string, expiresAt: string): Promise<void> {
    await this.db.insertInto('session').values({ token_hash: tokenHash, username, created_at: createdAt, expires_at: expiresAt }).execute();
  }

  findValid(tokenHash: string, now: string) {
    return this.db.selectFrom('session').innerJoin('app_user', 'app_user.username', 'session.username')
      .select(['app_user.username', 'app_user.display_name', 'app_user.role', 'app_user.org_code'])
      .where('session.token_hash', '=', tokenHash).where('session.expires_at', '>', now).executeTakeFirst();
  }

  async delete(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('session').where('token_hash', '=', tokenHash).execute();
  }
}
