// Search: a MongoDB text query whose scope the policy supplies inside the query (the readable groups, the
// listable post states, active accounts), never a filter applied to results afterwards: pages are full,
// and nothing outside the scope is read. The same query runs on the embedded engine and on MongoDB.
import type { Types } from 'mongoose';
import type { Group as GroupShape, Page, PostSearchHit, PublicUser } from '../../shared/api';
import type { AppContext } from '../context';
import { Group, type GroupFields } from '../models/group';
import { POST_PRESENTER_FIELDS, Post, type PresentablePost } from '../models/post';
import { ACTIVE_ACCOUNT, PUBLIC_USER_PROJECTION, User, type PublicUserFields } from '../models/user';
import { readableGroupIds, readablePostsIn } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentPublicUser } from '../presenters/user';
import { presentGroupsFor } from '../services/groups';
import { presentPostsFor } from '../services/post-views';
import { highlight, searchedTerms } from './highlight';
import { type SearchRequest } from './query';

const BY_RELEVANCE_THEN_NEWEST = { score: { $meta: 'textScore' }, _id: -1 } as const;

type Ranked<T> = T & { _id: Types.ObjectId };

/** limit + 1 rows tell whether another page follows; the cursor is the next position. */
function pageOf<Row, Item>(rows: Row[], request: SearchRequest, items: Item[]): Page<Item> {
  const more = rows.length > request.limit;
  return { items, nextCursor: more ? String(request.offset + request.limit) : null };
}

/** The groups a search may look in: the readable ones, narrowed to one by `in:`. */
async function searchedGroupIds(viewer: Viewer, slug: string | null): Promise<readonly Types.ObjectId[]> {
  const readable = await readableGroupIds(viewer);
  if (slug === null) return readable;
  const group = await Group.findOne({ slug }, { _id: 1 }).lean<{ _id: Types.ObjectId }>();
  // A closed group the viewer cannot read is answered like a slug that names nothing.
  return group && readable.some((id) => id.equals(group._id)) ? [group._id] : [];
}

export async function searchPosts(ctx: AppContext, viewer: Viewer, request: SearchRequest): Promise<Page<PostSearchHit>> {
  const groupIds = await searchedGroupIds(viewer, request.groupSlug);
  if (!groupIds.length) return { items: [], nextCursor: null };
  const filter: Record<string, unknown> = { $text: { $search: request.text }, ...(await readablePostsIn(viewer, groupIds)) };
  if (request.authorId) filter.authorId = request.authorId;
  const rows = await Post.find(filter, { ...POST_PRESENTER_FIELDS, score: { $meta: 'textScore' } })
    .sort(BY_RELEVANCE_THEN_NEWEST)
    .skip(request.offset)
    .limit(request.limit + 1)
    .lean<Ranked<PresentablePost>[]>();
  const kept = rows.slice(0, request.limit);
  const terms = searchedTerms(request.text);
  const posts = await presentPostsFor(kept, viewer, ctx.signer);
  return pageOf(rows, request, posts.map((post) => ({ ...post, highlight: highlight(post.bodyText, terms) })));
}

export async function searchGroups(viewer: Viewer, request: SearchRequest): Promise<Page<GroupShape>> {
  const rows = await Group.find({ $text: { $search: request.text }, _id: { $in: await readableGroupIds(viewer) } }, { score: { $meta: 'textScore' } })
    .sort(BY_RELEVANCE_THEN_NEWEST)
    .skip(request.offset)
    .limit(request.limit + 1)
    .lean<Ranked<GroupFields>[]>();
  return pageOf(rows, request, await presentGroupsFor(rows.slice(0, request.limit), viewer));
}

export async function searchPeople(request: SearchRequest): Promise<Page<PublicUser>> {
  const rows = await User.find({ $text: { $search: request.text }, ...ACTIVE_ACCOUNT }, { ...PUBLIC_USER_PROJECTION, score: { $meta: 'textScore' } })
    .sort(BY_RELEVANCE_THEN_NEWEST)
    .skip(request.offset)
    .limit(request.limit + 1)
    .lean<Ranked<PublicUserFields>[]>();
  return pageOf(rows, request, rows.slice(0, request.limit).map(presentPublicUser));
}

export async function search(ctx: AppContext, viewer: Viewer, request: SearchRequest): Promise<Page<PostSearchHit | GroupShape | PublicUser>> {
  switch (request.type) {
    case 'posts':
      return searchPosts(ctx, viewer, request);
    case 'groups':
      return searchGroups(viewer, request);
    case 'people':
      return searchPeople(request);
  }
}
