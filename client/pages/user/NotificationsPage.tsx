// Notifications, newest first and grouped by day; each links to the exact post (a reply is scrolled into
// view in its thread). New ones arrive live; opening the page does not mark them read, the buttons do.
import { useEffect, useState } from 'preact/hooks';
import type { Notification } from '../../../shared/notifications';
import { api } from '../../api';
import { Avatar } from '../../components/Avatar';
import { useTitle } from '../../components/Form';
import { Empty, ErrorNotice, Loading } from '../../components/States';
import { Time } from '../../components/Time';
import { longDate } from '../../format';
import { onLive } from '../../live';
import { setUnread } from '../../notifications';
import { navigate } from '../../router';

function describe(n: Notification): string {
  const who = n.actor?.displayName ?? 'Someone';
  const where = n.group ? ` in ${n.group.name}` : '';
  switch (n.type) {
    case 'reply':
      return `${who} replied to your post${where}`;
    case 'mention':
      return `${who} mentioned you${where}`;
    case 'like':
      return `${who}${n.actorCount > 1 ? ` and ${n.actorCount - 1} ${n.actorCount === 2 ? 'other' : 'others'}` : ''} liked your post${where}`;
    case 'join_request':
      return `${who} asked to join ${n.group?.name ?? 'your group'}`;
    case 'join_approved':
      return `You are now a member of ${n.group?.name ?? 'the group'}`;
    case 'invited':
      return `${who} invited you to join ${n.group?.name ?? 'a group'}`;
    case 'post_hidden':
      return `A moderator hid your post${where}${n.reason ? `: ${n.reason}` : ''}`;
    case 'post_restored':
      return `Your post${where} is visible again`;
    case 'report_resolved':
      return `Your report${where} was ${n.reason === 'acted_on' ? 'acted on' : 'dismissed'}`;
    case 'role_changed':
      return n.group ? `Your role in ${n.group.name} is now ${n.reason ?? 'member'}` : `Your site roles are now: ${n.reason ?? 'none'}`;
    case 'disclosure':
      return 'Some of your posts were disclosed to an authority; your data download lists it';
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
          {!n.readAt && <span class="visually-hidden"> (unread)</span>}
        </a>
        {n.post?.excerpt ? <span class="notification-excerpt">“{n.post.excerpt}”</span> : null}
        <Time iso={n.createdAt} />
      </div>
    </li>
  );
}

export function NotificationsPage() {
  useTitle('Notifications');
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
  if (!items) return <Loading label="Loading your notifications…" />;

  const days: { day: string; items: Notification[] }[] = [];
  for (const n of items) {
    const day = longDate(n.createdAt);
    if (days[days.length - 1]?.day !== day) days.push({ day, items: [] });
    days[days.length - 1]!.items.push(n);
  }

  return (
    <div class="page">
      <div class="page-head">
        <h1 class="page-title">Notifications</h1>
        {items.some((n) => !n.readAt) && (
          <button type="button" class="button" onClick={() => void markRead('all')}>
            Mark all as read
          </button>
        )}
      </div>
      {items.length === 0 ? (
        <Empty icon="inbox" title="Nothing yet">
          Replies, mentions, likes and news about your groups will appear here. You can choose which ones also come by e-mail in the
          privacy centre.
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
          {loadingMore ? 'Loading…' : 'Show older'}
        </button>
      )}
    </div>
  );
}
