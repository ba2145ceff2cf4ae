/**
 * Resident identity numbers, GB 11643-1999: 6-digit region code, 8-digit birth date, 3-digit
 * sequence (odd for men, even for women), check character by ISO 7064 MOD 11-2.
 */
import { isIsoDate, type IsoDate } from './dates.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type Gender = '男' | '女';

export type IdCheck =
  | { ok: true; birthDate: IsoDate; gender: Gender; regionCode: string }
  | { ok: false; reason: string };

/** The check character for the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]!;
  return CHECK_CHARS[sum % 11]!;
}

/** 17 ASCII digits and a digit or X (read by character code: an import checks millions). */
function hasIdShape(id: string): boolean {
  if (id.length !== 18) return false;
  for (let i = 0; i < 17; i++) {
    const c = id.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const last = id.charCodeAt(17);
  return (last >= 48 && last <= 57) || last === 88;
}

export function checkIdNumber(id: string): IdCheck {
  if (!hasIdShape(id)) {
    return { ok: false, reason: '身份证号应为18位：17位数字加校验位（0-9或X）' };
  }
  const expected = idCheckCharacter(id.slice(0, 17));
  if (expected !== id[17]) {
    return { ok: false, reason: `身份证号校验位错误：应为 ${expected}，实为 ${id[17]}` };
  }
  const birthDate = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
  if (!isIsoDate(birthDate)) {
    return { ok: false, reason: `身份证号中的出生日期 ${birthDate} 不存在` };
  }
  const gender: Gender = Number(id[16]) % 2 === 1 ? '男' : '女';
  return { ok: true, birthDate, gender, regionCode: id.slice(0, 6) };
}

/** Masks an id number for lists: region and check character kept, birth date and sequence hidden. */
export function maskIdNumber(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14, 17).replace(/./g, '*')}${id[17]}` : '******';
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
