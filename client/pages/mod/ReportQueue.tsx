// Reports waiting for a decision: the reported post in full, who reported it and why, hide or restore.
import { useEffect, useState } from 'preact/hooks';
import type { Report, ReportStatus } from '../../../shared/moderation';
import { api } from '../../api';
import { useAction, useTitle } from '../../components/Form';
import { PostCard } from '../../components/PostCard';
import { Empty, ErrorNotice, FormError, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { ModNav } from './ModNav';

function ReportItem({ report }: { report: Report }) {
  const post = report.post;
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const [outcome, setOutcome] = useState<'hidden' | 'restored' | null>(null);

  const act = (action: () => Promise<unknown>, result: 'hidden' | 'restored') =>
    run(async () => {
      await action();
      setOutcome(result);
    });

  return (
    <li class="report">
      <div class="report-meta">
        <span>
          Reported by {report.reporter ? <a href={`/users/${report.reporter.id}`}>{report.reporter.displayName}</a> : 'a former member'}{' '}
          <Time iso={report.createdAt} />
        </span>
        <span class="badge badge-status">{report.status}</span>
      </div>
      <blockquote class="report-reason">{report.reason}</blockquote>
      {post ? (
        <>
          <PostCard post={post} linkAuthor />
          <form
            class="report-actions"
            onSubmit={(event) => {
              event.preventDefault();
              void act(() => api.hidePost(post.id, reason.trim()), 'hidden');
            }}
          >
            <label for={`hide-reason-${report.id}`}>Reason given to the author</label>
            <input id={`hide-reason-${report.id}`} value={reason} onInput={(event) => setReason(event.currentTarget.value)} placeholder="e.g. Personal attack (rule 2)" />
            <div class="panel-actions">
              <button type="button" class="button" disabled={busy} onClick={() => void act(() => api.restorePost(post.id), 'restored')}>
                Restore
              </button>
              <button type="submit" class="button button-danger" disabled={busy || !reason.trim()}>
                Hide post
              </button>
            </div>
            <FormError error={error} />
            {outcome && (
              <p class="notice" role="status">
                {outcome === 'hidden' ? 'Post hidden. The author has been told.' : 'Post restored.'}
              </p>
            )}
          </form>
        </>
      ) : report.postWithheld ? (
        <p class="muted">This post is in a closed group you are not in; it is shown only with a stated reason, which is audited.</p>
      ) : (
        <p class="muted">The post no longer exists.</p>
      )}
    </li>
  );
}

const STATUSES: { value: ReportStatus | null; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: null, label: 'All' },
];

export function ReportQueue() {
  useTitle('Reports');
  const [status, setStatus] = useState<ReportStatus | null>('open');
  const [reports, setReports] = useState<Report[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    setReports(null);
    setError(null);
    api.reports(status).then(
      (page) => {
        setReports(page.items);
        setCursor(page.nextCursor);
      },
      (loadError: unknown) => setError(loadError),
    );
  }, [status, attempt]);

  const more = () =>
    api.reports(status, { cursor }).then(
      (page) => {
        setReports((list) => [...(list ?? []), ...page.items]);
        setCursor(page.nextCursor);
      },
      (loadError: unknown) => setError(loadError),
    );

  return (
    <div class="page">
      <h1 class="page-title">Moderation</h1>
      <ModNav />
      <div class="tabs" role="tablist" aria-label="Report status">
        {STATUSES.map((entry) => (
          <button key={entry.label} type="button" role="tab" class="tab" aria-selected={status === entry.value} onClick={() => setStatus(entry.value)}>
            {entry.label}
          </button>
        ))}
      </div>
      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !reports ? (
        <Loading label="Loading reports…" />
      ) : reports.length === 0 ? (
        <Empty icon="check" title="Nothing to review">
          <p>{status === 'open' ? 'No open reports. New reports appear here.' : 'No reports yet.'}</p>
        </Empty>
      ) : (
        <ul class="report-list">
          {reports.map((report) => (
            <ReportItem key={report.id} report={report} />
          ))}
        </ul>
      )}
      {cursor && reports && (
        <div class="load-more">
          <button type="button" class="button" onClick={() => void more()}>
            Older reports
          </button>
        </div>
      )}
    </div>
  );
}
