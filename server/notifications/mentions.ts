// @mentions: stored in post bodies as `<a data-mention="<userId>">@Name</a>` (the sanitiser keeps that
// attribute on links only, as a 24-hex id), offered to writers from the people who may read the group.
import { Types } from 'mongoose';
import type { PublicUser } from '../../shared/api';
import { Group } from '../models/group';
import { Membership } from '../models/membership';
import { ACTIVE_ACCOUNT, PUBLIC_USER_PROJECTION, User, type PublicUserFields } from '../models/user';
import { NotFound } from '../errors';
import { accessTo, decideGroup, readsByModeratorOverride } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentPublicUser } from '../presenters/user';

/** People notified of their mention in one post, over all its versions. */
export const MAX_MENTIONS_PER_POST = 20;
export const MAX_MENTIONABLE = 10;

/** The ids a sanitised body mentions, first mention first, each once. */
export function mentionedUserIds(sanitisedBody: string): string[] {
  const ids = new Set<string>();
  for (const match of sanitisedBody.matchAll(/<a\b[^>]*\sdata-mention="([0-9a-f]{24})"/g)) ids.add(match[1]!);
  return [...ids];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Up to ten people whose display name starts with `prefix` and who may read the group: for a closed group
 * its members, for a public one any active account. 404 for a group the caller cannot read.
 */
export async function mentionable(viewer: Viewer, groupId: Types.ObjectId, prefix: string): Promise<PublicUser[]> {
  const group = await Group.findById(groupId, { visibility: 1 }).lean<{ _id: Types.ObjectId; visibility: string }>();
  if (!group) throw new NotFound('group');
  const access = await accessTo(viewer, group);
  // A site moderator outside a closed group reads it only with an audited reason; completing names is not that.
  if (decideGroup(access, 'read') !== 'allow' || readsByModeratorOverride(access)) throw new NotFound('group');
  const name = { $regex: `^${escapeRegex(prefix)}`, $options: 'i' };
  let users: PublicUserFields[];
  if (group.visibility === 'closed') {
    const members = await Membership.find({ groupId, status: 'member' }, { _id: 0, userId: 1 }).lean<{ userId: Types.ObjectId }[]>();
    users = await User.find({ _id: { $in: members.map((row) => row.userId), $ne: viewer._id }, displayName: name, ...ACTIVE_ACCOUNT }, PUBLIC_USER_PROJECTION)
      .sort({ displayName: 1 })
      .limit(MAX_MENTIONABLE)
      .lean<PublicUserFields[]>();
  } else {
    users = await User.find({ _id: { $ne: viewer._id }, displayName: name, ...ACTIVE_ACCOUNT }, PUBLIC_USER_PROJECTION)
      .sort({ displayName: 1 })
      .limit(MAX_MENTIONABLE)
      .lean<PublicUserFields[]>();
  }
  return users.map(presentPublicUser);
}
