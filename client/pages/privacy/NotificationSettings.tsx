// Notification settings in the privacy centre: per type, in the app or not, and e-mail off (the default),
// instant or a daily digest. Each e-mail change is a consent, recorded in the ledger by the server.
import { useEffect, useState } from 'preact/hooks';
import { NOTIFICATION_TYPES, type EmailFrequency, type NotificationSettings, type NotificationType } from '../../../shared/notifications';
import { api } from '../../api';
import { Icon } from '../../components/Icon';
import { ErrorNotice, FormError, Loading } from '../../components/States';
import { useT } from '../../i18n';

export function NotificationSettingsSection() {
  const [settings, setSettings] = useState<NotificationSettings | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saveError, setSaveError] = useState<unknown>(null);
  const [saving, setSaving] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const t = useT();
  const label = (type: NotificationType) => t.t(`privacy.notifications.type.${type}`);

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
        <Icon name="bell" /> {t.t('privacy.notifications.title')}
      </h2>
      <p>{t.t('privacy.notifications.body')}</p>
      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !settings ? (
        <Loading label={t.t('privacy.notifications.loading')} />
      ) : (
        <table class="notification-settings">
          <thead>
            <tr>
              <th scope="col">{t.t('privacy.notifications.col.type')}</th>
              <th scope="col">{t.t('privacy.notifications.col.inApp')}</th>
              <th scope="col">{t.t('privacy.notifications.col.email')}</th>
            </tr>
          </thead>
          <tbody>
            {NOTIFICATION_TYPES.map((type) => (
              <tr key={type}>
                <th scope="row">{label(type)}</th>
                <td>
                  <input
                    type="checkbox"
                    aria-label={t.t('privacy.notifications.inAppLabel', { type: label(type) })}
                    checked={settings[type].inApp}
                    disabled={saving}
                    onChange={(event) => void change(type, { inApp: event.currentTarget.checked })}
                  />
                </td>
                <td>
                  <select
                    aria-label={t.t('privacy.notifications.emailLabel', { type: label(type) })}
                    value={settings[type].email}
                    disabled={saving}
                    onChange={(event) => void change(type, { email: event.currentTarget.value as EmailFrequency })}
                  >
                    <option value="off">{t.t('privacy.notifications.off')}</option>
                    <option value="instant">{t.t('privacy.notifications.instant')}</option>
                    <option value="daily">{t.t('privacy.notifications.daily')}</option>
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
