// Where the link in the verification message leads. The link proves the mailbox; the registration
// password proves the person who registered, so a stranger who used someone else's address never holds
// the password of an account its owner then opens. Nothing happens on page load (mail scanners open links).
import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { FormError } from '../../components/States';
import { navigate, useLocation } from '../../router';
import { session } from '../../session';

const PARENT_PENDING =
  'Your address is confirmed. Your account opens as soon as your parent or guardian agrees through the link we sent them; then sign in.';

export function VerifyEmail() {
  useTitle('Confirm your e-mail address');
  const token = useLocation().search.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [outcome, setOutcome] = useState('');
  const { busy, error, run } = useAction();

  /** Without a password the server drops the registration password and e-mails a link to choose a new one. */
  const verify = (withPassword: boolean) =>
    run(async () => {
      try {
        const result = await api.verifyEmail(token, withPassword ? password : undefined);
        session.signIn(result.token, result.user);
        navigate('/home', { replace: true });
      } catch (failure) {
        // Under 18: the address is confirmed, the parent's agreement is still missing.
        if (failure instanceof ApiError && failure.code === 'parental_consent_pending') setOutcome(PARENT_PENDING);
        else throw failure;
      }
    });

  return (
    <div class="page page-narrow">
      <form
        class="card form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          verify(true);
        }}
      >
        <span class="state-icon">
          <Icon name="shield" />
        </span>
        <h1>Confirm your e-mail address</h1>
        {!token ? (
          <p role="alert">This link is incomplete. Please open the full link from the message you received.</p>
        ) : outcome ? (
          <p role="status">{outcome}</p>
        ) : (
          <>
            <p class="form-intro">
              To open your forum account, enter the password you chose when you registered. You will be signed in on this device.
            </p>
            <FormError error={error && !fieldError(error, 'password') ? error : null} />
            <Field id="verify-password" label="Your password" error={fieldError(error, 'password')}>
              {(describedBy, invalid) => (
                <input
                  id="verify-password"
                  type="password"
                  autoComplete="current-password"
                  required
                  value={password}
                  aria-describedby={describedBy}
                  aria-invalid={invalid}
                  onInput={(event) => setPassword(event.currentTarget.value)}
                />
              )}
            </Field>
            <button class="button button-primary button-block" type="submit" disabled={busy || !password}>
              {busy ? 'Confirming…' : 'Confirm and sign in'}
            </button>
            <button class="button button-quiet button-block" type="button" disabled={busy} onClick={() => verify(false)}>
              I forgot it: confirm, and e-mail me a link to choose a new one
            </button>
            <p class="form-footer">If you did not create an account, close this page: nothing happens without it.</p>
          </>
        )}
      </form>
    </div>
  );
}
