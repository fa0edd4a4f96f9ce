// What each service calls after its write: who is to be told what. Whether each of them may see it is
// decided by notify() (./service.ts) through the policy; a failure here is logged and never undoes the write.
import { Types } from 'mongoose';
import type { AppContext } from '../context';
import { Membership } from '../models/membership';
import { Notification } from '../models/notification';
import type { PostFields } from '../models/post';
import { Report } from '../models/report';
import type { Viewer } from '../policy/viewer';
import { MAX_MENTIONS_PER_POST, mentionedUserIds } from './mentions';
import { mailNotification } from './email';
import { notify as write, notifyLike, type Draft, type Written } from './service';

/** Writes the notifications, then mails those whose recipients asked for e-mail. */
async function notify(ctx: AppContext, drafts: readonly Draft[]): Promise<void> {
  await mail(ctx, await write(ctx, drafts));
}

async function mail(ctx: AppContext, written: readonly (Written | null)[]): Promise<void> {
  for (const item of written) {
    if (item) await mailNotification(ctx, item.recipientId, item.notificationId, item.type, item.settings);
  }
}

async function bestEffort(ctx: AppContext, what: string, work: () => Promise<unknown>): Promise<void> {
  try {
    await work();
  } catch (error) {
    ctx.log.error(`notifications: ${what} failed`, error);
  }
}

/** A key no other notification has: the type happens once per event. */
function eventKey(type: string): string {
  return `${type}:${String(new Types.ObjectId())}`;
}

type WrittenPost = Pick<PostFields, '_id' | 'groupId' | 'parentId' | 'body'>;

/**
 * A new post or reply (previousBody null) or an edit: the parent's author hears of a reply; people mentioned
 * for the first time in this post hear of it, at most MAX_MENTIONS_PER_POST per post over all its versions.
 */
export function notifyPostWritten(ctx: AppContext, actor: Viewer, post: WrittenPost, previousBody: string | null, parentAuthorId: Types.ObjectId | null): Promise<void> {
  return bestEffort(ctx, 'post', async () => {
    const drafts: Draft[] = [];
    const base = { actorId: actor._id, postId: post._id, groupId: post.groupId };
    if (previousBody === null && parentAuthorId) {
      drafts.push({ ...base, recipientId: parentAuthorId, type: 'reply', key: `reply:${String(post._id)}` });
    }
    const before = new Set(previousBody === null ? [] : mentionedUserIds(previousBody));
    const added = mentionedUserIds(post.body).filter(
      (id) => !before.has(id) && id !== actor.id && !(previousBody === null && parentAuthorId && id === String(parentAuthorId)),
    );
    if (added.length) {
      const already = previousBody === null ? 0 : await Notification.countDocuments({ postId: post._id, type: 'mention' });
      for (const id of added.slice(0, Math.max(0, MAX_MENTIONS_PER_POST - already))) {
        drafts.push({ ...base, recipientId: new Types.ObjectId(id), type: 'mention', key: `mention:${String(post._id)}` });
      }
    }
    await notify(ctx, drafts);
  });
}

export function notifyLiked(ctx: AppContext, actor: Viewer, post: Pick<PostFields, '_id' | 'groupId' | 'authorId'>, likeCount: number): Promise<void> {
  return bestEffort(ctx, 'like', async () => mail(ctx, [await notifyLike(ctx, actor, post, likeCount)]));
}

/** A request to join: the group's owner and moderators. */
export function notifyJoinRequest(ctx: AppContext, actor: Viewer, groupId: Types.ObjectId): Promise<void> {
  return bestEffort(ctx, 'join request', async () => {
    const managers = await Membership.find({ groupId, status: 'member', role: { $in: ['owner', 'moderator'] } }, { _id: 0, userId: 1 }).lean<
      { userId: Types.ObjectId }[]
    >();
    const key = eventKey('join_request');
    await notify(ctx, managers.map((row) => ({ recipientId: row.userId, type: 'join_request', key, actorId: actor._id, groupId })));
  });
}

/** One person told something about a group: join_approved, invited, role_changed (group roles). */
export function notifyMember(
  ctx: AppContext,
  actor: Viewer,
  type: 'join_approved' | 'invited' | 'role_changed',
  groupId: Types.ObjectId,
  userId: Types.ObjectId,
  reason: string | null = null,
): Promise<void> {
  return bestEffort(ctx, type, () => notify(ctx, [{ recipientId: userId, type, key: eventKey(type), actorId: actor._id, groupId, reason }]));
}

/** Site roles changed by an admin. */
export function notifySiteRoles(ctx: AppContext, actor: Viewer, userId: Types.ObjectId, roles: readonly string[]): Promise<void> {
  return bestEffort(ctx, 'site roles', () =>
    notify(ctx, [{ recipientId: userId, type: 'role_changed', key: eventKey('role_changed'), actorId: actor._id, reason: roles.length ? roles.join(',') : 'none' }]),
  );
}

/** The author of a hidden or restored post, with the moderator's reason for hiding. */
export function notifyPostModerated(
  ctx: AppContext,
  actor: Viewer,
  type: 'post_hidden' | 'post_restored',
  post: Pick<PostFields, '_id' | 'groupId' | 'authorId'>,
  reason: string | null,
): Promise<void> {
  if (!post.authorId) return Promise.resolve();
  const authorId = post.authorId;
  return bestEffort(ctx, type, () =>
    notify(ctx, [{ recipientId: authorId, type, key: eventKey(type), actorId: actor._id, postId: post._id, groupId: post.groupId, reason: type === 'post_hidden' ? reason : null }]),
  );
}

/**
 * Reporters of closed reports learn only whether something was done: `acted_on` or `dismissed`. The moderator
 * stays unnamed (actor null): reporters and moderators may be colleagues.
 */
export function notifyReportsResolved(ctx: AppContext, reportIds: readonly Types.ObjectId[], outcome: 'acted_on' | 'dismissed'): Promise<void> {
  if (!reportIds.length) return Promise.resolve();
  return bestEffort(ctx, 'report resolution', async () => {
    const reports = await Report.find({ _id: { $in: reportIds } }, { reporterId: 1, postId: 1, groupId: 1 }).lean<
      { _id: Types.ObjectId; reporterId: Types.ObjectId; postId: Types.ObjectId; groupId: Types.ObjectId }[]
    >();
    await notify(
      ctx,
      reports.map((report) => ({
        recipientId: report.reporterId,
        type: 'report_resolved' as const,
        key: `report_resolved:${String(report._id)}`,
        actorId: null,
        postId: report.postId,
        groupId: report.groupId,
        reason: outcome,
      })),
    );
  });
}

/** People whose content was disclosed, when the notice is not withheld. */
export function notifyDisclosure(ctx: AppContext, disclosureId: Types.ObjectId, userIds: readonly Types.ObjectId[]): Promise<void> {
  return bestEffort(ctx, 'disclosure', () =>
    notify(ctx, userIds.map((userId) => ({ recipientId: userId, type: 'disclosure' as const, key: `disclosure:${String(disclosureId)}`, actorId: null }))),
  );
}
