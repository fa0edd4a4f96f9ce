// A suspended account's privacy rights: with the e-mail address and password, download everything the
// forum holds about you or erase the account. The pass the server gives for this works on those two
// routes only, so it is kept in this page's memory and never becomes a session.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { ShieldCard } from '../../components/LinkConfirmation';
import { FormError } from '../../components/States';
import { useT } from '../../i18n';

function PassForm({ onPass }: { onPass: (pass: string) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, handleSubmit } = useAction();
  const t = useT();
  const submit = handleSubmit(async () => onPass((await api.requestPrivacyAccess(email.trim(), password)).token));
  return (
    <form class="form" onSubmit={submit} noValidate>
      <p>{t.t('visitor.accountData.intro')}</p>
      <FormError error={error && !fieldError(error, 'email') && !fieldError(error, 'password') ? error : null} />
      <Field id="data-email" label={t.t('visitor.field.email')} error={fieldError(error, 'email')}>
        {(describedBy, invalid) => (
          <input id="data-email" type="email" autoComplete="email" required value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setEmail(event.currentTarget.value)} />
        )}
      </Field>
      <Field id="data-password" label={t.t('visitor.field.password')} error={fieldError(error, 'password')}>
        {(describedBy, invalid) => (
          <input id="data-password" type="password" autoComplete="current-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
        )}
      </Field>
      <button class="button button-primary button-block" type="submit" disabled={busy}>
        {busy ? t.t('visitor.accountData.checking') : t.t('visitor.accountData.continue')}
      </button>
    </form>
  );
}

function DataActions({ pass, onErased }: { pass: string; onErased: () => void }) {
  const exporting = useAction();
  const erasing = useAction();
  const t = useT();
  const [password, setPassword] = useState('');
  const erase = erasing.handleSubmit(async () => {
    await api.eraseWithPass(pass, password);
    onErased();
  });
  return (
    <>
      <h2>{t.t('visitor.accountData.downloadHeading')}</h2>
      <p>{t.t('visitor.accountData.downloadIntro')}</p>
      <button type="button" class="button button-primary" disabled={exporting.busy} onClick={() => void exporting.run(() => api.downloadExportWithPass(pass))}>
        {exporting.busy ? t.t('visitor.accountData.preparing') : t.t('visitor.accountData.download')}
      </button>
      <FormError error={exporting.error} />
      {exporting.done && (
        <p class="notice" role="status">
          {t.t('visitor.accountData.downloaded')}
        </p>
      )}
      <h2>{t.t('visitor.accountData.eraseHeading')}</h2>
      <form class="form" onSubmit={erase} noValidate>
        <p>{t.t('visitor.accountData.eraseIntro')}</p>
        <FormError error={erasing.error && !fieldError(erasing.error, 'password') ? erasing.error : null} />
        <Field id="erase-password" label={t.t('visitor.accountData.confirmPassword')} error={fieldError(erasing.error, 'password')}>
          {(describedBy, invalid) => (
            <input id="erase-password" type="password" autoComplete="current-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
          )}
        </Field>
        <button class="button button-danger" type="submit" disabled={erasing.busy || !password}>
          {erasing.busy ? t.t('visitor.consent.erasing') : t.t('visitor.accountData.erase')}
        </button>
      </form>
    </>
  );
}

export function AccountData() {
  const t = useT();
  useTitle(t.t('visitor.accountData.title'));
  const [pass, setPass] = useState<string | null>(null);
  const [erased, setErased] = useState(false);
  return (
    <ShieldCard title={t.t('visitor.accountData.title')}>
      {erased ? (
        <p role="status">{t.t('visitor.accountData.erased')}</p>
      ) : pass ? (
        <DataActions pass={pass} onErased={() => setErased(true)} />
      ) : (
        <PassForm onPass={setPass} />
      )}
    </ShieldCard>
  );
}
