// Notifications: created for one recipient at a time only if that person may see the subject now; listed,
// counted, sent live and mailed only while they still may (./visibility.ts asks the policy each time).
import { Types } from 'mongoose';
import type { Page } from '../../shared/api';
import type { Notification as NotificationShape, NotificationSettings, NotificationType } from '../../shared/notifications';
import type { AppContext } from '../context';
import { Invalid } from '../errors';
import { Group } from '../models/group';
import { Notification, NotificationSettingsModel, type NotificationFields } from '../models/notification';
import { getSettings, settingsOfUsers } from './settings';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { viewerFromUser, type Viewer } from '../policy/viewer';
import { presentNotification } from '../presenters/notification';
import { loadPublicUsers } from '../services/profiles';
import { judgeNotifications, type Judgement } from './visibility';
import { readCache, type CachedUnreadCount } from '../services/read-cache';

/** What a service asks to be told to one person. */
export interface Draft {
  recipientId: Types.ObjectId;
  type: NotificationType;
  /** See the model's `key`; unique per recipient. */
  key: string;
  actorId: Types.ObjectId | null;
  postId?: Types.ObjectId | null;
  groupId?: Types.ObjectId | null;
  reason?: string | null;
}

/** Unread notifications looked at for the count; the client shows "99+" long before this. */
export const MAX_COUNTED = 500;
export const DEFAULT_RETENTION_DAYS = 90;

function announce(ctx: AppContext, userId: Types.ObjectId, notificationId: Types.ObjectId | null): void {
  ctx.events.publish({ type: 'notification.changed', userId: String(userId), notificationId: notificationId ? String(notificationId) : null });
}

/** Active accounts among these ids, as viewers with their site roles. */
export async function activeViewers(userIds: readonly Types.ObjectId[]): Promise<Map<string, Viewer>> {
  if (!userIds.length) return new Map();
  const users = await User.find({ _id: { $in: userIds }, ...ACTIVE_ACCOUNT }, { roles: 1 }).lean<Pick<UserFields, '_id' | 'roles'>[]>();
  return new Map(users.map((user) => [String(user._id), viewerFromUser(user)]));
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

/** A notification written (or, for likes, brought up again), for what follows it (e-mail). */
export interface Written {
  recipientId: Types.ObjectId;
  notificationId: Types.ObjectId;
  type: NotificationType;
  settings: NotificationSettings;
}

/**
 * Writes the drafts whose recipient is not the actor, is an active account, wants this type in the app and
 * may see its subject now. A draft whose key the recipient already has is dropped (an edit re-mentioning
 * someone).
 */
export async function notify(ctx: AppContext, drafts: readonly Draft[]): Promise<Written[]> {
  const wanted = drafts.filter((draft) => !(draft.actorId && draft.actorId.equals(draft.recipientId)));
  if (!wanted.length) return [];
  const recipientIds = wanted.map((draft) => draft.recipientId);
  const [viewers, settings] = await Promise.all([activeViewers(recipientIds), settingsOfUsers(recipientIds)]);
  const notified: Written[] = [];
  await Promise.all(
    wanted.map(async (draft) => {
      const viewer = viewers.get(String(draft.recipientId));
      if (!viewer || !settings.get(String(draft.recipientId))![draft.type].inApp) return;
      const subject = { _id: new Types.ObjectId(), type: draft.type, postId: draft.postId ?? null, groupId: draft.groupId ?? null };
      if ((await judgeNotifications(viewer, [subject])).size === 0) return;
      try {
        await Notification.create({
          _id: subject._id,
          recipientId: draft.recipientId,
          type: draft.type,
          key: draft.key,
          actorId: draft.actorId,
          postId: subject.postId,
          groupId: subject.groupId,
          reason: draft.reason ?? null,
          at: new Date(),
        });
      } catch (error) {
        if (isDuplicateKey(error)) return;
        throw error;
      }
      notified.push({ recipientId: draft.recipientId, notificationId: subject._id, type: draft.type, settings: settings.get(String(draft.recipientId))! });
      announce(ctx, draft.recipientId, subject._id);
    }),
  );
  return notified;
}

/**
 * A like: one notification per post for its author, carrying the number of likes and the latest liker.
 * The count is the post's like count at this like, kept with $max so concurrent likes settle on the highest.
 */
export async function notifyLike(
  ctx: AppContext,
  actor: Viewer,
  post: { _id: Types.ObjectId; groupId: Types.ObjectId; authorId?: Types.ObjectId | null },
  likeCount: number,
): Promise<Written | null> {
  const recipientId = post.authorId;
  if (!recipientId || recipientId.equals(actor._id)) return null;
  const [viewer] = [...(await activeViewers([recipientId])).values()];
  const settings = (await settingsOfUsers([recipientId])).get(String(recipientId))!;
  if (!viewer || !settings.like.inApp) return null;
  if ((await judgeNotifications(viewer, [{ _id: post._id, type: 'like', postId: post._id, groupId: post.groupId }])).size === 0) return null;
  const filter = { recipientId, key: `like:${String(post._id)}` };
  const update = {
    $max: { actorCount: likeCount, at: new Date() },
    $set: { actorId: actor._id, readAt: null, expiresAt: null },
    $setOnInsert: { type: 'like', postId: post._id, groupId: post.groupId, reason: null },
  };
  let row: Pick<NotificationFields, '_id'> | null = null;
  for (let attempt = 0; !row; attempt++) {
    try {
      row = await Notification.findOneAndUpdate(filter, update, { upsert: true, new: true, projection: { _id: 1 } }).lean<Pick<NotificationFields, '_id'>>();
    } catch (error) {
      // Two first likes at once: one insert wins, the other updates what it wrote.
      if (!isDuplicateKey(error) || attempt >= 3) throw error;
    }
  }
  announce(ctx, recipientId, row._id);
  return { recipientId, notificationId: row._id, type: 'like', settings };
}

interface ListRequest {
  limit: number;
  cursor: string | null;
  unread: boolean;
}

/** `<at in ms>.<id>`: the list is ordered by `at` (a like moves up when liked again), then id. */
function parseCursor(cursor: string | null): { at: Date; id: Types.ObjectId } | null {
  if (cursor === null) return null;
  const match = /^(\d{1,15})\.([0-9a-f]{24})$/.exec(cursor);
  if (!match) throw new Invalid('cursor', 'errors.field.cursor');
  return { at: new Date(Number(match[1])), id: new Types.ObjectId(match[2]) };
}

function cursorOf(row: Pick<NotificationFields, '_id' | 'at'>): string {
  return `${row.at.getTime()}.${String(row._id)}`;
}

/** How many rows one page may look through for visible ones; a page after many invisible ones may come out short. */
const MAX_SCANNED_PER_PAGE = 500;

export async function listNotifications(viewer: Viewer, request: ListRequest): Promise<Page<NotificationShape>> {
  let after = parseCursor(request.cursor);
  const kept: { row: NotificationFields; judgement: Judgement }[] = [];
  let scanned = 0;
  let exhausted = false;
  let lastScanned: NotificationFields | null = null;
  while (kept.length <= request.limit && scanned < MAX_SCANNED_PER_PAGE) {
    const batchSize = (request.limit + 1) * 2;
    const rows = await Notification.find({
      recipientId: viewer._id,
      ...(request.unread ? { readAt: null } : {}),
      ...(after ? { $or: [{ at: { $lt: after.at } }, { at: after.at, _id: { $lt: after.id } }] } : {}),
    })
      .sort({ at: -1, _id: -1 })
      .limit(batchSize)
      .lean<NotificationFields[]>();
    scanned += rows.length;
    const judged = await judgeNotifications(viewer, rows);
    for (const row of rows) {
      lastScanned = row;
      const judgement = judged.get(String(row._id));
      if (judgement) kept.push({ row, judgement });
      if (kept.length > request.limit) break;
    }
    if (rows.length < batchSize) {
      exhausted = kept.length <= request.limit;
      break;
    }
    after = { at: lastScanned!.at, id: lastScanned!._id };
  }
  const more = kept.length > request.limit;
  const page = kept.slice(0, request.limit);
  const nextCursor = more ? cursorOf(page[page.length - 1]!.row) : !exhausted && lastScanned ? cursorOf(lastScanned) : null;
  return { items: await presentAll(page), nextCursor };
}

async function presentAll(items: { row: NotificationFields; judgement: Judgement }[]): Promise<NotificationShape[]> {
  const actorIds = items.flatMap(({ row }) => (row.actorId ? [String(row.actorId)] : []));
  const groupIds = [...new Set(items.flatMap(({ row }) => (row.groupId ? [String(row.groupId)] : [])))];
  const [actors, groups] = await Promise.all([
    loadPublicUsers(actorIds),
    groupIds.length ? Group.find({ _id: { $in: groupIds } }, { name: 1 }).lean<{ _id: Types.ObjectId; name: string }[]>() : [],
  ]);
  const groupById = new Map(groups.map((group) => [String(group._id), group]));
  return items.map(({ row, judgement }) =>
    presentNotification({
      row,
      post: judgement.post,
      actor: row.actorId ? (actors.get(String(row.actorId)) ?? null) : null,
      group: row.groupId ? (groupById.get(String(row.groupId)) ?? null) : null,
    }),
  );
}

/** These notifications of the viewer as they see them now, in the order given; those gone or no longer theirs to see left out. */
export async function presentVisible(viewer: Viewer, notificationIds: readonly Types.ObjectId[]): Promise<NotificationShape[]> {
  const rows = await Notification.find({ _id: { $in: notificationIds }, recipientId: viewer._id }).lean<NotificationFields[]>();
  const byId = new Map(rows.map((row) => [String(row._id), row]));
  const judged = await judgeNotifications(viewer, rows);
  return presentAll(
    notificationIds.flatMap((id) => {
      const row = byId.get(String(id));
      const judgement = judged.get(String(id));
      return row && judgement ? [{ row, judgement }] : [];
    }),
  );
}

/**
 * The unread notifications the viewer may see now, as the list would show them. Judged once, then answered from
 * memory until an event drops it (server/services/read-cache.ts): one of theirs written or read, a change of
 * their memberships or roles, or of a post or group one of them is about.
 */
export async function unreadCount(viewer: Viewer): Promise<number> {
  const roles = [...viewer.roles].sort().join(',');
  const counted = await readCache.unreadCounts.get(viewer.id, () => countUnread(viewer, roles));
  // Judged for other roles: this request's viewer or the entry predates a role change whose event is on its way.
  return counted.roles === roles ? counted.count : (await countUnread(viewer, roles)).count;
}

async function countUnread(viewer: Viewer, roles: string): Promise<CachedUnreadCount> {
  const rows = await Notification.find({ recipientId: viewer._id, readAt: null }, { type: 1, postId: 1, groupId: 1 })
    .sort({ at: -1 })
    .limit(MAX_COUNTED)
    .lean<Pick<NotificationFields, '_id' | 'type' | 'postId' | 'groupId'>[]>();
  const postIds = new Set<string>();
  const judged = await judgeNotifications(viewer, rows, { withText: false, threads: postIds });
  const groupIds = new Set<string>();
  for (const row of rows) {
    if (row.postId) postIds.add(String(row.postId));
    if (row.groupId) groupIds.add(String(row.groupId));
  }
  return { count: judged.size, roles, postIds, groupIds };
}

export type ReadRequest = { ids: Types.ObjectId[] } | { all: true };

/** Marks the caller's own notifications read; read ones are pruned `retentionDays` later. Returns the new count. */
export async function markRead(ctx: AppContext, viewer: Viewer, request: ReadRequest, retentionDays: number): Promise<number> {
  const now = new Date();
  const expiresAt = new Date(now.getTime() + retentionDays * 24 * 60 * 60 * 1000);
  const filter = { recipientId: viewer._id, readAt: null, ...('ids' in request ? { _id: { $in: request.ids } } : {}) };
  const updated = await Notification.updateMany(filter, { $set: { readAt: now, expiresAt } });
  if (updated.modifiedCount > 0) announce(ctx, viewer._id, null);
  return unreadCount(viewer);
}

/** Erasure: notifications to the person go, and they vanish as the actor of everyone else's. */
export async function eraseNotificationsOf(userId: Types.ObjectId): Promise<void> {
  await Notification.deleteMany({ recipientId: userId });
  await Notification.updateMany({ actorId: userId }, { $set: { actorId: null } });
  await NotificationSettingsModel.deleteOne({ userId });
}

export interface NotificationExport {
  settings: NotificationSettings;
  /**
   * Like the rest of the export, they name nobody else and hold nobody else's words or post ids: the actor and
   * excerpt of a notification are the other person's to export. Those about what the person can no longer
   * see keep only their kind and time.
   */
  notifications: Array<{
    type: NotificationType;
    createdAt: string;
    readAt: string | null;
    actorCount: number;
    group: { id: string; name: string } | null;
    reason: string | null;
  }>;
}

export async function exportNotifications(viewer: Viewer): Promise<NotificationExport> {
  const rows = await Notification.find({ recipientId: viewer._id }).sort({ at: -1, _id: -1 }).lean<NotificationFields[]>();
  const judged = await judgeNotifications(viewer, rows);
  const visible = rows.flatMap((row) => {
    const judgement = judged.get(String(row._id));
    return judgement ? [{ row, judgement }] : [];
  });
  const presented = new Map((await presentAll(visible)).map((shape) => [shape.id, shape]));
  return {
    settings: await getSettings(viewer._id),
    notifications: rows.map((row) => {
      const shape = presented.get(String(row._id));
      return {
        type: row.type,
        createdAt: row.at.toISOString(),
        readAt: row.readAt ? row.readAt.toISOString() : null,
        actorCount: shape ? shape.actorCount : 1,
        group: shape?.group ?? null,
        reason: shape ? shape.reason : null,
      };
    }),
  };
}
