/**
 * The chosen language for the React tree: saved in localStorage when the user
 * picks one, and mirrored to `<html lang>` so screen readers and fonts follow.
 */
import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { chooseLang, MESSAGES, type Lang, type Messages } from '../i18n';
import { PREF_KEYS, readPref, writePref } from '../prefs';

interface I18nValue {
  lang: Lang;
  t: Messages;
  setLang: (lang: Lang) => void;
}

const I18nContext = createContext<I18nValue | null>(null);

export function initialLang(): Lang {
  return chooseLang(readPref(PREF_KEYS.lang), globalThis.navigator?.language);
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo<I18nValue>(
    () => ({
      lang,
      t: MESSAGES[lang],
      setLang: (next) => {
        writePref(PREF_KEYS.lang, next);
        setLangState(next);
      },
    }),
    [lang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n needs an <I18nProvider> above it');
  return value;
}
