// A hidden thread is hidden as a whole: every reply carries its top-level post's hiddenAt as `parentHiddenAt`,
// so the rules (isHidden) and the list scopes (LISTABLE_POST) treat the replies as hidden wherever they already
// treat hidden posts, and the search index decides it on its entries. The reply's own hiddenAt is left alone,
// so restoring the thread brings back exactly the replies moderators had not hidden themselves.
import type { mongo, Types } from 'mongoose';
import { Post } from '../models/post';

type HiddenState = { hiddenAt: Date | null } | null;

async function hiddenAtOf(postId: Types.ObjectId): Promise<Date | null> {
  return (await Post.findById(postId, { hiddenAt: 1 }).lean<HiddenState>())?.hiddenAt ?? null;
}

function sameTime(a: Date | null, b: Date | null): boolean {
  return a === null || b === null ? a === b : a.getTime() === b.getTime();
}

/**
 * Hides a top-level post's replies with it ahead of the post itself, so that a hide cut short errs on the side
 * of hiding; markRepliesWithThread then settles them on what the post says.
 */
export async function hideRepliesWithThread(postId: Types.ObjectId, hiddenAt: Date): Promise<void> {
  await Post.updateMany({ parentId: postId, parentHiddenAt: null }, { $set: { parentHiddenAt: hiddenAt } });
}

/**
 * Marks (or unmarks) the replies of a top-level post as its hiddenAt now says; called after every write of that
 * hiddenAt. The post is read again after the replies are written: a hide and a restore of the same post racing
 * each other could otherwise leave the last reply write disagreeing with the last post write, so it goes round
 * until both agree. Replies written later find the post hidden and take no part (createPost).
 */
export async function markRepliesWithThread(postId: Types.ObjectId): Promise<void> {
  let hiddenAt = await hiddenAtOf(postId);
  for (;;) {
    await Post.updateMany({ parentId: postId, parentHiddenAt: { $ne: hiddenAt } }, { $set: { parentHiddenAt: hiddenAt } });
    const now = await hiddenAtOf(postId);
    if (sameTime(now, hiddenAt)) return;
    hiddenAt = now;
  }
}

/**
 * For posts written before replies carried their thread's state: marks the replies of every hidden top-level
 * post. Works on the driver's collection, since it runs at start before the models do (server/db/upgrades.ts).
 * Idempotent, so a start cut short runs it again.
 */
export async function markRepliesOfHiddenThreads(posts: mongo.Collection): Promise<number> {
  const hidden = await posts.find({ parentId: null, hiddenAt: { $ne: null } }, { projection: { hiddenAt: 1 } }).toArray();
  let marked = 0;
  for (const post of hidden) {
    const result = await posts.updateMany({ parentId: post._id, parentHiddenAt: null }, { $set: { parentHiddenAt: post.hiddenAt as Date } });
    marked += result.modifiedCount;
  }
  return marked;
}
