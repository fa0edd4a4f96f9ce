import type { Types } from 'mongoose';
import type { Group, GroupMember, JoinPolicy, MembershipStatus } from '../../shared/api';
import type { GroupFields } from '../models/group';
import { Membership, type GroupRole, type MembershipState } from '../models/membership';
import type { UserFields } from '../models/user';
import { accessFrom, readsGroup } from '../policy/access';
import { effectiveJoinPolicy } from '../policy/joining';
import type { Viewer } from '../policy/viewer';
import { presentPublicUser } from './user';

type MembershipFacts = { status: MembershipState; role: GroupRole };

/** The contract's status: removal is not shown as a status of its own, it reads as no membership. */
export function membershipStatus(membership: MembershipFacts | null): MembershipStatus {
  if (!membership) return 'none';
  switch (membership.status) {
    case 'member':
      return membership.role;
    case 'pending':
    case 'invited':
      return membership.status;
    case 'removed':
    case 'suspended':
      return 'none';
  }
}

export function presentGroup(group: GroupFields, viewer: Viewer | null, membership: MembershipFacts | null): Group {
  const access = accessFrom(viewer, group, membership);
  return {
    id: String(group._id),
    name: group.name,
    slug: group.slug,
    description: group.description ?? '',
    visibility: access.visibility,
    joinPolicy: effectiveJoinPolicy(access.visibility, group.joinPolicy),
    // Who belongs to a closed group is its members' business; outsiders are not told even how many.
    memberCount: readsGroup(access) ? group.memberCount : 0,
    myStatus: membershipStatus(membership),
  };
}

/** Many groups for one viewer with one membership query. */
export async function presentGroups(groups: GroupFields[], viewer: Viewer | null): Promise<Group[]> {
  const memberships = new Map<string, MembershipFacts>();
  if (viewer && groups.length) {
    const rows = await Membership.find(
      { userId: viewer._id, groupId: { $in: groups.map((group) => group._id) } },
      { groupId: 1, status: 1, role: 1 },
    ).lean<(MembershipFacts & { groupId: Types.ObjectId })[]>();
    for (const row of rows) memberships.set(String(row.groupId), row);
  }
  return groups.map((group) => presentGroup(group, viewer, memberships.get(String(group._id)) ?? null));
}

export function presentGroupMember(
  user: Pick<UserFields, '_id' | 'displayName' | 'avatarKey' | 'bio' | 'createdAt'>,
  membership: MembershipFacts,
): GroupMember {
  return { ...presentPublicUser(user), status: membershipStatus(membership) as GroupMember['status'] };
}
