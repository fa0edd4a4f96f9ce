// The tamper-evident audit trail: every entry chained to the previous by hash, and the server's verification of the chain.
import { useEffect, useState } from 'preact/hooks';
import type { AuditEntry, AuditVerification } from '../../../shared/moderation';
import { api } from '../../api';
import { useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { Empty, ErrorNotice, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { plural } from '../../format';
import { ModNav } from './ModNav';
import { ActorRef, TargetRef } from './refs';


function Verification() {
  const [result, setResult] = useState<AuditVerification | null>(null);
  const { busy, error, run } = useAction();
  const verify = () => run(async () => setResult(await api.verifyAudit()));
  useEffect(() => {
    void verify();
  }, []);

  return (
    <section class={`card verify ${result ? (result.ok ? 'verify-ok' : 'verify-broken') : ''}`} aria-live="polite" aria-labelledby="verify-title">
      <h2 id="verify-title" class="visually-hidden">
        Chain verification
      </h2>
      {error ? (
        <ErrorNotice error={error} onRetry={() => void verify()} />
      ) : !result ? (
        <Loading label="Verifying the chain…" />
      ) : result.ok ? (
        <p>
          <Icon name="check" /> <strong>Chain intact.</strong> All {plural(result.entries, 'entry', 'entries')} link to their predecessors by hash.
        </p>
      ) : (
        <p>
          <Icon name="alert" /> <strong>Chain broken at entry {result.brokenAt}.</strong> An entry was altered or removed; {plural(result.entries, 'entry', 'entries')} checked.
        </p>
      )}
      <button type="button" class="button button-small" onClick={() => void verify()} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify again'}
      </button>
    </section>
  );
}

export function AuditLog() {
  useTitle('Audit log');
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
      <h1 class="page-title">Moderation</h1>
      <ModNav />
      <Verification />
      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !entries ? (
        <Loading label="Loading the audit log…" />
      ) : entries.length === 0 ? (
        <Empty icon="shield" title="No audit entries yet">
          <p>Hides, restores, holds, disclosures and moderator reads of closed groups are recorded here.</p>
        </Empty>
      ) : (
        <div class="table-wrap" tabIndex={0} role="region" aria-label="Audit entries">
          <table class="audit">
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">Action</th>
                <th scope="col">Target</th>
                <th scope="col">Reason</th>
                <th scope="col">Hash</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.seq}>
                  <td>{entry.seq}</td>
                  <td>
                    <Time iso={entry.at} />
                  </td>
                  <td>
                    <ActorRef actor={entry.actor} />
                  </td>
                  <td>
                    <code>{entry.action}</code>
                  </td>
                  <td>
                    <TargetRef target={entry.target} />
                  </td>
                  <td>{entry.reason ?? ''}</td>
                  <td>
                    <code class="hash" title={`hash ${entry.hash}\nprevious ${entry.prevHash ?? '(none)'}`}>
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
            Older entries
          </button>
        </div>
      )}
    </div>
  );
}
