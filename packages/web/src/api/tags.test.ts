import { describe, expect, it } from 'vitest';
import { filenameFromDisposition } from './tags.ts';

describe('downloads answered to a POST', () => {
  it('take the file name from Content-Disposition', () => {
    expect(filenameFromDisposition('attachment; filename="selection-2026-11-28.xlsx"')).toBe(
      'selection-2026-11-28.xlsx',
    );
    expect(filenameFromDisposition("attachment; filename*=UTF-8''%E5%9C%88%E9%80%89.xlsx")).toBe('圈选.xlsx');
    expect(filenameFromDisposition(null)).toBeNull();
    expect(filenameFromDisposition('attachment')).toBeNull();
  });
});
