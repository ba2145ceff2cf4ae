import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { nowIso } from '../../clock.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { OrgService } from '../org/org.service.ts';
import type { SessionRepository, UserRepository } from './auth.repository.ts';
import {
  ACCOUNT_FREE_FAILURES,
  ACCOUNT_LOCK_FAILURES,
  accountAfterFailure,
  ADDRESS_FREE_FAILURES,
  FailureMemory,
  refuseIfWaiting,
  type FailureState,
} from './login-guard.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { requireAccess } from './access.ts';
import { ROLE_LEVEL, ROLES, type Role, type Scope } from './scope.ts';

const SESSION_HOURS = 12;

export interface SessionUser extends Scope {
  readonly displayName: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class AuthService {
  /** Failed logins per address, and per username that is no account (login-guard.ts). */
  private readonly addresses = new FailureMemory(ADDRESS_FREE_FAILURES, 1);
  private readonly strangers = new FailureMemory(ACCOUNT_FREE_FAILURES, 30, ACCOUNT_LOCK_FAILURES);

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly org: OrgService,
  ) {}

  /** Checks the password and opens a session; the token is returned once and stored only hashed. */
  async login(
    username: string,
    password: string,
    address = '',
  ): Promise<{ token: string; user: SessionUser; expiresAt: string }> {
    const now = Date.now();
    const who = { username, role: 'system' as const, orgCode: '' };
    const user = await this.users.find(username);
    const account: FailureState | undefined = user
      ? {
          failures: user.failed_logins,
          retryAfter: user.retry_after ? Date.parse(user.retry_after) : 0,
          locked: user.locked_at !== null,
        }
      : this.strangers.get(username, now);
    try {
      // While an address or an account has to wait, no password is tried at all.
      refuseIfWaiting(this.addresses.get(address, now), now);
      refuseIfWaiting(account, now);
    } catch (err) {
      await this.audit.record(who, 'login.refused', `user:${username}`, {
        address,
        reason: err instanceof AppError ? err.code : 'error',
      });
      throw err;
    }
    // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok) {
      this.addresses.fail(address, now);
      let state: FailureState;
      if (user) {
        state = accountAfterFailure(account ?? { failures: 0, retryAfter: 0, locked: false }, now);
        await this.users.setFailures(
          username,
          state.failures,
          state.retryAfter > now ? new Date(state.retryAfter).toISOString() : null,
          state.locked ? new Date(now).toISOString() : null,
        );
      } else {
        state = this.strangers.fail(username, now);
      }
      await this.audit.record(who, 'login.failed', `user:${username}`, {
        address,
        failures: state.failures,
        locked: state.locked,
      });
      throw new AppError('TJ_BAD_CREDENTIALS');
    }
    if (user.failed_logins > 0) await this.users.setFailures(username, 0, null, null);
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + SESSION_HOURS * 3_600_000).toISOString();
    await this.sessions.create(hashToken(token), user.username, nowIso(), expiresAt);
    const sessionUser = toSessionUser(user);
    await this.audit.record(sessionUser, 'login', `user:${username}`);
    return { token, user: sessionUser, expiresAt };
  }

  async userForToken(token: string): Promise<SessionUser | null> {
    const row = await this.sessions.findValid(hashToken(token), nowIso());
    return row ? toSessionUser(row) : null;
  }

  async logout(token: string): Promise<void> {
    await this.sessions.delete(hashToken(token));
  }

  /** Creates an account bound to an org unit of the level its role requires. */
  async createUser(
    scope: Scope,
    input: { username: string; displayName: string; password: string; role: Role; orgCode: string },
  ): Promise<void> {
    requireAccess(scope, 'user.create');
    requireAccess(scope, 'user.create', { orgCode: input.orgCode, missing: 'TJ_ORG_NOT_FOUND' });
    if (!(ROLES as readonly string[]).includes(input.role))
      throw new AppError('TJ_VALIDATION', `未知角色 ${input.role}`);
    const unit = this.org.get(input.orgCode);
    const level = ROLE_LEVEL[input.role as (typeof ROLES)[number]];
    if (!unit || unit.level !== level)
      throw new AppError('TJ_VALIDATION', `角色 ${input.role} 须绑定到${level}级单位，${input.orgCode} 不是`);
    if (await this.users.find(input.username)) throw new AppError('TJ_VALIDATION', `用户名 ${input.username} 已存在`);
    await this.users.insert({
      username: input.username,
      display_name: input.displayName,
      password_hash: await hashPassword(input.password),
      role: input.role,
      org_code: input.orgCode,
      created_at: nowIso(),
    });
    await this.audit.record(scope, 'user.create', `user:${input.username}`, {
      role: input.role,
      orgCode: input.orgCode,
    });
  }

  async listUsers(scope: Scope) {
    requireAccess(scope, 'user.read');
    const rows = await this.users.list(scope.orgCode);
    return rows.map((u) => ({
      username: u.username,
      displayName: u.display_name,
      role: u.role,
      orgCode: u.org_code,
      orgName: this.org.get(u.org_code)?.name ?? u.org_code,
      locked: u.locked_at !== null,
      failedLogins: u.failed_logins,
    }));
  }

  /** Lifts a lock (and any wait) after failed logins: district admins, for accounts in their area. */
  async unlockUser(scope: Scope, username: string): Promise<void> {
    requireAccess(scope, 'user.unlock');
    const user = await this.users.find(username);
    requireAccess(scope, 'user.unlock', { orgCode: user?.org_code, missing: 'TJ_USER_NOT_FOUND' });
    if (!user) throw new AppError('TJ_USER_NOT_FOUND');
    await this.users.setFailures(username, 0, null, null);
    await this.audit.record(scope, 'user.unlock', `user:${username}`, {
      failures: user.failed_logins,
      wasLocked: user.locked_at !== null,
    });
  }
}

// A real scrypt hash of a random password: makes failed logins for unknown users cost the same.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function toSessionUser(u: { username: string; display_name: string; role: string; org_code: string }): SessionUser {
  return { username: u.username, displayName: u.display_name, role: u.role as Role, orgCode: u.org_code };
}
