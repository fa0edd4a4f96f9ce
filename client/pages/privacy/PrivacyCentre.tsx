// The privacy centre: download everything held about you, contact preferences, restriction, requests to
// consent for a child, and erasure.
import { useEffect, useState } from 'preact/hooks';
import { MINOR_AGE } from '../../../shared/accounts';
import { CONTACT_CHANNELS, type ContactChannel, type ContactPreferences } from '../../../shared/api';
import type { ParentalConsentRequests } from '../../../shared/privacy';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { ErrorNotice, FormError, Loading } from '../../components/States';
import { useT } from '../../i18n';
import { navigate } from '../../router';
import { session, useMe } from '../../session';
import { NotificationSettingsSection } from './NotificationSettings';

function ExportSection() {
  const { busy, error, done, run } = useAction();
  const t = useT();
  return (
    <section class="card privacy-section" aria-labelledby="export-title">
      <h2 id="export-title">
        <Icon name="download" /> {t.t('privacy.export.title')}
      </h2>
      <p>{t.t('privacy.export.body')}</p>
      <button type="button" class="button button-primary" onClick={() => void run(api.downloadExport)} disabled={busy}>
        {busy ? t.t('privacy.export.preparing') : t.t('privacy.export.button')}
      </button>
      <FormError error={error} />
      {done && (
        <p class="notice" role="status">
          {t.t('privacy.export.done')}
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
  const t = useT();

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
        <Icon name="inbox" /> {t.t('privacy.prefs.title')}
      </h2>
      <p>{t.t('privacy.prefs.body')}</p>
      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !preferences ? (
        <Loading label={t.t('privacy.prefs.loading')} />
      ) : (
        <fieldset class="switches" disabled={saving}>
          <legend class="visually-hidden">{t.t('privacy.prefs.legend')}</legend>
          {CONTACT_CHANNELS.map((channel) => (
            <label class="switch" key={channel}>
              <input type="checkbox" role="switch" checked={preferences[channel]} onChange={(event) => void toggle(channel, event.currentTarget.checked)} />
              <span class="switch-track" aria-hidden="true" />
              <span>{t.t(`privacy.channel.${channel}`)}</span>
            </label>
          ))}
        </fieldset>
      )}
      <FormError error={saveError} />
      <p class="notice-inline" role="status">
        {saving ? t.t('privacy.prefs.saving') : saved ? t.t('privacy.prefs.saved') : ''}
      </p>
    </section>
  );
}

function RestrictionSection() {
  const me = useMe();
  const t = useT();
  const { busy, error, run } = useAction();
  const change = (restricted: boolean) =>
    run(async () => {
      await api.setRestricted(restricted);
      session.update({ ...me, restricted });
    });
  return (
    <section class="card privacy-section" aria-labelledby="restrict-title">
      <h2 id="restrict-title">
        <Icon name="shield" /> {t.t('privacy.restrict.title')}
      </h2>
      <p>{t.t('privacy.restrict.body')}</p>
      <p class="status-line" role="status">
        {t.rich('privacy.restrict.status', { restricted: me.restricted ? 'yes' : 'no', strong: (chunks) => <strong>{chunks}</strong> })}
      </p>
      <button type="button" class="button" onClick={() => void change(!me.restricted)} disabled={busy}>
        {me.restricted ? t.t('privacy.restrict.lift') : t.t('privacy.restrict.button')}
      </button>
      <FormError error={error} />
    </section>
  );
}

/** Where a parent who declined a child's registration (or anyone) allows or refuses such requests. */
function ParentalConsentRequestsSection() {
  const t = useT();
  const [state, setState] = useState<ParentalConsentRequests | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const { busy, error, run } = useAction();

  useEffect(() => {
    setLoadError(null);
    api.parentalConsentRequests().then(setState, setLoadError);
  }, [attempt]);

  return (
    <section class="card privacy-section" aria-labelledby="parent-requests-title">
      <h2 id="parent-requests-title">
        <Icon name="users" /> {t.t('privacy.parentRequests.title')}
      </h2>
      <p>{t.t('privacy.parentRequests.body', { age: MINOR_AGE })}</p>
      {loadError ? (
        <ErrorNotice error={loadError} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !state ? (
        <Loading />
      ) : (
        <>
          <p class="status-line" role="status">
            {t.rich('privacy.parentRequests.status', { refused: state.refused ? 'yes' : 'no', strong: (chunks) => <strong>{chunks}</strong> })}
          </p>
          <button type="button" class="button" disabled={busy} onClick={() => void run(async () => setState(await api.setParentalConsentRequests(!state.refused)))}>
            {state.refused ? t.t('privacy.parentRequests.allow') : t.t('privacy.parentRequests.refuse')}
          </button>
        </>
      )}
      <FormError error={error} />
    </section>
  );
}

function DeleteSection() {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [understood, setUnderstood] = useState(false);
  const t = useT();
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
        <Icon name="alert" /> {t.t('privacy.delete.title')}
      </h2>
      <p>{t.t('privacy.delete.intro')}</p>
      <ul class="consequences">
        <li>{t.t('privacy.delete.profile')}</li>
        <li>{t.t('privacy.delete.posts')}</li>
        <li>{t.t('privacy.delete.likes')}</li>
        <li>{t.rich('privacy.delete.holds', { strong: (chunks) => <strong>{chunks}</strong> })}</li>
        <li>{t.t('privacy.delete.hash')}</li>
      </ul>
      {!open ? (
        <button type="button" class="button button-danger" onClick={() => setOpen(true)}>
          {t.t('privacy.delete.open')}
        </button>
      ) : (
        <form class="form" onSubmit={submit}>
          <FormError error={fieldError(error, 'password') ? null : error} />
          <Field id="delete-password" label={t.t('privacy.delete.password')} hint={t.t('privacy.delete.passwordHint')} error={fieldError(error, 'password')}>
            {(describedBy, invalid) => (
              <input id="delete-password" type="password" autoComplete="current-password" required value={password} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setPassword(event.currentTarget.value)} />
            )}
          </Field>
          <div class="field field-check">
            <input id="delete-understood" type="checkbox" checked={understood} onChange={(event) => setUnderstood(event.currentTarget.checked)} />
            <label for="delete-understood">{t.t('privacy.delete.understood')}</label>
          </div>
          <div class="panel-actions">
            <button type="button" class="button button-quiet" onClick={() => setOpen(false)} disabled={busy}>
              {t.t('privacy.delete.keep')}
            </button>
            <button type="submit" class="button button-danger" disabled={busy || !password || !understood}>
              {busy ? t.t('privacy.delete.deleting') : t.t('privacy.delete.confirm')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export function PrivacyCentre() {
  const t = useT();
  useTitle(t.t('privacy.title'));
  return (
    <div class="page">
      <h1 class="page-title">{t.t('privacy.title')}</h1>
      <p class="page-intro">{t.t('privacy.intro')}</p>
      <ExportSection />
      <PreferencesSection />
      <NotificationSettingsSection />
      <RestrictionSection />
      <ParentalConsentRequestsSection />
      <DeleteSection />
    </div>
  );
}
