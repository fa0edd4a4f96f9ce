// Reports and the review queue, and the actions on them: hide, restore, delete, suspend, dismiss.
// Every action closes the related open reports, records who did it and why, and writes an audit entry.
import type { Types } from 'mongoose';
import type { Page } from '../../shared/api';
import type { FiledReport, ModerationNotice, PostModeration, Report as ReportShape, ReportStatus, Suspension } from '../../shared/moderation';
import { chooseLanguage } from '../../shared/i18n/languages';
import type { AppContext } from '../context';
import { Conflict, NotFound } from '../errors';
import { Group } from '../models/group';
import { Membership, type GroupRole, type MembershipState } from '../models/membership';
import { ModerationAction, type ModerationActionKind } from '../models/moderation-action';
import { POST_PRESENTER_FIELDS, Post, type PostFields, type PresentablePost } from '../models/post';
import { Report, type ReportFields } from '../models/report';
import { User } from '../models/user';
import {
  accessTo,
  authorizeGroupModeration,
  authorizeSuspension,
  decideReport,
  inReviewScope,
  loadGroupRef,
  moderatorReadTouchesContent,
  readsByModeratorOverride,
  recordModeratorRead,
  requireModeratorReadReason,
  reviewScope,
  type ModeratorRead,
} from '../policy';
import type { Viewer } from '../policy/viewer';
import type { AuthorizeOptions } from '../policy';
import { presentModerationNotice, presentReports } from '../presenters/moderation';
import type { UrlSigner } from '../media/signed-urls';
import { confirmActiveWriter } from './active-writer';
import { appendAudit } from './audit';
import { presentPostsFor } from './post-views';
import { loadPublicUsers } from './profiles';
import { preserveBeforeChange } from './holds';
import { sendMessage } from './outbox';
import { moderationNotice, type ModerationNoticeKind } from '../mail/templates';
import { cursorFilter, toPage, type PageRequest } from './pagination';
import { deletePost, recountReplies } from './posts';
import { hideRepliesWithThread, markRepliesWithThread } from './thread-hiding';
import { notifyPostModerated, notifyReportsResolved } from '../notifications/hooks';

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

async function loadPost(postId: Types.ObjectId): Promise<PostFields> {
  const post = await Post.findById(postId).lean<PostFields>();
  if (!post) throw new NotFound('post');
  return post;
}

/** Any signed-in user who can see a post may report it, once while their report is open. */
export async function fileReport(viewer: Viewer, postId: Types.ObjectId, reason: string): Promise<FiledReport> {
  const post = await loadPost(postId);
  const group = await loadGroupRef(post.groupId);
  if (!group || decideReport(await accessTo(viewer, group), post) !== 'allow') throw new NotFound('post');
  try {
    const report = (
      await Report.create({ postId, groupId: post.groupId, authorId: post.authorId, reporterId: viewer._id, reason })
    ).toObject() as ReportFields;
    await confirmActiveWriter(viewer._id, () => Report.deleteOne({ _id: report._id }));
    return { id: String(report._id), postId: String(postId), reason, status: report.status, createdAt: report.createdAt.toISOString() };
  } catch (error) {
    if (isDuplicateKey(error)) throw new Conflict('errors.conflict.alreadyReported');
    throw error;
  }
}

/**
 * The review queue: site moderators see every group's reports, owners and group moderators their groups'.
 * A post in a closed group the site moderator is not in is shown only with their own stated reason
 * (`options.reason`), audited like every other door; without one it is withheld (`postWithheld`).
 */
export async function listReports(
  ctx: AppContext,
  viewer: Viewer,
  status: ReportStatus | 'all',
  page: PageRequest,
  options: AuthorizeOptions = {},
): Promise<Page<ReportShape>> {
  const scope = await reviewScope(viewer);
  const rows = await Report.find({ ...(status === 'all' ? {} : { status }), ...(scope.all ? {} : { groupId: { $in: scope.groupIds } }), ...cursorFilter(page) })
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<ReportFields[]>();
  return toPage(rows, page, async (kept) => presentReportsFor(kept, viewer, ctx.signer, await auditQueueReads(ctx, viewer, kept, options.reason ?? null)));
}

/**
 * Reports with their posts as the reviewing moderator sees them and their reporters' public cards; the posts
 * in `withheld` are not even read.
 */
async function presentReportsFor(rows: ReportFields[], viewer: Viewer, signer: UrlSigner, withheld: ReadonlySet<string>): Promise<ReportShape[]> {
  if (!rows.length) return [];
  const [posts, reporters] = await Promise.all([
    Post.find({ _id: { $in: rows.map((row) => row.postId).filter((id) => !withheld.has(String(id))) }, deletedAt: null }, POST_PRESENTER_FIELDS).lean<PresentablePost[]>(),
    loadPublicUsers(rows.map((row) => String(row.reporterId))),
  ]);
  const presented = await presentPostsFor(posts, viewer, signer);
  const postById = new Map(posts.map((post, index) => [String(post._id), { post: presented[index]!, hidden: post.hiddenAt != null }]));
  return presentReports(rows, postById, reporters, withheld);
}

/**
 * Audits a site moderator's queue reads of closed groups they are not in, with the reason they gave; with
 * none, returns those reports' post ids to withhold. A report, which anyone who can see a post may file
 * with any text, is never the moderator's reason.
 */
async function auditQueueReads(ctx: AppContext, viewer: Viewer, reports: readonly ReportFields[], reason: string | null): Promise<Set<string>> {
  const withheld = new Set<string>();
  const byGroup = new Map<string, ReportFields[]>();
  for (const report of reports) {
    const key = String(report.groupId);
    byGroup.set(key, [...(byGroup.get(key) ?? []), report]);
  }
  for (const inGroup of byGroup.values()) {
    const group = await loadGroupRef(inGroup[0]!.groupId);
    if (!group || !readsByModeratorOverride(await accessTo(viewer, group))) continue;
    for (const report of inGroup) {
      if (reason) await recordModeratorRead({ viewer, groupId: group._id, postId: report.postId, action: 'review', reason }, ctx.auditModeratorRead);
      else withheld.add(String(report.postId));
    }
  }
  return withheld;
}

interface Resolution {
  action: ModerationActionKind | 'post_deleted';
  by: Types.ObjectId | null;
  reason: string | null;
}

/** Closes the matching open reports; returns the ids it closed. */
async function closeReports(filter: Record<string, unknown>, status: 'resolved' | 'dismissed', resolution: Resolution): Promise<Types.ObjectId[]> {
  const open = await Report.find({ ...filter, status: 'open' }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
  if (!open.length) return [];
  const ids = open.map((row) => row._id);
  await Report.updateMany({ _id: { $in: ids }, status: 'open' }, { $set: { status, resolution: { ...resolution, at: new Date() } } });
  return ids;
}

interface ActionRecord {
  action: ModerationActionKind;
  actor: Viewer;
  groupId: Types.ObjectId;
  postId?: Types.ObjectId | null;
  subjectId?: Types.ObjectId | null;
  reason: string | null;
  /** Audit target, `<kind>:<id>`. */
  target: string;
}

async function recordAction(ctx: AppContext, record: ActionRecord): Promise<void> {
  await ModerationAction.create({
    action: record.action,
    actorId: record.actor._id,
    groupId: record.groupId,
    postId: record.postId ?? null,
    subjectId: record.subjectId ?? null,
    reason: record.reason,
    at: new Date(),
  });
  await appendAudit(ctx, { actor: record.actor.id, action: `${record.target.split(':')[0]}.${record.action}`, target: record.target, reason: record.reason });
}

/** A transactional message to the user concerned, in their language; nothing when the account is gone. */
async function tellUser(ctx: AppContext, userId: Types.ObjectId | null | undefined, notice: { kind: ModerationNoticeKind; groupId: Types.ObjectId; reason?: string }): Promise<void> {
  if (!userId) return;
  const user = await User.findById(userId, { email: 1, language: 1 }).lean<{ _id: Types.ObjectId; email: string; language?: string }>();
  if (!user) return;
  const content = moderationNotice(chooseLanguage(user.language), { kind: notice.kind, group: await groupName(notice.groupId), reason: notice.reason ?? null });
  await sendMessage(ctx, { kind: 'transactional', to: user.email, userId: user._id, content });
}

async function groupName(groupId: Types.ObjectId): Promise<string> {
  return (await Group.findById(groupId, { name: 1 }).lean<{ name: string }>())?.name ?? 'a group';
}

function presentModeration(post: Pick<PostFields, '_id' | 'hiddenAt' | 'hiddenReason'>): PostModeration {
  return {
    id: String(post._id),
    hidden: post.hiddenAt != null,
    hiddenAt: post.hiddenAt ? post.hiddenAt.toISOString() : null,
    hiddenReason: post.hiddenReason ?? null,
  };
}

function publishPost(ctx: AppContext, type: 'post.hidden' | 'post.restored', post: PostFields): void {
  ctx.events.publish({ type, postId: String(post._id), groupId: String(post.groupId), parentId: post.parentId ? String(post.parentId) : null });
}

/** Hides a post from everyone but moderators, everywhere, and a top-level post's replies with it; the author is told why. */
export async function hidePost(ctx: AppContext, viewer: Viewer, postId: Types.ObjectId, reason: string): Promise<PostModeration> {
  const post = await loadPost(postId);
  await authorizeGroupModeration(viewer, 'hide', post.groupId, post);
  if (post.deletedAt) throw new NotFound('post');
  if (post.hiddenAt) throw new Conflict('errors.conflict.alreadyHidden');
  await preserveBeforeChange(ctx, { postIds: [postId] }, 'hide');
  const hiddenAt = new Date();
  // A thread's replies first: a hide cut short leaves them hidden, never the replies of a hidden post readable.
  if (!post.parentId) await hideRepliesWithThread(postId, hiddenAt);
  const hidden = await Post.findOneAndUpdate(
    { _id: postId, hiddenAt: null, deletedAt: null },
    { $set: { hiddenAt, hiddenBy: viewer._id, hiddenReason: reason } },
    { new: true },
  ).lean<PostFields>();
  if (!hidden) {
    if (!post.parentId) await markRepliesWithThread(postId);
    throw new Conflict('errors.conflict.alreadyHidden');
  }
  // Before the event, so whatever it refreshes (feeds, cached heads, caches of the replies) reads the new state.
  if (hidden.parentId) await recountReplies(hidden.parentId);
  else await markRepliesWithThread(postId);
  const resolved = await closeReports({ postId }, 'resolved', { action: 'hide', by: viewer._id, reason });
  await recordAction(ctx, { action: 'hide', actor: viewer, groupId: post.groupId, postId, subjectId: post.authorId, reason, target: `post:${String(postId)}` });
  publishPost(ctx, 'post.hidden', hidden);
  await notifyPostModerated(ctx, viewer, 'post_hidden', post, reason);
  await notifyReportsResolved(ctx, resolved, 'acted_on');
  await tellUser(ctx, post.authorId, { kind: 'postHidden', groupId: post.groupId, reason });
  return presentModeration(hidden);
}

export async function restorePost(ctx: AppContext, viewer: Viewer, postId: Types.ObjectId, reason: string | null): Promise<PostModeration> {
  const post = await loadPost(postId);
  await authorizeGroupModeration(viewer, 'restore', post.groupId, post);
  if (post.deletedAt) throw new NotFound('post');
  const restored = await Post.findOneAndUpdate(
    { _id: postId, hiddenAt: { $ne: null }, deletedAt: null },
    { $set: { hiddenAt: null, hiddenBy: null, hiddenReason: null } },
    { new: true },
  ).lean<PostFields>();
  if (!restored) throw new Conflict('errors.conflict.notHidden');
  if (restored.parentId) await recountReplies(restored.parentId);
  else await markRepliesWithThread(postId);
  const resolved = await closeReports({ postId }, 'resolved', { action: 'restore', by: viewer._id, reason });
  await recordAction(ctx, { action: 'restore', actor: viewer, groupId: post.groupId, postId, subjectId: post.authorId, reason, target: `post:${String(postId)}` });
  publishPost(ctx, 'post.restored', restored);
  await notifyPostModerated(ctx, viewer, 'post_restored', post, null);
  // The post stays up: to its reporters that is a dismissal.
  await notifyReportsResolved(ctx, resolved, 'dismissed');
  await tellUser(ctx, post.authorId, { kind: 'postRestored', groupId: post.groupId });
  return presentModeration(restored);
}

/**
 * Deletion by a moderator, with a reason. The reports are closed first (so the author-deletion listener
 * does not claim them) and reopened if the deletion fails.
 */
export async function moderatorDeletePost(ctx: AppContext, viewer: Viewer, postId: Types.ObjectId, reason: string): Promise<void> {
  const post = await loadPost(postId);
  await authorizeGroupModeration(viewer, 'delete', post.groupId, post);
  if (post.deletedAt) throw new NotFound('post');
  const closed = await closeReports({ postId }, 'resolved', { action: 'delete', by: viewer._id, reason });
  try {
    await deletePost(ctx, viewer, postId, { reason });
  } catch (error) {
    if (closed.length) await Report.updateMany({ _id: { $in: closed } }, { $set: { status: 'open', resolution: null } });
    throw error;
  }
  await recordAction(ctx, { action: 'delete', actor: viewer, groupId: post.groupId, postId, subjectId: post.authorId, reason, target: `post:${String(postId)}` });
  await notifyReportsResolved(ctx, closed, 'acted_on');
  await tellUser(ctx, post.authorId, { kind: 'postDeleted', groupId: post.groupId, reason });
}

/** Dismisses a report, and with it every other open report on the same post: one review, one decision. */
export async function dismissReport(ctx: AppContext, viewer: Viewer, reportId: Types.ObjectId, reason: string): Promise<void> {
  const scope = await reviewScope(viewer);
  const report = await Report.findById(reportId).lean<ReportFields>();
  if (!report || !inReviewScope(scope, report.groupId)) throw new NotFound('report');
  if (report.status !== 'open') throw new Conflict('errors.conflict.reportClosed');
  const dismissed = await closeReports({ postId: report.postId }, 'dismissed', { action: 'dismiss', by: viewer._id, reason });
  await recordAction(ctx, {
    action: 'dismiss',
    actor: viewer,
    groupId: report.groupId,
    postId: report.postId,
    subjectId: report.authorId,
    reason,
    target: `report:${String(reportId)}`,
  });
  await notifyReportsResolved(ctx, dismissed, 'dismissed');
}

type MembershipFacts = { status: MembershipState; role: GroupRole };

/**
 * Suspends a user from a group: membership ends now and neither joining nor an invitation brings them back
 * until the suspension is lifted. Open reports on their posts in the group are resolved.
 */
export async function suspendMember(ctx: AppContext, viewer: Viewer, groupId: Types.ObjectId, userId: Types.ObjectId, reason: string): Promise<Suspension> {
  const access = await authorizeGroupModeration(viewer, 'suspend', groupId);
  if (!(await User.exists({ _id: userId }))) throw new NotFound('user');
  const membership = await Membership.findOne({ groupId, userId }, { status: 1, role: 1 }).lean<MembershipFacts>();
  authorizeSuspension(access, { userId, membership });
  if (membership?.status === 'suspended') throw new Conflict('errors.conflict.alreadySuspendedFromGroup');
  const changed = membership
    ? (await Membership.updateOne({ groupId, userId, status: membership.status }, { $set: { status: 'suspended', role: 'member' } })).modifiedCount === 1
    : await Membership.create({ groupId, userId, status: 'suspended', role: 'member' }).then(
        () => true,
        (error: unknown) => {
          if (isDuplicateKey(error)) return false;
          throw error;
        },
      );
  if (!changed) throw new Conflict('errors.conflict.membershipChanged');
  if (membership?.status === 'member') await Group.updateOne({ _id: groupId }, { $inc: { memberCount: -1 } });
  ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: String(userId) });
  await closeReports({ groupId, authorId: userId }, 'resolved', { action: 'suspend', by: viewer._id, reason });
  const target = `membership:${String(groupId)}/${String(userId)}`;
  await recordAction(ctx, { action: 'suspend', actor: viewer, groupId, subjectId: userId, reason, target });
  await tellUser(ctx, userId, { kind: 'suspended', groupId, reason });
  return { groupId: String(groupId), userId: String(userId), suspended: true };
}

/** Lifts a suspension: the user may join (or be invited) again. */
export async function liftSuspension(ctx: AppContext, viewer: Viewer, groupId: Types.ObjectId, userId: Types.ObjectId, reason: string | null): Promise<Suspension> {
  await authorizeGroupModeration(viewer, 'suspend', groupId);
  const lifted = await Membership.deleteOne({ groupId, userId, status: 'suspended' });
  if (lifted.deletedCount !== 1) throw new NotFound('suspension');
  ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: String(userId) });
  const target = `membership:${String(groupId)}/${String(userId)}`;
  await recordAction(ctx, { action: 'unsuspend', actor: viewer, groupId, subjectId: userId, reason, target });
  return { groupId: String(groupId), userId: String(userId), suspended: false };
}

/** For the privacy export: what moderators did to this user's content or memberships (not who did it). */
export async function moderationActionsOn(userId: Types.ObjectId): Promise<ModerationNotice[]> {
  const rows = await ModerationAction.find({ subjectId: userId, action: { $ne: 'dismiss' } })
    .sort({ at: -1 })
    .lean<Parameters<typeof presentModerationNotice>[0][]>();
  return rows.map(presentModerationNotice);
}

/**
 * Wires moderation into a running forum: site moderators' reads of closed groups they are not in need a
 * reason and are audited, and reports on a post its author deleted are closed.
 */
/** The forum's moderator-read auditor (AppContext.auditModeratorRead): a reason is required and written to the audit log. */
export async function auditModeratorRead(ctx: AppContext, read: ModeratorRead): Promise<void> {
  if (!moderatorReadTouchesContent(read)) return;
  const reason = requireModeratorReadReason(read);
  const target = read.postId ? `post:${String(read.postId)}` : `group:${String(read.groupId)}`;
  await appendAudit(ctx, { actor: read.viewer.id, action: 'moderator.read', target, reason });
}

export function installModeration(ctx: AppContext): () => void {
  const offDeleted = ctx.events.on('post.deleted', (event) => {
    closeReports({ postId: event.postId }, 'resolved', { action: 'post_deleted', by: null, reason: null }).catch((error: unknown) =>
      ctx.log.error('closing reports of a deleted post failed', error),
    );
  });
  return () => offDeleted();
}
