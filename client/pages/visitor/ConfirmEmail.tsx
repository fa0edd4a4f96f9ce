// Where the link sent to a new e-mail address leads; the server only accepts it from the account that asked.
import { api } from '../../api';
import { LinkConfirmation } from '../../components/LinkConfirmation';
import { session } from '../../session';
import { currentTranslator, useT } from '../../i18n';

export function ConfirmEmail() {
  const t = useT();
  return (
    <LinkConfirmation
      title={t.t('visitor.confirmEmail.title')}
      buttonLabel={t.t('visitor.confirmEmail.button')}
      busyLabel={t.t('visitor.confirming')}
      confirm={async (token) => {
        const me = await api.confirmEmailChange(token);
        session.update(me);
        return currentTranslator().t('visitor.confirmEmail.done', { email: me.email });
      }}
    >
      <p>{t.t('visitor.confirmEmail.intro')}</p>
    </LinkConfirmation>
  );
}
