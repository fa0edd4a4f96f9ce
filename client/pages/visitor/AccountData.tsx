// A suspended account's privacy rights: with the e-mail address and password, download everything the
// forum holds about you or erase the account. The pass the server gives for this works on those two
// routes only, so it is kept in this page's memory and never becomes a session.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { ShieldCard } from '../../components/LinkConfirmation';
import { FormError } from '../../components/States';

function PassForm({ onPass }: { onPass: (pass: string) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, handleSubmit } = useAction();
  const submit = handleSubmit(async () => onPass((await api.requestPrivacyAccess(email.trim(), password)).token));
  return (
    <form class="form" onSubmit={submit} noValidate>
      <p>
        If your account is suspended, you can still download everything the forum holds about you, or erase your account. Enter
        your e-mail address and password to continue.
      </p>
      <FormError error={error && !fieldError(error, 'email') && !fieldError(error, 'password') ? error : null} />
      <Field id="data-email" label="E-mail address" error={fieldError(error, 'email')}>
        {(describedBy, invalid) => (
          <input id="data-email" type="email" autoComplete="email" required value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setEmail(event.currentTarget.value)} />
        )}
      </Field>
      <Field id="data-password" label="Password" error={fieldError(error, 'password')}>
        {(describedBy, invalid) => (
          <input id="data-password" type="password" autoComplete="current-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
        )}
      </Field>
      <button class="button button-primary button-block" type="submit" disabled={busy}>
        {busy ? 'Checking…' : 'Continue'}
      </button>
    </form>
  );
}

function DataActions({ pass, onErased }: { pass: string; onErased: () => void }) {
  const exporting = useAction();
  const erasing = useAction();
  const [password, setPassword] = useState('');
  const erase = erasing.handleSubmit(async () => {
    await api.eraseWithPass(pass, password);
    onErased();
  });
  return (
    <>
      <h2>Download your data</h2>
      <p>One JSON file with your profile, your posts with their earlier versions, your likes, your memberships and the consents you gave.</p>
      <button type="button" class="button button-primary" disabled={exporting.busy} onClick={() => void exporting.run(() => api.downloadExportWithPass(pass))}>
        {exporting.busy ? 'Preparing your file…' : 'Download my data'}
      </button>
      <FormError error={exporting.error} />
      {exporting.done && (
        <p class="notice" role="status">
          Your file has been downloaded.
        </p>
      )}
      <h2>Erase your account</h2>
      <form class="form" onSubmit={erase} noValidate>
        <p>Your profile and posts are deleted for good (except what a legal hold keeps). This cannot be undone.</p>
        <FormError error={erasing.error && !fieldError(erasing.error, 'password') ? erasing.error : null} />
        <Field id="erase-password" label="Your password, to confirm" error={fieldError(erasing.error, 'password')}>
          {(describedBy, invalid) => (
            <input id="erase-password" type="password" autoComplete="current-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
          )}
        </Field>
        <button class="button button-danger" type="submit" disabled={erasing.busy || !password}>
          {erasing.busy ? 'Erasing…' : 'Erase my account'}
        </button>
      </form>
    </>
  );
}

export function AccountData() {
  useTitle('Your data');
  const [pass, setPass] = useState<string | null>(null);
  const [erased, setErased] = useState(false);
  return (
    <ShieldCard title="Your data">
      {erased ? (
        <p role="status">Your account is being erased, with everything that was recorded about it.</p>
      ) : pass ? (
        <DataActions pass={pass} onErased={() => setErased(true)} />
      ) : (
        <PassForm onPass={setPass} />
      )}
    </ShieldCard>
  );
}
