import type { AuthorCard, ContactPreferences, Me, PublicUser, Role } from '../../shared/api';
import type { UserFields } from '../models/user';

export const AVATAR_VARIANTS = [
  { name: '512', maxSide: 512, square: true },
  { name: '96', maxSide: 96, square: true },
] as const;

/** Avatars are public (any signed-in user may see any profile), so they are served statically. */
export function avatarUrl(avatarKey: string | null | undefined): string | null {
  return avatarKey ? `/media/avatars/${avatarKey}-512.webp` : null;
}

/** The only shape of another user that ever leaves the server. */
export function presentPublicUser(user: Pick<UserFields, '_id' | 'displayName' | 'avatarKey' | 'bio' | 'createdAt'>): PublicUser {
  return {
    id: String(user._id),
    displayName: user.displayName,
    avatarUrl: avatarUrl(user.avatarKey),
    bio: user.bio ?? '',
    joinedAt: user.createdAt.toISOString(),
  };
}

/** Minimal identity for visitors: no bio, no join date. */
export function presentAuthorCard(user: Pick<UserFields, '_id' | 'displayName' | 'avatarKey'>): AuthorCard {
  return { id: String(user._id), displayName: user.displayName, avatarUrl: avatarUrl(user.avatarKey) };
}

/** Missing flags read as not opted in: consent is never assumed. */
export function presentPreferences(preferences: Partial<ContactPreferences> | null | undefined): ContactPreferences {
  return {
    email: preferences?.email === true,
    sms: preferences?.sms === true,
    whatsapp: preferences?.whatsapp === true,
    phone: preferences?.phone === true,
    post: preferences?.post === true,
  };
}

/** The caller's own account; only ever sent to that caller (or an admin view). */
export function presentMe(user: UserFields): Me {
  return {
    ...presentPublicUser(user),
    email: user.email,
    name: user.name,
    roles: (user.roles ?? []) as Role[],
    isMember: user.isMember === true,
    dateOfBirth: user.dateOfBirth,
    preferences: presentPreferences(user.preferences),
    restricted: user.restricted === true,
    emailVerified: user.emailVerified === true,
    language: user.language ?? 'en',
  };
}
