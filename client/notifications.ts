// The unread count behind the bell and the tab title: read once when signed in and after each reconnect,
// then kept by the server's `notification:count` events (sent to this user's own sockets only).
import { useEffect } from 'preact/hooks';
import { api } from './api';
import { onLive, useLiveStatus } from './live';
import { session, useSession } from './session';
import { createStore, useStore } from './store';

const unread = createStore<number>(0);

export function setUnread(count: number): void {
  unread.set(count);
}

export function useUnreadCount(): number {
  return useStore(unread);
}

const PREFIX = /^\(\d+\+?\) /;

/** "(3) " before whatever title the page set; pages set titles themselves, so it is put back after each change. */
function applyTitle(count: number): void {
  const base = document.title.replace(PREFIX, '');
  const next = count > 0 ? `(${count > 99 ? '99+' : count}) ${base}` : base;
  if (document.title !== next) document.title = next;
}

/** Keeps the count while someone is signed in; mounted once by the header. */
export function useUnreadTracking(): void {
  const state = useSession();
  const live = useLiveStatus();
  const signedIn = state.status === 'user';
  const count = useUnreadCount();

  useEffect(() => {
    if (!signedIn) {
      unread.set(0);
      return;
    }
    return onLive('notification:count', ({ count: next }) => unread.set(next));
  }, [signedIn]);

  useEffect(() => {
    if (!signedIn || live !== 'live' || !session.token()) return;
    api.unreadCount().then(({ count: next }) => unread.set(next), () => undefined);
  }, [signedIn, live]);

  useEffect(() => {
    applyTitle(count);
    const title = document.querySelector('title');
    if (!title) return;
    const observer = new MutationObserver(() => applyTitle(unread.get()));
    observer.observe(title, { childList: true, characterData: true, subtree: true });
    return () => observer.disconnect();
  }, [count]);
}
