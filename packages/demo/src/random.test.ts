import { describe, expect, it } from 'vitest';
import { clamp, roundTo, Rng, Weighted } from './random.ts';

describe('the seeded generator', () => {
  it('repeats its stream for the same seed and differs for another', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    const xs = Array.from({ length: 100 }, () => a.uint32());
    expect(Array.from({ length: 100 }, () => b.uint32())).toEqual(xs);
    expect(Array.from({ length: 100 }, () => c.uint32())).not.toEqual(xs);
  });

  it('draws uniformly within its ranges', () => {
    const rng = new Rng(7);
    let sum = 0;
    let min = 1;
    let max = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 20000; i++) {
      const x = rng.next();
      min = Math.min(min, x);
      max = Math.max(max, x);
      sum += x;
      seen.add(rng.int(3, 8));
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(sum / 20000).toBeCloseTo(0.5, 1);
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7, 8]);
  });

  it('draws normal and log-normal values around their centre', () => {
    const rng = new Rng(11);
    const normals = Array.from({ length: 20000 }, () => rng.normal(10, 2));
    const mean = normals.reduce((s, x) => s + x, 0) / normals.length;
    const sd = Math.sqrt(normals.reduce((s, x) => s + (x - mean) ** 2, 0) / normals.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeCloseTo(2, 1);
    const logs = Array.from({ length: 20001 }, () => rng.logNormal(9000, 0.5)).sort((x, y) => x - y);
    expect(logs[10000]! / 9000).toBeGreaterThan(0.95);
    expect(logs[10000]! / 9000).toBeLessThan(1.05);
  });

  it('picks by weight', () => {
    const rng = new Rng(3);
    const w = new Weighted<string>([
      ['a', 1],
      ['b', 3],
      ['c', 0],
    ]);
    const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 40000; i++) counts[w.pick(rng)]!++;
    expect(counts.c).toBe(0);
    expect(counts.b! / counts.a!).toBeGreaterThan(2.7);
    expect(counts.b! / counts.a!).toBeLessThan(3.3);
    expect(() => new Weighted([])).toThrow(RangeError);
  });

  it('forks independent, reproducible streams', () => {
    const x = new Rng(5).fork(1).uint32();
    expect(new Rng(5).fork(1).uint32()).toBe(x);
    expect(new Rng(5).fork(2).uint32()).not.toBe(x);
  });

  it('clamps and rounds', () => {
    expect(clamp(5, 0, 3)).toBe(3);
    expect(clamp(-1, 0, 3)).toBe(0);
    expect(roundTo(1234, 10)).toBe(1230);
    expect(roundTo(1235.5, 100)).toBe(1200);
  });
});
