// Read-only views for operators: the mail queue and the erasures still running (progress only).
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { ErasureInProgress, OutboxStatusView } from '../../../shared/admin';
import { adminApi } from '../../api/admin';
import { ErrorNotice, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { useT } from '../../i18n';

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
  const t = useT();
  if (error) return <ErrorNotice error={error} />;
  if (!value) return <Loading />;
  return (
    <>
      <dl class="facts" aria-label={t.t('admin.operations.byState')}>
        {(['queued', 'sending', 'sent', 'failed', 'cancelled'] as const).map((state) => (
          <Fragment key={state}>
            <dt>{t.t('admin.operations.state', { state })}</dt>
            <dd>{t.number(value[state])}</dd>
          </Fragment>
        ))}
      </dl>
      {value.lastFailures.length === 0 ? (
        <p class="muted">{t.t('admin.operations.noFailures')}</p>
      ) : (
        <ul aria-label={t.t('admin.operations.failures')}>
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
  const t = useT();
  if (error) return <ErrorNotice error={error} />;
  if (!value) return <Loading />;
  if (value.items.length === 0) return <p class="muted">{t.t('admin.operations.noErasures')}</p>;
  return (
    <ul aria-label={t.t('admin.operations.erasures')}>
      {value.items.map((job: ErasureInProgress) => (
        <li key={job.id}>
          {t.rich('admin.operations.erasureStarted', { time: () => <Time iso={job.startedAt} />, done: job.stepsDone, total: job.stepsTotal })}
          {job.nextStep ? t.t('admin.operations.erasureNext', { step: job.nextStep }) : ''}
          {job.running ? t.t('admin.operations.erasureRunning') : t.t('admin.operations.erasureWaiting', { attempts: job.attempts })}
        </li>
      ))}
    </ul>
  );
}

export function Operations() {
  const t = useT();
  return (
    <section class="card admin-section" aria-labelledby="admin-operations">
      <h2 id="admin-operations" class="section-title">
        {t.t('admin.operations.title')}
      </h2>
      <h3>{t.t('admin.operations.mailQueue')}</h3>
      <MailQueue />
      <h3>{t.t('admin.operations.erasures')}</h3>
      <Erasures />
    </section>
  );
}
