// A user's public face: display name, bio and avatar.
import type { Types } from 'mongoose';
import type { AppContext } from '../context';
import { Unauthorized } from '../errors';
import { encodeImage, type ImageInput } from '../media/images';
import { readCache } from '../services/read-cache';
import { ACTIVE_ACCOUNT, PUBLIC_USER_PROJECTION, User, type PublicUserFields, type UserFields } from '../models/user';
import { AVATAR_VARIANTS } from '../presenters/user';

export interface ProfileChanges {
  displayName?: string;
  bio?: string;
  language?: string;
}

export async function updateProfile(ctx: AppContext, userId: Types.ObjectId, changes: ProfileChanges): Promise<UserFields> {
  const set: ProfileChanges = {};
  if (changes.displayName !== undefined) set.displayName = changes.displayName;
  if (changes.bio !== undefined) set.bio = changes.bio;
  if (changes.language !== undefined) set.language = changes.language;
  const updated = await User.findOneAndUpdate({ _id: userId, status: 'active' }, { $set: set }, { new: true }).lean<UserFields>();
  if (!updated) throw new Unauthorized();
  if (Object.keys(set).length > 0) {
    ctx.events.publish({ type: 'user.changed', userId: String(userId), change: { kind: 'profile' } });
  }
  return updated;
}

export const AVATAR_VARIANT_NAMES = AVATAR_VARIANTS.map((variant) => variant.name);

/**
 * Decodes, cleans and stores a new avatar under a new random name, points the user at it, then
 * deletes the previous files. The swap is one atomic update, so two uploads racing each delete
 * exactly the files they replaced.
 */
export async function replaceAvatar(ctx: AppContext, userId: Types.ObjectId, upload: ImageInput): Promise<UserFields> {
  const images = await encodeImage(upload, AVATAR_VARIANTS);
  const key = await ctx.media.save('avatars', images);
  const before = await User.findOneAndUpdate(
    { _id: userId, status: 'active' },
    { $set: { avatarKey: key } },
    { new: false },
  ).lean<UserFields>();
  if (!before) {
    await ctx.media.remove('avatars', key, AVATAR_VARIANT_NAMES);
    throw new Unauthorized();
  }
  if (before.avatarKey) await ctx.media.remove('avatars', before.avatarKey, AVATAR_VARIANT_NAMES);
  ctx.events.publish({ type: 'user.changed', userId: String(userId), change: { kind: 'profile' } });
  return { ...before, avatarKey: key };
}

/** A profile any signed-in user may view; accounts that are not active (awaiting consent, erased) do not exist. */
export async function findPublicProfile(id: Types.ObjectId): Promise<PublicUserFields | null> {
  return (await loadPublicUsers([String(id)])).get(String(id)) ?? null;
}

/**
 * The public cards of active users by hex id (null for anyone not active), through the read cache that
 * profile and account events drop: the one way authors, reporters and members are loaded for presenting.
 */
export async function loadPublicUsers(userIds: readonly string[]): Promise<Map<string, PublicUserFields | null>> {
  const unique = [...new Set(userIds)];
  return readCache.authors.getMany(unique, async (missing) => {
    const found = await User.find({ _id: { $in: missing }, ...ACTIVE_ACCOUNT }, PUBLIC_USER_PROJECTION).lean<PublicUserFields[]>();
    const byId = new Map<string, PublicUserFields | null>(missing.map((id) => [id, null]));
    for (const user of found) byId.set(String(user._id), user);
    return byId;
  });
}
