// The footer's language choice. A visitor's pick is kept in this browser only; a member's is their account's
// `language` (the profile editor has the same choice), so it follows them to other devices and e-mails.
import { LANGUAGES, SUPPORTED_LANGUAGES, isSupportedLanguage } from '../../shared/i18n/languages';
import { api } from '../api';
import { chooseVisitorLanguage, useT } from '../i18n';
import { session, useSession } from '../session';

export function LanguagePicker() {
  const t = useT();
  const state = useSession();
  const choose = (value: string) => {
    if (!isSupportedLanguage(value)) return;
    if (state.status === 'user') void api.updateMe({ language: value }).then((me) => session.update(me), () => undefined);
    else void chooseVisitorLanguage(value);
  };
  return (
    <label class="language-picker">
      <span>{t.t('common.language')}</span>
      <select value={t.language} onChange={(event) => choose(event.currentTarget.value)}>
        <LanguageOptions />
      </select>
    </label>
  );
}

/** Each language named in itself, so a person finds theirs whatever the page speaks. */
export function LanguageOptions() {
  return (
    <>
      {SUPPORTED_LANGUAGES.map((language) => (
        <option key={language} value={language} lang={language}>
          {LANGUAGES[language].name}
        </option>
      ))}
    </>
  );
}
