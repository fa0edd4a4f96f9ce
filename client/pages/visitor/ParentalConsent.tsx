// Where the link in the parent's message leads: an explicit confirmation, so link scanners cannot consent for them.
import { api } from '../../api';
import { useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { FormError } from '../../components/States';
import { useLocation } from '../../router';

export function ParentalConsent() {
  useTitle('Parental consent');
  const token = useLocation().search.get('token') ?? '';
  const { busy, error, done, run } = useAction();

  const confirm = () => run(() => api.confirmParentalConsent(token));

  return (
    <div class="page page-narrow">
      <div class="card form">
        <span class="state-icon">
          <Icon name="shield" />
        </span>
        <h1>Parental consent</h1>
        {!token ? (
          <p role="alert">This link is incomplete. Please open the full link from the message you received.</p>
        ) : done ? (
          <p role="status">Thank you. Consent is recorded and the account is now open: your child can sign in.</p>
        ) : (
          <>
            <p>
              Someone under 18 asked to join this forum and gave your e-mail address as their parent or guardian. If you agree
              that they may have an account, confirm below. Their e-mail address, name and date of birth are never shown to
              other members.
            </p>
            <FormError error={error} />
            <button class="button button-primary" type="button" onClick={confirm} disabled={busy}>
              {busy ? 'Confirming…' : 'I agree: open the account'}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
