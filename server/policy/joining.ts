// Joining a group: what a join request does for one viewer, and which settings a group may have.
import type { GroupVisibility, JoinPolicy } from '../../shared/api';
import { Forbidden, Invalid, NotFound } from '../errors';
import type { GroupAccess } from './access';
import { decideGroup, forbiddenMessage } from './rules';

/** `none`: already a member; `accept`: an invitation is taken up; `admit`: in at once; `request`: queued for approval. */
export type JoinStep = 'none' | 'accept' | 'admit' | 'request';

/**
 * The join policy a group's settings amount to. A closed group never admits strangers at once: should one
 * still say `open` (stored before such settings were refused), closed wins and joining asks for approval.
 */
export function effectiveJoinPolicy(visibility: GroupVisibility | string, joinPolicy: JoinPolicy | string): JoinPolicy {
  if (joinPolicy === 'invite') return 'invite';
  return joinPolicy === 'open' && visibility !== 'closed' ? 'open' : 'request';
}

/**
 * What joining does for this viewer (decideGroup's `join` first: signed in, not removed or suspended).
 * Throws NotFound/Forbidden as authorize* do; invite-only groups admit only the invited.
 */
export function joinStep(access: GroupAccess, joinPolicy: JoinPolicy | string): JoinStep {
  const decision = decideGroup(access, 'join');
  if (decision === 'not_found') throw new NotFound('group');
  if (decision === 'forbidden') throw new Forbidden(forbiddenMessage('join'));
  if (access.status === 'member') return 'none';
  if (access.status === 'invited') return 'accept';
  switch (effectiveJoinPolicy(access.visibility, joinPolicy)) {
    case 'open':
      return 'admit';
    case 'request':
      return 'request';
    case 'invite':
      throw new Forbidden('errors.forbidden.invitationOnly');
  }
}

/**
 * The visibility and join policy a change leaves a group with. Closing an open group makes joining ask
 * for approval; asking for `open` in a group that is or becomes closed is refused (400 naming joinPolicy).
 */
export function groupSettingsAfter(
  current: { visibility: GroupVisibility | string; joinPolicy: JoinPolicy | string },
  changes: { visibility?: GroupVisibility; joinPolicy?: JoinPolicy },
): { visibility: GroupVisibility | string; joinPolicy: JoinPolicy | string } {
  const visibility = changes.visibility ?? current.visibility;
  const joinPolicy = changes.joinPolicy ?? (visibility === 'closed' && current.joinPolicy === 'open' ? 'request' : current.joinPolicy);
  checkGroupSettings({ visibility, joinPolicy });
  return { visibility, joinPolicy };
}

/** Refuses settings that contradict each other: a closed group cannot be open to anyone who asks. */
export function checkGroupSettings(settings: { visibility: GroupVisibility | string; joinPolicy: JoinPolicy | string }): void {
  if (settings.visibility === 'closed' && settings.joinPolicy === 'open') {
    throw new Invalid('joinPolicy', 'errors.field.closedNotOpen');
  }
}
