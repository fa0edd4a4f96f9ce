// "Suggested groups": the forum's only profiling. Restricted accounts are neither profiled nor used to
// profile anyone else.
import type { Types } from 'mongoose';
import type { Group as GroupShape } from '../../shared/api';
import { Group, type GroupFields } from '../models/group';
import { Membership } from '../models/membership';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { publicGroupIds } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentGroupsFor } from './groups';

export const MAX_SUGGESTIONS = 10;
/** Bounds the work for people in very large groups: the overlap is estimated from this many co-members. */
const CO_MEMBER_SAMPLE = 1000;

/**
 * Public groups the viewer has no membership record in (so not pending, invited or removed either),
 * ranked by how many people who share a group with the viewer are members there. A restricted viewer
 * gets an empty list with no computation at all.
 */
export async function suggestedGroups(viewer: Viewer): Promise<GroupShape[]> {
  const me = await User.findOne({ _id: viewer._id, ...ACTIVE_ACCOUNT }, { restricted: 1 }).lean<Pick<UserFields, 'restricted'>>();
  if (!me || me.restricted === true) return [];

  const mine = await Membership.find({ userId: viewer._id }, { groupId: 1, status: 1 }).lean<{ groupId: Types.ObjectId; status: string }[]>();
  const myGroups = mine.filter((row) => row.status === 'member').map((row) => row.groupId);
  if (!myGroups.length) return [];
  const coMemberRows = await Membership.find({ groupId: { $in: myGroups }, status: 'member', userId: { $ne: viewer._id } }, { userId: 1 })
    .sort({ _id: -1 })
    .limit(CO_MEMBER_SAMPLE)
    .lean<{ userId: Types.ObjectId }[]>();
  const candidates = [...new Map(coMemberRows.map((row) => [String(row.userId), row.userId])).values()];
  // Restricted people object to profiling; that covers their memberships shaping others' suggestions.
  const usable = await User.find({ _id: { $in: candidates }, ...ACTIVE_ACCOUNT, restricted: { $ne: true } }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
  if (!usable.length) return [];

  const overlap = await Membership.aggregate<{ _id: Types.ObjectId; overlap: number }>([
    { $match: { userId: { $in: usable.map((user) => user._id) }, status: 'member', groupId: { $nin: mine.map((row) => row.groupId) } } },
    { $group: { _id: '$groupId', overlap: { $sum: 1 } } },
  ]);
  if (!overlap.length) return [];
  // Only public groups: ranking closed ones by co-members' memberships would reveal who is in them.
  const publicIds = new Set((await publicGroupIds()).map(String));
  const suggestable = overlap.map((row) => row._id).filter((id) => publicIds.has(String(id)));
  const groups = await Group.find({ _id: { $in: suggestable } }).lean<GroupFields[]>();
  const score = new Map(overlap.map((row) => [String(row._id), row.overlap]));
  const ranked = groups
    .sort((a, b) => score.get(String(b._id))! - score.get(String(a._id))! || (b.memberCount ?? 0) - (a.memberCount ?? 0) || String(a._id).localeCompare(String(b._id)))
    .slice(0, MAX_SUGGESTIONS);
  return presentGroupsFor(ranked, viewer);
}
