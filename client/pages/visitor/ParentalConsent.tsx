// Where the link in the parent's message leads: it names the child (display name only) and the
// organisation, and lets the parent agree or decline. Opening it decides nothing (mail scanners open
// links); only a click does. A link that was used, declined or has lapsed offers nothing to click.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ParentalConsentLink } from '../../../shared/api';
import { api, ApiError } from '../../api';
import { useAction, useTitle } from '../../components/Form';
import { IncompleteLink, ShieldCard } from '../../components/LinkConfirmation';
import { ErrorNotice, FormError, Loading } from '../../components/States';
import { useLocation } from '../../router';
import { useT } from '../../i18n';
import { MINOR_AGE } from '../../../shared/accounts';

/** Names in bold, isolated so a right-to-left name does not reorder the sentence around it. */
const strong = (chunks: ComponentChildren[]) => (
  <strong>
    <bdi>{chunks}</bdi>
  </strong>
);

type View =
  | { kind: 'loading' }
  | { kind: 'link'; link: ParentalConsentLink }
  | { kind: 'unusable' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'agreed' }
  | { kind: 'declined' };

export function ParentalConsent() {
  const t = useT();
  useTitle(t.t('visitor.consent.title'));
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
    <ShieldCard title={t.t('visitor.consent.title')}>
      {!token ? (
        <IncompleteLink />
      ) : view.kind === 'loading' ? (
        <Loading />
      ) : view.kind === 'failed' ? (
        <ErrorNotice error={view.error} onRetry={load} />
      ) : view.kind === 'unusable' ? (
        <p role="status">{t.t('visitor.consent.unusable')}</p>
      ) : view.kind === 'agreed' ? (
        <p role="status">{t.t('visitor.consent.done')}</p>
      ) : view.kind === 'declined' ? (
        <p role="status">{t.t('visitor.consent.declined')}</p>
      ) : view.link.state === 'confirmed' ? (
        <p role="status">
          {t.rich('visitor.consent.alreadyAgreed', { child: view.link.child.displayName, organisation: view.link.organisation.name, strong })}
        </p>
      ) : (
        <>
          <p>
            {t.rich('visitor.consent.intro', {
              age: MINOR_AGE,
              organisation: view.link.organisation.name,
              child: view.link.child.displayName,
              strong,
            })}
          </p>
          <p>{t.t('visitor.consent.explain')}</p>
          <FormError error={error} />
          {confirmingDecline ? (
            <>
              <p role="alert">{t.t('visitor.consent.confirmDecline', { child: view.link.child.displayName })}</p>
              <div class="hero-actions">
                <button
                  class="button button-danger"
                  type="button"
                  disabled={busy}
                  onClick={() => run(() => act(() => api.declineParentalConsent(token), 'declined'))}
                >
                  {busy ? t.t('visitor.consent.erasing') : t.t('visitor.consent.yesDecline')}
                </button>
                <button class="button button-quiet" type="button" disabled={busy} onClick={() => setConfirmingDecline(false)}>
                  {t.t('common.action.cancel')}
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
                {busy ? t.t('visitor.confirming') : t.t('visitor.consent.button')}
              </button>
              <button class="button" type="button" disabled={busy} onClick={() => setConfirmingDecline(true)}>
                {t.t('visitor.consent.decline')}
              </button>
            </div>
          )}
        </>
      )}
    </ShieldCard>
  );
}
