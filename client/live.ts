// The live connection: one Socket.IO socket per tab, authenticated in its handshake, resubscribing after reconnects.
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, FeedName, ServerToClientEvents } from '../shared/events';
import { moderatorReason } from './moderator-reason';
import { session } from './session';
import { createStore, useStore } from './store';

type ForumSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type LiveStatus = 'connecting' | 'live' | 'offline';

const status = createStore<LiveStatus>('connecting');
const feeds = new Map<FeedName, number>();
let socket: ForumSocket | null = null;

function subscribeOnServer(feed: FeedName): void {
  const reason = feed.startsWith('group:') ? moderatorReason.get() : null;
  socket?.emit('subscribe', reason ? { feed, reason } : { feed }, (result) => {
    if (!result.ok) console.warn(`Live updates for ${feed} refused: ${result.error.message}`);
  });
}

function connection(): ForumSocket {
  if (socket) return socket;
  socket = io({
    transports: ['websocket'],
    // A function, so every (re)connect presents the token the tab holds at that moment.
    auth: (send) => send(session.token() ? { token: session.token() } : {}),
  });
  socket.on('connect', () => {
    status.set('live');
    for (const feed of feeds.keys()) subscribeOnServer(feed);
  });
  socket.on('disconnect', () => status.set('offline'));
  socket.on('connect_error', () => status.set('offline'));
  return socket;
}

session.tokenChanges.subscribe(() => {
  if (!socket) return;
  socket.disconnect();
  status.set('connecting');
  socket.connect();
});

/** Follows a feed until the returned function is called; several views may follow the same feed. */
export function follow(feed: FeedName): () => void {
  const live = connection();
  const count = feeds.get(feed) ?? 0;
  feeds.set(feed, count + 1);
  if (count === 0 && live.connected) subscribeOnServer(feed);
  return () => {
    const remaining = (feeds.get(feed) ?? 1) - 1;
    if (remaining > 0) {
      feeds.set(feed, remaining);
      return;
    }
    feeds.delete(feed);
    if (live.connected) live.emit('unsubscribe', { feed }, () => undefined);
  };
}

export function onLive<E extends keyof ServerToClientEvents>(event: E, listener: ServerToClientEvents[E]): () => void {
  const live = connection();
  // socket.io's typed overloads cannot relate a generic event name to its listener.
  (live.on as (event: string, listener: unknown) => void)(event, listener);
  return () => (live.off as (event: string, listener: unknown) => void)(event, listener);
}

export function useLiveStatus(): LiveStatus {
  return useStore(status);
}
