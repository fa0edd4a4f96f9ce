// The image door: a signed URL proves a permitted viewer was handed it; this checks what may have changed since.
import type { Types } from 'mongoose';
import { SHORT_URL_MAX_SECONDS } from '../media/post-images';
import { Post } from '../models/post';
import { loadGroupRef } from './access';

/**
 * Whether a validly signed post-image URL may still be served. Short-lived URLs (closed groups, hidden
 * posts) just need the post to exist. A long-lived URL, minted for a public group, stops working as soon
 * as the group turns closed or the post is hidden, since the viewer it was minted for may have no access now.
 */
export async function postImageServable(key: string, expiresSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): Promise<boolean> {
  const post = await Post.findOne({ 'images.key': key }, { groupId: 1, hiddenAt: 1 }).lean<{
    groupId: Types.ObjectId;
    hiddenAt: Date | null;
  }>();
  if (!post) return false;
  if (expiresSeconds - nowSeconds <= SHORT_URL_MAX_SECONDS) return true;
  if (post.hiddenAt) return false;
  const group = await loadGroupRef(post.groupId);
  return group?.visibility === 'public';
}
