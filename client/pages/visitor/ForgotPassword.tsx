// "Forgot password?": asks for a reset link. The answer is the same whether or not the address has an account.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { CheckEmail } from '../../components/CheckEmail';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { FormError } from '../../components/States';
import { useT } from '../../i18n';

export function ForgotPassword() {
  const t = useT();
  useTitle(t.t('visitor.forgot.title'));
  const [email, setEmail] = useState('');
  const [sentTo, setSentTo] = useState<string | null>(null);
  const { busy, error, handleSubmit } = useAction();
  const submit = handleSubmit(async () => {
    await api.requestPasswordReset(email.trim());
    setSentTo(email.trim());
  });

  if (sentTo !== null) {
    return (
      <CheckEmail title={t.t('visitor.checkEmail.title')} resend={() => api.requestPasswordReset(sentTo)}>
        <p>{t.rich('visitor.forgot.sent', { email: sentTo, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      </CheckEmail>
    );
  }
  return (
    <div class="page page-narrow">
      <form class="card form" onSubmit={submit} noValidate>
        <h1>{t.t('visitor.forgot.heading')}</h1>
        <p class="form-intro">{t.t('visitor.forgot.intro')}</p>
        <FormError error={error && !fieldError(error, 'email') ? error : null} />
        <Field id="forgot-email" label={t.t('visitor.field.email')} error={fieldError(error, 'email')}>
          {(describedBy, invalid) => (
            <input id="forgot-email" type="email" autoComplete="email" required value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setEmail(event.currentTarget.value)} />
          )}
        </Field>
        <button class="button button-primary button-block" type="submit" disabled={busy}>
          {t.t(busy ? 'common.checkEmail.sending' : 'visitor.forgot.submit')}
        </button>
        <p class="form-footer">
          {t.rich('visitor.forgot.remembered', { link: (chunks) => <a href="/signin">{chunks}</a> })}
        </p>
      </form>
    </div>
  );
}
