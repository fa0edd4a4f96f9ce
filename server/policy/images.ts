// The image door: a signed URL proves a permitted viewer was handed it; this checks what may have changed since.
import type { Types } from 'mongoose';
import { SHORT_URL_MAX_SECONDS } from '../media/post-images';
import { Post } from '../models/post';
import { accessFrom, loadGroupRef, type GroupRef } from './access';
import { decidePost, type PostRef } from './rules';

/**
 * Whether a post's image URLs may be long-lived: only while an anonymous visitor could see the images
 * (public group, post not hidden, nor its thread), since such a URL is cached and may be passed on.
 */
export function imagesLongLived(group: GroupRef, post: Pick<PostRef, '_id' | 'groupId' | 'hiddenAt' | 'parentHiddenAt' | 'membersOnly'>): boolean {
  return decidePost(accessFrom(null, group, null), post, 'viewImages') === 'allow';
}

/**
 * Whether a validly signed post-image URL may still be served. Short-lived URLs (closed groups, hidden
 * posts) just need the post to exist. A long-lived URL, minted for a public group, stops working as soon
 * as the group turns closed or the post is hidden, since the viewer it was minted for may have no access now.
 */
export async function postImageServable(key: string, expiresSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): Promise<boolean> {
  const post = await Post.findOne({ 'images.key': key }, { groupId: 1, hiddenAt: 1, parentHiddenAt: 1, membersOnly: 1 }).lean<{
    _id: Types.ObjectId;
    groupId: Types.ObjectId;
    hiddenAt: Date | null;
    parentHiddenAt?: Date | null;
    membersOnly?: boolean;
  }>();
  if (!post) return false;
  if (expiresSeconds - nowSeconds <= SHORT_URL_MAX_SECONDS) return true;
  const group = await loadGroupRef(post.groupId);
  return group !== null && imagesLongLived(group, post);
}
