// Facts the rules need about one viewer and one group, loaded with small indexed queries through the read
// cache (server/services/read-cache.ts), which the group and membership events drop the moment they change.
import { Types } from 'mongoose';
import type { GroupVisibility } from '../../shared/api';
import { Group } from '../models/group';
import { readCache, type CachedGroupRef, type CachedMembership } from '../services/read-cache';
import { Membership, type GroupRole, type MembershipState } from '../models/membership';
import { isSiteModerator, type Viewer } from './viewer';

/** The least a rule needs to know about a group. */
export type GroupRef = CachedGroupRef;

/** What one viewer is to one group. */
export interface GroupAccess {
  readonly viewer: Viewer | null;
  readonly groupId: Types.ObjectId;
  readonly visibility: GroupVisibility;
  /** `none` for anonymous visitors and for users with no membership record. */
  readonly status: MembershipState | 'none';
  /** The group role while status is `member`, else null. */
  readonly role: GroupRole | null;
  readonly siteModerator: boolean;
}

export async function loadGroupRef(groupId: Types.ObjectId): Promise<GroupRef | null> {
  return readCache.groups.get(String(groupId), () => Group.findById(groupId, { visibility: 1 }).lean<GroupRef>());
}

/** loadGroupRef for several groups at once, by hex id: one query for those not cached; null for a group that is gone. */
export function loadGroupRefs(groupIds: readonly string[]): Promise<Map<string, GroupRef | null>> {
  return readCache.groups.getMany(groupIds, async (missing) => {
    const found = await Group.find({ _id: { $in: missing.map((id) => new Types.ObjectId(id)) } }, { visibility: 1 }).lean<GroupRef[]>();
    const byId = new Map(found.map((group) => [String(group._id), group]));
    return new Map(missing.map((id) => [id, byId.get(id) ?? null]));
  });
}

/** Every membership record of a user (any state), by group id. */
export function membershipsOf(userId: Types.ObjectId): Promise<ReadonlyMap<string, CachedMembership>> {
  return readCache.memberships.get(String(userId), async () => {
    const rows = await Membership.find({ userId }, { _id: 0, groupId: 1, status: 1, role: 1 }).lean<CachedMembership[]>();
    return new Map(rows.map((row) => [String(row.groupId), row]));
  });
}

/** Builds the access facts from an already loaded membership (or none); no query. */
export function accessFrom(
  viewer: Viewer | null,
  group: GroupRef,
  membership: { status: MembershipState; role: GroupRole } | null,
): GroupAccess {
  const status = membership?.status ?? 'none';
  return {
    viewer,
    groupId: group._id,
    visibility: group.visibility === 'public' ? 'public' : 'closed',
    status,
    role: status === 'member' ? (membership?.role ?? 'member') : null,
    siteModerator: isSiteModerator(viewer),
  };
}

export async function accessTo(viewer: Viewer | null, group: GroupRef): Promise<GroupAccess> {
  const membership = viewer ? ((await membershipsOf(viewer._id)).get(String(group._id)) ?? null) : null;
  return accessFrom(viewer, group, membership);
}

export function isActiveMember(access: GroupAccess): boolean {
  return access.status === 'member';
}

/** Owner or group moderator: approves, invites, removes and moderates the group's posts. */
export function managesGroup(access: GroupAccess): boolean {
  return access.role === 'owner' || access.role === 'moderator';
}

export function ownsGroup(access: GroupAccess): boolean {
  return access.role === 'owner';
}

/**
 * A site moderator reading a closed group they are not a member of. Allowed, but it passes through
 * recordModeratorRead() (server/policy/moderator-reads.ts) so it can be audited.
 */
export function readsByModeratorOverride(access: GroupAccess): boolean {
  return access.visibility === 'closed' && !isActiveMember(access) && access.siteModerator;
}

/**
 * The access facts for one post of the group: a post written while the group was closed (`membersOnly`)
 * keeps the closed group's rules after the group is made public.
 */
export function accessToPost(access: GroupAccess, post: { membersOnly?: boolean | null }): GroupAccess {
  return post.membersOnly === true && access.visibility === 'public' ? { ...access, visibility: 'closed' } : access;
}

/** May read the group's posts: public groups for everyone, closed groups for members (and site moderators). */
export function readsGroup(access: GroupAccess): boolean {
  return access.visibility === 'public' || isActiveMember(access) || access.siteModerator;
}
