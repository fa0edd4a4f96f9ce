// Lists of posts: home, group, public (cached), and a user's posts and likes. Every list is scoped by the
// policy (the readable groups, in the query or in the choice of cached group heads), then presented with one
// batched author and one batched likedByMe lookup.
import { Types } from 'mongoose';
import type { Page, Post as PostShape } from '../../shared/api';
import type { AppContext } from '../context';
import { NotFound } from '../errors';
import { Like } from '../models/like';
import { POST_PRESENTER_FIELDS, Post, type PresentablePost } from '../models/post';
import { ACTIVE_ACCOUNT, User } from '../models/user';
import { authorizeGroup, isActiveMember, LISTABLE_POST, LISTABLE_TOP_LEVEL_POST, loadGroupRef, publicGroupIds, readableGroupIds, SHARED_POST, type AuthorizeOptions } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentPostsFor } from './post-views';
import { feedPageJson } from './feed-pages';
import { newestFromHeads } from './feed-heads';
import { cursorFilter, toPage, type PageRequest } from './pagination';

export const PUBLIC_FEED_SIZE = 50;

/** Top-level listable posts of these groups, newest first: the {groupId, parentId, _id} index answers it. */
async function topLevelPosts(groupIds: readonly Types.ObjectId[], page: PageRequest, count = page.limit + 1, sharedOnly = true): Promise<PresentablePost[]> {
  if (!groupIds.length) return [];
  return Post.find({ groupId: { $in: groupIds }, ...LISTABLE_TOP_LEVEL_POST, ...(sharedOnly ? SHARED_POST : {}), ...cursorFilter(page) }, POST_PRESENTER_FIELDS)
    .sort({ _id: -1 })
    .limit(count)
    .lean<PresentablePost[]>();
}

/** From the groups' cached heads when they reach far enough, else from the database. */
async function newestTopLevelPosts(groupIds: readonly Types.ObjectId[], page: PageRequest, count = page.limit + 1, sharedOnly = true): Promise<readonly PresentablePost[]> {
  return (await newestFromHeads(groupIds, page.after, count, sharedOnly)) ?? topLevelPosts(groupIds, page, count, sharedOnly);
}

/** Signed-in home feed: public groups and the viewer's own groups. A Page<Post> as UTF-8 JSON, sent as it is. */
export async function homeFeed(ctx: AppContext, viewer: Viewer, page: PageRequest): Promise<Buffer> {
  const rows = await newestTopLevelPosts(await readableGroupIds(viewer), page);
  return feedPageJson('home', rows, page, viewer, ctx.signer);
}

/**
 * One group as a frozen list, the same array for every request: the feed heads keep merged first pages per
 * frozen list (./feed-heads.ts), so a group's first page is merged once between two changes, not per request.
 */
const singleGroupLists = new Map<string, readonly Types.ObjectId[]>();
/** Only groups that exist get here (groupFeed checks first); this bounds what deleted ones leave behind. */
const MAX_SINGLE_GROUP_LISTS = 10_000;

function singleGroupList(groupId: Types.ObjectId): readonly Types.ObjectId[] {
  const key = groupId.toHexString();
  let list = singleGroupLists.get(key);
  if (!list) {
    if (singleGroupLists.size >= MAX_SINGLE_GROUP_LISTS) singleGroupLists.clear();
    singleGroupLists.set(key, (list = Object.freeze([new Types.ObjectId(key)])));
  }
  return list;
}

/** A group's feed as the viewer may read it: a Page<Post> as UTF-8 JSON, sent as it is. */
export async function groupFeed(
  ctx: AppContext,
  viewer: Viewer,
  groupId: Types.ObjectId,
  page: PageRequest,
  options: AuthorizeOptions = {},
): Promise<Buffer> {
  const group = await loadGroupRef(groupId);
  if (!group) throw new NotFound('group');
  const access = await authorizeGroup(viewer, 'read', group, { ...options, audit: ctx.auditModeratorRead });
  // Posts written while a now public group was closed are listed for its members only.
  const sharedOnly = !isActiveMember(access);
  const rows = await newestTopLevelPosts(singleGroupList(groupId), page, page.limit + 1, sharedOnly);
  return feedPageJson(`group ${String(groupId)} ${sharedOnly}`, rows, page, viewer, ctx.signer);
}

/**
 * The anonymous homepage: the newest top-level posts of public groups, the same for everyone. Read from the
 * database, not the group heads: its own cache (./public-feed-cache.ts) rebuilds it at most every few seconds,
 * and that short TTL bounds how long a missed event can go unnoticed; the heads' bound is the read cache's.
 */
export async function publicFeed(ctx: AppContext): Promise<PostShape[]> {
  const rows = await topLevelPosts(await publicGroupIds(), { limit: PUBLIC_FEED_SIZE, after: null }, PUBLIC_FEED_SIZE);
  return presentPostsFor(rows, null, ctx.signer);
}

async function requireUser(userId: Types.ObjectId): Promise<void> {
  if (!(await User.exists({ _id: userId, ...ACTIVE_ACCOUNT }))) throw new NotFound('user');
}

/** Posts and replies a user wrote, as far as the viewer may see them. */
export async function userPosts(ctx: AppContext, viewer: Viewer, userId: Types.ObjectId, page: PageRequest): Promise<Page<PostShape>> {
  await requireUser(userId);
  const rows = await Post.find(
    { authorId: userId, groupId: { $in: await readableGroupIds(viewer) }, ...LISTABLE_POST, ...SHARED_POST, ...cursorFilter(page) },
    POST_PRESENTER_FIELDS,
  )
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<PresentablePost[]>();
  return toPage(rows, page, (kept) => presentPostsFor(kept, viewer, ctx.signer));
}

/**
 * Posts a user liked, newest like first, as far as the viewer may see them. The cursor is the like's id.
 * Likes are scoped to readable groups in the query; posts hidden since are dropped when loading them, and
 * further likes are read until the page is full, so a page is never short while more exist.
 */
export async function userLikes(ctx: AppContext, viewer: Viewer, userId: Types.ObjectId, page: PageRequest): Promise<Page<PostShape>> {
  await requireUser(userId);
  const readable = await readableGroupIds(viewer);
  const kept: { likeId: Types.ObjectId; post: PresentablePost }[] = [];
  let after = page.after;
  let more = true;
  while (kept.length <= page.limit && more) {
    const batch = page.limit + 1 - kept.length;
    const likes = await Like.find({ userId, groupId: { $in: readable }, ...cursorFilter({ limit: batch, after }) }, { postId: 1 })
      .sort({ _id: -1 })
      .limit(batch)
      .lean<{ _id: Types.ObjectId; postId: Types.ObjectId }[]>();
    more = likes.length === batch;
    if (!likes.length) break;
    after = likes[likes.length - 1]!._id;
    const posts = await Post.find({ _id: { $in: likes.map((like) => like.postId) }, ...LISTABLE_POST, ...SHARED_POST }, POST_PRESENTER_FIELDS).lean<PresentablePost[]>();
    const byId = new Map(posts.map((post) => [String(post._id), post]));
    for (const like of likes) {
      const post = byId.get(String(like.postId));
      if (post) kept.push({ likeId: like._id, post });
    }
  }
  const hasMore = kept.length > page.limit;
  const shown = kept.slice(0, page.limit);
  return {
    items: await presentPostsFor(
      shown.map((entry) => entry.post),
      viewer,
      ctx.signer,
    ),
    nextCursor: hasMore ? String(shown[shown.length - 1]!.likeId) : null,
  };
}

/** A post as live feeds show it, or null when none does (a reply, hidden, deleted, gone, or written while its group was closed). */
export async function findFeedPost(postId: string): Promise<PresentablePost | null> {
  if (!Types.ObjectId.isValid(postId)) return null;
  return Post.findOne({ _id: new Types.ObjectId(postId), ...LISTABLE_TOP_LEVEL_POST, ...SHARED_POST }, POST_PRESENTER_FIELDS).lean<PresentablePost>();
}

/** A reply as its thread shows it live, or null when no thread does (hidden, deleted, gone, or written while its group was closed). */
export async function findLiveReply(postId: string): Promise<PresentablePost | null> {
  if (!Types.ObjectId.isValid(postId)) return null;
  return Post.findOne({ _id: new Types.ObjectId(postId), parentId: { $ne: null }, ...LISTABLE_POST, ...SHARED_POST }, POST_PRESENTER_FIELDS).lean<PresentablePost>();
}

/** Whether a post was written while its group was closed (so only that group's members list it). */
export async function isMembersOnlyPost(postId: string): Promise<boolean> {
  if (!Types.ObjectId.isValid(postId)) return false;
  const row = await Post.findById(new Types.ObjectId(postId), { membersOnly: 1 }).lean<{ membersOnly?: boolean }>();
  return row?.membersOnly === true;
}
