/**
 * Resident identity numbers, GB 11643-1999: 6-digit region code, 8-digit birth date, 3-digit
 * sequence (odd for men, even for women), check character by ISO 7064 MOD 11-2.
 */
import { digits, isCalendarDate, type IsoDate } from './dates.ts';

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const CHECK_CHARS = '10X98765432';

export type Gender = '男' | '女';

export type IdCheck =
  { ok: true; birthDate: IsoDate; gender: Gender; regionCode: string } | { ok: false; reason: string };

/** The check character for the first 17 digits (of `first17`, which may be a whole id number). */
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

/**
 * Why an id number is not a valid one, or null when it is: checkIdNumber's verdict without
 * building its parts (an import checks a few million, most of them valid).
 */
export function idNumberProblem(id: string): string | null {
  if (!hasIdShape(id)) return '身份证号应为18位：17位数字加校验位（0-9或X）';
  const expected = idCheckCharacter(id);
  if (expected.charCodeAt(0) !== id.charCodeAt(17)) return `身份证号校验位错误：应为 ${expected}，实为 ${id[17]}`;
  if (!isCalendarDate(digits(id, 6, 10), digits(id, 10, 12), digits(id, 12, 14)))
    return `身份证号中的出生日期 ${idBirthDate(id)} 不存在`;
  return null;
}

/** The birth date written in an id number of the right shape. */
export function idBirthDate(id: string): IsoDate {
  return `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;
}

/** The gender of an id number of the right shape: odd sequence for men, even for women. */
export function idGender(id: string): Gender {
  return (id.charCodeAt(16) - 48) % 2 === 1 ? '男' : '女';
}

export function checkIdNumber(id: string): IdCheck {
  const reason = idNumberProblem(id);
  if (reason !== null) return { ok: false, reason };
  return { ok: true, birthDate: idBirthDate(id), gender: idGender(id), regionCode: id.slice(0, 6) };
}

/** Masks an id number for lists: region and check character kept, birth date and sequence hidden. */
export function maskIdNumber(id: string): string {
  return id.length === 18 ? `${id.slice(0, 6)}********${id.slice(14, 17).replace(/./g, '*')}${id[17]}` : '******';
}

export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}
