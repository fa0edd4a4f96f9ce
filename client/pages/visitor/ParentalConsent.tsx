// Where the link in the parent's message leads.
import { api } from '../../api';
import { LinkConfirmation } from '../../components/LinkConfirmation';
import { currentTranslator, useT } from '../../i18n';
import { MINOR_AGE } from '../../../shared/accounts';

export function ParentalConsent() {
  const t = useT();
  return (
    <LinkConfirmation
      title={t.t('visitor.consent.title')}
      buttonLabel={t.t('visitor.consent.button')}
      busyLabel={t.t('visitor.confirming')}
      confirm={async (token) => {
        await api.confirmParentalConsent(token);
        return currentTranslator().t('visitor.consent.done');
      }}
    >
      <p>{t.t('visitor.consent.intro', { age: MINOR_AGE })}</p>
    </LinkConfirmation>
  );
}
