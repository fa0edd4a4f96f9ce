// Where a marketing message's unsubscribe link leads. It asks for one click rather than acting on page load,
// so mail scanners that open links cannot change anyone's preferences.
import { useState } from 'preact/hooks';
import type { ContactChannel } from '../../../shared/api';
import { api } from '../../api';
import { useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { FormError } from '../../components/States';
import { useLocation } from '../../router';

const CHANNEL_NAMES: Record<ContactChannel, string> = {
  email: 'e-mail',
  sms: 'text messages',
  whatsapp: 'WhatsApp messages',
  phone: 'phone calls',
  post: 'letters by post',
};

export function Unsubscribe() {
  useTitle('Unsubscribe');
  const token = useLocation().search.get('token') ?? '';
  const [busy, setBusy] = useState(false);
  const [channel, setChannel] = useState<ContactChannel | null>(null);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      setChannel((await api.unsubscribe(token)).channel);
    } catch (unsubscribeError) {
      setError(unsubscribeError);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="page page-narrow">
      <div class="card form">
        <span class="state-icon">
          <Icon name="shield" />
        </span>
        <h1>Unsubscribe</h1>
        {!token ? (
          <p role="alert">This link is incomplete. Please open the full link from the message you received.</p>
        ) : channel ? (
          <p role="status">Done: we will not contact you by {CHANNEL_NAMES[channel]} again unless you opt in from your privacy settings.</p>
        ) : (
          <>
            <p>Stop receiving news and announcements through the channel this message came by. Nothing else about your account changes.</p>
            <FormError error={error} />
            <button class="button button-primary" type="button" onClick={confirm} disabled={busy}>
              {busy ? 'Unsubscribing…' : 'Unsubscribe'}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
