import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, AppUserTable } from '../../db/schema.ts';
import type { WriteBehind } from '../../db/write-behind.ts';

type Failures = Pick<Selectable<AppUserTable>, 'failed_logins' | 'retry_after' | 'locked_at'>;

/**
 * Accounts. With a write-behind queue (SQLite, db/write-behind.ts), a failure count that cannot
 * be written while an import holds the writer is queued, and reads of the account see it.
 */
export class UserRepository {
  /** Failure counts queued and not yet written, by username. */
  private readonly queued = new Map<string, Failures>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly later?: WriteBehind,
  ) {}

  async find(username: string): Promise<Selectable<AppUserTable> | undefined> {
    const row = await this.db.selectFrom('app_user').selectAll().where('username', '=', username).executeTakeFirst();
    const queued = this.queued.get(username);
    return row && queued ? { ...row, ...queued } : row;
  }

  /** Users whose unit lies within the scope's subtree. */
  list(orgPrefix: string): Promise<Selectable<AppUserTable>[]> {
    return this.db
      .selectFrom('app_user')
      .selectAll()
      .where('org_code', '>=', orgPrefix)
      .where('org_code', '<', `${orgPrefix}~`)
      .orderBy('org_code')
      .orderBy('username')
      .execute();
  }

  async setFailures(
    username: string,
    failures: number,
    retryAfter: string | null,
    lockedAt: string | null,
  ): Promise<void> {
    const values: Failures = { failed_logins: failures, retry_after: retryAfter, locked_at: lockedAt };
    const write = async () => {
      await this.db.updateTable('app_user').set(values).where('username', '=', username).execute();
      if (this.queued.get(username) === values) this.queued.delete(username);
    };
    if (!this.later) return write();
    this.queued.set(username, values);
    await this.later.write(write);
  }

  async insert(user: Insertable<AppUserTable>): Promise<void> {
    await this.db.insertInto('app_user').values(user).execute();
  }

  async count(): Promise<number> {
    const r = await this.db
      .selectFrom('app_user')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

/**
 * Sessions. With a write-behind queue, a session opened while an import holds the writer is valid
 * at once (kept here until its row is written), and so is a logout.
 */
export class SessionRepository {
  /** Sessions queued and not yet written: token hash → owner and expiry. */
  private readonly opened = new Map<string, { username: string; expiresAt: string }>();
  /** Logouts queued and not yet written. */
  private readonly closed = new Set<string>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly later?: WriteBehind,
  ) {}

  async create(tokenHash: string, username: string, createdAt: string, expiresAt: string): Promise<void> {
    const write = async () => {
      await this.db
        .insertInto('session')
        .values({ token_hash: tokenHash, username, created_at: createdAt, expires_at: expiresAt })
        .execute();
      this.opened.delete(tokenHash);
    };
    if (!this.later) return write();
    this.opened.set(tokenHash, { username, expiresAt });
    await this.later.write(write);
  }

  async findValid(tokenHash: string, now: string) {
    if (this.closed.has(tokenHash)) return undefined;
    const opened = this.opened.get(tokenHash);
    if (opened) {
      if (opened.expiresAt <= now) return undefined;
      return this.db
        .selectFrom('app_user')
        .select(['app_user.username', 'app_user.display_name', 'app_user.role', 'app_user.org_code'])
        .where('app_user.username', '=', opened.username)
        .executeTakeFirst();
    }
    return this.db
      .selectFrom('session')
      .innerJoin('app_user', 'app_user.username', 'session.username')
      .select(['app_user.username', 'app_user.display_name', 'app_user.role', 'app_user.org_code'])
      .where('session.token_hash', '=', tokenHash)
      .where('session.expires_at', '>', now)
      .executeTakeFirst();
  }

  async delete(tokenHash: string): Promise<void> {
    const write = async () => {
      await this.db.deleteFrom('session').where('token_hash', '=', tokenHash).execute();
      this.closed.delete(tokenHash);
    };
    if (!this.later) return write();
    this.closed.add(tokenHash);
    await this.later.write(write);
  }
}
