// "Forgot password?": asks for a reset link. The answer is the same whether or not the address has an account.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { CheckEmail } from '../../components/CheckEmail';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { FormError } from '../../components/States';

export function ForgotPassword() {
  useTitle('Forgot password');
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, handleSubmit } = useAction();
  const submit = handleSubmit(async () => {
    await api.requestPasswordReset(email.trim());
    setSentTo(email.trim());
  });

  if (sentTo !== null) {
    return (
      <CheckEmail title="Check your e-mail" resend={() => api.requestPasswordReset(sentTo)}>
        <p>
          If <strong>{sentTo}</strong> belongs to an account, we have sent it a link to set a new password. The link works
          for one hour and only once. It also lifts any sign-in block on the account.
        </p>
      </CheckEmail>
    );
  }
  return (
    <div class="page page-narrow">
      <form class="card form" onSubmit={submit} noValidate>
        <h1>Forgot your password?</h1>
        <p class="form-intro">Give the e-mail address of your account and we will send you a link to set a new password.</p>
        <FormError error={error && !fieldError(error, 'email') ? error : null} />
        <Field id="forgot-email" label="E-mail address" error={fieldError(error, 'email')}>
          {(describedBy, invalid) => (
            <input id="forgot-email" type="email" autoComplete="email" required value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setEmail(event.currentTarget.value)} />
          )}
        </Field>
        <button class="button button-primary button-block" type="submit" disabled={busy}>
          {busy ? 'Sending…' : 'Send me a link'}
        </button>
        <p class="form-footer">
          Remembered it? <a href="/signin">Sign in</a>
        </p>
      </form>
    </div>
  );
}
