/**
 * What the big services compute per as-of date over the whole registry — the tag index, the
 * policy scan, the needs assessment, the dashboard figures — kept in one kind of cache: an entry
 * per date, valid for one version of the data (an import, a published local policy or framework
 * makes a new version), a few dates kept with the least recently used dropped first. A
 * computation that fails leaves no entry behind (the next read tries again); a warm-up in the
 * background that fails is logged, never swallowed.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isIsoDate } from '@tingjian/engine';
import { AppError } from './errors.ts';

/** A date of a request that must be a real calendar date: TJ_BAD_DATE naming it otherwise. */
export function requireIsoDate(date: string, what = '日期'): void {
  if (!isIsoDate(date)) throw new AppError('TJ_BAD_DATE', `${what} ${date} 不存在，应为 YYYY-MM-DD`);
}

/** An entry of the cache: the data version it was computed for, and the computation. */
export interface DateEntry<V> {
  readonly version: string;
  readonly value: Promise<V>;
}

export interface DateCacheOptions<V> {
  /** What is cached, in words, for the log ("政策扫描"). */
  readonly name: string;
  /** How many dates are kept at most. */
  readonly size: number;
  /** The version of the data now: an entry of another version is recomputed. */
  readonly version: () => string | number;
  /**
   * Computes the value of a date. `stale` is the date's entry of an earlier version, if there
   * was one: a computation may start from it (the policy scan re-evaluates only what changed).
   */
  readonly compute: (asOf: string, stale: DateEntry<V> | undefined) => Promise<V>;
  /** Where a failed warm-up is reported; console.error unless given. */
  readonly log?: (message: string) => void;
}

/** The last piece of background work queued (warm-ups, the population image); null when none runs. */
let background: Promise<void> | null = null;

/**
 * Queues work that nobody waits for, after what is queued already and a turn of the event loop
 * (the first one runs at once): warm-ups of every cache and the population image's write, one at a
 * time, so that a request waits for one piece at most. `task` reports its own failures.
 */
export function inBackground(task: () => Promise<void>): void {
  const previous = background;
  const mine = previous ? previous.then(() => nextTurn()).then(task) : task();
  background = mine;
  void mine.finally(() => {
    if (background === mine) background = null;
  });
}

/** Settles when every piece of background work queued so far has run (before closing the database; tests, benchmarks). */
export async function backgroundWarmed(): Promise<void> {
  while (background) await background.catch(() => undefined);
}

export class DateCache<V> {
  private readonly entries = new Map<string, DateEntry<V>>();

  constructor(private readonly options: DateCacheOptions<V>) {
    if (!(options.size >= 1)) throw new RangeError(`DateCache ${options.name}: size ${options.size} < 1`);
  }

  /** The value of a date for the current data: computed once per (date, version). A date that does not exist is TJ_BAD_DATE. */
  get(asOf: string): Promise<V> {
    requireIsoDate(asOf);
    const version = String(this.options.version());
    const hit = this.entries.get(asOf);
    // Taken out and put back: the most recently used date is last, the first is dropped first.
    if (hit) this.entries.delete(asOf);
    if (hit && hit.version === version) {
      this.entries.set(asOf, hit);
      return hit.value;
    }
    let value: Promise<V>;
    try {
      value = this.options.compute(asOf, hit);
    } catch (err) {
      value = Promise.reject(err);
    }
    this.entries.set(asOf, { version, value });
    // A failure is the caller's to see, not the cache's to keep; a later entry of the date stays.
    value.catch(() => {
      if (this.entries.get(asOf)?.value === value) this.entries.delete(asOf);
    });
    while (this.entries.size > this.options.size) this.entries.delete(this.entries.keys().next().value as string);
    return value;
  }

  /**
   * Starts computing a date in the background (start-up, after an import, at midnight); a failure
   * is logged. Warm-ups of every cache run one at a time, with a turn of the event loop between
   * them: after an import of a million residents the dashboard figures, the tag index, the policy
   * scan and the needs assessment (each up to ~0.7 s of synchronous work) ran back to back as one
   * chain of microtasks, and every request waited ~3 s for all of them; now a request waits for
   * one at most. A read of a date does not wait for the queue: it computes at once.
   */
  warm(asOf: string): void {
    try {
      requireIsoDate(asOf);
    } catch (err) {
      this.report(asOf, err);
      return;
    }
    const run = async () => {
      try {
        await this.get(asOf);
      } catch (err) {
        this.report(asOf, err);
      }
    };
    inBackground(run);
  }

  /** The dates held and their computations, least recently used first (to bring every cached value up to date after a write). */
  *dates(): IterableIterator<[string, Promise<V>]> {
    for (const [asOf, entry] of this.entries) yield [asOf, entry.value];
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops every entry (what they were computed with changed in a way the version does not say). */
  clear(): void {
    this.entries.clear();
  }

  private report(asOf: string, err: unknown): void {
    (this.options.log ?? console.error)(
      `${this.options.name}（${asOf}）后台预先计算失败，下次读取时重新计算：${err instanceof Error ? err.message : String(err)}`,
    );
  }
}
