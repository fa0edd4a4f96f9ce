// Registration, including the path for people under 18. It ends on "check your e-mail": the account
// opens through the link we send (and, under 18, once a parent or guardian confirms too).
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { CheckEmail } from '../../components/CheckEmail';
import { FormError } from '../../components/States';
import { ACCOUNT_LIMITS, ageOn, MINOR_AGE } from '../../../shared/accounts';
import { useT } from '../../i18n';

const FIELDS = ['name', 'email', 'password', 'dateOfBirth', 'parentEmail', 'acceptTerms'];

export function SignUp() {
  const t = useT();
  useTitle(t.t('common.action.createAccount'));
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [dateOfBirth, setDateOfBirth] = useState('');
  const [parentEmail, setParentEmail] = useState('');
  const [acceptTerms, setAcceptTerms] = useState(false);
  const { busy, error, handleSubmit } = useAction();
  const [sent, setSent] = useState<{ email: string; parentEmail: string | null } | null>(null);

  const invitation = new URLSearchParams(location.search).get('invitation');
  const minor = /^\d{4}-\d{2}-\d{2}$/.test(dateOfBirth) && ageOn(dateOfBirth, new Date()) < MINOR_AGE;

  const submit = handleSubmit(async () => {
    await api.register({
      name: name.trim(),
      email: email.trim(),
      password,
      dateOfBirth,
      acceptTerms: acceptTerms as true,
      ...(minor ? { parentEmail: parentEmail.trim() } : {}),
      // An invitation link (`/signup?invitation=…`) admits its holder when registration is by invitation.
      ...(invitation ? { invitation } : {}),
    });
    setSent({ email: email.trim(), parentEmail: minor ? parentEmail.trim() : null });
  });

  if (sent !== null) {
    return (
      <CheckEmail title={t.t('visitor.checkEmail.title')} resend={() => api.resendVerification(sent.email)}>
        <p>
          {t.rich(sent.parentEmail ? 'visitor.signUp.sentMinor' : 'visitor.signUp.sent', {
            email: sent.email,
            strong: (chunks) => <strong>{chunks}</strong>,
          })}
        </p>
        {sent.parentEmail && (
          <>
            <p>{t.rich('visitor.signUp.parentSent', { age: MINOR_AGE, email: sent.parentEmail, strong: (chunks) => <strong>{chunks}</strong> })}</p>
            <p>{t.t('visitor.signUp.bothLinks')}</p>
          </>
        )}
      </CheckEmail>
    );
  }

  const generalError = error && !FIELDS.some((field) => fieldError(error, field)) ? error : null;
  return (
    <div class="page page-narrow">
      <form class="card form" onSubmit={submit} noValidate>
        <h1>{t.t('common.action.createAccount')}</h1>
        <p class="form-intro">{t.t('visitor.signUp.intro')}</p>
        <FormError error={generalError} />
        <Field id="signup-name" label={t.t('visitor.signUp.name')} hint={t.t('visitor.signUp.nameHint')} error={fieldError(error, 'name')}>
          {(describedBy, invalid) => <input id="signup-name" autoComplete="name" required value={name} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setName(event.currentTarget.value)} />}
        </Field>
        <Field id="signup-email" label={t.t('visitor.field.email')} error={fieldError(error, 'email')}>
          {(describedBy, invalid) => (
            <input id="signup-email" type="email" autoComplete="email" required value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setEmail(event.currentTarget.value)} />
          )}
        </Field>
        <Field id="signup-password" label={t.t('visitor.field.password')} hint={t.t('visitor.signUp.passwordHint', { min: ACCOUNT_LIMITS.passwordMin })} error={fieldError(error, 'password')}>
          {(describedBy, invalid) => (
            <input id="signup-password" type="password" autoComplete="new-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
          )}
        </Field>
        <Field id="signup-dob" label={t.t('visitor.signUp.dob')} hint={t.t('visitor.signUp.dobHint')} error={fieldError(error, 'dateOfBirth')}>
          {(describedBy, invalid) => (
            <input id="signup-dob" type="date" required value={dateOfBirth} max={new Date().toISOString().slice(0, 10)} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setDateOfBirth(event.currentTarget.value)} />
          )}
        </Field>
        {minor && (
          <div class="minor-box">
            <p>{t.rich('visitor.signUp.minor', { age: MINOR_AGE, strong: (chunks) => <strong>{chunks}</strong> })}</p>
            <Field id="signup-parent" label={t.t('visitor.signUp.parentEmail')} error={fieldError(error, 'parentEmail')}>
              {(describedBy, invalid) => (
                <input id="signup-parent" type="email" required value={parentEmail} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setParentEmail(event.currentTarget.value)} />
              )}
            </Field>
          </div>
        )}
        <div class={`field field-check${fieldError(error, 'acceptTerms') ? ' field-invalid' : ''}`}>
          <input id="signup-terms" type="checkbox" checked={acceptTerms} onChange={(event) => setAcceptTerms(event.currentTarget.checked)} />
          <label for="signup-terms">{t.t('visitor.signUp.terms')}</label>
          {fieldError(error, 'acceptTerms') && <p class="field-error">{fieldError(error, 'acceptTerms')}</p>}
        </div>
        <button class="button button-primary button-block" type="submit" disabled={busy}>
          {t.t(busy ? 'visitor.signUp.busy' : 'visitor.signUp.submit')}
        </button>
        <p class="form-footer">
          {t.rich('visitor.signUp.haveAccount', { link: (chunks) => <a href="/signin">{chunks}</a> })}
        </p>
      </form>
    </div>
  );
}
