// Where the link sent to a new e-mail address leads; the server only accepts it from the account that asked.
import { useState } from 'preact/hooks';
import { api } from '../../api';
import { useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { FormError } from '../../components/States';
import { useLocation } from '../../router';
import { session } from '../../session';

export function ConfirmEmail() {
  useTitle('Confirm your new e-mail address');
  const token = useLocation().search.get('token') ?? '';
  const [busy, setBusy] = useState(false);
  const [email, setEmail] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const confirm = async () => {
    setBusy(true);
    setError(null);
    try {
      const me = await api.confirmEmailChange(token);
      session.update(me);
      setEmail(me.email);
    } catch (confirmError) {
      setError(confirmError);
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
        <h1>Confirm your new e-mail address</h1>
        {!token ? (
          <p role="alert">This link is incomplete. Please open the full link from the message you received.</p>
        ) : email ? (
          <p role="status">Your e-mail address is now {email}. Sign in with it from now on.</p>
        ) : (
          <>
            <p>Confirm that this address is yours; your account will use it for signing in and for messages from now on.</p>
            <FormError error={error} />
            <button class="button button-primary" type="button" onClick={confirm} disabled={busy}>
              {busy ? 'Confirming…' : 'Use this address'}
            </button>
          </>
        )}
      </div>
    </div>
  );
}
