/**
 * Unique, valid GB 11643 identity numbers for a synthetic population of any size, in memory that
 * does not grow with it.
 *
 * Two people can only collide when they share region code, birth date and gender, so the
 * allocator counts the numbers handed out per (region, birth date, gender) slot in a typed array
 * indexed by region and day: about 3 million 16-bit counters (6 MB), whatever the population.
 * The n-th person of a slot gets the n-th sequence of a fixed permutation of the slot's 500 odd
 * (men) or 499 even (women) sequence numbers, so the numbers look scattered, not 001, 003, 005.
 * At 1,000,000 residents the busiest slots (长宁 births of one day) hold a few dozen people; should
 * a slot ever fill, the birth date moves one day earlier.
 */
import { idCheckCharacter, toDayNumber, type IsoDate } from '@tingjian/engine';

/** Oldest age representable: nobody in the demo is older. */
const MAX_AGE_DAYS = 116 * 366;
const MALE_SEQUENCES = 500; // 001, 003, ..., 999
const FEMALE_SEQUENCES = 499; // 002, 004, ..., 998 (000 is never issued)
/** Coprime with 500 and 499, so n ↦ (n·STEP + offset) mod size is a permutation. */
const STEP = 367;

export interface AllocatedId {
  readonly idNumber: string;
  readonly birthDate: IsoDate;
  /** The birth day used: the one asked for, unless its slot was full. */
  readonly birthDay: number;
}

export class IdAllocator {
  private readonly asOfDay: number;
  private readonly regionIndex = new Map<string, number>();
  private readonly counts: Uint16Array;

  constructor(asOf: IsoDate, regions: readonly string[]) {
    this.asOfDay = toDayNumber(asOf);
    regions.forEach((r, i) => {
      if (!/^\d{6}$/.test(r)) throw new RangeError(`not a region code: ${r}`);
      this.regionIndex.set(r, i);
    });
    this.counts = new Uint16Array(regions.length * MAX_AGE_DAYS * 2);
  }

  /** An id number for someone of this region, born on day `birthDay` (see toDayNumber), of this gender. */
  allocate(region: string, birthDay: number, male: boolean): AllocatedId {
    const r = this.regionIndex.get(region);
    if (r === undefined) throw new RangeError(`region ${region} was not registered with the allocator`);
    const size = male ? MALE_SEQUENCES : FEMALE_SEQUENCES;
    for (let day = birthDay; ; day--) {
      const age = this.asOfDay - day;
      if (age < 0 || age >= MAX_AGE_DAYS) throw new RangeError(`birth day ${day} outside the allocator's range`);
      const slot = ((r * MAX_AGE_DAYS + age) << 1) | (male ? 1 : 0);
      const n = this.counts[slot]!;
      if (n >= size) continue;
      this.counts[slot] = n + 1;
      const v = (n * STEP + ((r * 131 + age * 17) % size)) % size;
      const sequence = male ? 2 * v + 1 : 2 * v + 2;
      const [y, m, d] = civilFromDays(day);
      const mm = m < 10 ? `0${m}` : String(m);
      const dd = d < 10 ? `0${d}` : String(d);
      const first17 = `${region}${y}${mm}${dd}${sequence < 10 ? '00' : sequence < 100 ? '0' : ''}${sequence}`;
      return { idNumber: first17 + idCheckCharacter(first17), birthDate: `${y}-${mm}-${dd}`, birthDay: day };
    }
  }
}

/**
 * Year, month, day of a day number (days since 1970-01-01), without a Date object: the allocator
 * runs for every person of the population. H. Hinnant's civil_from_days algorithm; agrees with
 * fromDayNumber of dates.ts (tested). Valid for years 1000-9999.
 */
export function civilFromDays(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** The date of a day number, as YYYY-MM-DD (fromDayNumber of dates.ts without a Date object). */
export function dateOfDay(dayNumber: number): IsoDate {
  const [y, m, d] = civilFromDays(dayNumber);
  return `${y}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`;
}
