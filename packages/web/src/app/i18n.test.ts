import { describe, expect, it } from 'vitest';
import {
  defineMessages,
  formatNumber,
  initialLang,
  interpolate,
  makeTranslator,
  placeholders,
  translate,
  type Messages,
} from './i18n.ts';

describe('i18n', () => {
  const messages = defineMessages({
    hello: { zh: '你好，{name}', en: 'Hello, {name}' },
    people: { zh: '人', en: '' },
  });

  it('speaks Chinese unless English was chosen', () => {
    expect(initialLang(null)).toBe('zh');
    expect(initialLang('fr')).toBe('zh');
    expect(initialLang('en')).toBe('en');
    expect(initialLang('zh')).toBe('zh');
  });

  it('looks up and fills placeholders in either language', () => {
    expect(makeTranslator(messages, 'zh')('hello', { name: '王芳' })).toBe('你好，王芳');
    expect(makeTranslator(messages, 'en')('hello', { name: 'Wang Fang' })).toBe('Hello, Wang Fang');
  });

  it('keeps an intentionally empty English text empty', () => {
    expect(translate(messages.people, 'en')).toBe('');
    expect(translate(messages.people, 'zh')).toBe('人');
  });

  it('leaves unknown placeholders and unknown keys visible', () => {
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    const t = makeTranslator(messages as Messages, 'zh');
    expect(t('nope')).toBe('nope');
  });

  it('formats numbers with grouping and a dash for missing values', () => {
    expect(formatNumber(1234567, 'zh')).toBe('1,234,567');
    expect(formatNumber(1234.567, 'en', 2)).toBe('1,234.57');
    expect(formatNumber(null, 'zh')).toBe('—');
  });

  it('lists placeholders', () => {
    expect(placeholders('批次 #{run} · {source}')).toEqual(['run', 'source']);
  });
});

describe('every dictionary of the app', () => {
  const modules = import.meta.glob<Record<string, Messages>>(['./messages.ts', '../pages/*/messages.ts'], {
    eager: true,
  });

  it('is found', () => {
    expect(Object.keys(modules).length).toBeGreaterThanOrEqual(5);
  });

  for (const [file, mod] of Object.entries(modules)) {
    for (const [name, dictionary] of Object.entries(mod)) {
      it(`${file} ${name}: Chinese everywhere, the same placeholders in both languages`, () => {
        for (const [key, entry] of Object.entries(dictionary)) {
          expect(entry.zh.trim(), `${key} has no Chinese`).not.toBe('');
          expect(typeof entry.en, `${key} has no English`).toBe('string');
          expect(placeholders(entry.en), `${key} placeholders`).toEqual(placeholders(entry.zh));
        }
      });
    }
  }
});
