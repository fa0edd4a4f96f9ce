// Live delivery: `notification:new` and `notification:count` to the recipient's own sockets (their `user:`
// room, on every process through the Socket.IO adapter), asked again of the policy at the moment of sending.
// Changes of access (leaving a group, a hidden or deleted post) send the new count, so bells drop at once.
import { Types } from 'mongoose';
import type { DomainEvent, DomainEvents } from '../services/events';
import type { Logger } from '../log';
import { Notification } from '../models/notification';
import { Post } from '../models/post';
import { userRoom } from '../realtime/rooms';
import type { ForumServer } from '../realtime/types';
import { activeViewers, presentVisible, unreadCount } from './service';

export interface NotificationDelivery {
  /** Resolves once everything triggered so far has been sent (tests, shutdown). */
  idle(): Promise<void>;
  close(): void;
}

export function startNotificationDelivery(io: ForumServer, events: DomainEvents, log: Logger): NotificationDelivery {
  // One chain per user keeps their count updates in the order of the changes.
  const chains = new Map<string, Promise<void>>();

  function send(userId: string, notificationId: string | null): void {
    const previous = chains.get(userId) ?? Promise.resolve();
    const next = previous
      .then(async () => {
        const viewer = (await activeViewers([new Types.ObjectId(userId)])).get(userId);
        if (!viewer) return;
        const room = io.to(userRoom(userId));
        if (notificationId) {
          const [shape] = await presentVisible(viewer, [new Types.ObjectId(notificationId)]);
          if (shape) room.emit('notification:new', shape);
        }
        room.emit('notification:count', { count: await unreadCount(viewer) });
      })
      .catch((error: unknown) => log.error('notifications: live delivery failed', error))
      .finally(() => {
        if (chains.get(userId) === next) chains.delete(userId);
      });
    chains.set(userId, next);
  }

  /**
   * Whoever has unread notifications about this post may see fewer (or more) of them now; a thread's deletion
   * may have taken its author's replies, and the notifications about them, with it; hiding or restoring a
   * top-level post hides or restores its replies.
   */
  async function recountAbout(event: Extract<DomainEvent, { type: 'post.hidden' | 'post.restored' | 'post.deleted' }>): Promise<void> {
    const postId = new Types.ObjectId(event.postId);
    const about = [postId, ...(event.type === 'post.deleted' ? (event.repliesRemoved ?? []) : []).map((id) => new Types.ObjectId(id))];
    if (event.type !== 'post.deleted' && event.parentId === null) about.push(...(await Post.distinct('_id', { parentId: postId })));
    const recipients: Types.ObjectId[] = await Notification.distinct('recipientId', { postId: { $in: about }, readAt: null });
    for (const recipientId of recipients) send(String(recipientId), null);
  }

  function onEvent(event: DomainEvent): void {
    switch (event.type) {
      case 'notification.changed':
        return send(event.userId, event.notificationId);
      case 'membership.changed':
        return send(event.userId, null);
      case 'post.hidden':
      case 'post.restored':
      case 'post.deleted':
        void recountAbout(event).catch((error: unknown) => log.error('notifications: recount failed', error));
        return;
      default:
        return;
    }
  }

  const stop = events.onAny(onEvent);
  return {
    async idle() {
      while (chains.size) await Promise.all([...chains.values()]);
    },
    close: stop,
  };
}
