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

/**
 * Completed years on `asOf`. The birthday itself counts; someone born on 29 February gains a
 * year on 1 March in non-leap years (reference-policies.md, "age(p)").
 */
export function ageOn(birthDate: IsoDate, asOf: IsoDate): number {
  const b = parseIsoDate(birthDate);
  const d = parseIsoDate(asOf);
  if (!b || !d) throw new RangeError(`not a date: ${b ? asOf : birthDate}`);
  let age = d.year - b.year;
  if (d.month < b.month || (d.month === b.month && d.day < b.day)) age -= 1;
  return age;
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
 * the dashboards compute a million ages.
 */
export function ageCalculator(asOf: IsoDate): (birthDate: IsoDate) => number {
  const d = parseIsoDate(asOf);
  if (!d) throw new RangeError(`not a date: ${asOf}`);
  const monthDay = d.month * 100 + d.day;
  return (birth) => {
    // YYYY-MM-DD: digits at fixed places (validated on the way in).
    const year = (birth.charCodeAt(0) - 48) * 1000 + (birth.charCodeAt(1) - 48) * 100 + (birth.charCodeAt(2) - 48) * 10 + (birth.charCodeAt(3) - 48);
    const md = ((birth.charCodeAt(5) - 48) * 10 + (birth.charCodeAt(6) - 48)) * 100 + (birth.charCodeAt(8) - 48) * 10 + (birth.charCodeAt(9) - 48);
    return d.year - year - (monthDay < md ? 1 : 0);
  };
}
