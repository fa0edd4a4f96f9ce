// The tamper-evident audit trail: every entry chained to the previous by hash, and the server's verification of the chain.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, AuditVerification } from '../../../shared/moderation';
import { api } from '../../api';
import { useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { Empty, ErrorNotice, Loading } from '../../components/States';
import { useT } from '../../i18n';
import { ModNav } from './ModNav';
import { ActorRef, TargetRef } from './refs';


function Verification() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const { busy, error, run } = useAction();
  const t = useT();
  const strong = (chunks: unknown[]) => <strong>{chunks}</strong>;
  const verify = () => run(async () => setResult(await api.verifyAudit()));
  useEffect(() => {
    void verify();
  }, []);

  return (
    <section class={`card verify ${result ? (result.ok ? 'verify-ok' : 'verify-broken') : ''}`} aria-live="polite" aria-labelledby="verify-title">
      <h2 id="verify-title" class="visually-hidden">
        {t.t('moderation.audit.verifyTitle')}
      </h2>
      {error ? (
        <ErrorNotice error={error} onRetry={() => void verify()} />
      ) : !result ? (
        <Loading label={t.t('moderation.audit.verifying')} />
      ) : result.ok ? (
        <p>
          <Icon name="check" /> {t.rich('moderation.audit.intact', { entries: result.entries, strong })}
        </p>
      ) : (
        <p>
          <Icon name="alert" /> {t.rich('moderation.audit.broken', { entries: result.entries, brokenAt: result.brokenAt, strong })}
        </p>
      )}
      <button type="button" class="button button-small" onClick={() => void verify()} disabled={busy}>
        {busy ? t.t('moderation.audit.verifyBusy') : t.t('moderation.audit.verifyAgain')}
      </button>
    </section>
  );
}

export function AuditLog() {
  const t = useT();
  useTitle(t.t('moderation.audit.title'));
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setError(null);
    api.audit({ limit: 50 }).then(
      (page) => {
        setEntries(page.items);
        setCursor(page.nextCursor);
      },
      (loadError: unknown) => setError(loadError),
    );
  }, [attempt]);

  const more = () =>
    api.audit({ cursor, limit: 50 }).then(
      (page) => {
        setEntries((list) => [...(list ?? []), ...page.items]);
        setCursor(page.nextCursor);
      },
      (loadError: unknown) => setError(loadError),
    );

  return (
    <div class="page page-wide">
      <h1 class="page-title">{t.t('moderation.title')}</h1>
      <ModNav />
      <Verification />
      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !entries ? (
        <Loading label={t.t('moderation.audit.loading')} />
      ) : entries.length === 0 ? (
        <Empty icon="shield" title={t.t('moderation.audit.emptyTitle')}>
          <p>{t.t('moderation.audit.emptyBody')}</p>
        </Empty>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label={t.t('moderation.audit.tableLabel')}>
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">{t.t('moderation.audit.col.seq')}</th>
                <th scope="col">{t.t('moderation.audit.col.when')}</th>
                <th scope="col">{t.t('moderation.audit.col.who')}</th>
                <th scope="col">{t.t('moderation.audit.col.action')}</th>
                <th scope="col">{t.t('moderation.audit.col.target')}</th>
                <th scope="col">{t.t('moderation.audit.col.reason')}</th>
                <th scope="col">{t.t('moderation.audit.col.hash')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq}>
                  <td>{t.number(entry.seq)}</td>
                  <td>
                    <time dateTime={entry.at}>{t.dateTimeOf(entry.at)}</time>
                  </td>
                  <td>
                    <ActorRef actor={entry.actor} />
                  </td>
                  <td>
                    <code dir="ltr">{entry.action}</code>
                  </td>
                  <td>
                    <TargetRef target={entry.target} />
                  </td>
                  <td>{entry.reason ?? ''}</td>
                  <td>
                    <code class="hash" dir="ltr" title={t.t('moderation.audit.hashTitle', { hash: entry.hash, previous: entry.prevHash ?? t.t('moderation.audit.noPrevious') })}>
                      {entry.hash.slice(0, 12)}…
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && entries && (
        <div class="load-more">
          <button type="button" class="button" onClick={() => void more()}>
            {t.t('moderation.audit.older')}
          </button>
        </div>
      )}
    </div>
  );
}
