// Search: a MongoDB text query whose scope the policy supplies inside the query (the readable groups, the
// listable post states, active accounts), never a filter applied to results afterwards: pages are full,
// and nothing outside the scope is read. The same query runs on the embedded engine and on MongoDB.
import type { Types } from 'mongoose';
import type { Group as GroupShape, Page, PostSearchHit, PublicUser } from '../../shared/api';
import type { AppContext } from '../context';
import { findSingleBatch } from '../db/single-batch';
import { Group, type GroupFields } from '../models/group';
import { POST_PRESENTER_FIELDS, Post, type PresentablePost } from '../models/post';
import { ACTIVE_ACCOUNT, PUBLIC_USER_PROJECTION, User, type PublicUserFields } from '../models/user';
import { readableGroupIds, readablePostsIn } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentPublicUser } from '../presenters/user';
import { presentGroupsFor } from '../services/groups';
import { presentPostsFor } from '../services/post-views';
import { readCache, type CachedSearch } from '../services/read-cache';
import { highlight, searchedTerms } from './highlight';
import { type SearchRequest } from './query';

const BY_RELEVANCE_THEN_NEWEST = { score: { $meta: 'textScore' }, _id: -1 } as const;

const SEARCH_POST_FIELDS = { ...POST_PRESENTER_FIELDS, score: { $meta: 'textScore' } } as const;

type Ranked<T> = T & { _id: Types.ObjectId };

/** limit + 1 rows tell whether another page follows; the cursor is the next position. */
function pageOf<Row, Item>(rows: readonly Row[], request: SearchRequest, items: Item[]): Page<Item> {
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

/** The policy hands out one scope object per readable set and memberships; spelling out its ids is kept per object. */
const scopeKeys = new WeakMap<object, string>();

function scopeKey(scope: Readonly<Record<string, unknown>>): string {
  let key = scopeKeys.get(scope);
  if (key === undefined) scopeKeys.set(scope, (key = JSON.stringify(scope)));
  return key;
}

/**
 * A page of posts the viewer may read, ranked. The database's answer is kept in the read cache under the exact
 * filter, skip and limit asked for: two readers with the same scope share it, and any change to a post or a
 * like in one of its groups (or to a group, or an erasure) drops it, so it never outlives what it shows.
 */
export async function searchPosts(ctx: AppContext, viewer: Viewer, request: SearchRequest): Promise<Page<PostSearchHit>> {
  const groupIds = await searchedGroupIds(viewer, request.groupSlug);
  if (!groupIds.length) return { items: [], nextCursor: null };
  const scope = await readablePostsIn(viewer, groupIds);
  const filter: Record<string, unknown> = { $text: { $search: request.text }, ...scope };
  if (request.authorId) filter.authorId = request.authorId;
  // A JSON array ends where it ends, so no text can make two different requests share a key.
  const key = JSON.stringify([request.offset, request.limit, request.authorId, request.text]) + scopeKey(scope);
  const found = await readCache.searches.get(key, async (): Promise<CachedSearch> => {
    const rows = await findSingleBatch<Ranked<PresentablePost>>(Post, filter, {
      projection: SEARCH_POST_FIELDS,
      sort: BY_RELEVANCE_THEN_NEWEST,
      skip: request.offset,
      limit: request.limit + 1,
    });
    const terms = searchedTerms(request.text);
    const highlights = rows.slice(0, request.limit).map((row) => highlight(row.bodyText ?? '', terms));
    return { groupIds: new Set(groupIds.map(String)), rows, highlights };
  });
  const posts = await presentPostsFor(found.rows.slice(0, request.limit), viewer, ctx.signer);
  return pageOf(found.rows, request, posts.map((post, i) => ({ ...post, highlight: found.highlights[i]! })));
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
