// "Suggested groups". Membership is sensitive, so no suggestion is computed from anyone else's memberships:
// ranking groups by what co-members joined let anyone who shares a group with a person (or creates one and
// gets them to join) read that person's other groups off their own suggestions. A suggestion is a public
// group the viewer has no membership record in, ranked by its member count, which every signed-in user is
// shown already. Restricted accounts asked not to be profiled and get none.
import type { Group as GroupShape } from '../../shared/api';
import { Group, type GroupFields } from '../models/group';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { membershipsOf, publicGroupIds } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentGroupsFor } from './groups';

export const MAX_SUGGESTIONS = 10;

/** Public groups the viewer has no membership record in (so not pending, invited or removed either), largest first. */
export async function suggestedGroups(viewer: Viewer): Promise<GroupShape[]> {
  const me = await User.findOne({ _id: viewer._id, ...ACTIVE_ACCOUNT }, { restricted: 1 }).lean<Pick<UserFields, 'restricted'>>();
  if (!me || me.restricted === true) return [];
  const [publicIds, mine] = await Promise.all([publicGroupIds(), membershipsOf(viewer._id)]);
  const candidates = publicIds.filter((id) => !mine.has(String(id)));
  if (!candidates.length) return [];
  const groups = await Group.find({ _id: { $in: candidates } })
    .sort({ memberCount: -1, _id: -1 })
    .limit(MAX_SUGGESTIONS)
    .lean<GroupFields[]>();
  return presentGroupsFor(groups, viewer);
}
