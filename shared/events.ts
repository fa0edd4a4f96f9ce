// Socket.IO event contract (../shared/API.md, "Realtime"), used as generics by the server and the client.
import type { Post } from './api';
import type { Notification, UnreadCount } from './notifications';

/**
 * A post as live events carry it: the REST `Post` without `likedByMe`. One payload is built per event and
 * sent to every receiver, so it cannot say whether each of them liked the post; clients keep the
 * `likedByMe` they already know (false for a post they first see live).
 */
export type LivePost = Omit<Post, 'likedByMe' | 'can'>;

export type FeedName = 'public' | 'home' | `group:${string}`;

export interface SubscribeRequest {
  feed: FeedName;
  /** A site moderator's reason for following a closed group they are not in; audited. */
  reason?: string;
}

export type Ack<T = undefined> =
  | ({ ok: true } & (T extends undefined ? object : { data: T }))
  | { ok: false; error: { code: string; message: string } };

export interface ServerToClientEvents {
  'post:new': (post: LivePost) => void;
  'post:update': (post: LivePost) => void;
  'post:delete': (payload: { id: string; groupId: string }) => void;
  'like:update': (payload: { postId: string; likeCount: number }) => void;
  /** To the recipient's own sockets only. */
  'notification:new': (notification: Notification) => void;
  'notification:count': (payload: UnreadCount) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (result: Ack) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack: (result: Ack) => void) => void;
}
