// Where the link in the verification message leads: one click confirms the address and signs in.
import { api, ApiError } from '../../api';
import { LinkConfirmation } from '../../components/LinkConfirmation';
import { navigate } from '../../router';
import { session } from '../../session';

export function VerifyEmail() {
  return (
    <LinkConfirmation
      title="Confirm your e-mail address"
      buttonLabel="Confirm and sign in"
      busyLabel="Confirming…"
      confirm={async (token) => {
        try {
          const result = await api.verifyEmail(token);
          session.signIn(result.token, result.user);
          navigate('/home', { replace: true });
          return 'Your address is confirmed. Welcome!';
        } catch (error) {
          // Under 18: the address is confirmed, the parent's agreement is still missing.
          if (error instanceof ApiError && error.code === 'parental_consent_pending') {
            return 'Your address is confirmed. Your account opens as soon as your parent or guardian agrees through the link we sent them; then sign in.';
          }
          throw error;
        }
      }}
    >
      <p>Confirm that this e-mail address is yours to open your forum account. You will be signed in on this device.</p>
    </LinkConfirmation>
  );
}
