// Where the link in a password-reset message leads: a new password, then signed in (everywhere else signed out).
import { useState } from 'preact/hooks';
import { ACCOUNT_LIMITS } from '../../../shared/accounts';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { FormError } from '../../components/States';
import { navigate, useLocation } from '../../router';
import { session } from '../../session';
import { useT } from '../../i18n';

export function ResetPassword() {
  const t = useT();
  useTitle(t.t('visitor.reset.title'));
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
        <h1>{t.t('visitor.reset.title')}</h1>
        {!token ? (
          <p role="alert">{t.t('common.link.incomplete')}</p>
        ) : (
          <>
            <p class="form-intro">{t.t('visitor.reset.intro')}</p>
            <FormError error={error && !fieldError(error, 'newPassword') ? error : null} />
            <Field id="reset-password" label={t.t('visitor.reset.password')} hint={t.t('visitor.reset.passwordHint', { min: ACCOUNT_LIMITS.passwordMin })} error={fieldError(error, 'newPassword')}>
              {(describedBy, invalid) => (
                <input id="reset-password" type="password" autoComplete="new-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
              )}
            </Field>
            <button class="button button-primary button-block" type="submit" disabled={busy}>
              {t.t(busy ? 'common.action.saving' : 'visitor.reset.submit')}
            </button>
          </>
        )}
        <p class="form-footer">
          {t.rich('visitor.reset.expired', { link: (chunks) => <a href="/forgot-password">{chunks}</a> })}
        </p>
      </form>
    </div>
  );
}
