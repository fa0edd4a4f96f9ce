// Builders for groups, memberships and posts, written straight through the models.
import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import sharp from 'sharp';
import type { AppContext } from '../../server/context';
import { readCache } from '../../server/services/read-cache';
import { encodeImage } from '../../server/media/images';
import { POST_IMAGE_VARIANTS } from '../../server/media/post-images';
import { Group, type GroupFields } from '../../server/models/group';
import { Membership, type GroupRole, type MembershipState } from '../../server/models/membership';
import { Post, type PostFields } from '../../server/models/post';
import { sanitizeBody } from '../../server/services/post-body';
import { buildUser, type BuiltUser } from './factories';

export interface GroupOverrides {
  owner: BuiltUser;
  name?: string;
  visibility?: 'public' | 'closed';
  joinPolicy?: 'open' | 'request' | 'invite';
  description?: string;
}

export async function buildGroup(overrides: GroupOverrides): Promise<GroupFields> {
  const visibility = overrides.visibility ?? 'public';
  const name = overrides.name ?? `Group ${randomBytes(4).toString('hex')}`;
  const group = await Group.create({
    name,
    slug: `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomBytes(3).toString('hex')}`,
    description: overrides.description ?? 'A group for tests.',
    visibility,
    joinPolicy: overrides.joinPolicy ?? (visibility === 'public' ? 'open' : 'request'),
    ownerId: overrides.owner.user._id,
    memberCount: 1,
  });
  await Membership.create({ groupId: group._id, userId: overrides.owner.user._id, status: 'member', role: 'owner' });
  // Fixtures write past the services, so they announce the change to the read cache as the services do.
  readCache.apply({ type: 'group.changed', groupId: String(group._id) });
  readCache.apply({ type: 'membership.changed', groupId: String(group._id), userId: String(overrides.owner.user._id) });
  return group.toObject() as GroupFields;
}

/** Puts `who` into the group with a status (default member) and role; keeps memberCount exact. */
export async function addMember(
  group: Pick<GroupFields, '_id'>,
  who: BuiltUser,
  status: MembershipState = 'member',
  role: GroupRole = 'member',
): Promise<void> {
  await Membership.create({ groupId: group._id, userId: who.user._id, status, role });
  if (status === 'member') await Group.updateOne({ _id: group._id }, { $inc: { memberCount: 1 } });
  readCache.apply({ type: 'membership.changed', groupId: String(group._id), userId: String(who.user._id) });
}

export interface ContentCast {
  /** Owns both groups. */
  owner: BuiltUser;
  /** Member of the closed group. */
  member: BuiltUser;
  /** Signed in, in neither group. */
  stranger: BuiltUser;
  open: GroupFields;
  closed: GroupFields;
}

/** Three people around a public and a closed group: the cast of the post, like and feed tests. */
export async function buildContentCast(): Promise<ContentCast> {
  const [owner, member, stranger] = await Promise.all([buildUser(), buildUser(), buildUser()]);
  const open = await buildGroup({ owner, visibility: 'public' });
  const closed = await buildGroup({ owner, visibility: 'closed' });
  await addMember(closed, member);
  return { owner, member, stranger, open, closed };
}

/** A small real PNG, different each call. */
export async function samplePng(width = 64, height = 48): Promise<Buffer> {
  const [r, g, b] = randomBytes(3);
  return sharp({ create: { width, height, channels: 3, background: { r: r!, g: g!, b: b! } } })
    .png()
    .toBuffer();
}

export interface PostOverrides {
  group: Pick<GroupFields, '_id'>;
  author: BuiltUser | null;
  body?: string;
  parent?: Pick<PostFields, '_id'> | null;
  hiddenAt?: Date | null;
  /** Stores this many real images through the media pipeline (needs the forum's context). */
  images?: { count: number; ctx: AppContext };
}

/** A post or reply (replies bump the parent's replyCount unless hidden), as the service would store it. */
export async function buildPost(overrides: PostOverrides): Promise<PostFields> {
  const { body, bodyText } = sanitizeBody(overrides.body ?? `<p>Post ${randomBytes(4).toString('hex')}</p>`);
  const images = [];
  for (let i = 0; i < (overrides.images?.count ?? 0); i++) {
    const encoded = await encodeImage(await samplePng(), POST_IMAGE_VARIANTS);
    const large = encoded.find((variant) => variant.variant === '1280')!;
    images.push({ key: await overrides.images!.ctx.media.save('posts', encoded), width: large.width, height: large.height });
  }
  const post = await Post.create({
    groupId: overrides.group._id,
    authorId: overrides.author?.user._id ?? null,
    parentId: overrides.parent?._id ?? null,
    body,
    bodyText,
    images,
    hiddenAt: overrides.hiddenAt ?? null,
  });
  if (overrides.parent && !overrides.hiddenAt) await Post.updateOne({ _id: overrides.parent._id }, { $inc: { replyCount: 1 } });
  // What the service's post.created event does to this process's caches (the group's cached newest posts).
  readCache.apply({ type: 'post.created', postId: String(post._id), groupId: String(post.groupId), parentId: post.parentId ? String(post.parentId) : null });
  return post.toObject() as PostFields;
}

export function idOf(doc: { _id: Types.ObjectId }): string {
  return String(doc._id);
}
