// Notifications, newest first and grouped by day; each links to the exact post (a reply is scrolled into
// view in its thread). New ones arrive live; opening the page does not mark them read, the buttons do.
import { useEffect, useState } from 'preact/hooks';
import type { Notification } from '../../../shared/notifications';
import { api } from '../../api';
import { Avatar } from '../../components/Avatar';
import { useTitle } from '../../components/Form';
import { Empty, ErrorNotice, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { currentTranslator, useT } from '../../i18n';
import { onLive } from '../../live';
import { setUnread } from '../../notifications';
import { navigate } from '../../router';

/** One sentence per notification; `where` is "in" a group or nothing, `group` "none" when the group is unknown. */
function describe(n: Notification): string {
  const t = currentTranslator();
  const values = {
    who: n.actor?.displayName ?? t.t('member.notification.someone'),
    where: n.group ? 'group' : 'none',
    group: n.group?.name ?? '',
    others: Math.max(0, n.actorCount - 1),
    reason: n.reason ?? '',
  };
  switch (n.type) {
    case 'reply':
      return t.t('member.notification.reply', values);
    case 'mention':
      return t.t('member.notification.mention', values);
    case 'like':
      return t.t('member.notification.like', values);
    case 'join_request':
      return t.t('member.notification.joinRequest', values);
    case 'join_approved':
      return t.t('member.notification.joinApproved', values);
    case 'invited':
      return t.t('member.notification.invited', values);
    case 'post_hidden':
      return t.t(n.reason ? 'member.notification.postHiddenReason' : 'member.notification.postHidden', values);
    case 'post_restored':
      return t.t('member.notification.postRestored', values);
    case 'report_resolved':
      return t.t('member.notification.reportResolved', { ...values, outcome: n.reason === 'acted_on' ? 'acted_on' : 'dismissed' });
    case 'role_changed':
      return n.group ? t.t('member.notification.groupRole', { ...values, role: n.reason ?? 'member' }) : t.t('member.notification.siteRoles', { roles: n.reason || t.t('member.notification.noRoles') });
    case 'disclosure':
      return t.t('member.notification.disclosure');
  }
}

/** Where a notification leads: the post (a reply inside its thread), else the group, else the privacy centre. */
function targetOf(n: Notification): { href: string; postId: string | null } {
  if (n.post) {
    return n.post.parentId ? { href: `/posts/${n.post.parentId}`, postId: n.post.id } : { href: `/posts/${n.post.id}`, postId: null };
  }
  if (n.group) return { href: `/groups/${n.group.id}`, postId: null };
  return { href: '/privacy', postId: null };
}

/** Scrolls a reply into view once its thread has rendered it (the thread loads after navigation). */
function scrollToPostWhenShown(postId: string): void {
  const find = () => document.querySelector<HTMLElement>(`[data-post-id="${CSS.escape(postId)}"]`);
  const show = (element: HTMLElement) => {
    element.scrollIntoView({ block: 'center' });
    element.classList.add('post-new');
  };
  const found = find();
  if (found) return show(found);
  const observer = new MutationObserver(() => {
    const element = find();
    if (!element) return;
    observer.disconnect();
    show(element);
  });
  observer.observe(document.body, { childList: true, subtree: true });
  setTimeout(() => observer.disconnect(), 10_000);
}

function Item({ n, onOpen }: { n: Notification; onOpen: (n: Notification) => void }) {
  const { href } = targetOf(n);
  const t = useT();
  return (
    <li class={`notification${n.readAt ? '' : ' notification-unread'}`} data-notification-id={n.id} data-type={n.type}>
      <Avatar user={n.actor} />
      <div>
        <a
          href={href}
          onClick={(event) => {
            event.preventDefault();
            onOpen(n);
          }}
        >
          {describe(n)}
          {!n.readAt && <span class="visually-hidden"> {t.t('member.notifications.unread')}</span>}
        </a>
        {n.post?.excerpt ? (
          <span class="notification-excerpt" dir="auto">
            {t.t('member.notifications.excerpt', { excerpt: n.post.excerpt })}
          </span>
        ) : null}
        <Time iso={n.createdAt} />
      </div>
    </li>
  );
}

export function NotificationsPage() {
  const t = useT();
  useTitle(t.t('member.notifications.title'));
  const [items, setItems] = useState<Notification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [attempt, setAttempt] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    setError(null);
    api.notifications({ limit: 30 }).then((page) => {
      setItems(page.items);
      setCursor(page.nextCursor);
    }, setError);
  }, [attempt]);

  useEffect(
    () =>
      onLive('notification:new', (n) =>
        setItems((current) => (current ? [n, ...current.filter((existing) => existing.id !== n.id)] : current)),
      ),
    [],
  );

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const page = await api.notifications({ limit: 30, cursor });
      setItems((current) => [...(current ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (moreError) {
      setError(moreError);
    } finally {
      setLoadingMore(false);
    }
  };

  const markRead = async (ids: string[] | 'all') => {
    const { count } = await api.markRead(ids);
    setUnread(count);
    const now = new Date().toISOString();
    setItems((current) => current?.map((n) => (ids === 'all' || ids.includes(n.id) ? { ...n, readAt: n.readAt ?? now } : n)) ?? null);
  };

  const open = (n: Notification) => {
    if (!n.readAt) void markRead([n.id]).catch(() => undefined);
    const target = targetOf(n);
    navigate(target.href);
    if (target.postId) scrollToPostWhenShown(target.postId);
  };

  if (error) return <div class="page"><ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} /></div>;
  if (!items) return <Loading label={t.t('member.notifications.loading')} />;

  const days: { day: string; items: Notification[] }[] = [];
  for (const n of items) {
    const day = t.dateOf(n.createdAt);
    if (days[days.length - 1]?.day !== day) days.push({ day, items: [] });
    days[days.length - 1]!.items.push(n);
  }

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="page-title">{t.t('member.notifications.title')}</h1>
        {items.some((n) => !n.readAt) && (
          <button type="button" class="button" onClick={() => void markRead('all')}>
            {t.t('member.notifications.markAll')}
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <Empty icon="inbox" title={t.t('member.notifications.emptyTitle')}>
          {t.t('member.notifications.emptyBody')}
        </Empty>
      ) : (
        days.map(({ day, items: ofDay }) => (
          <section key={day} aria-label={day}>
            <h2 class="notification-day">{day}</h2>
            <ul class="notification-list card">
              {ofDay.map((n) => (
                <Item key={n.id} n={n} onOpen={open} />
              ))}
            </ul>
          </section>
        ))
      )}
      {cursor && (
        <button type="button" class="button" disabled={loadingMore} onClick={() => void more()}>
          {t.t(loadingMore ? 'common.loading' : 'member.notifications.older')}
        </button>
      )}
    </div>
  );
}
