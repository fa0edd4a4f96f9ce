// Where a marketing message's unsubscribe link leads; no sign-in needed.
import type { ContactChannel } from '../../../shared/api';
import { api } from '../../api';
import { LinkConfirmation } from '../../components/LinkConfirmation';
import { currentTranslator, useT } from '../../i18n';

export function Unsubscribe() {
  const t = useT();
  return (
    <LinkConfirmation
      title={t.t('visitor.unsubscribe.title')}
      buttonLabel={t.t('visitor.unsubscribe.title')}
      busyLabel={t.t('visitor.unsubscribe.busy')}
      confirm={async (token) => {
        const { channel, notifications } = await api.unsubscribe(token);
        if (notifications) return currentTranslator().t('visitor.unsubscribe.notifications');
        return currentTranslator().t('visitor.unsubscribe.done', { channel: channel satisfies ContactChannel });
      }}
    >
      <p>{t.t('visitor.unsubscribe.intro')}</p>
    </LinkConfirmation>
  );
}
