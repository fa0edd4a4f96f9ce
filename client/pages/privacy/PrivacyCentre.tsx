// The privacy centre: download everything held about you, contact preferences, restriction, and erasure.
import { useEffect, useState } from 'preact/hooks';
import { CONTACT_CHANNELS, type ContactChannel, type ContactPreferences } from '../../../shared/api';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { ErrorNotice, FormError, Loading } from '../../components/States';
import { navigate } from '../../router';
import { session, useMe } from '../../session';
import { NotificationSettingsSection } from './NotificationSettings';

const CHANNEL_LABELS: Record<ContactChannel, string> = {
  email: 'E-mail',
  sms: 'Text message (SMS)',
  whatsapp: 'WhatsApp',
  phone: 'Phone call',
  post: 'Letters by post',
};

function ExportSection() {
  const { busy, error, done, run } = useAction();
  return (
    <section class="card privacy-section" aria-labelledby="export-title">
      <h2 id="export-title">
        <Icon name="download" /> Download your data
      </h2>
      <p>
        One JSON file with everything we hold about you: your profile, your posts with their earlier versions, your likes, your
        group memberships, the consents you gave, your contact preferences, and any disclosure of your data to an authority that
        you have not been kept from knowing.
      </p>
      <button type="button" class="button button-primary" onClick={() => void run(api.downloadExport)} disabled={busy}>
        {busy ? 'Preparing your file…' : 'Download my data'}
      </button>
      <FormError error={error} />
      {done && (
        <p class="notice" role="status">
          Your file has been downloaded.
        </p>
      )}
    </section>
  );
}

function PreferencesSection() {
  const [preferences, setPreferences] = useState<ContactPreferences | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setError(null);
    api.preferences().then(setPreferences, setError);
  }, [attempt]);

  const toggle = async (channel: ContactChannel, value: boolean) => {
    if (!preferences) return;
    const before = preferences;
    const next = { ...preferences, [channel]: value };
    setPreferences(next);
    setSaving(true);
    setSaved(false);
    setSaveError(null);
    try {
      setPreferences(await api.setPreferences(next));
      setSaved(true);
    } catch (putError) {
      setPreferences(before);
      setSaveError(putError);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card privacy-section" aria-labelledby="prefs-title">
      <h2 id="prefs-title">
        <Icon name="inbox" /> How we may contact you
      </h2>
      <p>Each change is recorded with its time in your consent history, which is part of your data download.</p>
      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !preferences ? (
        <Loading label="Loading your preferences…" />
      ) : (
        <fieldset class="switches" disabled={saving}>
          <legend class="visually-hidden">Contact channels</legend>
          {CONTACT_CHANNELS.map((channel) => (
            <label class="switch" key={channel}>
              <input type="checkbox" role="switch" checked={preferences[channel]} onChange={(event) => void toggle(channel, event.currentTarget.checked)} />
              <span class="switch-track" aria-hidden="true" />
              <span>{CHANNEL_LABELS[channel]}</span>
            </label>
          ))}
        </fieldset>
      )}
      <FormError error={saveError} />
      <p class="notice-inline" role="status">
        {saving ? 'Saving…' : saved ? 'Saved.' : ''}
      </p>
    </section>
  );
}

function RestrictionSection() {
  const me = useMe();
  const { busy, error, run } = useAction();
  const change = (restricted: boolean) =>
    run(async () => {
      await api.setRestricted(restricted);
      session.update({ ...me, restricted });
    });
  return (
    <section class="card privacy-section" aria-labelledby="restrict-title">
      <h2 id="restrict-title">
        <Icon name="shield" /> Restrict processing
      </h2>
      <p>
        While processing is restricted, we send you no marketing of any kind and do not use your data for profiling. You can still
        use the forum as usual.
      </p>
      <p class="status-line" role="status">
        Processing is currently <strong>{me.restricted ? 'restricted' : 'not restricted'}</strong>.
      </p>
      <button type="button" class="button" onClick={() => void change(!me.restricted)} disabled={busy}>
        {me.restricted ? 'Lift the restriction' : 'Restrict processing'}
      </button>
      <FormError error={error} />
    </section>
  );
}

function DeleteSection() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  // Success signs out and leaves the page, so the button stays disabled on the way out.
  const { busy, error, handleSubmit } = useAction({ busyAfterSuccess: true });
  const submit = handleSubmit(async () => {
    await api.deleteAccount(password);
    session.signOut();
    navigate('/?deleted=1', { replace: true, force: true });
    // The notice is at the top of the homepage; the deletion form was far down this page.
    window.scrollTo(0, 0);
  });

  return (
    <section class="card privacy-section danger-zone" aria-labelledby="delete-title">
      <h2 id="delete-title">
        <Icon name="alert" /> Delete my account
      </h2>
      <p>Deleting your account is permanent. Before you go, you may want to download your data above. When you delete it:</p>
      <ul class="consequences">
        <li>Your profile, name, date of birth, avatar, bio and preferences are erased.</li>
        <li>Your posts and replies are deleted. Replies other people wrote to you stay, and show “Deleted account” where your name was.</li>
        <li>Your likes and group memberships are removed, and you are signed out everywhere.</li>
        <li>
          <strong>Legal holds:</strong> if a moderator has placed a legal hold covering your content (for example because of a court
          order), a preserved copy is kept, out of public view, until the hold is released. It may be disclosed to an authority as
          the hold requires.
        </li>
        <li>We keep only a salted hash of your e-mail address, so that we can honour do-not-contact; it cannot be read back.</li>
      </ul>
      {!open ? (
        <button type="button" class="button button-danger" onClick={() => setOpen(true)}>
          I want to delete my account
        </button>
      ) : (
        <form class="form" onSubmit={submit}>
          <FormError error={fieldError(error, 'password') ? null : error} />
          <Field id="delete-password" label="Your password" hint="To confirm it is really you." error={fieldError(error, 'password')}>
            {(describedBy, invalid) => (
              <input id="delete-password" type="password" autoComplete="current-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
            )}
          </Field>
          <div class="field field-check">
            <input id="delete-understood" type="checkbox" checked={understood} onChange={(event) => setUnderstood(event.currentTarget.checked)} />
            <label for="delete-understood">I understand this cannot be undone.</label>
          </div>
          <div class="panel-actions">
            <button type="button" class="button button-quiet" onClick={() => setOpen(false)} disabled={busy}>
              Keep my account
            </button>
            <button type="submit" class="button button-danger" disabled={busy || !password || !understood}>
              {busy ? 'Deleting…' : 'Delete my account permanently'}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function PrivacyCentre() {
  useTitle('Privacy centre');
  return (
    <div class="page">
      <h1 class="page-title">Privacy centre</h1>
      <p class="page-intro">
        This forum sets no cookies and runs no trackers. Your e-mail address, name, date of birth and membership status are never
        shown to other people. Here you can exercise your rights over everything else.
      </p>
      <ExportSection />
      <PreferencesSection />
      <NotificationSettingsSection />
      <RestrictionSection />
      <DeleteSection />
    </div>
  );
}
