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
import { useT } from '../../i18n';
import { ModNav } from './ModNav';
import { PersonRef } from './refs';

type Outcome = 'dismissed' | 'hidden' | 'restored' | 'deleted' | 'suspended' | 'reinstated';


function ReportItem({ report }: { report: Report }) {
  const post = report.post;
  const [reason, setReason] = useState('');
  const { busy, error, run } = useAction();
  const [outcomes, setOutcomes] = useState<Outcome[]>([]);
  const [hidden, setHidden] = useState(report.postHidden);
  const [open, setOpen] = useState(report.status === 'open');
  const reasonId = `decision-reason-${report.id}`;
  const t = useT();
  const time = (iso: string) => () => <Time iso={iso} />;
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
          {report.reporter
            ? t.rich('moderation.reports.reportedBy', { person: () => <PersonRef id={report.reporter!.id} />, time: time(report.createdAt) })
            : t.rich('moderation.reports.reportedByFormer', { time: time(report.createdAt) })}
        </span>
        <span class={`badge badge-status badge-${open ? 'open' : 'handled'}`}>
          {t.t('moderation.reports.status', { status: open ? 'open' : report.status === 'open' ? 'handled' : report.status })}
        </span>
      </div>
      <blockquote class="report-reason">{report.reason}</blockquote>
      {report.resolution && (
        <p class="report-resolution">
          {report.resolution.by
            ? t.rich('moderation.reports.resolutionBy', {
                resolution: t.t('moderation.reports.resolution', { action: report.resolution.action }),
                person: () => <PersonRef id={report.resolution!.by!} />,
                time: time(report.resolution.at),
              })
            : t.rich('moderation.reports.resolutionAt', { resolution: t.t('moderation.reports.resolution', { action: report.resolution.action }), time: time(report.resolution.at) })}
          {report.resolution.reason && t.t('moderation.reports.resolutionReason', { reason: report.resolution.reason })}
        </p>
      )}
      {post && last !== 'deleted' ? (
        <>
          {hidden && (
            <p class="hidden-mark" role="note">
              {t.t('moderation.reports.hiddenMark')}
            </p>
          )}
          <PostCard post={post} linkAuthor />
          <form class="report-actions" onSubmit={(event) => event.preventDefault()}>
            <label for={reasonId}>{t.t('moderation.reports.decisionLabel')}</label>
            <input id={reasonId} value={reason} onInput={(event) => setReason(event.currentTarget.value)} placeholder={t.t('moderation.reports.decisionPlaceholder')} />
            <div class="panel-actions">
              {open && (
                <button type="button" class="button" disabled={needsReason} onClick={() => void act(() => api.dismissReport(report.id, reason.trim()), 'dismissed', () => setOpen(false))}>
                  {t.t('moderation.reports.dismiss')}
                </button>
              )}
              {hidden ? (
                <button type="button" class="button" disabled={busy} onClick={() => void act(() => api.restorePost(post.id), 'restored', () => setHidden(false))}>
                  {t.t('moderation.reports.restore')}
                </button>
              ) : (
                <button type="button" class="button button-danger" disabled={needsReason} onClick={() => void act(() => api.hidePost(post.id, reason.trim()), 'hidden', () => (setHidden(true), setOpen(false)))}>
                  {t.t('moderation.reports.hide')}
                </button>
              )}
              <button type="button" class="button button-danger" disabled={needsReason} onClick={() => void act(() => api.moderatorDeletePost(post.id, reason.trim()), 'deleted', () => setOpen(false))}>
                {t.t('moderation.reports.delete')}
              </button>
              {authorId &&
                (last === 'suspended' ? (
                  <button type="button" class="button" disabled={busy} onClick={() => void act(() => api.liftSuspension(post.groupId, authorId), 'reinstated')}>
                    {t.t('moderation.reports.lift')}
                  </button>
                ) : (
                  <button type="button" class="button button-danger" disabled={needsReason} onClick={() => void act(() => api.suspendMember(post.groupId, authorId, reason.trim()), 'suspended')}>
                    {t.t('moderation.reports.suspend')}
                  </button>
                ))}
            </div>
            <FormError error={error} />
            {last && (
              <p class="notice" role="status">
                {t.t(`moderation.reports.outcome.${last}`)}
              </p>
            )}
          </form>
        </>
      ) : last === 'deleted' ? (
        <p class="notice" role="status">
          {t.t('moderation.reports.outcome.deleted')}
        </p>
      ) : report.postWithheld ? (
        <p class="muted">{t.t('moderation.reports.withheld')}</p>
      ) : (
        <p class="muted">{t.t('moderation.reports.gone')}</p>
      )}
    </li>
  );
}

export function ReportQueue() {
  const t = useT();
  useTitle(t.t('moderation.reports.title'));
  const statuses: { value: ReportStatus | 'all'; label: string }[] = [
    { value: 'open', label: t.t('moderation.reports.tab.open') },
    { value: 'all', label: t.t('moderation.reports.tab.all') },
  ];
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
      <h1 class="page-title">{t.t('moderation.title')}</h1>
      <ModNav />
      <Tabs label={t.t('moderation.reports.tabsLabel')} tabs={statuses} selected={status} onSelect={setStatus} />
      {withheld && (
        <form
          class="card callout reason-form"
          onSubmit={(event) => {
            event.preventDefault();
            if (readReason.trim()) setStatedReason(readReason.trim());
          }}
        >
          <label for="queue-read-reason">{t.t('moderation.reports.readReasonLabel')}</label>
          <input id="queue-read-reason" value={readReason} onInput={(event) => setReadReason(event.currentTarget.value)} placeholder={t.t('moderation.reports.readReasonPlaceholder')} />
          <button type="submit" class="button" disabled={!readReason.trim()}>
            {t.t('moderation.reports.showThem')}
          </button>
        </form>
      )}
      {error ? (
        <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />
      ) : !reports ? (
        <Loading label={t.t('moderation.reports.loading')} />
      ) : reports.length === 0 ? (
        <Empty icon="check" title={t.t('moderation.reports.emptyTitle')}>
          <p>{status === 'open' ? t.t('moderation.reports.emptyOpen') : t.t('moderation.reports.emptyAll')}</p>
        </Empty>
      ) : (
        <ul class="report-list" role="tabpanel" aria-label={status === 'open' ? t.t('moderation.reports.listOpen') : t.t('moderation.reports.listAll')}>
          {reports.map((report) => (
            <ReportItem key={report.id} report={report} />
          ))}
        </ul>
      )}
      {cursor && reports && (
        <div class="load-more">
          <button type="button" class="button" onClick={() => void more()}>
            {t.t('moderation.reports.older')}
          </button>
        </div>
      )}
    </div>
  );
}
