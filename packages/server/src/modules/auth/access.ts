/**
 * The server's side of who may do what (the table is the engine's, @tingjian/engine: PERMISSIONS).
 * Each service method that reads or acts begins with requireAccess(scope, action); a method that
 * has found its target asks again with it, so that a target outside the caller's area answers the
 * method's own 404 (the same as for one that does not exist: nobody learns what lies beyond their
 * area) and one past the role's reach the method's refusal.
 */
import { accessTo, refusalOf, type AccessTarget, type Action } from '@tingjian/engine';
import { AppError, type ErrorCode } from '../../errors.ts';
import type { Scope } from './scope.ts';

export type { Action };

/** An answer of a method: an error code with its catalogue message, or an error of its own words. */
export type Refusal = ErrorCode | AppError;

export interface Target extends AccessTarget {
  /** The answer when there is no such target or it lies outside the caller's area (the method's 404). */
  readonly missing: Refusal;
  /** The answer when the caller may not act on this target (their role may not, or it is past their reach); default TJ_FORBIDDEN with the table's reason. */
  readonly beyond?: Refusal;
}

const error = (r: Refusal): AppError => (typeof r === 'string' ? new AppError(r) : r);

/** Throws unless the caller may do `action` (on `target`, when given). */
export function requireAccess(scope: Scope, action: Action, target?: Target): void {
  const answer = accessTo(scope, action, target);
  if (answer === 'allowed') return;
  if (answer === 'outside') throw error(target!.missing);
  if (target?.beyond !== undefined) throw error(target.beyond);
  const reason = refusalOf(action, answer);
  throw reason === null ? new AppError('TJ_FORBIDDEN') : new AppError('TJ_FORBIDDEN', reason);
}

/** Whether the caller may do `action` (on `target`): for what a view offers (an edit button's flag). */
export function allows(
  scope: Scope,
  action: Action,
  target?: { orgCode: string | null | undefined; by?: string | null },
): boolean {
  return accessTo(scope, action, target) === 'allowed';
}

/** The area a caller sees, or null for the whole deployment (the system: the command line and start-up work). */
export function areaOf(scope: Scope): string | null {
  return scope.role === 'system' ? null : scope.orgCode;
}
