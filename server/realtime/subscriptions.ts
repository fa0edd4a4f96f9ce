// `subscribe` / `unsubscribe`: parse, ask policy (through FeedAccess), join or leave rooms, answer by ack.
//
// Each grant is decided, applied, then decided again: a revocation that commits while the first decision
// is in flight either finds the socket already in the room (and removes it) or is seen by the second
// decision. That holds when the revocation runs on another process too.
import type { Ack } from '../../shared/events';
import type { Logger } from '../log';
import type { Viewer } from '../policy/viewer';
import type { FeedAccess } from './access';
import { problem } from '../http/validation';
import { parseFeedRequest, type Feed } from './feeds';
import { speaking } from './refusals';
import { groupRoom, HOME_PUBLIC_ROOM, homeGroupRoom, homeOfRoom, isHomeRoom, PUBLIC_ROOM } from './rooms';
import { viewerOfSocket } from './session';
import type { ForumSocket } from './types';

/** Following a group costs a room on every process; a client has no use for more than this at once. */
export const MAX_GROUP_FEEDS = 100;

type Failure = Extract<Ack, { ok: false }>;

function fail(code: string, message: string): Failure {
  return { ok: false, error: { code, message } };
}

const NOT_FOUND = fail('not_found', problem('errors.notFound.group'));
const SIGN_IN = fail('unauthorized', problem('errors.realtime.signIn'));
const GONE = fail('disconnected', problem('errors.realtime.disconnected'));

/** Socket.IO passes whatever the client sent; only a trailing function is an ack. */
function splitArgs(args: unknown[]): { request: unknown; ack: ((result: Ack) => void) | null } {
  const last = args[args.length - 1];
  if (typeof last !== 'function') return { request: args[0], ack: null };
  return { request: args.length > 1 ? args[0] : undefined, ack: last as (result: Ack) => void };
}

/** Group subscriptions still being decided, per socket, so a burst of requests cannot overshoot the cap. */
const deciding = new WeakMap<ForumSocket, number>();

async function subscribe(socket: ForumSocket, access: FeedAccess, feed: Feed): Promise<Ack> {
  if (feed.kind === 'public') {
    socket.join(PUBLIC_ROOM);
    return { ok: true };
  }
  // Built per request rather than kept per socket: an idle socket holds no viewer (nor its ObjectId).
  const viewer = viewerOfSocket(socket.data);
  if (!viewer) return SIGN_IN;
  if (feed.kind === 'home') return subscribeHome(socket, access, viewer);
  return subscribeGroup(socket, access, viewer, feed.groupId, feed.reason);
}

async function subscribeGroup(socket: ForumSocket, access: FeedAccess, viewer: Viewer, groupId: string, reason: string | null): Promise<Ack> {
  const room = groupRoom(groupId);
  if (socket.rooms.has(room)) return { ok: true };
  const following = [...socket.rooms].filter((r) => r.startsWith('group:')).length;
  const pending = deciding.get(socket) ?? 0;
  if (following + pending >= MAX_GROUP_FEEDS) {
    return fail('too_many_feeds', problem('errors.realtime.tooManyFeeds', { max: MAX_GROUP_FEEDS }));
  }
  deciding.set(socket, pending + 1);
  try {
    return await decideGroup(socket, access, viewer, groupId, room, reason);
  } finally {
    const left = deciding.get(socket)! - 1;
    if (left === 0) deciding.delete(socket);
    else deciding.set(socket, left);
  }
}

async function decideGroup(socket: ForumSocket, access: FeedAccess, viewer: Viewer, groupId: string, room: string, reason: string | null): Promise<Ack> {
  const decision = await access.authorizeFollow(viewer, groupId, reason);
  if (decision === 'not_found') return NOT_FOUND;
  if (decision !== 'allow') return fail('forbidden', decision.forbidden);
  if (!socket.connected) return GONE;
  socket.join(room);
  if (!(await access.mayFollowGroup(viewer, groupId))) {
    socket.leave(room);
    return NOT_FOUND;
  }
  return { ok: true };
}

async function subscribeHome(socket: ForumSocket, access: FeedAccess, viewer: Viewer): Promise<Ack> {
  // The marker room first: from here on a new membership adds its group's home room to this socket.
  socket.join([homeOfRoom(viewer.id), HOME_PUBLIC_ROOM]);
  const granted = await access.homeGroupIds(viewer);
  if (!socket.connected) return GONE;
  socket.join(granted.map(homeGroupRoom));
  const confirmed = new Set(await access.homeGroupIds(viewer));
  for (const groupId of granted) if (!confirmed.has(groupId)) socket.leave(homeGroupRoom(groupId));
  if (socket.connected) socket.join([...confirmed].map(homeGroupRoom));
  return { ok: true };
}

function unsubscribe(socket: ForumSocket, feed: Feed): void {
  if (feed.kind === 'public') socket.leave(PUBLIC_ROOM);
  else if (feed.kind === 'group') socket.leave(groupRoom(feed.groupId));
  else for (const room of [...socket.rooms]) if (isHomeRoom(room)) socket.leave(room);
}

/**
 * The `subscribe` and `unsubscribe` listeners, made once and shared by every socket (each finds its socket
 * as `this`, as an event emitter calls its listeners), so an idle socket holds no closures of its own.
 */
export function subscriptionListeners(access: FeedAccess, log: Logger) {
  return {
    subscribe(this: ForumSocket, ...args: unknown[]): void {
      const { request, ack: answer } = splitArgs(args);
      // Without an ack the client could never learn the outcome, so nothing is granted.
      if (!answer) return;
      const ack = speaking(this, answer);
      const feed = parseFeedRequest(request);
      if ('code' in feed) return ack(fail(feed.code, feed.message));
      subscribe(this, access, feed).then(ack, (error: unknown) => {
        log.error('realtime: subscribe failed', error);
        ack(fail('internal', problem('errors.realtime.undecided')));
      });
    },

    unsubscribe(this: ForumSocket, ...args: unknown[]): void {
      const { request, ack: answer } = splitArgs(args);
      const ack = answer && speaking(this, answer);
      const feed = parseFeedRequest(request);
      if ('code' in feed) return ack?.(fail(feed.code, feed.message));
      unsubscribe(this, feed);
      ack?.({ ok: true });
    },
  };
}

export type SubscriptionListeners = ReturnType<typeof subscriptionListeners>;

export function handleSubscriptions(socket: ForumSocket, listeners: SubscriptionListeners): void {
  socket.on('subscribe', listeners.subscribe);
  socket.on('unsubscribe', listeners.unsubscribe);
}
