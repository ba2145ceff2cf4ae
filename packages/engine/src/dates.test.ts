import { describe, expect, it } from 'vitest';
import { addDays, ageOn, dateInZone, isIsoDate, toDayNumber, fromDayNumber, yearsBefore } from './dates.ts';

describe('dates and ages', () => {
  it('counts the birthday itself', () => {
    expect(ageOn('1966-11-28', '2026-11-28')).toBe(60);
    expect(ageOn('1966-11-28', '2026-11-27')).toBe(59);
  });

  it('lets a 29 February child gain a year on 1 March in non-leap years', () => {
    expect(ageOn('2008-02-29', '2026-02-28')).toBe(17);
    expect(ageOn('2008-02-29', '2026-03-01')).toBe(18);
    expect(ageOn('2008-02-29', '2028-02-29')).toBe(20);
  });

  it('knows which dates exist', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('1900-02-29')).toBe(false);
    expect(isIsoDate('2000-02-29')).toBe(true);
    expect(isIsoDate('1986-02-30')).toBe(false);
    expect(isIsoDate('2026-13-01')).toBe(false);
    expect(isIsoDate('2026-1-01')).toBe(false);
  });

  it('converts day numbers both ways', () => {
    expect(fromDayNumber(toDayNumber('2026-11-28'))).toBe('2026-11-28');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-01-01', -1)).toBe('2025-12-31');
  });

  it('gives the Shanghai calendar date of an instant', () => {
    // 2026-11-27T16:30Z is already 00:30 on the 28th in Shanghai (UTC+8).
    expect(dateInZone(Date.parse('2026-11-27T16:30:00Z'), 480)).toBe('2026-11-28');
    expect(dateInZone(Date.parse('2026-11-27T15:59:00Z'), 480)).toBe('2026-11-27');
  });
});

describe('yearsBefore', () => {
  it('gives the bound for an age filter, leap days included', () => {
    expect(yearsBefore('2026-11-28', 60)).toBe('1966-11-28');
    expect(yearsBefore('2028-02-29', 18)).toBe('2010-02-28');
    // born 2008-02-29 is 18 on 2026-03-01 but not on 2026-02-28
    expect('2008-02-29' <= yearsBefore('2026-03-01', 18)).toBe(true);
    expect('2008-02-29' <= yearsBefore('2026-02-28', 18)).toBe(false);
  });
});

describe('ageCalculator', () => {
  it('agrees with ageOn, birthdays and 29 February included', async () => {
    const { ageCalculator } = await import('./dates.ts');
    for (const asOf of ['2026-11-28', '2026-02-28', '2026-03-01', '2028-02-29']) {
      const age = ageCalculator(asOf);
      for (const birth of ['1966-11-28', '1966-11-29', '2008-02-29', '1950-03-01', '2000-12-31', '2026-11-28']) {
        expect(age(birth), `${birth} on ${asOf}`).toBe(ageOn(birth, asOf));
      }
    }
  });
});

describe('one age computation', () => {
  it('counts completed years on date keys as ageOn does on dates, for every day of four years', async () => {
    const { completedYears, dateKey, dateOfKey } = await import('./dates.ts');
    const births = ['1966-11-28', '2008-02-29', '2000-03-01', '1999-12-31', '2010-01-01'];
    for (let day = toDayNumber('2025-01-01'); day <= toDayNumber('2028-12-31'); day++) {
      const asOf = fromDayNumber(day);
      expect(dateOfKey(dateKey(asOf))).toBe(asOf);
      for (const birth of births) {
        // Independently of the engine: years between, less one before the birthday (29 Feb counting on 1 Mar).
        const want = Number(asOf.slice(0, 4)) - Number(birth.slice(0, 4)) - (asOf.slice(5) < birth.slice(5) ? 1 : 0);
        expect(completedYears(dateKey(birth), dateKey(asOf)), `${birth} on ${asOf}`).toBe(want);
        expect(ageOn(birth, asOf)).toBe(want);
      }
    }
  });

  it('refuses a date that does not exist', () => {
    expect(() => ageOn('2023-02-29', '2026-01-01')).toThrow('not a date: 2023-02-29');
  });
});
