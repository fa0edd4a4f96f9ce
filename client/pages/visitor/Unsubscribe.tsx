// Where a marketing message's unsubscribe link leads; no sign-in needed.
import type { ContactChannel } from '../../../shared/api';
import { api } from '../../api';
import { LinkConfirmation } from '../../components/LinkConfirmation';

const CHANNEL_NAMES: Record<ContactChannel, string> = {
  email: 'e-mail',
  sms: 'text messages',
  whatsapp: 'WhatsApp messages',
  phone: 'phone calls',
  post: 'letters by post',
};

export function Unsubscribe() {
  return (
    <LinkConfirmation
      title="Unsubscribe"
      buttonLabel="Unsubscribe"
      busyLabel="Unsubscribing…"
      confirm={async (token) => {
        const { channel, notifications } = await api.unsubscribe(token);
        if (notifications) return 'Done: these notifications will no longer come by e-mail. You can turn them back on in your privacy settings.';
        return `Done: we will not contact you by ${CHANNEL_NAMES[channel]} again unless you opt in from your privacy settings.`;
      }}
    >
      <p>Stop receiving news and announcements through the channel this message came by. Nothing else about your account changes.</p>
    </LinkConfirmation>
  );
}
