// Read-only views for operators: the mail queue and the erasures still running (progress only).
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ErasureInProgress, OutboxStatusView } from '../../../shared/admin';
import { adminApi } from '../../api/admin';
import { ErrorNotice, Loading } from '../../components/States';
import { Time } from '../../components/Time';

function useLoad<T>(load: () => Promise<T>): { value: T | null; error: unknown } {
  const [value, setValue] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    load().then(setValue, setError);
  }, []);
  return { value, error };
}

function MailQueue() {
  const { value, error } = useLoad(adminApi.outbox);
  if (error) return <ErrorNotice error={error} />;
  if (!value) return <Loading />;
  return (
    <>
      <dl class="facts" aria-label="Messages by state">
        {(['queued', 'sending', 'sent', 'failed', 'cancelled'] as const).map((state) => (
          <Fragment key={state}>
            <dt>{state}</dt>
            <dd>{value[state]}</dd>
          </Fragment>
        ))}
      </dl>
      {value.lastFailures.length === 0 ? (
        <p class="muted">No recent failures.</p>
      ) : (
        <ul aria-label="Recent failures">
          {value.lastFailures.map((failure) => (
            <li key={`${failure.at}-${failure.type}`}>
              <Time iso={failure.at} /> · <code>{failure.type}</code> · {failure.error}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function Erasures() {
  const { value, error } = useLoad(adminApi.erasures);
  if (error) return <ErrorNotice error={error} />;
  if (!value) return <Loading />;
  if (value.items.length === 0) return <p class="muted">No erasure is in progress.</p>;
  return (
    <ul aria-label="Erasures in progress">
      {value.items.map((job: ErasureInProgress) => (
        <li key={job.id}>
          Started <Time iso={job.startedAt} /> · {job.stepsDone} of {job.stepsTotal} steps done
          {job.nextStep ? ` · next: ${job.nextStep}` : ''} · {job.running ? 'running' : `waiting (attempts: ${job.attempts})`}
        </li>
      ))}
    </ul>
  );
}

export function Operations() {
  return (
    <section class="card admin-section" aria-labelledby="admin-operations">
      <h2 id="admin-operations" class="section-title">
        Operations
      </h2>
      <h3>Mail queue</h3>
      <MailQueue />
      <h3>Erasures in progress</h3>
      <Erasures />
    </section>
  );
}
