// Registration, including the path for people under 18. It ends on "check your e-mail": the account
// opens through the link we send (and, under 18, once a parent or guardian confirms too).
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { CheckEmail } from '../../components/CheckEmail';
import { FormError } from '../../components/States';
import { ACCOUNT_LIMITS, ageOn, MINOR_AGE } from '../../../shared/accounts';

const FIELDS = ['name', 'email', 'password', 'dateOfBirth', 'parentEmail', 'acceptTerms'];

export function SignUp() {
  useTitle('Create an account');
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
      <CheckEmail title="Check your e-mail" resend={() => api.resendVerification(sent.email)}>
        <p>
          We have sent a message to <strong>{sent.email}</strong>. Open the link in it within 24 hours to confirm that the
          address is yours{sent.parentEmail ? '.' : ' and open your account.'}
        </p>
        {sent.parentEmail && (
          <>
            <p>
              Because you are under {MINOR_AGE}, there is a second step: a parent or guardian must agree. We have sent them a
              message at <strong>{sent.parentEmail}</strong> with a confirmation link.
            </p>
            <p>Your account opens once both links are used: yours and theirs. Then sign in with the password you chose.</p>
          </>
        )}
      </CheckEmail>
    );
  }

  const generalError = error && !FIELDS.some((field) => fieldError(error, field)) ? error : null;
  return (
    <div class="page page-narrow">
      <form class="card form" onSubmit={submit} noValidate>
        <h1>Create an account</h1>
        <p class="form-intro">Your e-mail address, legal name and date of birth are never shown to other people.</p>
        <FormError error={generalError} />
        <Field id="signup-name" label="Your name" hint="Shown as your display name; you can change that later." error={fieldError(error, 'name')}>
          {(describedBy, invalid) => <input id="signup-name" autoComplete="name" required value={name} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setName(event.currentTarget.value)} />}
        </Field>
        <Field id="signup-email" label="E-mail address" error={fieldError(error, 'email')}>
          {(describedBy, invalid) => (
            <input id="signup-email" type="email" autoComplete="email" required value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setEmail(event.currentTarget.value)} />
          )}
        </Field>
        <Field id="signup-password" label="Password" hint={`At least ${ACCOUNT_LIMITS.passwordMin} characters. A long passphrase is easiest to remember and hardest to guess.`} error={fieldError(error, 'password')}>
          {(describedBy, invalid) => (
            <input id="signup-password" type="password" autoComplete="new-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
          )}
        </Field>
        <Field id="signup-dob" label="Date of birth" hint="Needed to know whether a parent must agree first. Never shown to anyone." error={fieldError(error, 'dateOfBirth')}>
          {(describedBy, invalid) => (
            <input id="signup-dob" type="date" required value={dateOfBirth} max={new Date().toISOString().slice(0, 10)} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setDateOfBirth(event.currentTarget.value)} />
          )}
        </Field>
        {minor && (
          <div class="minor-box">
            <p>
              <strong>You are under {MINOR_AGE}.</strong> Your account opens after two steps: you confirm your own e-mail
              address, and a parent or guardian agrees. We will send them one message with a confirmation link, and nothing
              else.
            </p>
            <Field id="signup-parent" label="Parent or guardian's e-mail address" error={fieldError(error, 'parentEmail')}>
              {(describedBy, invalid) => (
                <input id="signup-parent" type="email" required value={parentEmail} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setParentEmail(event.currentTarget.value)} />
              )}
            </Field>
          </div>
        )}
        <div class={`field field-check${fieldError(error, 'acceptTerms') ? ' field-invalid' : ''}`}>
          <input id="signup-terms" type="checkbox" checked={acceptTerms} onChange={(event) => setAcceptTerms(event.currentTarget.checked)} />
          <label for="signup-terms">I accept the terms of use and the privacy policy.</label>
          {fieldError(error, 'acceptTerms') && <p class="field-error">{fieldError(error, 'acceptTerms')}</p>}
        </div>
        <button class="button button-primary button-block" type="submit" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </button>
        <p class="form-footer">
          Already have an account? <a href="/signin">Sign in</a>
        </p>
      </form>
    </div>
  );
}
