// The rules: who may see or do what with one group or one post. Lists use the scopes in ./scopes.ts,
// which state the same rules as database filters.
import { Types } from 'mongoose';
import { Forbidden, NotFound, type ErrorKey, type Missing } from '../errors';
import { Membership, type MembershipFields } from '../models/membership';
import {
  accessFrom,
  accessTo,
  accessToPost,
  isActiveMember,
  loadGroupRef,
  managesGroup,
  ownsGroup,
  readsByModeratorOverride,
  readsGroup,
  type GroupAccess,
  type GroupRef,
} from './access';
import { recordModeratorRead, type ModeratorReadAuditor } from './moderator-reads';
import type { Viewer } from './viewer';

export type GroupAction =
  /** The group's name, description and settings (closed groups are listed by name). */
  | 'view'
  /** Its posts, replies, feed and live updates. */
  | 'read'
  | 'subscribe'
  | 'post'
  | 'join'
  /** Approve requests, invite, remove members, list members, moderate the group's posts. */
  | 'manage'
  /** Change settings and member roles. */
  | 'update';

export type PostAction = 'read' | 'viewImages' | 'reply' | 'like' | 'edit' | 'delete';

/** The fields of a post the rules look at. */
export interface PostRef {
  _id: Types.ObjectId;
  groupId: Types.ObjectId;
  authorId?: Types.ObjectId | null;
  parentId?: Types.ObjectId | null;
  hiddenAt?: Date | null;
  /** A reply's: set while its top-level post is hidden (see isHidden). */
  parentHiddenAt?: Date | null;
  deletedAt?: Date | null;
  /** Written while the group was closed; see accessToPost(). */
  membersOnly?: boolean | null;
}

export type Decision = 'allow' | 'forbidden' | 'not_found';

/**
 * Whether a post is hidden: by a moderator, or as a reply in a thread whose top-level post they hid (a hidden
 * thread is hidden as a whole; the replies quote and discuss what was hidden).
 */
export function isHidden(post: Pick<PostRef, 'hiddenAt' | 'parentHiddenAt'>): boolean {
  return post.hiddenAt != null || post.parentHiddenAt != null;
}

const FORBIDDEN_MESSAGES: Record<GroupAction | PostAction, ErrorKey> = {
  view: 'errors.forbidden.view',
  read: 'errors.forbidden.read',
  subscribe: 'errors.forbidden.subscribe',
  post: 'errors.forbidden.post',
  join: 'errors.forbidden.join',
  manage: 'errors.forbidden.manage',
  update: 'errors.forbidden.update',
  viewImages: 'errors.forbidden.viewImages',
  reply: 'errors.forbidden.reply',
  like: 'errors.forbidden.like',
  edit: 'errors.forbidden.edit',
  delete: 'errors.forbidden.delete',
};

export function forbiddenMessage(action: GroupAction | PostAction): ErrorKey {
  return FORBIDDEN_MESSAGES[action];
}

/** Group rules on already loaded access facts (no query). Invisible and forbidden are told apart. */
export function decideGroup(access: GroupAccess, action: GroupAction): Decision {
  const signedIn = access.viewer !== null;
  if (action === 'view') return signedIn ? 'allow' : 'not_found';
  if (!readsGroup(access) && action !== 'join') return 'not_found';
  switch (action) {
    case 'read':
    case 'subscribe':
      return 'allow';
    case 'post':
      return isActiveMember(access) ? 'allow' : 'forbidden';
    case 'join':
      // Whether joining admits, queues or needs an invitation is joinStep() (./joining.ts); joining a group
      // one is in already changes nothing, so it is allowed. A removal or suspension is never undone by it.
      if (!signedIn) return 'not_found';
      return access.status === 'removed' || access.status === 'suspended' ? 'forbidden' : 'allow';
    case 'manage':
      return managesGroup(access) ? 'allow' : 'forbidden';
    case 'update':
      return ownsGroup(access) ? 'allow' : 'forbidden';
  }
}

/**
 * Post rules on already loaded access facts for the post's group (no query).
 * Hidden posts (isHidden) exist only for site moderators and the group's owner/moderators. A deleted-post
 * placeholder can still be read (its replies hang under it) but nothing else can be done with it.
 */
export function decidePost(groupAccess: GroupAccess, post: PostRef, action: PostAction): Decision {
  const access = accessToPost(groupAccess, post);
  if (!readsGroup(access)) return 'not_found';
  const hidden = isHidden(post);
  if (hidden && !(access.siteModerator || managesGroup(access))) return 'not_found';
  if (action === 'read' || action === 'viewImages') return 'allow';
  if (post.deletedAt) return 'not_found';
  const viewer = access.viewer;
  if (!viewer) return 'forbidden';
  const isAuthor = post.authorId != null && post.authorId.equals(viewer._id);
  switch (action) {
    case 'reply':
      // One level of threading; hidden posts take no new replies, whoever can see them.
      if (post.parentId != null || hidden) return 'forbidden';
      return isActiveMember(access) ? 'allow' : 'forbidden';
    case 'like':
      // Anyone signed in may like what they read in a public group; in closed groups only members.
      if (hidden) return 'forbidden';
      return access.visibility === 'public' || isActiveMember(access) ? 'allow' : 'forbidden';
    case 'edit':
      return isAuthor ? 'allow' : 'forbidden';
    case 'delete':
      return isAuthor || managesGroup(access) || access.siteModerator ? 'allow' : 'forbidden';
  }
}

function isGroupRef(resource: GroupRef | PostRef): resource is GroupRef {
  return 'visibility' in resource;
}

async function accessForPost(viewer: Viewer | null, post: PostRef): Promise<GroupAccess | null> {
  const group = await loadGroupRef(post.groupId);
  return group ? accessTo(viewer, group) : null;
}

/** Single-object question: may `viewer` (null = anonymous) do `action` with this group or post? */
export async function can(viewer: Viewer | null, action: GroupAction, group: GroupRef): Promise<boolean>;
export async function can(viewer: Viewer | null, action: PostAction, post: PostRef): Promise<boolean>;
export async function can(
  viewer: Viewer | null,
  action: GroupAction | PostAction,
  resource: GroupRef | PostRef,
): Promise<boolean> {
  if (isGroupRef(resource)) return decideGroup(await accessTo(viewer, resource), action as GroupAction) === 'allow';
  const access = await accessForPost(viewer, resource);
  return access !== null && decidePost(access, resource, action as PostAction) === 'allow';
}

export interface AuthorizeOptions {
  /** A site moderator's stated reason for reading a closed group they are not in. */
  reason?: string | null;
  /** Records such a read (and may refuse it); without one, such a read is refused. */
  audit?: ModeratorReadAuditor;
}

async function settle(
  access: GroupAccess,
  decision: Decision,
  action: GroupAction | PostAction,
  what: Missing,
  postId: Types.ObjectId | null,
  options: AuthorizeOptions,
): Promise<GroupAccess> {
  if (decision === 'not_found') throw new NotFound(what);
  if (decision === 'forbidden') throw new Forbidden(forbiddenMessage(action));
  // Group settings and membership are not content; only reads of posts pass the hook.
  const readsContent = postId !== null || action === 'read' || action === 'subscribe';
  if (readsContent && readsByModeratorOverride(access)) {
    await recordModeratorRead({
      viewer: access.viewer!,
      groupId: access.groupId,
      postId,
      action,
      reason: options.reason ?? null,
    }, options.audit);
  }
  return access;
}

/** Like can(), but throws NotFound (invisible) or Forbidden (visible, not allowed); returns the access facts. */
export async function authorizeGroup(
  viewer: Viewer | null,
  action: GroupAction,
  group: GroupRef,
  options: AuthorizeOptions = {},
): Promise<GroupAccess> {
  const access = await accessTo(viewer, group);
  return settle(access, decideGroup(access, action), action, 'group', null, options);
}

/**
 * Of these viewers, those who may do `action` with the group: one membership read for all of them, for
 * fan-outs that would otherwise ask once per receiver.
 */
export async function filterViewers(action: GroupAction, group: GroupRef, viewers: readonly Viewer[]): Promise<Viewer[]> {
  if (viewers.length === 0) return [];
  const memberships = await Membership.find(
    { groupId: group._id, userId: { $in: viewers.map((viewer) => viewer._id) } },
    { _id: 0, userId: 1, status: 1, role: 1 },
  ).lean<Pick<MembershipFields, 'userId' | 'status' | 'role'>[]>();
  const byUser = new Map(memberships.map((membership) => [String(membership.userId), membership]));
  return viewers.filter((viewer) => decideGroup(accessFrom(viewer, group, byUser.get(viewer.id) ?? null), action) === 'allow');
}

/** A group no post belongs to: unknown ids are decided against it. */
const NO_SUCH_GROUP: GroupRef = Object.freeze({ _id: new Types.ObjectId('000000000000000000000000'), visibility: 'closed' });

/**
 * For an id that names no post: the same steps as for a post the viewer may not see (the post's group,
 * the viewer's memberships, the decision), then NotFound, so the answer's timing does not tell an unknown
 * id from a closed group's post.
 */
export async function refuseUnknownPost(viewer: Viewer | null, postId: Types.ObjectId, action: PostAction): Promise<never> {
  const group = (await loadGroupRef(NO_SUCH_GROUP._id)) ?? NO_SUCH_GROUP;
  decidePost(await accessTo(viewer, group), { _id: postId, groupId: group._id }, action);
  throw new NotFound('post');
}

export async function authorizePost(
  viewer: Viewer | null,
  action: PostAction,
  post: PostRef,
  options: AuthorizeOptions = {},
): Promise<GroupAccess> {
  const groupAccess = await accessForPost(viewer, post);
  if (!groupAccess) throw new NotFound('post');
  // A site moderator reading a members-only post of a public group is audited as for a closed group.
  const access = accessToPost(groupAccess, post);
  return settle(access, decidePost(access, post, action), action, 'post', post._id, options);
}
