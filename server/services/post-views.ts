// Everything the post presenter needs to know, loaded for one viewer and one set of rows: authors' cards,
// which of the posts the viewer likes, and what the viewer is to each post's group. The presenter then only
// maps. At most three reads whatever the count, usually all answered by the read cache.
import type { Types } from 'mongoose';
import type { Post } from '../../shared/api';
import { MAX_CACHED_LIKES, readCache } from '../services/read-cache';
import type { UrlSigner } from '../media/signed-urls';
import { Like } from '../models/like';
import type { PresentablePost } from '../models/post';
import { accessFrom, loadGroupRefs, membershipsOf, type GroupAccess, type Viewer } from '../policy';
import { presentPosts, textsOf, type PostViewFacts } from '../presenters/post';
import { loadPublicUsers } from './profiles';

/**
 * Which of these posts the viewer likes, as hex ids: every like of the viewer through the read cache (like
 * events drop it), or one query for these posts alone for someone who likes a great many.
 */
async function likedAmong(viewer: Viewer, postIds: Types.ObjectId[]): Promise<ReadonlySet<string>> {
  // With the cache off (the relay is down), every like of the viewer would be read for one page.
  const all = readCache.likedPosts.keeping
    ? await readCache.likedPosts.get(String(viewer._id), async () => {
        const likes = await Like.find({ userId: viewer._id }, { _id: 0, postId: 1 })
          .limit(MAX_CACHED_LIKES + 1)
          .lean<{ postId: Types.ObjectId }[]>();
        return likes.length > MAX_CACHED_LIKES ? null : new Set(likes.map((like) => like.postId.toHexString()));
      })
    : null;
  if (all) return all;
  const likes = await Like.find({ userId: viewer._id, postId: { $in: postIds } }, { _id: 0, postId: 1 }).lean<{ postId: Types.ObjectId }[]>();
  return new Set(likes.map((like) => like.postId.toHexString()));
}

/** What the viewer is to each of the rows' groups (a group that is gone is left out, and so is its post's `can`). */
async function accessByGroup(rows: readonly PresentablePost[], viewer: Viewer | null): Promise<Map<string, GroupAccess>> {
  const groupIds = new Set<string>();
  for (const row of rows) groupIds.add(textsOf(row).groupId);
  // The viewer's memberships once for the page (as accessTo would read them per group).
  const [groups, memberships] = await Promise.all([loadGroupRefs([...groupIds]), viewer ? membershipsOf(viewer._id) : null]);
  const byGroup = new Map<string, GroupAccess>();
  for (const [key, group] of groups) if (group) byGroup.set(key, accessFrom(viewer, group, memberships?.get(key) ?? null));
  return byGroup;
}

export async function loadPostViewFacts(rows: readonly PresentablePost[], viewer: Viewer | null): Promise<PostViewFacts> {
  const authorIds: string[] = [];
  for (const row of rows) {
    const authorId = textsOf(row).authorId;
    if (authorId) authorIds.push(authorId);
  }
  const [authors, liked, access] = await Promise.all([
    loadPublicUsers(authorIds),
    viewer ? likedAmong(viewer, rows.map((row) => row._id)) : new Set<string>(),
    accessByGroup(rows, viewer),
  ]);
  return { authors, liked, access, signedIn: viewer !== null };
}

/**
 * Posts as one viewer sees them (viewer null: anonymous). The caller has already decided the viewer may see
 * every row.
 */
export async function presentPostsFor(rows: PresentablePost[], viewer: Viewer | null, signer: UrlSigner): Promise<Post[]> {
  if (!rows.length) return [];
  return presentPosts(rows, await loadPostViewFacts(rows, viewer), signer);
}

export async function presentPostFor(row: PresentablePost, viewer: Viewer | null, signer: UrlSigner): Promise<Post> {
  return (await presentPostsFor([row], viewer, signer))[0]!;
}
