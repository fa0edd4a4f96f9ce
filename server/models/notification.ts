import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { NOTIFICATION_TYPES, type NotificationType } from '../../shared/notifications';

/**
 * One notification for one recipient. Nothing of the subject's content is stored: the excerpt, the group's
 * name and the actor's card are read when it is presented, so edits, erasure and lost access apply at once.
 */
const notificationSchema = new Schema({
  recipientId: { type: Schema.Types.ObjectId, required: true },
  type: { type: String, enum: NOTIFICATION_TYPES, required: true },
  /**
   * What makes two notifications the same one: `like:<postId>` (likes of one post aggregate), `mention:<postId>`
   * (an edit never mentions someone twice), otherwise unique to the event.
   */
  key: { type: String, required: true },
  /** Who did it; null once that person erased their account. For likes: the latest liker. */
  actorId: { type: Schema.Types.ObjectId, default: null },
  /** Likes: how many people liked the post (the highest count seen); 1 otherwise. */
  actorCount: { type: Number, default: 1 },
  postId: { type: Schema.Types.ObjectId, default: null },
  groupId: { type: Schema.Types.ObjectId, default: null },
  reason: { type: String, default: null },
  /** When it was created or, for likes, last liked again: the list's order. */
  at: { type: Date, required: true },
  readAt: { type: Date, default: null },
  /** Set when it is read: the TTL index removes it then (NOTIFICATION_RETENTION_DAYS after reading). */
  expiresAt: { type: Date, default: null },
  /** E-mail: when it was queued (instant) or taken into a digest; null while not mailed. */
  mailedAt: { type: Date, default: null },
});

notificationSchema.index({ recipientId: 1, key: 1 }, { unique: true });
// The list, newest first, and its cursor.
notificationSchema.index({ recipientId: 1, at: -1, _id: -1 });
// The unread count and the unread-only list.
notificationSchema.index({ recipientId: 1, readAt: 1, at: -1 });
// Pruning of old read notifications.
notificationSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
// Live count updates when a post is hidden or deleted; the mention budget of a post.
notificationSchema.index({ postId: 1 });
// Erasure: notifications about the person (they become actor-less).
notificationSchema.index({ actorId: 1 });

export type NotificationFields = InferSchemaType<typeof notificationSchema> & {
  _id: Types.ObjectId;
  type: NotificationType;
};
export const Notification = model<NotificationFields>('Notification', notificationSchema);

const settingsSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, required: true, unique: true },
    /** Per type: `{inApp, email}`; a type not listed has the defaults (in the app, no e-mail). */
    types: { type: Schema.Types.Mixed, default: {} },
    /** When this person's next daily digest is due; null while nothing waits for one. */
    digestDueAt: { type: Date, default: null },
  },
  { minimize: false },
);

// The digest worker's question: whose digest is due.
settingsSchema.index({ digestDueAt: 1 });

export type NotificationSettingsFields = { _id: Types.ObjectId; userId: Types.ObjectId; types: Record<string, { inApp?: boolean; email?: string }> };
export const NotificationSettingsModel = model<NotificationSettingsFields>('NotificationSettings', settingsSchema);
