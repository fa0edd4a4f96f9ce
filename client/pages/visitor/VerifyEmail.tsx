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
import { currentTranslator, useT } from '../../i18n';

export function VerifyEmail() {
  const t = useT();
  useTitle(t.t('visitor.verify.title'));
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
        if (failure instanceof ApiError && failure.code === 'parental_consent_pending') setOutcome(currentTranslator().t('visitor.verify.parentPending'));
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
        <h1>{t.t('visitor.verify.title')}</h1>
        {!token ? (
          <p role="alert">{t.t('common.link.incomplete')}</p>
        ) : outcome ? (
          <p role="status">{outcome}</p>
        ) : (
          <>
            <p class="form-intro">{t.t('visitor.verify.intro')}</p>
            <FormError error={error && !fieldError(error, 'password') ? error : null} />
            <Field id="verify-password" label={t.t('visitor.verify.password')} error={fieldError(error, 'password')}>
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
              {t.t(busy ? 'visitor.confirming' : 'visitor.verify.submit')}
            </button>
            <button class="button button-quiet button-block" type="button" disabled={busy} onClick={() => verify(false)}>
              {t.t('visitor.verify.forgot')}
            </button>
            <p class="form-footer">{t.t('visitor.verify.notMe')}</p>
          </>
        )}
      </form>
    </div>
  );
}
