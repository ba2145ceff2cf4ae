import { idCheckCharacter } from '@tingjian/engine';
import { describe, expect, it } from 'vitest';
import { idHalves, IdNumberSet, PairTable } from './pair-table.ts';

/** A valid id number from its first 17 digits. */
const id = (first17: string) => first17 + idCheckCharacter(first17);

describe('tables keyed by integer pairs', () => {
  it('keep the first value of each key through growth', () => {
    const t = new PairTable();
    const wrong: number[] = [];
    for (let i = 1; i <= 200_000; i++) if (t.putIfAbsent(i % 977, Math.imul(i, 0x9e3779b1), i) !== 0) wrong.push(i);
    for (let i = 1; i <= 200_000; i += 7)
      if (t.putIfAbsent(i % 977, Math.imul(i, 0x9e3779b1), -1) !== i || t.get(i % 977, Math.imul(i, 0x9e3779b1)) !== i)
        wrong.push(i);
    expect(wrong).toEqual([]);
    expect(t.size).toBe(200_000);
    expect(t.get(5, 12345)).toBe(0);
  });

  it('tell id numbers apart exactly, neighbours and look-alikes included', () => {
    const set = new IdNumberSet();
    const added: string[] = [];
    const others: string[] = [];
    // Same birth date and sequence in other regions; the next sequence; the next day.
    for (let r = 0; r < 300; r++) {
      for (let s = 0; s < 100; s++) {
        const region = String(310101 + r);
        const seq = String(s * 2).padStart(3, '0');
        added.push(id(`${region}19600101${seq}`));
        others.push(
          id(`${region}19600101${String(s * 2 + 1).padStart(3, '0')}`),
          id(`${region}19600102${seq}`),
          id(`${region}19700101${seq}`),
        );
      }
    }
    for (const x of added) set.add(x);
    expect(set.size).toBe(added.length);
    expect(added.every((x) => set.has(x))).toBe(true);
    expect(others.filter((x) => set.has(x))).toEqual([]);
    const pairs = new Set([...added, ...others].map((x) => idHalves(x).join(',')));
    expect(pairs.size).toBe(added.length + others.length);
  });
});
