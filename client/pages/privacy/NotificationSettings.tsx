// Notification settings in the privacy centre: per type, in the app or not, and e-mail off (the default),
// instant or a daily digest. Each e-mail change is a consent, recorded in the ledger by the server.
import { useEffect, useState } from 'preact/hooks';
import { NOTIFICATION_TYPES, type EmailFrequency, type NotificationSettings, type NotificationType } from '../../../shared/notifications';
import { api } from '../../api';
import { Icon } from '../../components/Icon';
import { ErrorNotice, FormError, Loading } from '../../components/States';

const LABELS: Record<NotificationType, string> = {
  reply: 'Replies to my posts',
  mention: 'Mentions of me',
  like: 'Likes of my posts',
  join_request: 'Requests to join my groups',
  join_approved: 'My join requests approved',
  invited: 'Invitations to groups',
  post_hidden: 'My posts hidden by a moderator',
  post_restored: 'My posts restored',
  report_resolved: 'Decisions on my reports',
  role_changed: 'Changes of my roles',
  disclosure: 'Disclosures of my posts',
};

export function NotificationSettingsSection() {
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setError(null);
    api.notificationSettings().then(setSettings, setError);
  }, [attempt]);

  const change = async (type: NotificationType, value: { inApp?: boolean; email?: EmailFrequency }) => {
    setSaving(true);
    setSaveError(null);
    try {
      setSettings(await api.setNotificationSettings({ [type]: value }));
    } catch (putError) {
      setSaveError(putError);
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="card privacy-section" aria-labelledby="notification-settings-title">
      <h2 id="notification-settings-title">
        <Icon name="bell" /> Notifications
      </h2>
      <p>E-mail is off until you turn it on for a kind of notification; each change goes into your consent history.</p>
      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !settings ? (
        <Loading label="Loading your notification settings…" />
      ) : (
        <table class="notification-settings">
          <thead>
            <tr>
              <th scope="col">Notification</th>
              <th scope="col">In the forum</th>
              <th scope="col">By e-mail</th>
            </tr>
          </thead>
          <tbody>
            {NOTIFICATION_TYPES.map((type) => (
              <tr key={type}>
                <th scope="row">{LABELS[type]}</th>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${LABELS[type]} in the forum`}
                    checked={settings[type].inApp}
                    disabled={saving}
                    onChange={(event) => void change(type, { inApp: event.currentTarget.checked })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`${LABELS[type]} by e-mail`}
                    value={settings[type].email}
                    disabled={saving}
                    onChange={(event) => void change(type, { email: event.currentTarget.value as EmailFrequency })}
                  >
                    <option value="off">Off</option>
                    <option value="instant">At once</option>
                    <option value="daily">Daily digest</option>
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError error={saveError} />
    </section>
  );
}
