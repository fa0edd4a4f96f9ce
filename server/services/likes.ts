// Likes: idempotent, one per user per post (unique index), counters moved only by writes that happened.
import type { Types } from 'mongoose';
import type { LikeState } from '../../shared/api';
import type { AppContext } from '../context';
import { Like } from '../models/like';
import { Post, type PostFields } from '../models/post';
import type { Viewer } from '../policy/viewer';
import { confirmActiveWriter } from './active-writer';
import { loadPostFor } from './posts';
import { notifyLiked } from '../notifications/hooks';

async function currentCount(postId: Types.ObjectId): Promise<number> {
  const post = await Post.findById(postId, { likeCount: 1 }).lean<{ likeCount: number }>();
  return post?.likeCount ?? 0;
}

export async function likePost(ctx: AppContext, viewer: Viewer, postId: Types.ObjectId): Promise<LikeState> {
  const post = await loadPostFor(ctx, viewer, postId, 'like');
  try {
    await Like.create({ postId, userId: viewer._id, groupId: post.groupId });
  } catch (error) {
    // Already liked: liking is idempotent, so this is success with the count unchanged.
    if ((error as { code?: number })?.code === 11000) return { likeCount: await currentCount(postId), likedByMe: true };
    throw error;
  }
  const updated = await Post.findOneAndUpdate({ _id: postId }, { $inc: { likeCount: 1 } }, { new: true, projection: { likeCount: 1 } }).lean<{
    likeCount: number;
  }>();
  await confirmActiveWriter(viewer._id, () => withdrawLike(ctx, viewer._id, { _id: postId, groupId: post.groupId }));
  const likeCount = updated?.likeCount ?? 0;
  ctx.events.publish({ type: 'like.changed', postId: String(postId), groupId: String(post.groupId), likeCount, userId: String(viewer._id) });
  await notifyLiked(ctx, viewer, post, likeCount);
  return { likeCount, likedByMe: true };
}

export async function unlikePost(ctx: AppContext, viewer: Viewer, postId: Types.ObjectId): Promise<LikeState> {
  const post = await loadPostFor(ctx, viewer, postId, 'like');
  return { likeCount: await withdrawLike(ctx, viewer._id, { _id: postId, groupId: post.groupId }), likedByMe: false };
}

/** unlikePost without the permission check (account erasure); returns the post's like count afterwards. */
export async function withdrawLike(ctx: AppContext, userId: Types.ObjectId, post: Pick<PostFields, '_id' | 'groupId'>): Promise<number> {
  const removed = await Like.deleteOne({ postId: post._id, userId });
  if (removed.deletedCount !== 1) return currentCount(post._id);
  const updated = await Post.findOneAndUpdate(
    { _id: post._id, likeCount: { $gt: 0 } },
    { $inc: { likeCount: -1 } },
    { new: true, projection: { likeCount: 1 } },
  ).lean<{ likeCount: number }>();
  const likeCount = updated?.likeCount ?? 0;
  ctx.events.publish({ type: 'like.changed', postId: String(post._id), groupId: String(post.groupId), likeCount, userId: String(userId) });
  return likeCount;
}

/**
 * Sets a post's like count from its likes, for when a withdrawal was cut short between removing the
 * like and moving the counter. Deleted placeholders keep 0.
 */
export async function recountLikes(ctx: AppContext, postId: Types.ObjectId): Promise<void> {
  const post = await Post.findById(postId, { groupId: 1, deletedAt: 1 }).lean<Pick<PostFields, '_id' | 'groupId' | 'deletedAt'>>();
  if (!post || post.deletedAt) return;
  const likeCount = await Like.countDocuments({ postId });
  await Post.updateOne({ _id: postId }, { $set: { likeCount } });
  ctx.events.publish({ type: 'like.changed', postId: String(postId), groupId: String(post.groupId), likeCount, userId: null });
}
