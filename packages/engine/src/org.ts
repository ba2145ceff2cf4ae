/**
 * The administrative hierarchy by GB/T 2260 codes with the statistical street and committee
 * digits: province 2, city 4, district/county 6, street/town 9, neighbourhood committee 12.
 */
export type OrgLevel = 'province' | 'city' | 'district' | 'street' | 'committee';

export interface OrgUnit {
  readonly code: string;
  readonly name: string;
  readonly level: OrgLevel;
  readonly parentCode: string | null;
}

const LEVEL_BY_LENGTH: Record<number, OrgLevel> = {
  2: 'province',
  4: 'city',
  6: 'district',
  9: 'street',
  12: 'committee',
};

export function orgLevelOf(code: string): OrgLevel | null {
  return /^\d+$/.test(code) ? (LEVEL_BY_LENGTH[code.length] ?? null) : null;
}

export function parentCodeOf(code: string): string | null {
  switch (code.length) {
    case 12:
      return code.slice(0, 9);
    case 9:
      return code.slice(0, 6);
    case 6:
      return code.slice(0, 4);
    case 4:
      return code.slice(0, 2);
    default:
      return null;
  }
}

/** True when `code` is `scopeCode` itself or lies below it. */
export function isWithinScope(code: string, scopeCode: string): boolean {
  return code.startsWith(scopeCode);
}

/** All codes from the top down to `code` inclusive. */
export function ancestorCodes(code: string): string[] {
  const out: string[] = [];
  for (let c: string | null = code; c; c = parentCodeOf(c)) out.unshift(c);
  return out;
}
