// The contract's Notification for its recipient, from what the notification service loaded and the policy let through.
import type { Notification as NotificationShape } from '../../shared/notifications';
import type { NotificationFields } from '../models/notification';
import type { PublicUserFields } from '../models/user';
import type { SubjectPost } from '../notifications/visibility';
import { presentPublicUser } from './user';

export const EXCERPT_LENGTH = 140;

export function excerptOf(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= EXCERPT_LENGTH) return flat;
  const cut = flat.slice(0, EXCERPT_LENGTH);
  const space = cut.lastIndexOf(' ');
  return `${(space > EXCERPT_LENGTH / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

export interface NotificationFacts {
  row: Pick<NotificationFields, '_id' | 'type' | 'at' | 'readAt' | 'actorCount' | 'reason' | 'postId' | 'groupId'>;
  /** The post while the recipient may read it; null otherwise. */
  post: SubjectPost | null;
  actor: PublicUserFields | null;
  group: { _id: unknown; name: string } | null;
}

export function presentNotification({ row, post, actor, group }: NotificationFacts): NotificationShape {
  return {
    id: String(row._id),
    type: row.type,
    createdAt: row.at.toISOString(),
    readAt: row.readAt ? row.readAt.toISOString() : null,
    actor: actor ? presentPublicUser(actor) : null,
    actorCount: row.actorCount ?? 1,
    // The post's id and place are shown with the notification (a hidden post's author learns which one);
    // its text only while the recipient may read it.
    post: row.postId && row.groupId
      ? {
          id: String(row.postId),
          groupId: String(row.groupId),
          parentId: post?.parentId ? String(post.parentId) : null,
          excerpt: post ? excerptOf(post.bodyText ?? '') : '',
        }
      : null,
    group: group ? { id: String(group._id), name: group.name } : null,
    reason: row.reason ?? null,
  };
}
