import { describe, expect, it } from 'vitest';
import { checkIdNumber, fromDayNumber, toDayNumber } from '@tingjian/engine';
import { civilFromDays, dateOfDay, IdAllocator } from './id-allocator.ts';

describe('the id allocator', () => {
  it('converts day numbers to dates exactly like dates.ts', () => {
    const mismatches: number[] = [];
    for (let day = toDayNumber('1900-01-01'); day <= toDayNumber('2100-12-31'); day++)
      if (dateOfDay(day) !== fromDayNumber(day)) mismatches.push(day);
    expect(mismatches).toEqual([]);
    expect(civilFromDays(toDayNumber('2000-02-29'))).toEqual([2000, 2, 29]);
    expect(dateOfDay(toDayNumber('1966-11-28'))).toBe('1966-11-28');
  });

  it('gives valid id numbers that agree with birth date and gender', () => {
    const ids = new IdAllocator('2026-11-28', ['310105', '340104']);
    for (const [region, date, male] of [
      ['310105', '1966-11-28', true],
      ['340104', '2011-05-12', false],
      ['310105', '1920-02-29', false],
    ] as const) {
      const a = ids.allocate(region, toDayNumber(date), male);
      const check = checkIdNumber(a.idNumber);
      expect(check).toEqual({ ok: true, birthDate: date, gender: male ? '男' : '女', regionCode: region });
      expect(a.birthDate).toBe(date);
      expect(a.birthDay).toBe(toDayNumber(date));
    }
  });

  it('never repeats a number, and moves to the day before once a day is full', () => {
    const ids = new IdAllocator('2026-11-28', ['310105']);
    const day = toDayNumber('1980-06-15');
    const men = Array.from({ length: 520 }, () => ids.allocate('310105', day, true));
    const women = Array.from({ length: 520 }, () => ids.allocate('310105', day, false));
    const all = [...men, ...women].map((a) => a.idNumber);
    expect(new Set(all).size).toBe(all.length);
    for (const a of [...men, ...women]) expect(checkIdNumber(a.idNumber).ok).toBe(true);
    // 500 odd sequences for men, 499 even ones for women (000 is never issued).
    expect(men.filter((a) => a.birthDate === '1980-06-15')).toHaveLength(500);
    expect(men.filter((a) => a.birthDate === '1980-06-14')).toHaveLength(20);
    expect(women.filter((a) => a.birthDate === '1980-06-15')).toHaveLength(499);
    expect(women.some((a) => a.idNumber.slice(14, 17) === '000')).toBe(false);
    // Sequences are scattered, not 001, 003, 005...
    expect(men.slice(0, 3).map((a) => a.idNumber.slice(14, 17))).not.toEqual(['001', '003', '005']);
  });

  it('rejects regions it was not given and impossible birth days', () => {
    const ids = new IdAllocator('2026-11-28', ['310105']);
    expect(() => ids.allocate('310104', toDayNumber('1980-01-01'), true)).toThrow(RangeError);
    expect(() => ids.allocate('310105', toDayNumber('2026-11-29'), true)).toThrow(RangeError);
    expect(() => new IdAllocator('2026-11-28', ['31010'])).toThrow(RangeError);
  });
});
