// Query scopes: the rules of ./rules.ts as database filters, so lists are filtered in the query itself.
import { Types } from 'mongoose';
import type { FeedName } from '../../shared/events';
import { Group } from '../models/group';
import { readCache, type CachedMembership } from '../services/read-cache';
import type { GroupRole } from '../models/membership';
import { loadGroupRef, membershipsOf } from './access';
import { can } from './rules';
import type { Viewer } from './viewer';

type IdRow = { _id: Types.ObjectId };

export async function publicGroupIds(): Promise<readonly Types.ObjectId[]> {
  return readCache.publicGroups.get('all', async () => {
    const rows = await Group.find({ visibility: 'public' }, { _id: 1 }).lean<IdRow[]>();
    return rows.map((row) => row._id);
  });
}

function activeGroupIds(memberships: ReadonlyMap<string, CachedMembership>, matches: (role: GroupRole) => boolean): Types.ObjectId[] {
  const ids: Types.ObjectId[] = [];
  for (const membership of memberships.values()) {
    if (membership.status === 'member' && matches(membership.role)) ids.push(membership.groupId);
  }
  return ids;
}

async function memberGroupIdsWhere(viewer: Viewer | null, matches: (role: GroupRole) => boolean): Promise<Types.ObjectId[]> {
  return viewer ? activeGroupIds(await membershipsOf(viewer._id), matches) : [];
}

/** Groups in which the viewer is an active member (any role). */
export function memberGroupIds(viewer: Viewer | null): Promise<Types.ObjectId[]> {
  return memberGroupIdsWhere(viewer, () => true);
}

/** Groups the viewer owns or moderates. */
export function moderatedGroupIds(viewer: Viewer | null): Promise<Types.ObjectId[]> {
  return memberGroupIdsWhere(viewer, (role) => role === 'owner' || role === 'moderator');
}

/**
 * Groups whose posts may appear in the viewer's lists (home feed, profile lists): public groups plus the
 * viewer's own. Site moderators get no more here: their reads of other closed groups go through the
 * single-group doors, where a reason can be given and audited.
 */
export async function readableGroupIds(viewer: Viewer | null): Promise<readonly Types.ObjectId[]> {
  const [publicIds, memberships] = await Promise.all([publicGroupIds(), viewer ? membershipsOf(viewer._id) : NO_MEMBERSHIPS]);
  let byMemberships = readableByInputs.get(publicIds);
  if (!byMemberships) readableByInputs.set(publicIds, (byMemberships = new WeakMap()));
  let readable = byMemberships.get(memberships);
  if (!readable) {
    const seen = new Set(publicIds.map(String));
    const memberIds = activeGroupIds(memberships, () => true);
    readable = Object.freeze([...publicIds, ...memberIds.filter((id) => !seen.has(String(id)))]);
    byMemberships.set(memberships, readable);
  }
  return readable;
}

const NO_MEMBERSHIPS: ReadonlyMap<string, CachedMembership> = new Map();

/**
 * readableGroupIds() per pair of its inputs. Both come from the read cache, which replaces a value when its
 * facts change and never changes one, so a pair always gives the same answer: it is worked out once, not on
 * every feed request.
 */
const readableByInputs = new WeakMap<readonly Types.ObjectId[], WeakMap<ReadonlyMap<string, CachedMembership>, readonly Types.ObjectId[]>>();

/**
 * A thread's replies as whoever may open its top-level post sees them under it: those not hidden on their own
 * and not deleted. Hiding the top-level post hides them with it (isHidden), and those who may still open it
 * see its thread as it was; the top-level post's replyCount counts these.
 */
export const LISTED_IN_THREAD = { hiddenAt: null, deletedAt: null } as const;

/**
 * The post states no list ever shows: hidden posts, on their own or with their thread (moderators find them by
 * id), and deleted placeholders.
 */
export const LISTABLE_POST = { ...LISTED_IN_THREAD, parentHiddenAt: null } as const;

/** Posts that feeds list: listable and top-level (replies show under their post). */
export const LISTABLE_TOP_LEVEL_POST = { parentId: null, ...LISTABLE_POST } as const;

/**
 * Lists spanning groups (home and public feeds, profile lists) never show posts a group wrote while it was
 * closed once it is public (`membersOnly`): its members find them in the group's own feed and by id.
 */
export const SHARED_POST = { membersOnly: { $ne: true } } as const;

/** Filter for posts (top-level or replies) the viewer may see in a list spanning groups. */
export async function visiblePostsFilter(viewer: Viewer | null): Promise<Record<string, unknown>> {
  return { groupId: { $in: await readableGroupIds(viewer) }, ...LISTABLE_POST, ...SHARED_POST };
}

/**
 * Filter for the posts (top-level or replies) of some of the viewer's readable groups that the viewer may read
 * right now: listable, and in a group the viewer is not an active member of, none written while it was closed
 * (accessToPost). Search uses it: a reader finds everything they may open, and nothing else.
 */
export async function readablePostsIn(viewer: Viewer, groupIds: readonly Types.ObjectId[]): Promise<Readonly<Record<string, unknown>>> {
  const memberships = await membershipsOf(viewer._id);
  let byMemberships = readablePostsByInputs.get(groupIds);
  if (!byMemberships) readablePostsByInputs.set(groupIds, (byMemberships = new WeakMap()));
  let filter = byMemberships.get(memberships);
  if (!filter) {
    const memberOf = new Set(activeGroupIds(memberships, () => true).map(String));
    const theirs = groupIds.filter((id) => memberOf.has(String(id)));
    filter = { groupId: { $in: groupIds }, ...LISTABLE_POST };
    if (theirs.length < groupIds.length) filter = { ...filter, ...(theirs.length ? { $or: [{ groupId: { $in: theirs } }, SHARED_POST] } : SHARED_POST) };
    byMemberships.set(memberships, filter);
  }
  return filter;
}

/** readablePostsIn() per pair of its inputs (readableGroupIds' answer and the read cache's memberships), like readableByInputs. */
const readablePostsByInputs = new WeakMap<readonly Types.ObjectId[], WeakMap<ReadonlyMap<string, CachedMembership>, Readonly<Record<string, unknown>>>>();

/** Whether a socket of this viewer may follow a feed (`public`, `home` or `group:<id>`). */
export async function canSubscribe(viewer: Viewer | null, feed: FeedName | string): Promise<boolean> {
  if (feed === 'public') return true;
  if (feed === 'home') return viewer !== null;
  const match = /^group:(.*)$/.exec(feed);
  if (!match || !/^[0-9a-f]{24}$/i.test(match[1]!)) return false;
  const group = await loadGroupRef(new Types.ObjectId(match[1]));
  return group !== null && (await can(viewer, 'subscribe', group));
}
