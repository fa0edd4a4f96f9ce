// Where the link in the parent's message leads.
import { api } from '../../api';
import { LinkConfirmation } from '../../components/LinkConfirmation';

export function ParentalConsent() {
  return (
    <LinkConfirmation
      title="Parental consent"
      buttonLabel="I agree: open the account"
      busyLabel="Confirming…"
      confirm={async (token) => {
        await api.confirmParentalConsent(token);
        return 'Thank you. Consent is recorded. Your child can sign in once they have also confirmed their own e-mail address through the link we sent them.';
      }}
    >
      <p>
        Someone under 18 asked to join this forum and gave your e-mail address as their parent or guardian. If you agree that
        they may have an account, confirm below. Their e-mail address, name and date of birth are never shown to other members.
      </p>
    </LinkConfirmation>
  );
}
