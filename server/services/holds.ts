// Legal holds: place one (copying everything in scope), keep preserving while it is active, read, release.
import { createHash } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Hold as HoldShape, HoldScopeType, HoldWithItems, PreservedPost } from '../../shared/moderation';
import type { AppContext } from '../context';
import { Conflict, Invalid, NotFound } from '../errors';
import type { EncodedImage } from '../media/images';
import { POST_IMAGE_VARIANT_NAMES } from '../media/post-images';
import { Group } from '../models/group';
import { Hold, type HoldFields } from '../models/hold';
import { Like } from '../models/like';
import { Post, type PostFields } from '../models/post';
import { PostRevision } from '../models/post-revision';
import { PreservedItem, type PreservationCause, type PreservedImageFields, type PreservedItemFields } from '../models/preserved-item';
import { User } from '../models/user';
import { authorizeHoldRelease, authorizeSiteModeration } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentHold, presentHoldWithItems } from '../presenters/moderation';
import { appendAudit } from './audit';
import { cursorFilter, toPage, type PageRequest } from './pagination';

/** Posts are snapshotted this many at a time (one revision, like and image lookup per batch). */
const SNAPSHOT_BATCH = 200;

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The identifiers a hold's scope is matched against, for a live post or a preserved item alike. */
interface ScopeKeys {
  postId: Types.ObjectId;
  threadId: Types.ObjectId;
  groupId: Types.ObjectId;
  authorId?: Types.ObjectId | null;
}

function keysOfPost(post: Pick<PostFields, '_id' | 'parentId' | 'groupId' | 'authorId'>): ScopeKeys {
  return { postId: post._id, threadId: post.parentId ?? post._id, groupId: post.groupId, authorId: post.authorId ?? null };
}

function holdCovers(hold: Pick<HoldFields, 'scope'>, keys: ScopeKeys): boolean {
  const id = hold.scope.id;
  switch (hold.scope.type) {
    case 'post':
      return keys.postId.equals(id) || keys.threadId.equals(id);
    case 'user':
      return keys.authorId != null && keys.authorId.equals(id);
    case 'group':
      return keys.groupId.equals(id);
  }
}

/** Active holds that cover any of these posts or items: one indexed query. */
async function activeHoldsCovering(keys: ScopeKeys[]): Promise<HoldFields[]> {
  if (!keys.length) return [];
  const postIds = keys.flatMap((key) => [key.postId, key.threadId]);
  const authorIds = keys.flatMap((key) => (key.authorId ? [key.authorId] : []));
  return Hold.find({
    status: 'active',
    $or: [
      { 'scope.type': 'post', 'scope.id': { $in: postIds } },
      { 'scope.type': 'user', 'scope.id': { $in: authorIds } },
      { 'scope.type': 'group', 'scope.id': { $in: keys.map((key) => key.groupId) } },
    ],
  }).lean<HoldFields[]>();
}

/** Preserved items a hold covers, as a query. */
function coveredItemsFilter(hold: Pick<HoldFields, 'scope'>): Record<string, unknown> {
  const id = hold.scope.id;
  switch (hold.scope.type) {
    case 'post':
      return { $or: [{ postId: id }, { threadId: id }] };
    case 'user':
      return { authorId: id };
    case 'group':
      return { groupId: id };
  }
}

/** Live posts in a hold's scope (deleted placeholders hold nothing worth keeping). */
function postsInScopeFilter(scope: { type: HoldScopeType; id: Types.ObjectId }): Record<string, unknown> {
  const live = { deletedAt: null };
  switch (scope.type) {
    case 'post':
      return { $or: [{ _id: scope.id }, { parentId: scope.id }], ...live };
    case 'user':
      return { authorId: scope.id, ...live };
    case 'group':
      return { groupId: scope.id, ...live };
  }
}

function groupBy<T>(rows: T[], keyOf: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}

function iso(date: Date | null | undefined): string | null {
  return date ? date.toISOString() : null;
}

/**
 * Copies a live post image into the preserved store, or reuses an earlier copy of the same image.
 * A file that has vanished from disk is logged and left out rather than blocking the change forever.
 */
async function preserveImage(
  ctx: AppContext,
  sourceKey: string,
  size: { width: number; height: number },
  earlier: Map<string, PreservedImageFields[]>,
): Promise<PreservedImageFields[]> {
  const reused = earlier.get(sourceKey);
  if (reused) return reused;
  const variants: EncodedImage[] = [];
  for (const variant of POST_IMAGE_VARIANT_NAMES) {
    try {
      const data = await ctx.media.read('posts', sourceKey, variant);
      variants.push({ variant, data, width: variant === '1280' ? size.width : 0, height: variant === '1280' ? size.height : 0 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      ctx.log.error(`preserving image ${sourceKey}-${variant}: the file is missing`);
    }
  }
  if (!variants.length) return [];
  const key = await ctx.media.save('preserved', variants);
  const copies = variants.map((image) => ({
    key,
    variant: image.variant,
    sha256: sha256Hex(image.data),
    width: image.width,
    height: image.height,
    sourceKey,
  }));
  earlier.set(sourceKey, copies);
  return copies;
}

/** The snapshot's fields in a fixed order, so the same state always serializes to the same text. */
function snapshotOf(
  post: PostFields,
  revisions: { editorId: Types.ObjectId; body: string; bodyText: string; replacedAt: Date }[],
  likes: { userId: Types.ObjectId; createdAt: Date }[],
): PreservedPost {
  return {
    postId: String(post._id),
    groupId: String(post.groupId),
    authorId: post.authorId ? String(post.authorId) : null,
    parentId: post.parentId ? String(post.parentId) : null,
    body: post.body ?? '',
    bodyText: post.bodyText ?? '',
    createdAt: post.createdAt.toISOString(),
    editedAt: iso(post.editedAt),
    deletedAt: iso(post.deletedAt),
    hidden: post.hiddenAt
      ? { at: post.hiddenAt.toISOString(), by: post.hiddenBy ? String(post.hiddenBy) : null, reason: post.hiddenReason ?? null }
      : null,
    revisions: revisions.map((revision) => ({
      editorId: String(revision.editorId),
      body: revision.body,
      bodyText: revision.bodyText,
      replacedAt: revision.replacedAt.toISOString(),
    })),
    likes: likes.map((like) => ({ userId: String(like.userId), at: like.createdAt.toISOString() })),
    images: (post.images ?? []).map((image) => ({ width: image.width, height: image.height })),
  };
}

/** Writes one new preserved version of each post: body, revisions, likes, image files, ids and times. */
async function snapshotPosts(ctx: AppContext, posts: PostFields[], cause: PreservationCause): Promise<void> {
  for (let start = 0; start < posts.length; start += SNAPSHOT_BATCH) {
    const batch = posts.slice(start, start + SNAPSHOT_BATCH);
    const postIds = batch.map((post) => post._id);
    const sourceKeys = batch.flatMap((post) => (post.images ?? []).map((image) => image.key));
    const [revisions, likes, earlierCopies] = await Promise.all([
      PostRevision.find({ postId: { $in: postIds } }, { postId: 1, editorId: 1, body: 1, bodyText: 1, replacedAt: 1 })
        .sort({ _id: 1 })
        .lean<{ postId: Types.ObjectId; editorId: Types.ObjectId; body: string; bodyText: string; replacedAt: Date }[]>(),
      Like.find({ postId: { $in: postIds } }, { postId: 1, userId: 1, createdAt: 1 })
        .sort({ _id: 1 })
        .lean<{ postId: Types.ObjectId; userId: Types.ObjectId; createdAt: Date }[]>(),
      sourceKeys.length
        ? PreservedItem.find({ 'images.sourceKey': { $in: sourceKeys } }, { images: 1 }).lean<Pick<PreservedItemFields, 'images'>[]>()
        : Promise.resolve([]),
    ]);
    const wanted = new Set(sourceKeys);
    // One earlier copy per source image: the variants stored under a single preserved key.
    const earlier = new Map<string, PreservedImageFields[]>();
    for (const image of earlierCopies.flatMap((item) => item.images)) {
      if (!wanted.has(image.sourceKey)) continue;
      const known = earlier.get(image.sourceKey);
      if (!known) earlier.set(image.sourceKey, [image]);
      else if (known[0]!.key === image.key && !known.some((copy) => copy.variant === image.variant)) known.push(image);
    }
    const revisionsByPost = groupBy(revisions, (revision) => String(revision.postId));
    const likesByPost = groupBy(likes, (like) => String(like.postId));
    const preservedAt = new Date();
    const items = [];
    for (const post of batch) {
      const document = JSON.stringify(
        snapshotOf(
          post,
          revisionsByPost.get(String(post._id)) ?? [],
          likesByPost.get(String(post._id)) ?? [],
        ),
      );
      const images: PreservedImageFields[] = [];
      for (const image of post.images ?? []) images.push(...(await preserveImage(ctx, image.key, image, earlier)));
      items.push({ ...keysOfPost(post), cause, preservedAt, document, sha256: sha256Hex(document), images });
    }
    await PreservedItem.insertMany(items);
  }
}

export type PreservationTarget = { postIds: Types.ObjectId[] } | { userId: Types.ObjectId };

/**
 * Call before any edit, deletion, hide or account erasure. Every post the change touches that an active hold
 * covers is preserved first, as it is now. For a deletion the post's replies are included (deleting a thread
 * may remove them); for an erasure, the user's posts and the posts they liked (their likes go too).
 * Returns how many posts were preserved; 0 at the cost of one indexed query when no hold is active.
 */
export async function preserveBeforeChange(ctx: AppContext, target: PreservationTarget, cause: Exclude<PreservationCause, 'hold'>): Promise<number> {
  if (!(await Hold.exists({ status: 'active' }))) return 0;
  let posts: PostFields[];
  if ('postIds' in target) {
    const touched = cause === 'delete' ? { $or: [{ _id: { $in: target.postIds } }, { parentId: { $in: target.postIds } }] } : { _id: { $in: target.postIds } };
    posts = await Post.find({ ...touched, deletedAt: null }).lean<PostFields[]>();
  } else {
    const liked = await Like.find({ userId: target.userId }, { postId: 1 }).lean<{ postId: Types.ObjectId }[]>();
    posts = await Post.find({
      $or: [{ authorId: target.userId }, { _id: { $in: liked.map((like) => like.postId) } }],
      deletedAt: null,
    }).lean<PostFields[]>();
  }
  const holds = await activeHoldsCovering(posts.map(keysOfPost));
  const covered = posts.filter((post) => holds.some((hold) => holdCovers(hold, keysOfPost(post))));
  await snapshotPosts(ctx, covered, cause);
  return covered.length;
}

export interface NewHold {
  scope: { type: HoldScopeType; id: Types.ObjectId };
  reason: string;
  reference: string;
}

async function scopeExists(scope: NewHold['scope']): Promise<boolean> {
  switch (scope.type) {
    case 'post':
      return (await Post.exists({ _id: scope.id })) !== null;
    case 'user':
      return (await User.exists({ _id: scope.id })) !== null;
    case 'group':
      return (await Group.exists({ _id: scope.id })) !== null;
  }
}

/** Places a hold and preserves everything in its scope right away. */
export async function createHold(ctx: AppContext, viewer: Viewer, input: NewHold): Promise<HoldWithItems> {
  authorizeSiteModeration(viewer, 'hold');
  if (!(await scopeExists(input.scope))) throw new Invalid('scope.id', 'errors.field.noSuchScope', { type: input.scope.type });
  // The hold exists before the copying starts, so a change racing the copy is preserved by the change itself.
  const hold = (await Hold.create({ scope: input.scope, reason: input.reason, reference: input.reference, createdBy: viewer._id })).toObject() as HoldFields;
  const posts = await Post.find(postsInScopeFilter(input.scope)).sort({ _id: 1 }).lean<PostFields[]>();
  await snapshotPosts(ctx, posts, 'hold');
  await appendAudit(ctx, { actor: viewer.id, action: 'hold.create', target: `hold:${String(hold._id)}`, reason: input.reason });
  return presentHoldWithItems(hold, await coveredItems(hold));
}

async function coveredItems(hold: HoldFields): Promise<PreservedItemFields[]> {
  if (hold.status !== 'active') return [];
  return PreservedItem.find(coveredItemsFilter(hold)).sort({ _id: 1 }).lean<PreservedItemFields[]>();
}

export async function loadHold(holdId: Types.ObjectId): Promise<HoldFields> {
  const hold = await Hold.findById(holdId).lean<HoldFields>();
  if (!hold) throw new NotFound('hold');
  return hold;
}

/** The preserved items an active hold covers (none once released). */
export async function itemsOfHold(hold: HoldFields): Promise<PreservedItemFields[]> {
  return coveredItems(hold);
}

/** A hold with its preserved items; reading preserved content is audited. */
export async function getHold(ctx: AppContext, viewer: Viewer, holdId: Types.ObjectId): Promise<HoldWithItems> {
  authorizeSiteModeration(viewer, 'hold');
  const hold = await loadHold(holdId);
  const items = await coveredItems(hold);
  await appendAudit(ctx, { actor: viewer.id, action: 'hold.read', target: `hold:${String(hold._id)}` });
  return presentHoldWithItems(hold, items);
}

export async function listHolds(viewer: Viewer, status: 'active' | 'released', page: PageRequest) {
  authorizeSiteModeration(viewer, 'hold');
  const rows = await Hold.find({ status, ...cursorFilter(page) })
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<HoldFields[]>();
  return toPage(rows, page, (kept) => kept.map(presentHold));
}

/**
 * Releases a hold (admins, with a reason): its preserved copies are deleted, except those another active
 * hold still covers; image files go when no remaining item refers to them.
 */
export async function releaseHold(ctx: AppContext, viewer: Viewer, holdId: Types.ObjectId, reason: string): Promise<HoldShape> {
  authorizeSiteModeration(viewer, 'hold');
  authorizeHoldRelease(viewer);
  const before = await loadHold(holdId);
  const released = await Hold.findOneAndUpdate(
    { _id: holdId, status: 'active' },
    { $set: { status: 'released', releasedAt: new Date(), releasedBy: viewer._id, releaseReason: reason } },
    { new: true },
  ).lean<HoldFields>();
  if (!released) throw new Conflict('errors.conflict.holdAlreadyReleased');
  const items = await PreservedItem.find(coveredItemsFilter(before), { postId: 1, threadId: 1, groupId: 1, authorId: 1, images: 1 }).lean<
    Pick<PreservedItemFields, '_id' | 'postId' | 'threadId' | 'groupId' | 'authorId' | 'images'>[]
  >();
  const others = await activeHoldsCovering(items);
  const doomed = items.filter((item) => !others.some((hold) => holdCovers(hold, item)));
  if (doomed.length) {
    await PreservedItem.deleteMany({ _id: { $in: doomed.map((item) => item._id) } });
    await removeOrphanedImages(ctx, doomed.flatMap((item) => item.images));
  }
  await appendAudit(ctx, { actor: viewer.id, action: 'hold.release', target: `hold:${String(holdId)}`, reason });
  return presentHold(released);
}

async function removeOrphanedImages(ctx: AppContext, images: PreservedImageFields[]): Promise<void> {
  const variantsByKey = new Map<string, Set<string>>();
  for (const image of images) variantsByKey.set(image.key, (variantsByKey.get(image.key) ?? new Set()).add(image.variant));
  const stillUsed = await PreservedItem.find({ 'images.key': { $in: [...variantsByKey.keys()] } }, { images: 1 }).lean<
    Pick<PreservedItemFields, 'images'>[]
  >();
  const used = new Set(stillUsed.flatMap((item) => item.images.map((image) => image.key)));
  await Promise.all(
    [...variantsByKey].filter(([key]) => !used.has(key)).map(([key, variants]) => ctx.media.remove('preserved', key, [...variants])),
  );
}
