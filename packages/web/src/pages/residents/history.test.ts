import { describe, expect, it } from 'vitest';
import { ageOn, fieldChanges, isActive, showValue } from './history.ts';

describe('change history', () => {
  it('lists each field as old → new', () => {
    expect(fieldChanges({ changes: { phone: ['13800000000', '13900000000'], disability_grade: [null, 2] } })).toEqual([
      { field: 'phone', before: '13800000000', after: '13900000000' },
      { field: 'disability_grade', before: '∅', after: '2' },
    ]);
  });

  it('shows structured values as JSON', () => {
    expect(showValue({ a: 1 })).toBe('{"a":1}');
    expect(showValue('')).toBe('∅');
  });
});

describe('dates', () => {
  it('counts whole years, birthdays included', () => {
    expect(ageOn('1960-03-17', '2026-03-16')).toBe(65);
    expect(ageOn('1960-03-17', '2026-03-17')).toBe(66);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
  });

  it('holds a benefit through its end date', () => {
    expect(isActive({ startDate: '2024-01-01', endDate: '2026-11-28' }, '2026-11-28')).toBe(true);
    expect(isActive({ startDate: '2024-01-01', endDate: '2026-11-27' }, '2026-11-28')).toBe(false);
    expect(isActive({ startDate: '2026-11-29', endDate: null }, '2026-11-28')).toBe(false);
    expect(isActive({ startDate: '2020-01-01', endDate: null }, '2026-11-28')).toBe(true);
  });
});
