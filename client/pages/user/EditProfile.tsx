// The viewer's own profile: display name, bio, avatar with a cropping preview, and the password.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { FormError } from '../../components/States';
import { session, useMe } from '../../session';
import { AvatarCropper } from './AvatarCropper';
import { chooseLanguage } from '../../../shared/i18n/languages';
import { LanguageOptions } from '../../components/LanguagePicker';
import { useT } from '../../i18n';

function ProfileForm() {
  const me = useMe();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [bio, setBio] = useState(me.bio);
  const { busy, error, done: saved, handleSubmit } = useAction();
  const t = useT();

  const submit = handleSubmit(async () => {
    session.update(await api.updateMe({ displayName: displayName.trim(), bio: bio.trim() }));
  });

  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="profile-form-title">
      <h2 id="profile-form-title">{t.t('member.profileForm.title')}</h2>
      <p class="form-intro">{t.t('member.profileForm.intro')}</p>
      <FormError error={fieldError(error, 'displayName') || fieldError(error, 'bio') ? null : error} />
      <Field id="me-display-name" label={t.t('member.profileForm.displayName')} error={fieldError(error, 'displayName')}>
        {(describedBy, invalid) => <input id="me-display-name" dir="auto" required value={displayName} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setDisplayName(event.currentTarget.value)} />}
      </Field>
      <Field id="me-bio" label={t.t('member.profileForm.bio')} hint={t.t('member.profileForm.bioHint')} error={fieldError(error, 'bio')}>
        {(describedBy, invalid) => <textarea id="me-bio" dir="auto" rows={3} value={bio} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setBio(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button button-primary" disabled={busy || !displayName.trim()}>
        {t.t(busy ? 'common.action.saving' : 'member.profileForm.save')}
      </button>
      {saved && (
        <p class="notice" role="status">
          {t.t('member.profileForm.saved')}
        </p>
      )}
    </form>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { busy, error, done: saved, handleSubmit } = useAction();
  const t = useT();

  const submit = handleSubmit(async () => {
    const result = await api.changePassword(current, next);
    session.signIn(result.token, result.user);
    setCurrent('');
    setNext('');
  });

  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">{t.t('visitor.field.password')}</h2>
      <FormError error={fieldError(error, 'currentPassword') || fieldError(error, 'newPassword') ? null : error} />
      <input type="text" autoComplete="username" hidden value={useMe().email} readOnly />
      <Field id="me-current-password" label={t.t('member.password.current')} error={fieldError(error, 'currentPassword')}>
        {(describedBy, invalid) => <input id="me-current-password" type="password" autoComplete="current-password" value={current} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setCurrent(event.currentTarget.value)} />}
      </Field>
      <Field id="me-new-password" label={t.t('visitor.reset.password')} error={fieldError(error, 'newPassword')}>
        {(describedBy, invalid) => <input id="me-new-password" type="password" autoComplete="new-password" value={next} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setNext(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button" disabled={busy || !current || !next}>
        {t.t(busy ? 'member.password.busy' : 'member.password.submit')}
      </button>
      {saved && (
        <p class="notice" role="status">
          {t.t('member.password.done')}
        </p>
      )}
    </form>
  );
}

function EmailForm() {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, done: sent, handleSubmit } = useAction();
  const [sentTo, setSentTo] = useState('');
  const t = useT();

  const submit = handleSubmit(async () => {
    await api.requestEmailChange(email.trim(), password);
    setSentTo(email.trim());
    setPassword('');
  });

  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="email-title">
      <h2 id="email-title">{t.t('visitor.field.email')}</h2>
      <p class="muted">{t.rich('member.email.intro', { email: useMe().email, strong: (chunks) => <strong>{chunks}</strong> })}</p>
      <FormError error={fieldError(error, 'email') || fieldError(error, 'password') ? null : error} />
      <Field id="me-new-email" label={t.t('member.email.new')} error={fieldError(error, 'email')}>
        {(describedBy, invalid) => <input id="me-new-email" type="email" autoComplete="email" value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setEmail(event.currentTarget.value)} />}
      </Field>
      <Field id="me-email-password" label={t.t('visitor.verify.password')} error={fieldError(error, 'password')}>
        {(describedBy, invalid) => <input id="me-email-password" type="password" autoComplete="current-password" value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button" disabled={busy || !email.trim() || !password}>
        {t.t(busy ? 'common.checkEmail.sending' : 'member.email.submit')}
      </button>
      {sent && (
        <p class="notice" role="status">
          {t.t('member.email.sent', { email: sentTo })}
        </p>
      )}
    </form>
  );
}

/** The language of the interface and of the e-mails this person receives; saved at once. */
function LanguageForm() {
  const me = useMe();
  const t = useT();
  const { busy, error, done: saved, run } = useAction();
  const choose = (language: string) => run(async () => session.update(await api.updateMe({ language })));
  return (
    <section class="card form form-wide" aria-labelledby="language-title">
      <h2 id="language-title">{t.t('common.language')}</h2>
      <Field id="me-language" label={t.t('member.language.label')} hint={t.t('member.language.hint')} error={fieldError(error, 'language')}>
        {(describedBy, invalid) => (
          <select id="me-language" value={chooseLanguage(me.language)} disabled={busy} aria-describedby={describedBy} aria-invalid={invalid} onChange={(event) => void choose(event.currentTarget.value)}>
            <LanguageOptions />
          </select>
        )}
      </Field>
      <FormError error={fieldError(error, 'language') ? null : error} />
      {saved && (
        <p class="notice" role="status">
          {t.t('member.language.saved')}
        </p>
      )}
    </section>
  );
}

export function EditProfile() {
  const t = useT();
  useTitle(t.t('member.profile.edit'));
  const me = useMe();
  return (
    <div class="page">
      <div class="page-heading">
        <h1 class="page-title">{t.t('member.profile.edit')}</h1>
        <a class="button button-quiet" href={`/users/${me.id}`}>
          {t.t('member.profile.view')}
        </a>
      </div>
      <section class="card form form-wide" aria-labelledby="avatar-title">
        <h2 id="avatar-title">{t.t('member.avatar.title')}</h2>
        <div class="avatar-current">
          <Avatar user={me} size="large" />
          <p class="muted">{t.t('member.avatar.intro')}</p>
        </div>
        <AvatarCropper onUploaded={(avatarUrl) => session.update({ ...me, avatarUrl })} />
      </section>
      <ProfileForm />
      <LanguageForm />
      <EmailForm />
      <PasswordForm />
      <p class="muted">{t.rich('member.profile.privateNote', { link: (chunks) => <a href="/privacy">{chunks}</a> })}</p>
    </div>
  );
}
