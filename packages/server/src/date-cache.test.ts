import { describe, expect, it } from 'vitest';
import { backgroundWarmed, DateCache, requireIsoDate, type DateEntry } from './date-cache.ts';
import { AppError } from './errors.ts';

/** A cache whose computations are recorded and can be made to fail; the data version is set by hand. */
function harness(size = 3) {
  let version = 1;
  const calls: Array<{ asOf: string; stale: DateEntry<string> | undefined }> = [];
  const failing = new Set<string>();
  const logged: string[] = [];
  const cache = new DateCache<string>({
    name: '测试计算',
    size,
    version: () => version,
    compute: async (asOf, stale) => {
      calls.push({ asOf, stale });
      await Promise.resolve();
      if (failing.has(asOf)) throw new Error(`${asOf} 算不出`);
      return `${asOf}@${version}#${calls.length}`;
    },
    log: (m) => logged.push(m),
  });
  return {
    cache,
    calls,
    failing,
    logged,
    bump: () => {
      version++;
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the per-date cache', () => {
  it('computes a date once per data version, and hands the stale entry to the next computation', async () => {
    const h = harness();
    const first = h.cache.get('2026-11-28');
    expect(h.cache.get('2026-11-28')).toBe(first);
    expect(await first).toBe('2026-11-28@1#1');
    expect(h.calls).toHaveLength(1);
    h.bump();
    const second = await h.cache.get('2026-11-28');
    expect(second).toBe('2026-11-28@2#2');
    expect(h.calls[1]!.stale?.version).toBe('1');
    expect(await h.calls[1]!.stale!.value).toBe('2026-11-28@1#1');
    // Another date is its own entry.
    expect(await h.cache.get('2026-11-27')).toBe('2026-11-27@2#3');
    expect(h.calls[2]!.stale).toBeUndefined();
  });

  it('keeps the most recently used dates, dropping the least recently used first', async () => {
    const h = harness(2);
    await h.cache.get('2026-01-01');
    await h.cache.get('2026-01-02');
    await h.cache.get('2026-01-01'); // used again: now the most recent
    await h.cache.get('2026-01-03');
    expect([...h.cache.dates()].map(([d]) => d)).toEqual(['2026-01-01', '2026-01-03']);
    expect(h.cache.size).toBe(2);
    await h.cache.get('2026-01-01');
    expect(h.calls.map((c) => c.asOf)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03']);
    await h.cache.get('2026-01-02');
    expect(h.calls.map((c) => c.asOf)).toEqual(['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-02']);
  });

  it('drops an entry whose computation failed, so the next read tries again', async () => {
    const h = harness();
    h.failing.add('2026-11-28');
    await expect(h.cache.get('2026-11-28')).rejects.toThrow('2026-11-28 算不出');
    await settle();
    expect(h.cache.size).toBe(0);
    h.failing.clear();
    expect(await h.cache.get('2026-11-28')).toBe('2026-11-28@1#2');
  });

  it('keeps a newer entry when an older computation of the date fails late', async () => {
    let release!: (v: string) => void;
    let reject!: (e: Error) => void;
    let version = 1;
    const cache = new DateCache<string>({
      name: '测试',
      size: 3,
      version: () => version,
      compute: (asOf) =>
        (version === 1
          ? new Promise<string>((_, no) => {
              reject = no;
            })
          : new Promise<string>((yes) => {
              release = yes;
            })
        ).then((v) => `${asOf} ${v}`),
    });
    const old = cache.get('2026-11-28');
    version = 2;
    const fresh = cache.get('2026-11-28');
    reject(new Error('旧版本失败'));
    await expect(old).rejects.toThrow('旧版本失败');
    await settle();
    expect(cache.size).toBe(1);
    release('新');
    expect(await fresh).toBe('2026-11-28 新');
    expect(cache.get('2026-11-28')).toBe(fresh);
  });

  it('refuses a date that does not exist, naming it, before computing anything', () => {
    const h = harness();
    const err = (() => {
      try {
        h.cache.get('2026-02-30');
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'TJ_BAD_DATE', status: 400, message: '日期 2026-02-30 不存在，应为 YYYY-MM-DD' });
    expect(h.calls).toHaveLength(0);
    expect(() => requireIsoDate('2026-13-01', '走访日期')).toThrow('走访日期 2026-13-01 不存在，应为 YYYY-MM-DD');
    expect(() => requireIsoDate('2024-02-29')).not.toThrow();
  });

  it('logs a warm-up that fails instead of swallowing it, and the next read computes again', async () => {
    const h = harness();
    h.failing.add('2026-11-28');
    h.cache.warm('2026-11-28');
    await settle();
    expect(h.logged).toEqual(['测试计算（2026-11-28）后台预先计算失败，下次读取时重新计算：2026-11-28 算不出']);
    h.cache.warm('2026-02-30');
    expect(h.logged[1]).toBe(
      '测试计算（2026-02-30）后台预先计算失败，下次读取时重新计算：日期 2026-02-30 不存在，应为 YYYY-MM-DD',
    );
    h.failing.clear();
    h.cache.warm('2026-11-28');
    await settle();
    expect(h.logged).toHaveLength(2);
    expect(await h.cache.get('2026-11-28')).toBe('2026-11-28@1#2');
  });

  it('runs warm-ups of every cache one at a time, with a turn of the event loop between them', async () => {
    const events: string[] = [];
    let finishA!: () => void;
    const a = new DateCache<string>({
      name: 'A',
      size: 2,
      version: () => 0,
      compute: async () => {
        events.push('A starts');
        await new Promise<void>((r) => {
          finishA = r;
        });
        events.push('A ends');
        return 'a';
      },
    });
    const b = new DateCache<string>({
      name: 'B',
      size: 2,
      version: () => 0,
      compute: async () => {
        events.push('B starts');
        return 'b';
      },
    });
    a.warm('2026-11-28');
    b.warm('2026-11-28');
    await settle();
    expect(events).toEqual(['A starts']);
    // A request meanwhile is not queued: it computes at once.
    expect(await b.get('2026-11-27')).toBe('b');
    events.length = 0;
    finishA();
    // Between A's end and B's start the event loop takes a turn (a request arriving then is answered).
    await new Promise<void>((r) =>
      setImmediate(() => {
        events.push('a turn');
        r();
      }),
    );
    await backgroundWarmed();
    expect(events).toEqual(['A ends', 'a turn', 'B starts']);
    expect(await b.get('2026-11-28')).toBe('b');
  });

  it('treats a computation that throws at once like one that fails later', async () => {
    const cache = new DateCache<number>({
      name: '测试',
      size: 1,
      version: () => 0,
      compute: () => {
        throw new Error('立即失败');
      },
    });
    await expect(cache.get('2026-11-28')).rejects.toThrow('立即失败');
    await settle();
    expect(cache.size).toBe(0);
  });

  it('forgets every date on clear', async () => {
    const h = harness();
    await h.cache.get('2026-11-28');
    await h.cache.get('2026-11-27');
    h.cache.clear();
    expect(h.cache.size).toBe(0);
    await h.cache.get('2026-11-28');
    expect(h.calls).toHaveLength(3);
    expect(h.calls[2]!.stale).toBeUndefined();
  });
});
