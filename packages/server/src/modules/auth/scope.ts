/**
 * Who is asking and which part of the hierarchy they may see. Every service method takes a Scope
 * and every repository query filters by it, so no endpoint can forget the user's area.
 */
import { ACCOUNT_ROLES, type AccessRole } from '@tingjian/engine';

/** The roles of accounts; the system (the command line) is a role too. What each may do: access.ts. */
export const ROLES = ACCOUNT_ROLES;
export type Role = AccessRole;

export const ROLE_LABELS: Record<Role, string> = {
  district: '区级管理员',
  street: '街镇工作人员',
  committee: '居委工作人员',
  adviser: '救助顾问',
  system: '系统',
};

/** The org level each role is bound to (a committee worker and an adviser to a committee). */
export const ROLE_LEVEL: Record<(typeof ROLES)[number], 'district' | 'street' | 'committee'> = {
  district: 'district',
  street: 'street',
  committee: 'committee',
  adviser: 'committee',
};

export interface Scope {
  readonly username: string;
  readonly role: Role;
  /** The unit whose subtree the caller may see: codes starting with it. */
  readonly orgCode: string;
}

/** The whole deployment, for the command line and start-up work. */
export function systemScope(orgCode = ''): Scope {
  return { username: 'system', role: 'system', orgCode };
}

/** Inclusive lower and exclusive upper bound of the codes in a scope, for index range scans. */
export function scopeRange(scope: Scope): [string, string] {
  return [scope.orgCode, `${scope.orgCode}~`];
}
