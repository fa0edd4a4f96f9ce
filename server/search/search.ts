// Search: a MongoDB text query whose scope the policy supplies inside the query (the readable groups, the
// listable post states, active accounts), never a filter applied to results afterwards: pages are full,
// and nothing outside the scope is read. The same query runs on the embedded engine and on MongoDB.
import type { Types } from 'mongoose';
import type { Group as GroupShape, Page, PublicUser } from '../../shared/api';
import type { AppContext } from '../context';
import { kept } from '../db/droppable-cache';
import { findSingleBatch } from '../db/single-batch';
import { Group, type GroupFields } from '../models/group';
import { POST_PRESENTER_FIELDS, Post, type PresentablePost } from '../models/post';
import { ACTIVE_ACCOUNT, PUBLIC_USER_PROJECTION, User, type PublicUserFields } from '../models/user';
import { LISTABLE_POST, readableGroupIds, readablePostsIn } from '../policy';
import type { Viewer } from '../policy/viewer';
import { presentPublicUser } from '../presenters/user';
import { presentGroupsFor } from '../services/groups';
import { pageJson } from '../services/pagination';
import { presentPostsJsonFor } from '../services/post-views';
import { readCache, type CachedSearch } from '../services/read-cache';
import { highlightOf, searchedTerms } from './highlight';
import { type SearchRequest } from './query';

const BY_RELEVANCE_THEN_NEWEST = { score: { $meta: 'textScore' }, _id: -1 } as const;

/** The ranking alone: which posts and in what order. What they say comes from `postRowsOf`. */
const RANKED_IDS = { _id: 1, score: { $meta: 'textScore' } } as const;

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

/**
 * A short name per distinct scope, so two readers with the same scope share kept pages. The policy hands out one
 * scope object per readable set and memberships; its spelling (every readable group id: kilobytes) is worked out
 * once per object and named by a number, so a search's cache key stays short and is not rehashed per request.
 */
const scopeNames = new WeakMap<object, number>();
const namesBySpelling = new Map<string, number>();
/** Distinct scopes named before the names start again (a name never changes meaning while it is in use). */
const MAX_SCOPE_NAMES = 10_000;
let scopeNamesIssued = 0;

function scopeName(scope: Readonly<Record<string, unknown>>): number {
  let name = scopeNames.get(scope);
  if (name === undefined) {
    const spelling = JSON.stringify(scope);
    name = namesBySpelling.get(spelling);
    if (name === undefined) {
      if (namesBySpelling.size >= MAX_SCOPE_NAMES) namesBySpelling.clear();
      namesBySpelling.set(spelling, (name = ++scopeNamesIssued));
    }
    scopeNames.set(scope, name);
  }
  return name;
}

/**
 * A page of posts the viewer may read, ranked, as UTF-8 JSON. The database ranks and scopes every search the
 * cache has not seen; its answer (ids only) is kept in the read cache under the exact filter, skip and limit:
 * two readers with the same scope share it, and any post created, changed or removed in one of its groups (or
 * a group change, or an erasure) drops it, so it never outlives what it ranks. The posts themselves come
 * from `postRowsOf`, so a popular post is read and serialised once for every search that finds it.
 */
export async function searchPosts(ctx: AppContext, viewer: Viewer, request: SearchRequest): Promise<Buffer> {
  const groupIds = await searchedGroupIds(viewer, request.groupSlug);
  if (!groupIds.length) return pageJson([], null);
  const scope = await readablePostsIn(viewer, groupIds);
  const filter: Record<string, unknown> = { $text: { $search: request.text }, ...scope };
  if (request.authorId) filter.authorId = request.authorId;
  // A JSON array ends where it ends, so no text can make two different requests share a key.
  const key = JSON.stringify([scopeName(scope), request.offset, request.limit, request.authorId, request.text]);
  const found = await readCache.searches.get(key, async (): Promise<CachedSearch> => {
    const ranked = await findSingleBatch<{ _id: Types.ObjectId }>(Post, filter, {
      projection: RANKED_IDS,
      sort: BY_RELEVANCE_THEN_NEWEST,
      skip: request.offset,
      limit: request.limit + 1,
    });
    return { groupIds: hexIdsOf(groupIds), ids: ranked.map((row) => row._id.toHexString()) };
  });
  const rows = await postRowsOf(found.ids.slice(0, request.limit));
  const terms = searchedTerms(request.text);
  const posts = await presentPostsJsonFor(rows, viewer, ctx.signer);
  const hits = posts.map((chunks, i) => withHighlight(chunks, highlightOf(rows[i]!, terms)));
  const more = found.ids.length > request.limit;
  return pageJson(hits, more ? String(request.offset + request.limit) : null);
}

/** The policy's readable-group lists are kept objects: each is spelled as hex once. */
const hexIds = new WeakMap<readonly Types.ObjectId[], ReadonlySet<string>>();

function hexIdsOf(ids: readonly Types.ObjectId[]): ReadonlySet<string> {
  let hex = hexIds.get(ids);
  if (!hex) hexIds.set(ids, (hex = kept(new Set(ids.map((id) => id.toHexString())))));
  return hex;
}

/**
 * The ranked posts in rank order, from the read cache or in one read. A post hidden or deleted since it was
 * ranked is left out (its event drops its cached row, and the read asks for listable posts only).
 */
async function postRowsOf(ids: readonly string[]): Promise<PresentablePost[]> {
  const byId = await readCache.postRows.getMany(ids, async (missing) => {
    const rows = await Post.find({ _id: { $in: missing }, ...LISTABLE_POST }, POST_PRESENTER_FIELDS).lean<PresentablePost[]>();
    return new Map(rows.map((row) => [row._id.toHexString(), row]));
  });
  const rows: PresentablePost[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (row) rows.push(row);
  }
  return rows;
}

/** A post's JSON chunks (ending with its closing brace) as a PostSearchHit: `highlight` last, as `{...post, highlight}` writes it. */
function withHighlight(chunks: readonly Buffer[], excerpt: string): Buffer[] {
  const hit = chunks.slice(0, -1);
  hit.push(Buffer.from(`,"highlight":${JSON.stringify(excerpt)}}`));
  return hit;
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

/** Posts come as their page's UTF-8 JSON (sent as it is), groups and people as pages. */
export async function search(ctx: AppContext, viewer: Viewer, request: SearchRequest): Promise<Buffer | Page<GroupShape | PublicUser>> {
  switch (request.type) {
    case 'posts':
      return searchPosts(ctx, viewer, request);
    case 'groups':
      return searchGroups(viewer, request);
    case 'people':
      return searchPeople(request);
  }
}
