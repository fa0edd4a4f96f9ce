// Groups and memberships: create, list, change settings, join, approve, invite, remove, roles.
import { Types } from 'mongoose';
import type { Group as GroupShape, GroupMember, GroupVisibility, JoinPolicy, Page } from '../../shared/api';
import type { AppContext } from '../context';
import { Forbidden, NotFound, Conflict } from '../errors';
import { Group, type GroupFields } from '../models/group';
import { Post } from '../models/post';
import { Membership, type GroupRole, type MembershipFields, type MembershipState } from '../models/membership';
import type { PublicUserFields } from '../models/user';
import { accessFrom, accessTo, authorizeGroup, authorizeRemoval, checkGroupSettings, groupSettingsAfter, joinStep, type GroupAccess } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentGroup, presentGroupMember } from '../presenters/group';
import { confirmActiveWriter } from './active-writer';
import { findPublicProfile, loadPublicUsers } from './profiles';
import { cursorFilter, toPage, type PageRequest } from './pagination';
import { notifyJoinRequest, notifyMember } from '../notifications/hooks';

export interface NewGroup {
  name: string;
  description: string;
  rules: string;
  visibility: GroupVisibility;
  joinPolicy?: JoinPolicy;
}

export interface GroupChanges {
  name?: string;
  description?: string;
  rules?: string;
  visibility?: GroupVisibility;
  joinPolicy?: JoinPolicy;
}

const MAX_SLUG_LENGTH = 60;

export function slugify(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_SLUG_LENGTH)
    .replace(/-+$/, '');
  return slug || 'group';
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

/** A slug not taken yet; the unique index settles races, so creation retries with the next candidate. */
/** The lowest free slug; a retry after losing a race reads again, so it sees the winner's slug and takes the next. */
async function freeSlug(base: string): Promise<string> {
  const taken = new Set(
    (await Group.find({ slug: { $regex: `^${base}(-\\d+)?$` } }, { slug: 1 }).lean<{ slug: string }[]>()).map((row) => row.slug),
  );
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

export async function loadGroup(groupId: Types.ObjectId): Promise<GroupFields> {
  const group = await Group.findById(groupId).lean<GroupFields>();
  if (!group) throw new NotFound('group');
  return group;
}

/** Groups as one viewer sees them; what the viewer is to each comes from the policy's cached memberships. */
export async function presentGroupsFor(groups: GroupFields[], viewer: Viewer): Promise<GroupShape[]> {
  return Promise.all(groups.map(async (group) => presentGroup(group, await accessTo(viewer, group))));
}

async function presentFor(viewer: Viewer, groupId: Types.ObjectId): Promise<GroupShape> {
  const group = await loadGroup(groupId);
  return presentGroup(group, await accessTo(viewer, group));
}

export async function createGroup(ctx: AppContext, viewer: Viewer, input: NewGroup): Promise<GroupShape> {
  const base = slugify(input.name);
  const joinPolicy = input.joinPolicy ?? (input.visibility === 'public' ? 'open' : 'request');
  checkGroupSettings({ visibility: input.visibility, joinPolicy });
  for (let attempt = 0; ; attempt++) {
    const slug = await freeSlug(base);
    try {
      const group = await Group.create({
        name: input.name,
        slug,
        description: input.description,
        rules: input.rules,
        visibility: input.visibility,
        joinPolicy,
        ownerId: viewer._id,
        memberCount: 1,
        closedAt: input.visibility === 'closed' ? new Date() : null,
      });
      await Membership.create({ groupId: group._id, userId: viewer._id, status: 'member', role: 'owner' });
      await confirmActiveWriter(viewer._id, () => Promise.all([Group.deleteOne({ _id: group._id }), Membership.deleteMany({ groupId: group._id })]));
      ctx.events.publish({ type: 'group.changed', groupId: String(group._id) });
      ctx.events.publish({ type: 'membership.changed', groupId: String(group._id), userId: viewer.id });
      return presentGroup(group.toObject() as GroupFields, accessFrom(viewer, group, { status: 'member', role: 'owner' }));
    } catch (error) {
      if (!isDuplicateKey(error) || attempt >= 5) throw error;
    }
  }
}

export async function listGroups(viewer: Viewer, page: PageRequest): Promise<Page<GroupShape>> {
  const rows = await Group.find(cursorFilter(page)).sort({ _id: -1 }).limit(page.limit + 1).lean<GroupFields[]>();
  return toPage(rows, page, (kept) => presentGroupsFor(kept, viewer));
}

export async function getGroup(viewer: Viewer, groupId: Types.ObjectId): Promise<GroupShape> {
  const group = await loadGroup(groupId);
  return presentGroup(group, await authorizeGroup(viewer, 'view', group));
}

/** Owner only. Visibility is read on every request, so closing a group cuts outsiders off at once. */
export async function updateGroup(ctx: AppContext, viewer: Viewer, groupId: Types.ObjectId, changes: GroupChanges): Promise<GroupShape> {
  const group = await loadGroup(groupId);
  await authorizeGroup(viewer, 'update', group);
  const settings = groupSettingsAfter(group, changes);
  const opening = group.visibility === 'closed' && settings.visibility === 'public';
  const closing = group.visibility === 'public' && settings.visibility === 'closed';
  // What was written while the group was closed stays its members' (policy: accessToPost). Marked before
  // the group opens and again after, which catches a post that was being written at that moment.
  const closedAt = group.closedAt ?? null;
  if (opening) await keepMembersOnly(groupId, closedAt);
  await Group.updateOne({ _id: groupId }, { $set: { ...changes, ...settings, ...(closing ? { closedAt: new Date() } : {}) } });
  if (opening) await keepMembersOnly(groupId, closedAt);
  ctx.events.publish({ type: 'group.changed', groupId: String(groupId) });
  return presentFor(viewer, groupId);
}

/** Marks the posts written since the group was closed (all of them if that time is unknown) members-only. */
async function keepMembersOnly(groupId: Types.ObjectId, closedAt: Date | null): Promise<void> {
  await Post.updateMany({ groupId, membersOnly: { $ne: true }, ...(closedAt ? { createdAt: { $gte: closedAt } } : {}) }, { $set: { membersOnly: true } });
}

/** Moves a membership from one of `from` to `to` in one atomic step; false if it was not in `from`. */
async function transition(
  groupId: Types.ObjectId,
  userId: Types.ObjectId,
  from: readonly (MembershipState | 'none')[],
  to: MembershipState,
  extra: Partial<Pick<MembershipFields, 'role' | 'invitedBy'>> = {},
): Promise<boolean> {
  const existing = from.filter((state): state is MembershipState => state !== 'none');
  const set = { status: to, ...(to === 'member' ? { role: 'member' } : {}), ...extra };
  if (existing.length) {
    const updated = await Membership.updateOne({ groupId, userId, status: { $in: existing } }, { $set: set });
    if (updated.modifiedCount === 1) return true;
  }
  if (!from.includes('none')) return false;
  try {
    await Membership.create({ groupId, userId, ...set });
    return true;
  } catch (error) {
    if (isDuplicateKey(error)) return false;
    throw error;
  }
}

async function changeMemberCount(ctx: AppContext, groupId: Types.ObjectId, userId: Types.ObjectId, delta: 1 | -1): Promise<void> {
  await Group.updateOne({ _id: groupId }, { $inc: { memberCount: delta } });
  ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: String(userId) });
}

/** What joining does is the policy's joinStep(): admit, queue a request, take up an invitation, or refuse. */
export async function joinGroup(ctx: AppContext, viewer: Viewer, groupId: Types.ObjectId): Promise<GroupShape> {
  const group = await loadGroup(groupId);
  const access = await authorizeGroup(viewer, 'view', group);
  switch (joinStep(access, group.joinPolicy)) {
    case 'none':
      break;
    case 'accept':
      if (await transition(groupId, viewer._id, ['invited'], 'member')) await changeMemberCount(ctx, groupId, viewer._id, 1);
      break;
    case 'admit':
      if (await transition(groupId, viewer._id, ['none', 'pending'], 'member')) await changeMemberCount(ctx, groupId, viewer._id, 1);
      break;
    case 'request':
      if (await transition(groupId, viewer._id, ['none'], 'pending')) {
        ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: viewer.id });
        await notifyJoinRequest(ctx, viewer, groupId);
      }
      break;
  }
  // An account erased while this request was in flight does not stay behind as a member.
  await confirmActiveWriter(viewer._id, async () => {
    await Membership.deleteOne({ groupId, userId: viewer._id, status: { $in: ['member', 'pending'] } });
    await Group.updateOne({ _id: groupId }, { $set: { memberCount: await Membership.countDocuments({ groupId, status: 'member' }) } });
    ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: viewer.id });
  });
  return presentFor(viewer, groupId);
}

async function loadUser(userId: Types.ObjectId): Promise<PublicUserFields> {
  const user = await findPublicProfile(userId);
  if (!user) throw new NotFound('user');
  return user;
}

async function presentMember(groupId: Types.ObjectId, userId: Types.ObjectId): Promise<GroupMember> {
  const [user, membership] = await Promise.all([
    loadUser(userId),
    Membership.findOne({ groupId, userId }, { status: 1, role: 1 }).lean<{ status: MembershipState; role: GroupRole }>(),
  ]);
  if (!membership) throw new NotFound('membership');
  return presentGroupMember(user, membership);
}

async function manage(viewer: Viewer, groupId: Types.ObjectId): Promise<GroupAccess> {
  return authorizeGroup(viewer, 'manage', await loadGroup(groupId));
}

export async function approveMember(ctx: AppContext, viewer: Viewer, groupId: Types.ObjectId, userId: Types.ObjectId): Promise<GroupMember> {
  await manage(viewer, groupId);
  // Checked before the write, so approving someone whose account is going away changes nothing.
  await loadUser(userId);
  if (await transition(groupId, userId, ['pending'], 'member')) {
    await changeMemberCount(ctx, groupId, userId, 1);
    await notifyMember(ctx, viewer, 'join_approved', groupId, userId);
  } else {
    const current = await Membership.findOne({ groupId, userId }, { status: 1 }).lean<{ status: MembershipState }>();
    if (current?.status !== 'member') throw new NotFound('joinRequest');
  }
  return presentMember(groupId, userId);
}

/** Invites a user; a pending request is approved by it, and a removal is lifted. */
export async function inviteMember(ctx: AppContext, viewer: Viewer, groupId: Types.ObjectId, userId: Types.ObjectId): Promise<GroupMember> {
  await manage(viewer, groupId);
  await loadUser(userId);
  if (await transition(groupId, userId, ['pending'], 'member')) {
    await changeMemberCount(ctx, groupId, userId, 1);
    await notifyMember(ctx, viewer, 'join_approved', groupId, userId);
  } else if (await transition(groupId, userId, ['none', 'removed'], 'invited', { invitedBy: viewer._id })) {
    ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: String(userId) });
    await notifyMember(ctx, viewer, 'invited', groupId, userId);
  } else {
    const current = await Membership.findOne({ groupId, userId }, { status: 1 }).lean<{ status: MembershipState }>();
    if (current?.status === 'member') throw new Conflict('errors.conflict.alreadyMember', 'userId');
    if (current?.status === 'suspended') throw new Forbidden('errors.forbidden.inviteSuspended');
  }
  return presentMember(groupId, userId);
}

/** Leaving (self) or removal by the owner/a group moderator (rules: authorizeRemoval). Access ends with this write. */
export async function removeMember(ctx: AppContext, viewer: Viewer, groupId: Types.ObjectId, userId: Types.ObjectId): Promise<void> {
  const group = await loadGroup(groupId);
  const self = userId.equals(viewer._id);
  const access = await authorizeGroup(viewer, self ? 'view' : 'manage', group);
  const target = await Membership.findOne({ groupId, userId }, { status: 1, role: 1 }).lean<{ status: MembershipState; role: GroupRole }>();
  if (!target || target.status === 'removed' || target.status === 'suspended') throw new NotFound('membership');
  authorizeRemoval(access, { userId, membership: target });
  const wasMember = target.status === 'member';
  // Only a removed member is remembered (so an open group cannot simply be re-joined); a declined
  // request or withdrawn invitation leaves no trace.
  const removed = self || !wasMember
    ? (await Membership.deleteOne({ groupId, userId, status: target.status })).deletedCount === 1
    : (await Membership.updateOne({ groupId, userId, status: target.status }, { $set: { status: 'removed', role: 'member' } }))
        .modifiedCount === 1;
  if (!removed) return;
  if (wasMember) await changeMemberCount(ctx, groupId, userId, -1);
  else ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: String(userId) });
}

export async function setMemberRole(
  ctx: AppContext,
  viewer: Viewer,
  groupId: Types.ObjectId,
  userId: Types.ObjectId,
  role: 'moderator' | 'member',
): Promise<GroupMember> {
  await authorizeGroup(viewer, 'update', await loadGroup(groupId));
  const updated = await Membership.updateOne(
    { groupId, userId, status: 'member', role: { $in: ['moderator', 'member'] } },
    { $set: { role } },
  );
  if (updated.matchedCount === 0) {
    const target = await Membership.findOne({ groupId, userId }, { status: 1, role: 1 }).lean<{ status: MembershipState; role: GroupRole }>();
    if (target?.status === 'member' && target.role === 'owner') throw new Forbidden('errors.forbidden.ownerRole');
    throw new NotFound('member');
  }
  if (updated.modifiedCount === 1) {
    ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: String(userId) });
    await notifyMember(ctx, viewer, 'role_changed', groupId, userId, role);
  }
  return presentMember(groupId, userId);
}

export type MemberListStatus = 'member' | 'pending' | 'invited';

export async function listMembers(
  viewer: Viewer,
  groupId: Types.ObjectId,
  status: MemberListStatus,
  page: PageRequest,
): Promise<Page<GroupMember>> {
  await manage(viewer, groupId);
  const rows = await Membership.find({ groupId, status, ...cursorFilter(page) }, { userId: 1, status: 1, role: 1 })
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<{ _id: Types.ObjectId; userId: Types.ObjectId; status: MembershipState; role: GroupRole }[]>();
  return toPage(rows, page, async (kept) => {
    const byId = await loadPublicUsers(kept.map((row) => String(row.userId)));
    return kept.flatMap((row) => {
      const user = byId.get(String(row.userId));
      return user ? [presentGroupMember(user, row)] : [];
    });
  });
}
