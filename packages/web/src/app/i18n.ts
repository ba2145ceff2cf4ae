/**
 * UI strings in Chinese first, English second. Each page keeps its own dictionary next to its
 * code (`defineMessages`), so a new capability adds its strings without touching the others.
 * Pure functions only; the React side is in I18nProvider.tsx.
 */

export const LANGS = ['zh', 'en'] as const;
export type Lang = (typeof LANGS)[number];
export const DEFAULT_LANG: Lang = 'zh';

/** One UI string in both languages. */
export interface Entry {
  readonly zh: string;
  readonly en: string;
}
export type Messages = Readonly<Record<string, Entry>>;
export type Params = Readonly<Record<string, string | number>>;

/** Declares a dictionary; `const` keeps the keys literal so `t('typo')` fails to compile. */
export function defineMessages<const M extends Messages>(messages: M): M {
  return messages;
}

/** Fills `{name}` placeholders; an unknown placeholder stays visible rather than vanishing. */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The entry in `lang`. An empty string is meant (e.g. no unit word after a number in English). */
export function translate(entry: Entry, lang: Lang, params?: Params): string {
  return interpolate(entry[lang] ?? entry.zh, params);
}

/** The `{name}` placeholders of a template, sorted: both languages of an entry must use the same. */
export function placeholders(template: string): string[] {
  return [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

export type Translator<M extends Messages> = (key: keyof M & string, params?: Params) => string;

export function makeTranslator<M extends Messages>(messages: M, lang: Lang): Translator<M> {
  return (key, params) => {
    const entry = messages[key];
    // Keys are checked at compile time; at run time a missing one shows itself, not an empty label.
    return entry ? translate(entry, lang, params) : key;
  };
}

/** The saved choice if it is a language we have, else Chinese. */
export function initialLang(saved: string | null | undefined): Lang {
  return (LANGS as readonly string[]).includes(saved ?? '') ? (saved as Lang) : DEFAULT_LANG;
}

/** Numbers with the language's grouping: 12,345 (both locales group by thousands). */
export function formatNumber(n: number | null | undefined, lang: Lang, maximumFractionDigits = 0): string {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  return n.toLocaleString(lang === 'zh' ? 'zh-CN' : 'en-US', { maximumFractionDigits });
}

/** The HTML lang attribute for a UI language. */
export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-CN' : 'en';
}
