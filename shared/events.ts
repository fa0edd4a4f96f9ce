// Socket.IO event contract (../shared/API.md, "Realtime"), used as generics by the server and the client.
import type { Post } from './api';

export type FeedName = 'public' | 'home' | `group:${string}`;

export interface SubscribeRequest {
  feed: FeedName;
}

export type Ack<T = undefined> =
  | ({ ok: true } & (T extends undefined ? object : { data: T }))
  | { ok: false; error: { code: string; message: string } };

export interface ServerToClientEvents {
  'post:new': (post: Post) => void;
  'post:update': (post: Post) => void;
  'post:delete': (payload: { id: string; groupId: string }) => void;
  'like:update': (payload: { postId: string; likeCount: number }) => void;
}

export interface ClientToServerEvents {
  subscribe: (request: SubscribeRequest, ack: (result: Ack) => void) => void;
  unsubscribe: (request: SubscribeRequest, ack: (result: Ack) => void) => void;
}
