// Likes: idempotent, one per user per post (unique index), counters moved only by writes that happened.
import type { Types } from 'mongoose';
import type { LikeState } from '../../shared/api';
import type { AppContext } from '../context';
import { Like } from '../models/like';
import { Post } from '../models/post';
import type { Viewer } from '../policy/viewer';
import { loadPostFor } from './posts';

async function currentCount(postId: Types.ObjectId): Promise<number> {
  const post = await Post.findById(postId, { likeCount: 1 }).lean<{ likeCount: number }>();
  return post?.likeCount ?? 0;
}

export async function likePost(ctx: AppContext, viewer: Viewer, postId: Types.ObjectId): Promise<LikeState> {
  const post = await loadPostFor(viewer, postId, 'like');
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
  const likeCount = updated?.likeCount ?? 0;
  ctx.events.publish({ type: 'like.changed', postId: String(postId), groupId: String(post.groupId), likeCount });
  return { likeCount, likedByMe: true };
}

export async function unlikePost(ctx: AppContext, viewer: Viewer, postId: Types.ObjectId): Promise<LikeState> {
  const post = await loadPostFor(viewer, postId, 'like');
  const removed = await Like.deleteOne({ postId, userId: viewer._id });
  if (removed.deletedCount !== 1) return { likeCount: await currentCount(postId), likedByMe: false };
  const updated = await Post.findOneAndUpdate(
    { _id: postId, likeCount: { $gt: 0 } },
    { $inc: { likeCount: -1 } },
    { new: true, projection: { likeCount: 1 } },
  ).lean<{ likeCount: number }>();
  const likeCount = updated?.likeCount ?? 0;
  ctx.events.publish({ type: 'like.changed', postId: String(postId), groupId: String(post.groupId), likeCount });
  return { likeCount, likedByMe: false };
}
