/**
 * Calendar dates as `YYYY-MM-DD` strings. The engine never reads a clock: "today" is always an
 * argument (the as-of date). Dates compare correctly as strings.
 */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Year, month, day of a real calendar date, or null when the text is not one. */
export function parseIsoDate(text: string): { year: number; month: number; day: number } | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year < 1800 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/**
 * Whether the text is a real calendar date (the same answer as parseIsoDate), read digit by digit:
 * an import checks a few million dates, and the regular expression's match objects cost seconds.
 */
export function isIsoDate(text: string): boolean {
  if (text.length !== 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  return isCalendarDate(digits(text, 0, 4), digits(text, 5, 7), digits(text, 8, 10));
}

/** Whether year, month and day name a real date from 1800 on (a part of -1 never does). */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  return year >= 1800 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** The number written by the ASCII digits text[from, to), or -1 when one is not a digit. */
export function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

export function formatIsoDate(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** A date as the number yyyymmdd: ordered like the date, and completed years are a division away. */
export function dateKey(iso: IsoDate): number {
  return Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

/** The date of a yyyymmdd key (dateKey's inverse). */
export function dateOfKey(key: number): IsoDate {
  return formatIsoDate(Math.floor(key / 10000), Math.floor(key / 100) % 100, key % 100);
}

/**
 * Completed years between two yyyymmdd keys (dateKey): the birthday itself counts; someone born
 * on 29 February gains a year on 1 March in non-leap years (reference-policies.md, "age(p)").
 * The one age computation of the engine: ageOn and ageCalculator are this on ISO dates, and the
 * rule compiler writes this same division into the code it generates for `age`.
 */
export function completedYears(birthKey: number, dayKey: number): number {
  return Math.floor((dayKey - birthKey) / 10000);
}

/** Completed years on `asOf` of someone born on `birthDate` (completedYears on ISO dates; both must be real dates). */
export function ageOn(birthDate: IsoDate, asOf: IsoDate): number {
  const b = parseIsoDate(birthDate);
  const d = parseIsoDate(asOf);
  if (!b || !d) throw new RangeError(`not a date: ${b ? asOf : birthDate}`);
  return completedYears(b.year * 10000 + b.month * 100 + b.day, d.year * 10000 + d.month * 100 + d.day);
}

/** Days since 1970-01-01 (UTC calendar), for compact storage in typed arrays. */
export function toDayNumber(date: IsoDate): number {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  return Math.round(Date.UTC(p.year, p.month - 1, p.day) / 86_400_000);
}

export function fromDayNumber(day: number): IsoDate {
  const d = new Date(day * 86_400_000);
  return formatIsoDate(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

export function addDays(date: IsoDate, days: number): IsoDate {
  return fromDayNumber(toDayNumber(date) + days);
}

/** The calendar date of an instant in a fixed-offset time zone (Asia/Shanghai has no DST: +8). */
export function dateInZone(instantMs: number, offsetMinutes: number): IsoDate {
  return fromDayNumber(Math.floor((instantMs + offsetMinutes * 60_000) / 86_400_000));
}

/**
 * The same calendar day `years` earlier, 29 February becoming 28 February in a non-leap year.
 * age(p) ≥ a on D exactly when birth_date ≤ yearsBefore(D, a).
 */
export function yearsBefore(date: IsoDate, years: number): IsoDate {
  const p = parseIsoDate(date);
  if (!p) throw new RangeError(`not a date: ${date}`);
  const year = p.year - years;
  return formatIsoDate(year, p.month, Math.min(p.day, daysInMonth(year, p.month)));
}

/**
 * ageOn for many birth dates against one as-of date, without parsing the as-of date each time:
 * the dashboards compute a million ages. Birth dates are read digit by digit (they were
 * validated on the way in).
 */
export function ageCalculator(asOf: IsoDate): (birthDate: IsoDate) => number {
  const d = parseIsoDate(asOf);
  if (!d) throw new RangeError(`not a date: ${asOf}`);
  const day = d.year * 10000 + d.month * 100 + d.day;
  return (birth) => completedYears(digits(birth, 0, 4) * 10000 + digits(birth, 5, 7) * 100 + digits(birth, 8, 10), day);
}
