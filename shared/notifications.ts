// Notifications and their settings (../shared/API.md, "Notifications"), used by the server and the client.
import type { Id, IsoTime, PublicUser } from './api';

export const NOTIFICATION_TYPES = [
  'reply',
  'mention',
  'like',
  'join_request',
  'join_approved',
  'invited',
  'post_hidden',
  'post_restored',
  'report_resolved',
  'role_changed',
  'disclosure',
] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

export interface NotificationPost {
  id: Id;
  groupId: Id;
  parentId: Id | null;
  /** The start of the post's current text, only while the recipient may read the post; else empty. */
  excerpt: string;
}

export interface Notification {
  id: Id;
  type: NotificationType;
  createdAt: IsoTime;
  readAt: IsoTime | null;
  actor: PublicUser | null;
  /** Likes are one notification per post: how many people liked it. 1 for every other type. */
  actorCount: number;
  post: NotificationPost | null;
  group: { id: Id; name: string } | null;
  /**
   * post_hidden: the moderator's reason; report_resolved: `dismissed` or `acted_on`; role_changed: the new
   * role (`moderator`, `member`, or a site role list joined by commas, `none` when all were taken away).
   */
  reason: string | null;
}

export const EMAIL_FREQUENCIES = ['off', 'instant', 'daily'] as const;
export type EmailFrequency = (typeof EMAIL_FREQUENCIES)[number];

export interface NotificationSetting {
  inApp: boolean;
  email: EmailFrequency;
}

export type NotificationSettings = Record<NotificationType, NotificationSetting>;

export interface UnreadCount {
  count: number;
}
