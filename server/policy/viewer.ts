import type { Types } from 'mongoose';
import type { Role } from '../../shared/api';
import type { UserFields } from '../models/user';

/** Who is asking. `null` everywhere means an anonymous visitor. */
export interface Viewer {
  readonly id: string;
  readonly _id: Types.ObjectId;
  readonly roles: readonly Role[];
}

export function viewerFromUser(user: Pick<UserFields, '_id'> & { roles?: readonly string[] | null }): Viewer {
  return { id: String(user._id), _id: user._id, roles: (user.roles ?? []) as readonly Role[] };
}

export function isAdmin(viewer: Viewer | null): boolean {
  return viewer !== null && viewer.roles.includes('admin');
}

/** Site moderators act forum-wide; admins are moderators too. */
export function isSiteModerator(viewer: Viewer | null): boolean {
  return viewer !== null && (viewer.roles.includes('moderator') || viewer.roles.includes('admin'));
}
