// The viewer's own profile: display name, bio, avatar with a cropping preview, and the password.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { FormError } from '../../components/States';
import { session, useMe } from '../../session';
import { AvatarCropper } from './AvatarCropper';

function ProfileForm() {
  const me = useMe();
  const [displayName, setDisplayName] = useState(me.displayName);
  const [bio, setBio] = useState(me.bio);
  const { busy, error, done: saved, handleSubmit } = useAction();

  const submit = handleSubmit(async () => {
    session.update(await api.updateMe({ displayName: displayName.trim(), bio: bio.trim() }));
  });

  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="profile-form-title">
      <h2 id="profile-form-title">Public profile</h2>
      <p class="form-intro">Everything in this section is visible to other signed-in users.</p>
      <FormError error={fieldError(error, 'displayName') || fieldError(error, 'bio') ? null : error} />
      <Field id="me-display-name" label="Display name" error={fieldError(error, 'displayName')}>
        {(describedBy, invalid) => <input id="me-display-name" required value={displayName} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setDisplayName(event.currentTarget.value)} />}
      </Field>
      <Field id="me-bio" label="Bio" hint="A sentence or two about you." error={fieldError(error, 'bio')}>
        {(describedBy, invalid) => <textarea id="me-bio" rows={3} value={bio} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setBio(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button button-primary" disabled={busy || !displayName.trim()}>
        {busy ? 'Saving…' : 'Save profile'}
      </button>
      {saved && (
        <p class="notice" role="status">
          Profile saved.
        </p>
      )}
    </form>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const { busy, error, done: saved, handleSubmit } = useAction();

  const submit = handleSubmit(async () => {
    const result = await api.changePassword(current, next);
    session.signIn(result.token, result.user);
    setCurrent('');
    setNext('');
  });

  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">Password</h2>
      <FormError error={fieldError(error, 'currentPassword') || fieldError(error, 'newPassword') ? null : error} />
      <input type="text" autoComplete="username" hidden value={useMe().email} readOnly />
      <Field id="me-current-password" label="Current password" error={fieldError(error, 'currentPassword')}>
        {(describedBy, invalid) => <input id="me-current-password" type="password" autoComplete="current-password" value={current} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setCurrent(event.currentTarget.value)} />}
      </Field>
      <Field id="me-new-password" label="New password" error={fieldError(error, 'newPassword')}>
        {(describedBy, invalid) => <input id="me-new-password" type="password" autoComplete="new-password" value={next} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setNext(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button" disabled={busy || !current || !next}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
      {saved && (
        <p class="notice" role="status">
          Password changed.
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

  const submit = handleSubmit(async () => {
    await api.requestEmailChange(email.trim(), password);
    setSentTo(email.trim());
    setPassword('');
  });

  return (
    <form class="card form form-wide" onSubmit={submit} aria-labelledby="email-title">
      <h2 id="email-title">E-mail address</h2>
      <p class="muted">
        You sign in with <strong>{useMe().email}</strong>. A new address is used only after you open the link we send to it.
      </p>
      <FormError error={fieldError(error, 'email') || fieldError(error, 'password') ? null : error} />
      <Field id="me-new-email" label="New e-mail address" error={fieldError(error, 'email')}>
        {(describedBy, invalid) => <input id="me-new-email" type="email" autoComplete="email" value={email} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setEmail(event.currentTarget.value)} />}
      </Field>
      <Field id="me-email-password" label="Your password" error={fieldError(error, 'password')}>
        {(describedBy, invalid) => <input id="me-email-password" type="password" autoComplete="current-password" value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />}
      </Field>
      <button type="submit" class="button" disabled={busy || !email.trim() || !password}>
        {busy ? 'Sending…' : 'Send confirmation link'}
      </button>
      {sent && (
        <p class="notice" role="status">
          We sent a link to {sentTo}. Open it while signed in to switch to that address.
        </p>
      )}
    </form>
  );
}

export function EditProfile() {
  useTitle('Edit profile');
  const me = useMe();
  return (
    <div class="page">
      <div class="page-heading">
        <h1 class="page-title">Edit profile</h1>
        <a class="button button-quiet" href={`/users/${me.id}`}>
          View profile
        </a>
      </div>
      <section class="card form form-wide" aria-labelledby="avatar-title">
        <h2 id="avatar-title">Avatar</h2>
        <div class="avatar-current">
          <Avatar user={me} size="large" />
          <p class="muted">Pick a picture, then zoom and move the square to frame it. Location and camera details are removed from uploads.</p>
        </div>
        <AvatarCropper onUploaded={(avatarUrl) => session.update({ ...me, avatarUrl })} />
      </section>
      <ProfileForm />
      <EmailForm />
      <PasswordForm />
      <p class="muted">
        Your e-mail address, legal name and date of birth are private. To download, restrict or erase your data, open the <a href="/privacy">privacy centre</a>.
      </p>
    </div>
  );
}
