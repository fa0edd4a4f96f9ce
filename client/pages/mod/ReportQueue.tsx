// Reports waiting for a decision: the reported post in full, who reported it and why, and every decision a
// moderator can take on it (dismiss, hide, restore a hidden post, delete, suspend the author from the group).
import { useEffect, useState } from 'preact/hooks';
import type { Report, ReportStatus } from '../../../shared/moderation';
import { api } from '../../api';
import { useAction, useTitle } from '../../components/Form';
import { PostCard } from '../../components/PostCard';
import { Empty, ErrorNotice, FormError, Loading } from '../../components/States';
import { Tabs } from '../../components/Tabs';
import { Time } from '../../components/Time';
import { ModNav } from './ModNav';
import { PersonRef } from './refs';

type Outcome = 'dismissed' | 'hidden' | 'restored' | 'deleted' | 'suspended' | 'reinstated';

const OUTCOME_TEXT: Record<Outcome, string> = {
  dismissed: 'Report dismissed.',
  hidden: 'Post hidden. The author has been told.',
  restored: 'Post restored.',
  deleted: 'Post deleted.',
  suspended: 'The author is suspended from this group.',
  reinstated: 'The suspension is lifted.',
};

const RESOLUTION_TEXT: Record<string, string> = {
  dismiss: 'Dismissed',
  hide: 'Post hidden',
  restore: 'Post restored',
  delete: 'Post deleted',
  suspend: 'Author suspended',
  post_deleted: 'The author deleted the post',
};

function ReportItem({ report }: { report: Report }) {
  const post = report.post;
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [hidden, setHidden] = useState(report.postHidden);
  const [open, setOpen] = useState(report.status === 'open');
  const reasonId = `decision-reason-${report.id}`;
  const last = outcomes[outcomes.length - 1];

  const act = (action: () => Promise<unknown>, outcome: Outcome, after?: () => void) =>
    run(async () => {
      await action();
      after?.();
      setOutcomes((list) => [...list, outcome]);
      setReason('');
    });
  const needsReason = busy || !reason.trim();
  const authorId = post?.author?.id ?? null;

  return (
    <li class="report">
      <div class="report-meta">
        <span>
          Reported by {report.reporter ? <PersonRef id={report.reporter.id} /> : 'a former member'} <Time iso={report.createdAt} />
        </span>
        <span class={`badge badge-status badge-${open ? 'open' : 'handled'}`}>{open ? 'open' : report.status === 'open' ? 'handled' : report.status}</span>
      </div>
      <blockquote class="report-reason">{report.reason}</blockquote>
      {report.resolution && (
        <p class="report-resolution">
          {RESOLUTION_TEXT[report.resolution.action] ?? report.resolution.action}
          {report.resolution.by && (
            <>
              {' by '}
              <PersonRef id={report.resolution.by} />
            </>
          )}{' '}
          <Time iso={report.resolution.at} />
          {report.resolution.reason && <>: “{report.resolution.reason}”</>}
        </p>
      )}
      {post && last !== 'deleted' ? (
        <>
          {hidden && (
            <p class="hidden-mark" role="note">
              Hidden: only moderators see this post.
            </p>
          )}
          <PostCard post={post} linkAuthor />
          <form class="report-actions" onSubmit={(event) => event.preventDefault()}>
            <label for={reasonId}>Reason for your decision (recorded; a hidden post’s author is told)</label>
            <input id={reasonId} value={reason} onInput={(event) => setReason(event.currentTarget.value)} placeholder="e.g. Personal attack (rule 2)" />
            <div class="panel-actions">
              {open && (
                <button type="button" class="button" disabled={needsReason} onClick={() => void act(() => api.dismissReport(report.id, reason.trim()), 'dismissed', () => setOpen(false))}>
                  Dismiss report
                </button>
              )}
              {hidden ? (
                <button type="button" class="button" disabled={busy} onClick={() => void act(() => api.restorePost(post.id), 'restored', () => setHidden(false))}>
                  Restore post
                </button>
              ) : (
                <button type="button" class="button button-danger" disabled={needsReason} onClick={() => void act(() => api.hidePost(post.id, reason.trim()), 'hidden', () => (setHidden(true), setOpen(false)))}>
                  Hide post
                </button>
              )}
              <button type="button" class="button button-danger" disabled={needsReason} onClick={() => void act(() => api.moderatorDeletePost(post.id, reason.trim()), 'deleted', () => setOpen(false))}>
                Delete post
              </button>
              {authorId &&
                (last === 'suspended' ? (
                  <button type="button" class="button" disabled={busy} onClick={() => void act(() => api.liftSuspension(post.groupId, authorId), 'reinstated')}>
                    Lift suspension
                  </button>
                ) : (
                  <button type="button" class="button button-danger" disabled={needsReason} onClick={() => void act(() => api.suspendMember(post.groupId, authorId, reason.trim()), 'suspended')}>
                    Suspend author from group
                  </button>
                ))}
            </div>
            <FormError error={error} />
            {last && (
              <p class="notice" role="status">
                {OUTCOME_TEXT[last]}
              </p>
            )}
          </form>
        </>
      ) : last === 'deleted' ? (
        <p class="notice" role="status">
          {OUTCOME_TEXT.deleted}
        </p>
      ) : report.postWithheld ? (
        <p class="muted">This post is in a closed group you are not in; state a reason above the list to see it (the read is audited).</p>
      ) : (
        <p class="muted">The post no longer exists.</p>
      )}
    </li>
  );
}

const STATUSES: { value: ReportStatus | 'all'; label: string }[] = [
  { value: 'open', label: 'Open' },
  { value: 'all', label: 'All' },
];

export function ReportQueue() {
  useTitle('Reports');
  const [status, setStatus] = useState<ReportStatus | 'all'>('open');
  const [reports, setReports] = useState<Report[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [readReason, setReadReason] = useState('');
  const [statedReason, setStatedReason] = useState<string | undefined>(undefined);

  useEffect(() => {
    setReports(null);
    setError(null);
    api.reports(status, {}, statedReason).then(
      (page) => {
        setReports(page.items);
        setCursor(page.nextCursor);
      },
      (loadError: unknown) => setError(loadError),
    );
  }, [status, attempt, statedReason]);

  const more = () =>
    api.reports(status, { cursor }, statedReason).then(
      (page) => {
        setReports((list) => [...(list ?? []), ...page.items]);
        setCursor(page.nextCursor);
      },
      (loadError: unknown) => setError(loadError),
    );

  const withheld = reports?.some((report) => report.postWithheld) ?? false;
  return (
    <div class="page">
      <h1 class="page-title">Moderation</h1>
      <ModNav />
      <Tabs label="Report status" tabs={STATUSES} selected={status} onSelect={setStatus} />
      {withheld && (
        <form
          class="card callout reason-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (readReason.trim()) setStatedReason(readReason.trim());
          }}
        >
          <label for="queue-read-reason">Some reported posts are in closed groups you are not in. Your reason to read them (recorded in the audit log)</label>
          <input id="queue-read-reason" value={readReason} onInput={(event) => setReadReason(event.currentTarget.value)} placeholder="e.g. Reviewing reports of 2 December" />
          <button type="submit" class="button" disabled={!readReason.trim()}>
            Show them
          </button>
        </form>
      )}
      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !reports ? (
        <Loading label="Loading reports…" />
      ) : reports.length === 0 ? (
        <Empty icon="check" title="Nothing to review">
          <p>{status === 'open' ? 'No open reports. New reports appear here.' : 'No reports yet.'}</p>
        </Empty>
      ) : (
        <ul class="report-list" role="tabpanel" aria-label={status === 'open' ? 'Open reports' : 'All reports'}>
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
