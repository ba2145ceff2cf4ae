import { BENEFIT_CODES as ENGINE_BENEFITS, BENEFIT_NAMES, GENDERS, HUKOU } from '@tingjian/engine';
import { describe, expect, it } from 'vitest';
import { GENDERS as WEB_GENDERS, HUKOU as WEB_HUKOU } from '../pages/residents/filters.ts';
import { BENEFIT_CODES, benefitName, roleName, valueName } from './terms.ts';

describe('terms', () => {
  it("knows every benefit code of the engine, with the engine's Chinese name", () => {
    expect([...BENEFIT_CODES].sort()).toEqual([...ENGINE_BENEFITS].sort());
    for (const code of ENGINE_BENEFITS) expect(benefitName(code, 'zh')).toBe(BENEFIT_NAMES[code]);
  });

  it("filters offer the registry's own values", () => {
    expect([...WEB_GENDERS]).toEqual([...GENDERS]);
    expect([...WEB_HUKOU]).toEqual([...HUKOU]);
  });

  it('names roles and values in English, and keeps unknown ones as they are', () => {
    expect(roleName('street', 'en')).toBe('Street / town worker');
    expect(roleName('auditor', 'zh', '审计')).toBe('审计');
    expect(valueName('外省市', 'en')).toBe('Other province');
    expect(valueName('外省市', 'zh')).toBe('外省市');
    expect(valueName(null, 'zh')).toBe('—');
    expect(benefitName('NEW_CODE', 'en', '新政策')).toBe('新政策');
  });
});
