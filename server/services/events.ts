// Domain events: services publish them after a write is durable; realtime fan-out and caches consume them.
// `on`/`onAny` see this process's events only: the fan-out acts cluster-wide through the Socket.IO adapter, so
// it must act once, where the write happened. `onCluster` also sees other processes' events, which the event
// relay (./event-relay.ts) delivers: caches must drop what changed wherever the write happened.
import { EventEmitter } from 'node:events';
import type { Role } from '../../shared/api';

/**
 * What changed about a user. Profile changes are public (display name, bio, avatar); role and
 * membership changes are private and carry who made them, for the moderation audit log.
 */
export type UserChange =
  | { kind: 'profile' }
  | { kind: 'password' }
  | { kind: 'roles'; actorId: string; before: Role[]; after: Role[] }
  | { kind: 'membership'; actorId: string; before: boolean; after: boolean }
  | { kind: 'suspension'; actorId: string; suspended: boolean }
  | { kind: 'activated' }
  | { kind: 'email' }
  | { kind: 'preferences' }
  | { kind: 'restriction' };

export type DomainEvent =
  | { type: 'post.created'; postId: string; groupId: string; parentId: string | null }
  | { type: 'post.updated'; postId: string; groupId: string; parentId: string | null }
  /**
   * `membersOnly`: the post was written while its (now public) group was closed; feeds never showed it to all.
   * `repliesRemoved`: the author's own replies a thread's deletion took with it, which have no events of their own.
   */
  | { type: 'post.deleted'; postId: string; groupId: string; parentId: string | null; membersOnly?: boolean; repliesRemoved?: string[] }
  | { type: 'post.hidden'; postId: string; groupId: string; parentId: string | null }
  | { type: 'post.restored'; postId: string; groupId: string; parentId: string | null }
  /** `userId`: whose like came or went; null when not known (a recount). */
  | { type: 'like.changed'; postId: string; groupId: string; likeCount: number; userId: string | null }
  | { type: 'membership.changed'; groupId: string; userId: string }
  | { type: 'group.changed'; groupId: string }
  | { type: 'session.revoked'; userId: string; tokenHash: string | null }
  | { type: 'user.changed'; userId: string; change?: UserChange }
  | { type: 'user.erased'; userId: string }
  /** A notification for `userId` was written (`notificationId`) or their unread count may have changed (null). */
  | { type: 'notification.changed'; userId: string; notificationId: string | null };

export type DomainEventType = DomainEvent['type'];
export type EventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

export class DomainEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: DomainEvent): void {
    // Caches first, so whatever reacts to the event next (the fan-out re-checking access) reads fresh facts.
    this.emitter.emit('cluster', event);
    this.emitter.emit(event.type, event);
    this.emitter.emit('*', event);
  }

  /** An event another process published, brought by the relay. */
  deliverRemote(event: DomainEvent): void {
    this.emitter.emit('cluster', event);
  }

  on<T extends DomainEventType>(type: T, handler: (event: EventOf<T>) => void): () => void {
    this.emitter.on(type, handler);
    return () => this.emitter.off(type, handler);
  }

  onAny(handler: (event: DomainEvent) => void): () => void {
    this.emitter.on('*', handler);
    return () => this.emitter.off('*', handler);
  }

  /** Every event of this process and, with the relay running, of every other process. */
  onCluster(handler: (event: DomainEvent) => void): () => void {
    this.emitter.on('cluster', handler);
    return () => this.emitter.off('cluster', handler);
  }
}
