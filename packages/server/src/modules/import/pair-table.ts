/**
 * Sets and maps keyed by two 32-bit integers, for the import's millions of keys: an
 * open-addressing table of typed arrays holds 12 bytes a key, where a Map of strings held about
 * 150 and kept the collector busy (and, for keys cut out of a larger text, kept that text alive).
 * JavaScript has no such structure and no maintained package offers one for integer pairs.
 */

/** Keys (hi, lo) with a non-zero int32 value each. A key is placed by its low half, which should be well mixed. */
export class PairTable {
  private hi = new Int32Array(1 << 16);
  private lo = new Int32Array(1 << 16);
  private values = new Int32Array(1 << 16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value stored for the key, else 0 (and `value`, which must not be 0, is stored). */
  putIfAbsent(hi: number, lo: number, value: number): number {
    if (this.count * 2 >= this.values.length) this.grow();
    const mask = this.values.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const v = this.values[i]!;
      if (v === 0) {
        this.hi[i] = hi;
        this.lo[i] = lo;
        this.values[i] = value;
        this.count++;
        return 0;
      }
      if (this.hi[i] === hi && this.lo[i] === lo) return v;
    }
  }

  /** The value stored for the key, else 0. */
  get(hi: number, lo: number): number {
    const mask = this.values.length - 1;
    for (let i = lo & mask; ; i = (i + 1) & mask) {
      const v = this.values[i]!;
      if (v === 0 || (this.hi[i] === hi && this.lo[i] === lo)) return v;
    }
  }

  private grow(): void {
    const { hi, lo, values } = this;
    this.hi = new Int32Array(values.length * 2);
    this.lo = new Int32Array(values.length * 2);
    this.values = new Int32Array(values.length * 2);
    this.count = 0;
    for (let i = 0; i < values.length; i++) if (values[i] !== 0) this.putIfAbsent(hi[i]!, lo[i]!, values[i]!);
  }
}

/**
 * A valid id number as two exact integers: it is fixed by its first 17 digits (the 18th is their
 * check character), 9 and 8 of them here; the low half mixed with the high half (a bijection for
 * each high half, so the pair stays exact), where the bare digits would crowd the table's slots.
 * Only for id numbers that passed idNumberProblem: any other text maps to a meaningless pair.
 */
export function idHalves(id: string): [number, number] {
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 9; i++) hi = hi * 10 + id.charCodeAt(i) - 48;
  for (let i = 9; i < 17; i++) lo = lo * 10 + id.charCodeAt(i) - 48;
  return [hi, Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b)];
}

/** A set of valid id numbers (see idHalves). */
export class IdNumberSet {
  private readonly table = new PairTable();

  get size(): number {
    return this.table.size;
  }

  add(id: string): void {
    const [hi, lo] = idHalves(id);
    this.table.putIfAbsent(hi, lo, 1);
  }

  has(id: string): boolean {
    const [hi, lo] = idHalves(id);
    return this.table.get(hi, lo) !== 0;
  }
}
