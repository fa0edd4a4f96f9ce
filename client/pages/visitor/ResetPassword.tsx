// Where the link in a password-reset message leads: a new password, then signed in (everywhere else signed out).
import { useState } from 'preact/hooks';
import { ACCOUNT_LIMITS } from '../../../shared/accounts';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { FormError } from '../../components/States';
import { navigate, useLocation } from '../../router';
import { session } from '../../session';

export function ResetPassword() {
  useTitle('Set a new password');
  const token = useLocation().search.get('token') ?? '';
  const [password, setPassword] = useState('');
  const { busy, error, handleSubmit } = useAction({ busyAfterSuccess: true });
  const submit = handleSubmit(async () => {
    const result = await api.confirmPasswordReset(token, password);
    session.signIn(result.token, result.user);
    navigate('/home', { replace: true });
  });

  return (
    <div class="page page-narrow">
      <form class="card form" onSubmit={submit} noValidate>
        <h1>Set a new password</h1>
        {!token ? (
          <p role="alert">This link is incomplete. Please open the full link from the message you received.</p>
        ) : (
          <>
            <p class="form-intro">You will be signed in here and signed out on every other device.</p>
            <FormError error={error && !fieldError(error, 'newPassword') ? error : null} />
            <Field id="reset-password" label="New password" hint={`At least ${ACCOUNT_LIMITS.passwordMin} characters.`} error={fieldError(error, 'newPassword')}>
              {(describedBy, invalid) => (
                <input id="reset-password" type="password" autoComplete="new-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
              )}
            </Field>
            <button class="button button-primary button-block" type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Save and sign in'}
            </button>
          </>
        )}
        <p class="form-footer">
          Link expired? <a href="/forgot-password">Ask for a new one</a>
        </p>
      </form>
    </div>
  );
}
