import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../../errors.ts';
import { nowIso } from '../../clock.ts';
import type { AuditRepository } from '../audit/audit.repository.ts';
import type { OrgService } from '../org/org.service.ts';
import type { SessionRepository, UserRepository } from './auth.repository.ts';
import { hashPassword, verifyPassword } from './password.ts';
import { ROLE_LEVEL, ROLES, type Role, type Scope } from './scope.ts';

const SESSION_HOURS = 12;

export interface SessionUser extends Scope {
  readonly displayName: string;
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly audit: AuditRepository,
    private readonly org: OrgService,
  ) {}

  /** Checks the password and opens a session; the token is returned once and stored only hashed. */
  async login(username: string, password: string): Promise<{ token: string; user: SessionUser; expiresAt: string }> {
    const user = await this.users.find(username);
    // Verify against a dummy hash when the user is unknown, so timing does not reveal usernames.
    const ok = await verifyPassword(password, user?.password_hash ?? DUMMY_HASH);
    if (!user || !ok) {
      await this.audit.record({ username, role: 'system', orgCode: '' }, 'login.failed', `user:${username}`);
      throw new AppError('TJ_BAD_CREDENTIALS');
    }
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
  async createUser(scope: Scope, input: { username: string; displayName: string; password: string; role: Role; orgCode: string }): Promise<void> {
    if (scope.role !== 'system' && scope.role !== 'district') throw new AppError('TJ_FORBIDDEN');
    if (!input.orgCode.startsWith(scope.orgCode)) throw new AppError('TJ_ORG_NOT_FOUND');
    if (!(ROLES as readonly string[]).includes(input.role)) throw new AppError('TJ_VALIDATION', `未知角色 ${input.role}`);
    const unit = this.org.get(input.orgCode);
    const level = ROLE_LEVEL[input.role as (typeof ROLES)[number]];
    if (!unit || unit.level !== level) throw new AppError('TJ_VALIDATION', `角色 ${input.role} 须绑定到${level}级单位，${input.orgCode} 不是`);
    if (await this.users.find(input.username)) throw new AppError('TJ_VALIDATION', `用户名 ${input.username} 已存在`);
    await this.users.insert({
      username: input.username, display_name: input.displayName, password_hash: await hashPassword(input.password),
      role: input.role, org_code: input.orgCode, created_at: nowIso(),
    });
    await this.audit.record(scope, 'user.create', `user:${input.username}`, { role: input.role, orgCode: input.orgCode });
  }

  async listUsers(scope: Scope) {
    if (scope.role !== 'system' && scope.role !== 'district') throw new AppError('TJ_FORBIDDEN');
    const rows = await this.users.list(scope.orgCode);
    return rows.map((u) => ({ username: u.username, displayName: u.display_name, role: u.role, orgCode: u.org_code, orgName: this.org.get(u.org_code)?.name ?? u.org_code }));
  }
}

// A real scrypt hash of a random password: makes failed logins for unknown users cost the same.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';

function toSessionUser(u: { username: string; display_name: string; role: string; org_code: string }): SessionUser {
  return { username: u.username, displayName: u.display_name, role: u.role as Role, orgCode: u.org_code };
}
