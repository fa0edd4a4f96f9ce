import { useState } from 'preact/hooks';
import { api, ApiError } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { FormError } from '../../components/States';
import { navigate, useLocation } from '../../router';
import { session, useSession } from '../../session';
import { useT } from '../../i18n';

/** Only same-site paths may be a post-sign-in destination. */
export function safeNext(value: string | null): string {
  return value && value.startsWith('/') && !value.startsWith('//') ? value : '/home';
}

export function SignIn() {
  const t = useT();
  useTitle(t.t('common.action.signIn'));
  const { search } = useLocation();
  const state = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, handleSubmit } = useAction({ busyAfterSuccess: true });
  const resend = useAction();
  const unverified = error instanceof ApiError && error.code === 'email_unverified';
  const suspended = error instanceof ApiError && error.code === 'account_suspended';

  const submit = handleSubmit(async () => {
    const result = await api.login(email.trim(), password);
    session.signIn(result.token, result.user);
    navigate(safeNext(search.get('next')), { replace: true });
  });

  return (
    <div class="page page-narrow">
      <form class="card form" onSubmit={submit} noValidate>
        <h1>{t.t('common.action.signIn')}</h1>
        {state.status === 'visitor' && state.expired && (
          <p class="notice" role="status">
            {t.t('visitor.signIn.expired')}
          </p>
        )}
        <FormError error={error && !fieldError(error, 'email') && !fieldError(error, 'password') ? error : null} />
        <Field id="signin-email" label={t.t('visitor.field.email')} error={fieldError(error, 'email')}>
          {(describedBy, invalid) => (
            <input id="signin-email" type="email" autoComplete="email" required value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setEmail(event.currentTarget.value)} />
          )}
        </Field>
        <Field id="signin-password" label={t.t('visitor.field.password')} error={fieldError(error, 'password')}>
          {(describedBy, invalid) => (
            <input id="signin-password" type="password" autoComplete="current-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
          )}
        </Field>
        {unverified && (
          <div class="notice">
            <p>{t.t(resend.done ? 'visitor.signIn.resent' : 'visitor.signIn.lost')}</p>
            <FormError error={resend.error} />
            <button class="button" type="button" disabled={resend.busy} onClick={() => resend.run(() => api.resendVerification(email.trim()))}>
              {t.t(resend.busy ? 'common.checkEmail.sending' : 'visitor.signIn.resend')}
            </button>
          </div>
        )}
        {suspended && (
          <p class="notice">
            <a href="/account-data">{t.t('visitor.signIn.accountData')}</a>
          </p>
        )}
        <button class="button button-primary button-block" type="submit" disabled={busy}>
          {t.t(busy ? 'visitor.signIn.busy' : 'common.action.signIn')}
        </button>
        <p class="form-footer">
          <a href="/forgot-password">{t.t('visitor.signIn.forgot')}</a>
        </p>
        <p class="form-footer">
          {t.rich('visitor.signIn.newHere', { link: (chunks) => <a href="/signup">{chunks}</a> })}
        </p>
      </form>
    </div>
  );
}
