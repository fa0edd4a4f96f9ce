// Moderation rules: who may report, review, act on posts and members, hold, disclose and read the audit log.
import type { Types } from 'mongoose';
import { Forbidden, NotFound, type ErrorKey } from '../errors';
import type { GroupRole, MembershipState } from '../models/membership';
import { accessTo, accessToPost, loadGroupRef, managesGroup, ownsGroup, readsByModeratorOverride, readsGroup, type GroupAccess } from './access';
import type { ModeratorRead } from './moderator-reads';
import { decidePost, type Decision, type PostRef } from './rules';
import { moderatedGroupIds } from './scopes';
import { isAdmin, isSiteModerator, type Viewer } from './viewer';

/** What site moderators and a group's owner/moderators may do with that group's content. */
export type GroupModerationAction = 'review' | 'hide' | 'restore' | 'delete' | 'dismiss' | 'suspend';
/** Site-wide powers: group owners and moderators have none of these. */
export type SiteModerationAction = 'review' | 'hold' | 'disclose' | 'audit';

const SITE_FORBIDDEN: Record<SiteModerationAction, ErrorKey> = {
  review: 'errors.forbidden.site.review',
  hold: 'errors.forbidden.site.hold',
  disclose: 'errors.forbidden.site.disclose',
  audit: 'errors.forbidden.site.audit',
};

/**
 * Any signed-in user who can read a post may report it; deleted placeholders have nothing left to report.
 * A site moderator reads a closed group they are not in only with a stated, audited reason: a report
 * needs none, so it would tell them unaudited that the post exists. They act on such posts directly.
 */
export function decideReport(access: GroupAccess, post: PostRef): Decision {
  if (!access.viewer || post.deletedAt) return 'not_found';
  if (readsByModeratorOverride(accessToPost(access, post))) return 'not_found';
  return decidePost(access, post, 'read');
}

/**
 * Acting on one group's content: site moderators anywhere, owners and group moderators in their group.
 * Anyone else gets 404 when they could not even see the post (or group), 403 when they could.
 */
export function decideGroupModeration(access: GroupAccess, post: PostRef | null): Decision {
  if (access.siteModerator || managesGroup(access)) return 'allow';
  const visible = post ? decidePost(access, post, 'read') === 'allow' : readsGroup(access);
  return visible ? 'forbidden' : 'not_found';
}

export async function authorizeGroupModeration(
  viewer: Viewer,
  action: GroupModerationAction,
  groupId: Types.ObjectId,
  post: PostRef | null = null,
): Promise<GroupAccess> {
  const group = await loadGroupRef(groupId);
  if (!group) throw new NotFound(post ? 'post' : 'group');
  const access = await accessTo(viewer, group);
  const decision = decideGroupModeration(access, post);
  if (decision === 'not_found') throw new NotFound(post ? 'post' : 'group');
  if (decision === 'forbidden') throw new Forbidden('errors.forbidden.groupModeratorsOnly', { action });
  return access;
}

/** Whose reports a viewer reviews: every group's (site moderators) or the groups they own or moderate. */
export type ReviewScope = { all: true } | { all: false; groupIds: Types.ObjectId[] };

export async function reviewScope(viewer: Viewer): Promise<ReviewScope> {
  if (isSiteModerator(viewer)) return { all: true };
  const groupIds = await moderatedGroupIds(viewer);
  if (!groupIds.length) throw new Forbidden(SITE_FORBIDDEN.review);
  return { all: false, groupIds };
}

export function inReviewScope(scope: ReviewScope, groupId: Types.ObjectId): boolean {
  return scope.all || scope.groupIds.some((id) => id.equals(groupId));
}

export function authorizeSiteModeration(viewer: Viewer, action: SiteModerationAction): void {
  if (!isSiteModerator(viewer)) throw new Forbidden(SITE_FORBIDDEN[action]);
}

/** Releasing a hold destroys preserved evidence, so it takes an admin. */
export function authorizeHoldRelease(viewer: Viewer): void {
  if (!isAdmin(viewer)) throw new Forbidden('errors.forbidden.releaseHold');
}

/**
 * Suspending a user from a group: never the owner, never oneself; a group moderator may suspend members
 * only, the owner and site moderators may also suspend group moderators.
 */
export function authorizeSuspension(
  access: GroupAccess,
  target: { userId: Types.ObjectId; membership: { status: MembershipState; role: GroupRole } | null },
): void {
  if (access.viewer && target.userId.equals(access.viewer._id)) throw new Forbidden('errors.forbidden.suspendSelf');
  const role = target.membership?.status === 'member' ? target.membership.role : null;
  if (role === 'owner') throw new Forbidden('errors.forbidden.suspendOwner');
  if (role === 'moderator' && !(access.siteModerator || ownsGroup(access))) {
    throw new Forbidden('errors.forbidden.suspendModerator');
  }
}

/**
 * Removing someone from a group, or leaving it (`target.userId` is the viewer). `access` must already
 * allow `manage` (removal) or `view` (leaving). The owner neither leaves nor is removed, since the group
 * would have no owner; only the owner removes a group moderator.
 */
export function authorizeRemoval(
  access: GroupAccess,
  target: { userId: Types.ObjectId; membership: { status: MembershipState; role: GroupRole } },
): void {
  const self = access.viewer !== null && target.userId.equals(access.viewer._id);
  const role = target.membership.status === 'member' ? target.membership.role : null;
  if (role === 'owner') throw new Forbidden(self ? 'errors.forbidden.ownerLeave' : 'errors.forbidden.ownerRemove');
  if (!self && role === 'moderator' && !ownsGroup(access)) throw new Forbidden('errors.forbidden.removeModerator');
}

/**
 * Which overridden reads touch content. The hook also sees `view` (a group's name and settings, which every
 * signed-in user may see) and `join`; those reveal nothing and need no reason.
 */
export function moderatorReadTouchesContent(read: ModeratorRead): boolean {
  return read.action !== 'view' && read.action !== 'join';
}

/**
 * A site moderator reading a closed group's content while not a member must say why; the read is then
 * audited. Returns the reason or throws.
 */
export function requireModeratorReadReason(read: ModeratorRead): string {
  if (!read.reason) {
    throw new Forbidden('errors.forbidden.reasonRequired');
  }
  return read.reason;
}
