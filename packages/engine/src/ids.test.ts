import { describe, expect, it } from 'vitest';
import { checkIdNumber, idCheckCharacter, maskIdNumber } from './ids.ts';

describe('GB 11643 identity numbers', () => {
  it('accepts a valid number and reads birth date and gender from it', () => {
    // 11010519491231002X is the standard's own worked example (check character X, female).
    expect(idCheckCharacter('11010519491231002')).toBe('X');
    expect(checkIdNumber('11010519491231002X')).toEqual({
      ok: true,
      birthDate: '1949-12-31',
      gender: '女',
      regionCode: '110105',
    });
    expect(checkIdNumber('340104199208304418')).toMatchObject({ ok: true, birthDate: '1992-08-30', gender: '男' });
  });

  it('rejects a wrong check character, naming the expected one', () => {
    const r = checkIdNumber('310105197302213131');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/校验位错误：应为 \S，实为 1/);
  });

  it('rejects a birth date that does not exist even with a matching check character', () => {
    const first17 = '31010519860230123';
    const r = checkIdNumber(first17 + idCheckCharacter(first17));
    expect(r).toMatchObject({ ok: false });
    if (!r.ok) expect(r.reason).toContain('1986-02-30');
  });

  it('rejects wrong shapes: lower-case x, 15 digits, letters', () => {
    expect(checkIdNumber('11010519491231002x').ok).toBe(false);
    expect(checkIdNumber('110105491231002').ok).toBe(false);
    expect(checkIdNumber('11010519491231A02X').ok).toBe(false);
  });

  it('masks birth date and sequence', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105***********X');
  });
});
