// Where the link in the parent's message leads: it names the child (display name only) and the
// organisation, and lets the parent agree or decline. Opening it decides nothing (mail scanners open
// links); only a click does. A link that was used, declined or has lapsed offers nothing to click.
import { useEffect, useState } from 'preact/hooks';
import type { ParentalConsentLink } from '../../../shared/api';
import { api, ApiError } from '../../api';
import { useAction, useTitle } from '../../components/Form';
import { IncompleteLink, ShieldCard } from '../../components/LinkConfirmation';
import { ErrorNotice, FormError, Loading } from '../../components/States';
import { useLocation } from '../../router';

type View =
  | { kind: 'loading' }
  | { kind: 'link'; link: ParentalConsentLink }
  | { kind: 'unusable' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'agreed' }
  | { kind: 'declined' };

export function ParentalConsent() {
  useTitle('Parental consent');
  const token = useLocation().search.get('token') ?? '';
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [confirmingDecline, setConfirmingDecline] = useState(false);
  const { busy, error, run } = useAction();

  const load = () => {
    setView({ kind: 'loading' });
    api.lookUpParentalConsent(token).then(
      (link) => setView({ kind: 'link', link }),
      (failure: unknown) => setView(failure instanceof ApiError && failure.status === 404 ? { kind: 'unusable' } : { kind: 'failed', error: failure }),
    );
  };
  /** A link used meanwhile (another tab, the other parent) shows as unusable rather than as an error. */
  const act = async (send: () => Promise<unknown>, outcome: 'agreed' | 'declined') => {
    try {
      await send();
      setView({ kind: outcome });
    } catch (failure) {
      if (failure instanceof ApiError && failure.status === 404) setView({ kind: 'unusable' });
      else throw failure;
    }
  };
  useEffect(() => {
    if (token) load();
  }, [token]);

  return (
    <ShieldCard title="Parental consent">
      {!token ? (
        <IncompleteLink />
      ) : view.kind === 'loading' ? (
        <Loading />
      ) : view.kind === 'failed' ? (
        <ErrorNotice error={view.error} onRetry={load} />
      ) : view.kind === 'unusable' ? (
        <p role="status">
          This link can no longer be used: it was already used, the account was declined, or the link expired. There is nothing
          more to do here.
        </p>
      ) : view.kind === 'agreed' ? (
        <p role="status">
          Thank you. Consent is recorded. Your child can sign in once they have also confirmed their own e-mail address through the
          link we sent them.
        </p>
      ) : view.kind === 'declined' ? (
        <p role="status">You declined. The account is being erased, with everything that was recorded about it.</p>
      ) : view.link.state === 'confirmed' ? (
        <p role="status">
          You have already agreed that <strong>{view.link.child.displayName}</strong> may have an account on the forum of{' '}
          {view.link.organisation.name}. There is nothing more to do here.
        </p>
      ) : (
        <>
          <p>
            Someone under 18 asked to join the forum of <strong>{view.link.organisation.name}</strong> as{' '}
            <strong>{view.link.child.displayName}</strong> and gave your e-mail address as their parent or guardian.
          </p>
          <p>
            If you agree that they may have an account, confirm below. If you decline, the account is erased at once. Their e-mail
            address, name and date of birth are never shown to other members.
          </p>
          <FormError error={error} />
          {confirmingDecline ? (
            <>
              <p role="alert">Decline and erase the account of {view.link.child.displayName}? This cannot be undone.</p>
              <div class="hero-actions">
                <button
                  class="button button-danger"
                  type="button"
                  disabled={busy}
                  onClick={() => run(() => act(() => api.declineParentalConsent(token), 'declined'))}
                >
                  {busy ? 'Erasing…' : 'Yes, decline and erase'}
                </button>
                <button class="button button-quiet" type="button" disabled={busy} onClick={() => setConfirmingDecline(false)}>
                  Cancel
                </button>
              </div>
            </>
          ) : (
            <div class="hero-actions">
              <button
                class="button button-primary"
                type="button"
                disabled={busy}
                onClick={() => run(() => act(() => api.confirmParentalConsent(token), 'agreed'))}
              >
                {busy ? 'Confirming…' : 'I agree: open the account'}
              </button>
              <button class="button" type="button" disabled={busy} onClick={() => setConfirmingDecline(true)}>
                Decline
              </button>
            </div>
          )}
        </>
      )}
    </ShieldCard>
  );
}
