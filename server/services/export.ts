// The data export: everything held about the caller as one JSON document, written piece by piece so
// that a long history never has to fit in memory. The schema is described in docs/export-schema.md.
import type { Types } from 'mongoose';
import { DEFAULT_LANGUAGE } from '../../shared/i18n/languages';
import type { AppContext } from '../context';
import { Unauthorized } from '../errors';
import { signPostImage } from '../media/post-images';
import { Consent, type ConsentFields } from '../models/consent';
import { EmailChange } from '../models/email-change';
import { Group, type GroupFields } from '../models/group';
import { Like } from '../models/like';
import { Membership, type MembershipFields } from '../models/membership';
import { Outbox, type OutboxFields } from '../models/outbox';
import { SecurityEvent, type SecurityEventFields } from '../models/security-event';
import { Post, type PostFields } from '../models/post';
import { Report, type ReportFields } from '../models/report';
import { PostRevision, type PostRevisionFields } from '../models/post-revision';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { avatarUrl, presentPreferences } from '../presenters/user';
import { disclosuresAbout } from './disclosures';
import { ownParentalConsentRefusal } from './parental-consent-refusals';
import { moderationActionsOn } from './moderation';
import { exportNotifications } from '../notifications/service';
import { viewerFromUser } from '../policy/viewer';

export const EXPORT_SCHEMA = 'forum-export/1';
const BATCH = 200;

/** Where the document goes; resolves when the consumer can take more (backpressure). */
export type ExportSink = (chunk: string) => Promise<void>;

type IdRow = { _id: Types.ObjectId };

/** Rows of a query in `_id` order, a batch at a time, so memory stays flat however many there are. */
async function* batches<T extends IdRow>(load: (after: Types.ObjectId | null) => Promise<T[]>): AsyncGenerator<T[]> {
  let after: Types.ObjectId | null = null;
  for (;;) {
    const rows = await load(after);
    if (!rows.length) return;
    yield rows;
    if (rows.length < BATCH) return;
    after = rows[rows.length - 1]!._id;
  }
}

function afterFilter(after: Types.ObjectId | null): Record<string, unknown> {
  return after ? { _id: { $gt: after } } : {};
}

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/** Writes `"name": [ ... ]` from batches of already presented items. */
async function writeArray(sink: ExportSink, name: string, items: AsyncIterable<unknown[]>): Promise<void> {
  await sink(`,\n${JSON.stringify(name)}: [`);
  let first = true;
  for await (const batch of items) {
    if (!batch.length) continue;
    await sink((first ? '\n' : ',\n') + batch.map((item) => JSON.stringify(item)).join(',\n'));
    first = false;
  }
  await sink(first ? ']' : '\n]');
}

function presentAccount(ctx: AppContext, user: UserFields) {
  const avatar = avatarUrl(user.avatarKey);
  return {
    id: String(user._id),
    email: user.email,
    name: user.name,
    displayName: user.displayName,
    bio: user.bio ?? '',
    dateOfBirth: user.dateOfBirth,
    isMember: user.isMember === true,
    roles: user.roles ?? [],
    status: user.status,
    parentEmail: user.parentEmail ?? null,
    preferences: presentPreferences(user.preferences),
    restricted: user.restricted === true,
    language: user.language ?? DEFAULT_LANGUAGE,
    avatar: avatar
      ? { url: `${ctx.config.publicUrl}${avatar}`, smallUrl: `${ctx.config.publicUrl}${avatar.replace(/-512\.webp$/, '-96.webp')}` }
      : null,
    createdAt: iso(user.createdAt),
    updatedAt: iso(user.updatedAt),
    passwordChangedAt: iso(user.passwordChangedAt),
  };
}

function presentConsent(entry: ConsentFields) {
  return { kind: entry.kind, channel: entry.channel ?? null, value: entry.value, source: entry.source, at: iso(entry.at) };
}

function presentMembership(row: MembershipFields, group: Pick<GroupFields, 'name' | 'slug' | 'visibility'> | undefined) {
  return {
    group: { id: String(row.groupId), name: group?.name ?? null, slug: group?.slug ?? null, visibility: group?.visibility ?? null },
    status: row.status,
    role: row.status === 'member' ? row.role : null,
    since: iso(row.createdAt),
    lastChangedAt: iso(row.updatedAt),
  };
}

function presentMessage(message: OutboxFields) {
  return { kind: message.kind, to: message.to, subject: message.subject, text: message.text, createdAt: iso(message.createdAt), sentAt: iso(message.sentAt) };
}

/**
 * The caller's own posts and replies in every group (closed ones included: it is their content),
 * hidden ones with the moderation that hid them, each with its earlier versions. Image URLs are signed
 * for at least ten minutes, which is what the media route honours for any post.
 */
async function* ownPosts(ctx: AppContext, userId: Types.ObjectId): AsyncGenerator<unknown[]> {
  for await (const rows of batches((after) =>
    Post.find({ authorId: userId, ...afterFilter(after) }).sort({ _id: 1 }).limit(BATCH).lean<PostFields[]>(),
  )) {
    const revisions = await PostRevision.find({ postId: { $in: rows.map((row) => row._id) } })
      .sort({ _id: 1 })
      .lean<PostRevisionFields[]>();
    const byPost = new Map<string, PostRevisionFields[]>();
    for (const revision of revisions) {
      const key = String(revision.postId);
      byPost.set(key, [...(byPost.get(key) ?? []), revision]);
    }
    const now = Math.floor(Date.now() / 1000);
    yield rows.map((post) => ({
      id: String(post._id),
      groupId: String(post.groupId),
      parentId: post.parentId ? String(post.parentId) : null,
      body: post.body,
      bodyText: post.bodyText,
      images: (post.images ?? []).map((image) => ({
        url: `${ctx.config.publicUrl}${signPostImage(ctx.signer, image.key, '1280', false, now)}`,
        thumbnailUrl: `${ctx.config.publicUrl}${signPostImage(ctx.signer, image.key, '320', false, now)}`,
        width: image.width,
        height: image.height,
      })),
      likeCount: post.likeCount ?? 0,
      replyCount: post.replyCount ?? 0,
      createdAt: iso(post.createdAt),
      editedAt: iso(post.editedAt),
      // Who hid it is the moderator's personal data; that and why it was hidden are the author's to know.
      moderation: post.hiddenAt ? { hiddenAt: iso(post.hiddenAt), reason: post.hiddenReason ?? null } : null,
      revisions: (byPost.get(String(post._id)) ?? []).map((revision) => ({
        body: revision.body,
        bodyText: revision.bodyText,
        replacedAt: iso(revision.replacedAt),
      })),
    }));
  }
}

async function* ownLikes(userId: Types.ObjectId): AsyncGenerator<unknown[]> {
  for await (const rows of batches((after) =>
    Like.find({ userId, ...afterFilter(after) }, { postId: 1, groupId: 1, createdAt: 1 })
      .sort({ _id: 1 })
      .limit(BATCH)
      .lean<(IdRow & { postId: Types.ObjectId; groupId: Types.ObjectId; createdAt: Date })[]>(),
  )) {
    yield rows.map((like) => ({ postId: String(like.postId), groupId: String(like.groupId), likedAt: iso(like.createdAt) }));
  }
}

async function* ownMemberships(userId: Types.ObjectId): AsyncGenerator<unknown[]> {
  for await (const rows of batches((after) =>
    Membership.find({ userId, ...afterFilter(after) }).sort({ _id: 1 }).limit(BATCH).lean<MembershipFields[]>(),
  )) {
    const groups = await Group.find({ _id: { $in: rows.map((row) => row.groupId) } }, { name: 1, slug: 1, visibility: 1 }).lean<GroupFields[]>();
    const byId = new Map(groups.map((group) => [String(group._id), group]));
    yield rows.map((row) => presentMembership(row, byId.get(String(row.groupId))));
  }
}

async function* ownConsents(userId: Types.ObjectId): AsyncGenerator<unknown[]> {
  for await (const rows of batches((after) => Consent.find({ userId, ...afterFilter(after) }).sort({ _id: 1 }).limit(BATCH).lean<ConsentFields[]>())) {
    yield rows.map(presentConsent);
  }
}

/** The account's security log (password resets), oldest first. */
async function* ownSecurityEvents(userId: Types.ObjectId): AsyncGenerator<unknown[]> {
  for await (const rows of batches((after) => SecurityEvent.find({ userId, ...afterFilter(after) }).sort({ _id: 1 }).limit(BATCH).lean<SecurityEventFields[]>())) {
    yield rows.map((event) => ({ kind: event.kind, at: iso(event.at) }));
  }
}

async function* ownMessages(userId: Types.ObjectId): AsyncGenerator<unknown[]> {
  for await (const rows of batches((after) => Outbox.find({ userId, ...afterFilter(after) }).sort({ _id: 1 }).limit(BATCH).lean<OutboxFields[]>())) {
    yield rows.map(presentMessage);
  }
}

/** Reports the caller filed: which post, why, and where the report stands (not who decided it). */
async function* ownReports(userId: Types.ObjectId): AsyncGenerator<unknown[]> {
  for await (const rows of batches((after) =>
    Report.find({ reporterId: userId, ...afterFilter(after) }, { postId: 1, groupId: 1, reason: 1, status: 1, createdAt: 1, 'resolution.action': 1, 'resolution.at': 1 })
      .sort({ _id: 1 })
      .limit(BATCH)
      .lean<(IdRow & Pick<ReportFields, 'postId' | 'groupId' | 'reason' | 'status' | 'resolution'> & { createdAt: Date })[]>(),
  )) {
    yield rows.map((report) => ({
      postId: String(report.postId),
      groupId: String(report.groupId),
      reason: report.reason,
      status: report.status,
      filedAt: iso(report.createdAt),
      resolution: report.resolution ? { action: report.resolution.action, at: iso(report.resolution.at) } : null,
    }));
  }
}

/**
 * Writes the whole export for an active account. Other people appear in it only as counts (likes,
 * replies) and never by name, address or id: their replies and likes are theirs to export.
 */
export async function writeExport(ctx: AppContext, userId: Types.ObjectId, sink: ExportSink, now = new Date()): Promise<void> {
  const user = await User.findOne({ _id: userId, ...ACTIVE_ACCOUNT }).lean<UserFields>();
  if (!user) throw new Unauthorized();
  const pendingChange = await EmailChange.findOne({ userId }, { newEmail: 1, createdAt: 1, expiresAt: 1 }).lean();
  await sink(`{\n"schema": ${JSON.stringify(EXPORT_SCHEMA)},\n"exportedAt": ${JSON.stringify(now.toISOString())}`);
  await sink(`,\n"account": ${JSON.stringify(presentAccount(ctx, user))}`);
  await sink(
    `,\n"pendingEmailChange": ${JSON.stringify(
      pendingChange ? { newEmail: pendingChange.newEmail, requestedAt: iso(pendingChange.createdAt), expiresAt: iso(pendingChange.expiresAt) } : null,
    )}`,
  );
  // Kept by address, not by account: the caller's when their own, proven address is the one that refused.
  const refusal = await ownParentalConsentRefusal(user);
  await sink(`,\n"parentalConsentRequestsRefused": ${JSON.stringify(refusal ? { reason: refusal.reason, at: iso(refusal.at) } : null)}`);
  await writeArray(sink, 'consents', ownConsents(userId));
  await writeArray(sink, 'securityLog', ownSecurityEvents(userId));
  await writeArray(sink, 'memberships', ownMemberships(userId));
  await writeArray(sink, 'posts', ownPosts(ctx, userId));
  await writeArray(sink, 'likes', ownLikes(userId));
  await writeArray(sink, 'messages', ownMessages(userId));
  await writeArray(sink, 'reportsFiled', ownReports(userId));
  await sink(`,\n"moderationActions": ${JSON.stringify(await moderationActionsOn(userId))}`);
  await sink(`,\n"disclosures": ${JSON.stringify(await disclosuresAbout(userId))}`);
  await sink(`,\n"notifications": ${JSON.stringify(await exportNotifications(viewerFromUser(user)))}`);
  await sink('\n}\n');
}
