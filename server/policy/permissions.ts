// What one viewer may do with a post or a group, as the contract's `can` objects. Presenters attach these
// so the client draws buttons from them and restates no rule; every answer comes from the decisions in
// ./rules.ts and ./moderation.ts on access facts already loaded (no query).
import type { GroupPermissions, JoinPolicy, PostPermissions } from '../../shared/api';
import { managesGroup, ownsGroup, readsByModeratorOverride, readsGroup, type GroupAccess } from './access';
import { decideGroupModeration, decideReport } from './moderation';
import { joinStep, type JoinStep } from './joining';
import { decideGroup, decidePost, type PostRef } from './rules';

const NOTHING_ON_A_POST: PostPermissions = Object.freeze({ edit: false, delete: false, reply: false, like: false, report: false, hide: false, restore: false });

function allows(access: GroupAccess, post: PostRef, action: 'edit' | 'delete' | 'reply' | 'like'): boolean {
  return decidePost(access, post, action) === 'allow';
}

/** Called for every post of every feed page: no closure per call. */
export function postPermissions(access: GroupAccess, post: PostRef): PostPermissions {
  if (access.viewer === null) return NOTHING_ON_A_POST;
  const isAuthor = post.authorId != null && post.authorId.equals(access.viewer._id);
  return {
    edit: allows(access, post, 'edit'),
    delete: allows(access, post, 'delete'),
    reply: allows(access, post, 'reply'),
    like: allows(access, post, 'like'),
    // Reporting one's own post means nothing to a moderator; the route accepts it, the button is not offered.
    report: !isAuthor && decideReport(access, post) === 'allow',
    hide: !post.hiddenAt && !post.deletedAt && decideGroupModeration(access, post) === 'allow',
    // Only those who may moderate ever see a hidden post, so this also tells them it is hidden.
    restore: !!post.hiddenAt && !post.deletedAt && decideGroupModeration(access, post) === 'allow',
  };
}

/** Whether joining would change anything for the viewer: admit, take up an invitation, or ask (once). */
function offersJoin(access: GroupAccess, joinPolicy: JoinPolicy | string): boolean {
  let step: JoinStep;
  try {
    step = joinStep(access, joinPolicy);
  } catch {
    return false;
  }
  return step !== 'none' && !(step === 'request' && access.status === 'pending');
}

/** Whether the group's member count may be shown: to whoever may read the group (moderators included). */
export function seesMemberCount(access: GroupAccess): boolean {
  return readsGroup(access);
}

export function groupPermissions(access: GroupAccess, joinPolicy: JoinPolicy | string): GroupPermissions {
  const allows = (action: 'read' | 'post' | 'manage' | 'update') => decideGroup(access, action) === 'allow';
  const manages = allows('manage');
  return {
    // A site moderator's read of a closed group they are not in needs a stated reason at the door, so it is
    // not offered as an ordinary read; `moderate` tells the client such a read is possible.
    read: allows('read') && !readsByModeratorOverride(access),
    post: allows('post'),
    manage: manages,
    update: allows('update'),
    invite: manages,
    join: offersJoin(access, joinPolicy),
    // A pending request or an invitation can be withdrawn or declined; an owner cannot leave.
    leave: ['member', 'pending', 'invited'].includes(access.status) && !ownsGroup(access),
    moderate: access.siteModerator || managesGroup(access),
  };
}
