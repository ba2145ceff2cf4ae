/**
 * Against password guessing and spraying: failures are counted per account and per address, and
 * each brings a growing wait before the next attempt. An account's count is stored (it survives a
 * restart and is shared by the server's processes); past a ceiling the account is locked until a
 * district admin lifts it. An address's count is kept in memory (an attacker's addresses change;
 * the per-address limit is there to make one address slow, not to remember it forever). Unknown
 * usernames are counted in memory exactly like accounts, so the answers tell no one which exist.
 */
import { AppError } from '../../errors.ts';

/** Failures an account may have in a row before it must wait. */
export const ACCOUNT_FREE_FAILURES = 4;
/** Failures in a row that lock an account until a district admin lifts it. */
export const ACCOUNT_LOCK_FAILURES = 10;
/** Failures from one address (any usernames) before it must wait. */
export const ADDRESS_FREE_FAILURES = 10;
/** The longest wait, in seconds. */
const MAX_WAIT_S = 15 * 60;
/** An address forgotten after this long without a failure. */
const ADDRESS_MEMORY_MS = 60 * 60 * 1000;
const MAX_REMEMBERED = 100_000;

/** Seconds to wait after `failures` in a row when `free` are allowed without waiting: 30 s, 60 s, 2 min, … 15 min. */
export function waitSeconds(failures: number, free: number, base = 30): number {
  if (failures <= free) return 0;
  return Math.min(MAX_WAIT_S, base * 2 ** (failures - free - 1));
}

export interface FailureState {
  failures: number;
  /** Epoch ms before which no attempt is taken. */
  retryAfter: number;
  locked: boolean;
}

/** The state after one more failure of an account. */
export function accountAfterFailure(state: FailureState, now: number): FailureState {
  const failures = state.failures + 1;
  return {
    failures,
    retryAfter: now + waitSeconds(failures, ACCOUNT_FREE_FAILURES) * 1000,
    locked: failures >= ACCOUNT_LOCK_FAILURES,
  };
}

/** Refuses an attempt while the account or the address has to wait, or the account is locked. */
export function refuseIfWaiting(state: FailureState | undefined, now: number): void {
  if (!state) return;
  if (state.locked) throw new AppError('TJ_ACCOUNT_LOCKED');
  if (state.retryAfter > now) {
    const seconds = Math.ceil((state.retryAfter - now) / 1000);
    throw new AppError('TJ_LOGIN_DELAYED', `登录失败次数过多，请 ${seconds} 秒后再试`, { retryAfterSeconds: seconds });
  }
}

/** Failure counts kept in memory: per address, and per username that is not an account. */
export class FailureMemory {
  private readonly entries = new Map<string, FailureState & { seen: number }>();

  /** `base`: the first wait in seconds, doubled with each further failure. */
  constructor(
    private readonly free: number,
    private readonly base: number,
    private readonly lockAt = Infinity,
  ) {}

  get(key: string, now: number): FailureState | undefined {
    const e = this.entries.get(key);
    if (e && now - e.seen > ADDRESS_MEMORY_MS) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  fail(key: string, now: number): FailureState {
    const failures = (this.get(key, now)?.failures ?? 0) + 1;
    const state = {
      failures,
      retryAfter: now + waitSeconds(failures, this.free, this.base) * 1000,
      locked: failures >= this.lockAt,
      seen: now,
    };
    this.entries.delete(key);
    this.entries.set(key, state);
    // Oldest first out: a flood of addresses or names cannot grow this without bound.
    while (this.entries.size > MAX_REMEMBERED) this.entries.delete(this.entries.keys().next().value as string);
    return state;
  }

  clear(key: string): void {
    this.entries.delete(key);
  }
}
