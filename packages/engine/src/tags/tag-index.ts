/**
 * The tag index: one compressed bitmap (CRoaring, through the `roaring` package) per tag over the
 * residents' dense numbers, for one as-of date. A crowd selection is a handful of bitmap
 * operations; counts per area are intersections with each unit's membership bitmap; ranking by
 * how many of a list of tags each resident carries is bit-sliced counting over bitmaps. Because
 * dense numbers follow id_number order, walking a bitmap yields residents sorted by id_number.
 */
import roaring from 'roaring';
import type { RoaringBitmap32 as Bitmap } from 'roaring';
import { RuleError, type Expr } from '../rules/ast.ts';
import { evaluateTruth, T } from '../rules/columnar.ts';
import { printRule } from '../rules/print.ts';
import type { PopulationOnDate } from '../population/facts.ts';
import { tagAppliesTo, tagVisibleTo, type TagSource } from './dictionary.ts';

const { RoaringBitmap32 } = roaring;
export type { Bitmap };

export interface IndexedTag {
  readonly id: number;
  readonly code: string;
  readonly ownerCode: string;
  readonly source: TagSource;
  /** Imported and rule tags: the checked rule. */
  readonly rule: Expr | null;
  /** Manual tags: the dense numbers whose assignment is valid on the index's date. */
  readonly members?: Iterable<number>;
}

export interface RankedPage {
  readonly total: number;
  /** How many residents carry each number of the ranking tags (index = number of tags). */
  readonly byRank: readonly number[];
  readonly rows: ReadonlyArray<{ readonly index: number; readonly rank: number }>;
}

export class TagIndex {
  readonly asOf: string;
  /** Residents who exist on the date (born on or before it). */
  readonly existing: Bitmap;
  private readonly tags = new Map<number, IndexedTag>();
  private readonly bitmaps = new Map<number, Bitmap>();
  private readonly committeeMembers: Bitmap[];
  private readonly unitCache = new Map<string, Bitmap>();
  /** Unions of same-code tags as seen from a scope; cleared on every change of a tag or a member. */
  private readonly resolved = new Map<string, Bitmap | null>();

  constructor(
    readonly view: PopulationOnDate,
    tags: readonly IndexedTag[],
  ) {
    this.asOf = view.asOf;
    const p = view.population;
    const exists: number[] = [];
    const byCommittee: number[][] = p.committees.map(() => []);
    for (let i = 0; i < p.n; i++) {
      if (!view.exists[i]) continue;
      exists.push(i);
      byCommittee[p.householdCommittee[p.household[i]!]!]!.push(i);
    }
    this.existing = RoaringBitmap32.from(exists);
    this.committeeMembers = byCommittee.map((list) => RoaringBitmap32.from(list));
    for (const t of tags) this.put(t);
    this.byRule.clear(); // shared only while building
    // Selections and rules may read tags through the same population view.
    view.setTagSource((code) => {
      const bitmap = this.resolve(code, '');
      const data = new Uint8Array(view.n);
      if (bitmap) for (const i of bitmap) data[i] = T;
      return { type: 'boolean', data };
    });
  }

  /** Adds or replaces a tag, computing its bitmap. */
  put(tag: IndexedTag): void {
    this.resolved.clear();
    this.tags.set(tag.id, tag);
    this.bitmaps.set(tag.id, this.compute(tag));
  }

  drop(tagId: number): void {
    this.resolved.clear();
    this.tags.delete(tagId);
    this.bitmaps.delete(tagId);
  }

  /** Bitmaps by rule text, over everyone: the street copies of a reference tag share one evaluation. */
  private readonly byRule = new Map<string, Bitmap>();
  private scratch: Uint32Array | undefined;

  private compute(tag: IndexedTag): Bitmap {
    const p = this.view.population;
    let bitmap: Bitmap;
    if (tag.rule) {
      const key = printRule(tag.rule);
      let everyone = this.byRule.get(key);
      if (!everyone) {
        const truth = evaluateTruth(tag.rule, this.view);
        const out = (this.scratch ??= new Uint32Array(p.n));
        let k = 0;
        if (this.existing.size === p.n) {
          for (let i = 0; i < truth.length; i++) if (truth[i] === T) out[k++] = i;
        } else {
          const exists = this.view.exists;
          for (let i = 0; i < truth.length; i++) if (truth[i] === T && exists[i]) out[k++] = i;
        }
        everyone = RoaringBitmap32.from(out.subarray(0, k));
        this.byRule.set(key, everyone);
      }
      bitmap = everyone.clone();
    } else {
      bitmap = RoaringBitmap32.from(tag.members ?? []);
      bitmap.andInPlace(this.existing);
    }
    // A tag applies only inside its owner's subtree.
    if (!p.committees.every((c) => tagAppliesTo(tag.ownerCode, c))) bitmap.andInPlace(this.unit(tag.ownerCode));
    bitmap.runOptimize();
    return bitmap;
  }

  private unitOfCommittees(mask: Uint8Array): Bitmap {
    return RoaringBitmap32.orMany(this.committeeMembers.filter((_, k) => mask[k] === 1));
  }

  /** A worker's manual assignment takes effect at once. */
  addMember(tagId: number, index: number): void {
    const tag = this.tags.get(tagId);
    const committee =
      this.view.population.committees[
        this.view.population.householdCommittee[this.view.population.household[index]!]!
      ]!;
    if (tag && this.view.exists[index] && tagAppliesTo(tag.ownerCode, committee)) this.bitmaps.get(tagId)?.add(index);
    this.resolved.clear();
  }

  removeMember(tagId: number, index: number): void {
    this.bitmaps.get(tagId)?.remove(index);
    this.resolved.clear();
  }

  bitmap(tagId: number): Bitmap | undefined {
    return this.bitmaps.get(tagId);
  }

  /** Residents of an org unit's subtree who exist on the date ('' = everyone). */
  unit(code: string): Bitmap {
    if (code === '') return this.existing;
    let b = this.unitCache.get(code);
    if (!b) {
      const committees = this.view.population.committees;
      b = this.unitOfCommittees(Uint8Array.from(committees, (c) => (c.startsWith(code) ? 1 : 0)));
      this.unitCache.set(code, b);
    }
    return b;
  }

  /** The residents carrying a tag code as seen from a scope: the union of the visible tags of that code. */
  resolve(code: string, scopeCode: string): Bitmap | undefined {
    const key = `${scopeCode}|${code}`;
    const cached = this.resolved.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const hits: Bitmap[] = [];
    for (const t of this.tags.values())
      if (t.code === code && tagVisibleTo(t.ownerCode, scopeCode)) hits.push(this.bitmaps.get(t.id)!);
    const union = hits.length === 0 ? null : hits.length === 1 ? hits[0]! : RoaringBitmap32.orMany(hits);
    this.resolved.set(key, union);
    return union ?? undefined;
  }

  /** Whether a code names a tag visible from the scope. */
  knows(code: string, scopeCode: string): boolean {
    for (const t of this.tags.values()) if (t.code === code && tagVisibleTo(t.ownerCode, scopeCode)) return true;
    return false;
  }

  /**
   * Evaluates a selection within a scope: the residents of the scope's unit, existing on the
   * date, for whom the expression holds. NOT is relative to the scope. Unknown codes are errors.
   */
  select(e: Expr, scopeCode: string): Bitmap {
    const universe = this.unit(scopeCode);
    // An AND chain: intersect the positive terms smallest first, then subtract each NOT term
    // (A AND NOT B is a difference: never build the complement of B over the whole scope).
    const conjunction = (x: Expr): Bitmap => {
      const positive: Bitmap[] = [];
      const negative: Bitmap[] = [];
      const collect = (y: Expr) => {
        if (y.kind === 'binary' && y.op === '&&') {
          collect(y.left);
          collect(y.right);
        } else if (y.kind === 'unary' && y.op === '!') negative.push(go(y.operand));
        else positive.push(go(y));
      };
      collect(x);
      positive.sort((a, b) => a.size - b.size);
      let acc: Bitmap;
      if (positive.length === 0) acc = universe.clone();
      else if (positive.length === 1) acc = positive[0]!.clone();
      else {
        acc = RoaringBitmap32.and(positive[0]!, positive[1]!);
        for (let k = 2; k < positive.length && acc.size > 0; k++) acc.andInPlace(positive[k]!);
      }
      for (const b of negative) {
        if (acc.size === 0) break;
        acc.andNotInPlace(b);
      }
      return acc;
    };
    const go = (x: Expr): Bitmap => {
      switch (x.kind) {
        case 'tag': {
          const b = this.resolve(x.code, scopeCode);
          if (!b) throw new RuleError(`未知标签 “${x.code}”（或不在您的可见范围内）`, x.span);
          return b;
        }
        case 'unary':
          if (x.op === '!') return RoaringBitmap32.andNot(universe, go(x.operand));
          break;
        case 'binary':
          if (x.op === '&&') return conjunction(x);
          if (x.op === '||') return RoaringBitmap32.or(go(x.left), go(x.right));
          break;
        default:
          break;
      }
      throw new RuleError('圈选条件只能由标签、AND、OR、NOT 组成', x.span);
    };
    // Tag bitmaps hold only residents existing on the date, so when the scope is everyone the
    // result needs no further intersection; a single atom is shared with the index, so it is
    // copied rather than handed out.
    const result = go(e);
    if (universe.size === this.existing.size) return e.kind === 'tag' ? result.clone() : result;
    return RoaringBitmap32.and(result, universe);
  }

  /** The size of a selection. */
  count(e: Expr, scopeCode: string): number {
    return this.select(e, scopeCode).size;
  }

  /** How many of a selection fall in each unit. */
  countBy(selection: Bitmap, unitCodes: readonly string[]): number[] {
    return unitCodes.map((c) => selection.andCardinality(this.unit(c)));
  }

  /**
   * Ranks a selection by how many of the given tag bitmaps each resident carries, then by
   * id_number, and returns one page. Bit-sliced counting: atLeast[r] holds those with ≥ r tags,
   * updated tag by tag from the top down, so k tags cost about k²/2 bitmap operations in all.
   */
  rank(selection: Bitmap, rankBitmaps: readonly Bitmap[], offset = 0, limit = 50): RankedPage {
    const k = rankBitmaps.length;
    const atLeast: Bitmap[] = [selection];
    for (let r = 1; r <= k + 1; r++) atLeast.push(new RoaringBitmap32());
    for (let t = 0; t < k; t++) {
      const tb = RoaringBitmap32.and(rankBitmaps[t]!, selection);
      if (tb.isEmpty) continue;
      // Levels above the highest one reached so far are empty: start from there.
      let top = t;
      while (top >= 1 && atLeast[top]!.isEmpty) top--;
      for (let r = top + 1; r >= 2; r--) {
        const below = atLeast[r - 1]!;
        if (!below.isEmpty) atLeast[r]!.orInPlace(RoaringBitmap32.and(below, tb));
      }
      atLeast[1]!.orInPlace(tb);
    }
    const byRank: number[] = [];
    for (let r = 0; r <= k; r++) byRank.push(atLeast[r]!.size - atLeast[r + 1]!.size);
    const rows: Array<{ index: number; rank: number }> = [];
    let skip = offset;
    for (let r = k; r >= 0 && rows.length < limit; r--) {
      if (skip >= byRank[r]!) {
        skip -= byRank[r]!;
        continue;
      }
      const exactly = r === k ? atLeast[r]! : RoaringBitmap32.andNot(atLeast[r]!, atLeast[r + 1]!);
      const want = limit - rows.length;
      const out = new Uint32Array(Math.min(want, exactly.size - skip));
      exactly.rangeUint32Array(out, skip, out.length);
      for (const index of out) rows.push({ index, rank: r });
      skip = 0;
    }
    return { total: selection.size, byRank, rows };
  }

  /** Bytes the tag bitmaps take (their serialized size, which is what CRoaring keeps in memory). */
  memoryBytes(): number {
    let sum = 0;
    for (const b of this.bitmaps.values()) sum += b.getSerializationSizeInBytes('croaring');
    return sum;
  }

  /** (resident, tag) pairs held in the index. */
  pairs(): number {
    let sum = 0;
    for (const b of this.bitmaps.values()) sum += b.size;
    return sum;
  }

  tagIds(): number[] {
    return [...this.tags.keys()];
  }
}
