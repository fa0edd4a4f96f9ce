// Where the link sent to a new e-mail address leads; the server only accepts it from the account that asked.
import { api } from '../../api';
import { LinkConfirmation } from '../../components/LinkConfirmation';
import { session } from '../../session';

export function ConfirmEmail() {
  return (
    <LinkConfirmation
      title="Confirm your new e-mail address"
      buttonLabel="Use this address"
      busyLabel="Confirming…"
      confirm={async (token) => {
        const me = await api.confirmEmailChange(token);
        session.update(me);
        return `Your e-mail address is now ${me.email}. Sign in with it from now on.`;
      }}
    >
      <p>Confirm that this address is yours; your account will use it for signing in and for messages from now on.</p>
    </LinkConfirmation>
  );
}
