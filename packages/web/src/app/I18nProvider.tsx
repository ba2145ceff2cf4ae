/** The UI language (Chinese by default, English on request), remembered in localStorage. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import {
  htmlLang,
  initialLang,
  makeTranslator,
  type Entry,
  type Lang,
  type Messages,
  type Translator,
} from './i18n.ts';

const STORAGE_KEY = 'tj.lang';

interface I18nValue {
  lang: Lang;
  setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18nValue>({ lang: 'zh', setLang: () => undefined });

function savedLang(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => initialLang(savedLang()));
  const setLang = useCallback((next: Lang) => {
    setLangState(next);
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      /* private mode: the choice lasts for the tab */
    }
  }, []);
  useEffect(() => {
    document.documentElement.lang = htmlLang(lang);
    dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  }, [lang]);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  return useContext(I18nContext);
}

/** A translator for one dictionary in the current language. */
export function useT<M extends Messages>(messages: M): Translator<M> {
  const { lang } = useI18n();
  return useMemo(() => makeTranslator(messages, lang), [messages, lang]);
}

/** Picks the current language from an inline pair, e.g. a menu label from the page registry. */
export function useLabel(): (entry: Entry) => string {
  const { lang } = useI18n();
  return useCallback((entry: Entry) => entry[lang] ?? entry.zh, [lang]);
}
