import type { Group, GroupMember, MembershipStatus } from '../../shared/api';
import type { GroupFields } from '../models/group';
import type { GroupRole, MembershipState } from '../models/membership';
import type { PublicUserFields } from '../models/user';
import { groupPermissions, seesMemberCount, type GroupAccess } from '../policy';
import { effectiveJoinPolicy } from '../policy/joining';
import { presentPublicUser } from './user';

type MembershipFacts = { status: MembershipState | 'none'; role: GroupRole | null };

/** The contract's status: removal is not shown as a status of its own, it reads as no membership. */
export function membershipStatus(membership: MembershipFacts | null): MembershipStatus {
  if (!membership) return 'none';
  switch (membership.status) {
    case 'member':
      return membership.role ?? 'member';
    case 'pending':
    case 'invited':
      return membership.status;
    case 'removed':
    case 'suspended':
    case 'none':
      return 'none';
  }
}

/** A group as one viewer sees it, from what the viewer is to it (loaded by the service). */
export function presentGroup(group: GroupFields, access: GroupAccess): Group {
  const can = groupPermissions(access, group.joinPolicy);
  return {
    id: String(group._id),
    name: group.name,
    slug: group.slug,
    description: group.description ?? '',
    // Like the description (and the name): closed groups show who they are for and how they are run.
    rules: group.rules ?? '',
    visibility: access.visibility,
    joinPolicy: effectiveJoinPolicy(access.visibility, group.joinPolicy),
    // Who belongs to a closed group is its members' business; outsiders are not told even how many.
    memberCount: seesMemberCount(access) ? group.memberCount : 0,
    myStatus: membershipStatus(access),
    can,
  };
}

export function presentGroupMember(
  user: PublicUserFields,
  membership: MembershipFacts,
): GroupMember {
  return { ...presentPublicUser(user), status: membershipStatus(membership) as GroupMember['status'] };
}
