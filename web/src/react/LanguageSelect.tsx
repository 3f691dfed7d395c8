/** The language picker, shown on every screen. */
import { LANGS, MESSAGES, isLang } from '../i18n';
import { useI18n } from './I18n';

export function LanguageSelect() {
  const { lang, t, setLang } = useI18n();
  return (
    <label className="lang-select">
      <span className="visually-hidden">{t.languageLabel}</span>
      <select
        data-testid="lang-select"
        value={lang}
        onChange={(e) => {
          if (isLang(e.target.value)) setLang(e.target.value);
        }}
      >
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {MESSAGES[l].languageName}
          </option>
        ))}
      </select>
    </label>
  );
}
