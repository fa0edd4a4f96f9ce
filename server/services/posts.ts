// Posts and replies: write (sanitised, with images), read one, list replies, edit with revisions, delete.
import { Types } from 'mongoose';
import type { Page, Post as PostShape } from '../../shared/api';
import type { AppContext } from '../context';
import { HttpError, Invalid, NotFound } from '../errors';
import { encodeImage, type ImageInput } from '../media/images';
import { MAX_IMAGES_PER_POST, POST_IMAGE_VARIANT_NAMES, POST_IMAGE_VARIANTS } from '../media/post-images';
import { Group } from '../models/group';
import { Like } from '../models/like';
import { Post, type PostFields, type PostImageFields } from '../models/post';
import { PostRevision } from '../models/post-revision';
import { authorizeGroup, authorizePost, LISTED_IN_THREAD, loadGroupRef, refuseUnknownPost, type AuthorizeOptions, type PostAction } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentPostFor, presentPostsFor } from './post-views';
import { confirmActiveWriter } from './active-writer';
import { preserveBeforeChange } from './holds';
import { cursorFilter, toPage, type PageRequest } from './pagination';
import { MAX_BODY_LENGTH, sanitizeBody } from './post-body';
import { notifyPostWritten } from '../notifications/hooks';

export interface NewPost {
  body: string;
  parentId?: Types.ObjectId | null;
  /** Raw uploaded files; each goes through the sharp pipeline. */
  images?: readonly ImageInput[];
}

function checkBodyLength(body: string): void {
  if (body.length > MAX_BODY_LENGTH) {
    throw new HttpError(413, 'payload_too_large', { key: 'errors.post.bodyTooLong', values: { max: MAX_BODY_LENGTH } }, 'body');
  }
}

/** Loads a post and checks `action` for the viewer: 404 when invisible, 403 when visible but not allowed. */
export async function loadPostFor(
  ctx: AppContext,
  viewer: Viewer | null,
  postId: Types.ObjectId,
  action: PostAction,
  options: AuthorizeOptions = {},
): Promise<PostFields> {
  const post = await Post.findById(postId).lean<PostFields>();
  if (!post) return refuseUnknownPost(viewer, postId, action);
  await authorizePost(viewer, action, post, { ...options, audit: ctx.auditModeratorRead });
  return post;
}

async function storeImages(ctx: AppContext, files: readonly ImageInput[]): Promise<PostImageFields[]> {
  if (files.length > MAX_IMAGES_PER_POST) throw new Invalid('images', 'errors.field.tooManyImages', { max: MAX_IMAGES_PER_POST });
  // Encode every file before storing any, so a bad third image leaves nothing behind.
  const encoded = await Promise.all(files.map((file) => encodeImage(file, POST_IMAGE_VARIANTS)));
  return Promise.all(
    encoded.map(async (variants) => {
      const large = variants.find((variant) => variant.variant === '1280')!;
      return { key: await ctx.media.save('posts', variants), width: large.width, height: large.height };
    }),
  );
}

async function removeImages(ctx: AppContext, images: readonly PostImageFields[]): Promise<void> {
  await Promise.all(images.map((image) => ctx.media.remove('posts', image.key, POST_IMAGE_VARIANT_NAMES)));
}

function publish(
  ctx: AppContext,
  type: 'post.created' | 'post.updated' | 'post.deleted',
  post: Pick<PostFields, '_id' | 'groupId' | 'parentId'> & { membersOnly?: boolean | null },
  repliesRemoved: readonly Types.ObjectId[] = [],
): void {
  ctx.events.publish({
    type,
    postId: String(post._id),
    groupId: String(post.groupId),
    parentId: post.parentId ? String(post.parentId) : null,
    ...(type === 'post.deleted' && post.membersOnly === true ? { membersOnly: true } : {}),
    ...(repliesRemoved.length > 0 ? { repliesRemoved: repliesRemoved.map(String) } : {}),
  });
}

/** Members post in their group; a reply goes under a top-level post of the same group. */
export async function createPost(ctx: AppContext, viewer: Viewer, groupId: Types.ObjectId, input: NewPost): Promise<PostShape> {
  checkBodyLength(input.body);
  const group = await loadGroupRef(groupId);
  if (!group) throw new NotFound('group');
  let parent: PostFields | null = null;
  if (input.parentId) {
    parent = await loadPostFor(ctx, viewer, input.parentId, 'reply');
    if (!parent.groupId.equals(groupId)) throw new NotFound('post');
  } else {
    await authorizeGroup(viewer, 'post', group);
  }
  const { body, bodyText } = sanitizeBody(input.body);
  const files = input.images ?? [];
  if (!bodyText && !files.length) throw new Invalid('body', 'errors.field.emptyPost');
  const images = await storeImages(ctx, files);
  // A reply in a thread written while the group was closed belongs to that thread's readers.
  const membersOnly = parent?.membersOnly === true;
  let created: PostFields;
  try {
    created = (await Post.create({ groupId, authorId: viewer._id, parentId: parent?._id ?? null, body, bodyText, images, membersOnly })).toObject() as PostFields;
  } catch (error) {
    await removeImages(ctx, images);
    throw error;
  }
  if (parent) {
    // Counted only if the parent still takes replies; a reply that lost the race with a delete or a hide goes
    // away. A hide that comes after this marks the reply with its thread (./thread-hiding.ts), as it exists now.
    const counted = await Post.updateOne({ _id: parent._id, deletedAt: null, hiddenAt: null }, { $inc: { replyCount: 1 } });
    if (counted.matchedCount === 0) {
      await Post.deleteOne({ _id: created._id });
      await removeImages(ctx, images);
      throw new NotFound('post');
    }
  }
  // An account erased while this request was in flight (a slow upload) takes the post with it.
  await confirmActiveWriter(viewer._id, () => removePost(ctx, created));
  if (group.visibility === 'closed' && !membersOnly) created = await keepIfOpenedMeanwhile(created);
  publish(ctx, 'post.created', created);
  await notifyPostWritten(ctx, viewer, created, null, parent?.authorId ?? null);
  return presentPostFor(created, viewer, ctx.signer);
}

/**
 * A post authorized while its group was closed, committed as the group was being made public, is kept for
 * members like the rest of the closed era (the opening marks the posts it finds; this one it may have missed).
 */
async function keepIfOpenedMeanwhile(created: PostFields): Promise<PostFields> {
  const group = await Group.findById(created.groupId, { visibility: 1 }).lean<{ visibility: string }>();
  if (group?.visibility !== 'public') return created;
  await Post.updateOne({ _id: created._id }, { $set: { membersOnly: true } });
  return { ...created, membersOnly: true };
}

export async function getPost(ctx: AppContext, viewer: Viewer | null, postId: Types.ObjectId, options: AuthorizeOptions = {}): Promise<PostShape> {
  return presentPostFor(await loadPostFor(ctx, viewer, postId, 'read', options), viewer, ctx.signer);
}

/**
 * Replies oldest first; replies hidden on their own are left out for everyone. Whoever may open a hidden
 * top-level post (moderators) sees its thread under it as it was.
 */
export async function listReplies(
  ctx: AppContext,
  viewer: Viewer,
  postId: Types.ObjectId,
  page: PageRequest,
  options: AuthorizeOptions = {},
): Promise<Page<PostShape>> {
  await loadPostFor(ctx, viewer, postId, 'read', options);
  const rows = await Post.find({ parentId: postId, ...LISTED_IN_THREAD, ...cursorFilter(page, 1) })
    .sort({ _id: 1 })
    .limit(page.limit + 1)
    .lean<PostFields[]>();
  return toPage(rows, page, (kept) => presentPostsFor(kept, viewer, ctx.signer));
}

/** The author edits; the replaced body is kept as a revision (who, when, what). */
export async function editPost(ctx: AppContext, viewer: Viewer, postId: Types.ObjectId, input: { body: string }): Promise<PostShape> {
  checkBodyLength(input.body);
  const post = await loadPostFor(ctx, viewer, postId, 'edit');
  const { body, bodyText } = sanitizeBody(input.body);
  if (!bodyText && !post.images.length) throw new Invalid('body', 'errors.field.emptyPost');
  await preserveBeforeChange(ctx, { postIds: [postId] }, 'edit');
  const editedAt = new Date();
  // Only the body we read is replaced, so two concurrent edits each keep the body they replaced.
  const updated = await Post.findOneAndUpdate(
    { _id: postId, body: post.body, deletedAt: null },
    { $set: { body, bodyText, editedAt } },
    { new: true },
  ).lean<PostFields>();
  if (!updated) throw new HttpError(409, 'conflict', { key: 'errors.conflict.postChanged' });
  await PostRevision.create({ postId, editorId: viewer._id, body: post.body, bodyText: post.bodyText, replacedAt: editedAt });
  publish(ctx, 'post.updated', updated);
  await notifyPostWritten(ctx, viewer, updated, post.body, null);
  return presentPostFor(updated, viewer, ctx.signer);
}

/** Counts a post's listable replies again; moderation calls this when hiding or restoring a reply. */
export async function recountReplies(parentId: Types.ObjectId): Promise<number> {
  const replyCount = await Post.countDocuments({ parentId, ...LISTED_IN_THREAD });
  await Post.updateOne({ _id: parentId }, { $set: { replyCount } });
  return replyCount;
}

async function purge(ctx: AppContext, posts: Pick<PostFields, '_id' | 'images'>[]): Promise<void> {
  const ids = posts.map((post) => post._id);
  await Promise.all([
    Post.deleteMany({ _id: { $in: ids } }),
    Like.deleteMany({ postId: { $in: ids } }),
    PostRevision.deleteMany({ postId: { $in: ids } }),
  ]);
  await removeImages(ctx, posts.flatMap((post) => post.images ?? []));
}

/** The fields of a post its removal needs, as they were before removal began. */
export type RemovablePost = Pick<PostFields, '_id' | 'groupId' | 'authorId' | 'parentId' | 'hiddenAt' | 'images'> & { membersOnly?: boolean | null };

/**
 * Author, group owner/moderator or site moderator. A reply, or a top-level post nobody else replied to,
 * is removed with its likes, revisions and images. A top-level post with others' replies becomes a
 * placeholder (no body, no author, no images) so the thread stays readable; feeds never list it.
 */
export async function deletePost(ctx: AppContext, viewer: Viewer, postId: Types.ObjectId, options: AuthorizeOptions = {}): Promise<void> {
  const post = await loadPostFor(ctx, viewer, postId, 'delete', options);
  await preserveBeforeChange(ctx, { postIds: [postId] }, 'delete');
  if (!(await removePost(ctx, post))) throw new NotFound('post');
}

/**
 * deletePost without the permission check and without preserving for holds, for callers that decided
 * and preserved already (account erasure). Idempotent on the same snapshot of the post: a second run
 * finishes a removal that was cut short (files, likes, revisions, counts) and reports false, since it
 * was not the call that removed it.
 */
export async function removePost(ctx: AppContext, post: RemovablePost): Promise<boolean> {
  if (post.parentId) {
    const removed = await Post.deleteOne({ _id: post._id });
    await purge(ctx, [post]);
    if (removed.deletedCount === 1) {
      if (!post.hiddenAt) await Post.updateOne({ _id: post.parentId, replyCount: { $gt: 0 } }, { $inc: { replyCount: -1 } });
    } else {
      // Whether the earlier run got to the decrement is unknown: count again.
      await recountReplies(post.parentId);
    }
    if (removed.deletedCount === 1) publish(ctx, 'post.deleted', post);
    return removed.deletedCount === 1;
  }
  // Mark first: from here on no reply can be counted under this post (see createPost).
  const marked = await Post.updateOne(
    { _id: post._id, deletedAt: null },
    { $set: { deletedAt: new Date(), body: '', bodyText: '', authorId: null, images: [], likeCount: 0 } },
  );
  const othersReplied = await Post.exists({ parentId: post._id, authorId: { $ne: post.authorId } });
  let ownReplies: Pick<PostFields, '_id' | 'images'>[] = [];
  if (othersReplied) {
    await Promise.all([Like.deleteMany({ postId: post._id }), PostRevision.deleteMany({ postId: post._id })]);
    await removeImages(ctx, post.images ?? []);
  } else {
    ownReplies = await Post.find({ parentId: post._id }, { images: 1 }).lean<Pick<PostFields, '_id' | 'images'>[]>();
    await purge(ctx, [post, ...ownReplies]);
  }
  if (marked.modifiedCount === 1) publish(ctx, 'post.deleted', post, ownReplies.map((reply) => reply._id));
  return marked.modifiedCount === 1;
}
