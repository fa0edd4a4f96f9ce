// Feeds' first pages from memory. The read cache keeps each group's newest listable top-level posts (its
// "head"), dropped by any event about the group's posts; a page is merged from the heads of the groups the
// caller already decided the viewer may read. Without this, a signed-in home feed merges one index range per
// readable group in the database (about 170 on the benchmark's data) and the driver decodes every row again
// for every request. Which groups are read stays the policy's decision: a head holds one group's posts only.
import { Types } from 'mongoose';
import { readCache, type CachedFeedHead } from '../services/read-cache';
import { POST_PRESENTER_FIELDS, Post, type PresentablePost } from '../models/post';
import { LISTABLE_TOP_LEVEL_POST } from '../policy';
import { MAX_PAGE_SIZE } from './pagination';
import { MAX_ENTRY_AGE_MS } from '../db/droppable-cache';

/** Enough for a first page of the largest size plus the row that tells whether a next page exists. */
export const FEED_HEAD_SIZE = MAX_PAGE_SIZE + 1;
/** Post text a head may hold (body and bodyText, in characters): long posts make a shorter head. */
export const FEED_HEAD_CHARS = 128 * 1024;

async function loadHead(groupId: Types.ObjectId): Promise<CachedFeedHead> {
  const rows = await Post.find({ groupId, ...LISTABLE_TOP_LEVEL_POST }, POST_PRESENTER_FIELDS)
    .sort({ _id: -1 })
    .limit(FEED_HEAD_SIZE + 1)
    .lean<PresentablePost[]>();
  let kept = Math.min(rows.length, FEED_HEAD_SIZE);
  let chars = 0;
  for (let i = 0; i < kept; i++) {
    chars += (rows[i]!.body?.length ?? 0) + (rows[i]!.bodyText?.length ?? 0);
    if (chars > FEED_HEAD_CHARS && i > 0) {
      kept = i;
      break;
    }
  }
  const head = rows.slice(0, kept);
  return { rows: head, ids: head.map((row) => row._id.toHexString()), complete: kept === rows.length };
}

/** Hex ids of frozen lists of group ids (the readable groups, kept per viewer): converted once per list. */
const hexOfList = new WeakMap<readonly Types.ObjectId[], string[]>();

function hexIds(groupIds: readonly Types.ObjectId[]): string[] {
  if (!Object.isFrozen(groupIds)) return groupIds.map((id) => id.toHexString());
  let hex = hexOfList.get(groupIds);
  if (!hex) hexOfList.set(groupIds, (hex = groupIds.map((id) => id.toHexString())));
  return hex;
}

function headsOf(groupIds: readonly Types.ObjectId[]): Promise<Map<string, CachedFeedHead>> {
  return readCache.feedHeads.getMany(
    hexIds(groupIds),
    async (missing) => new Map(await Promise.all(missing.map(async (id) => [id, await loadHead(new Types.ObjectId(id))] as const))),
  );
}

/**
 * The heads of one frozen list of groups (a viewer's readable groups) as last read, and the first pages merged
 * from them: right while the head cache has not changed since and none of the heads has reached its age. A
 * signed-in home feed merges about 170 heads; most requests between two writes would merge the same ones.
 */
interface ListHeads {
  /** When the oldest of the heads reaches the cache's maximum age, and the cache would read it again. */
  readonly until: number;
  readonly heads: readonly CachedFeedHead[];
  /** Merged first pages by `count sharedOnly`; null: the heads cannot tell. */
  readonly firstPages: Map<string, readonly PresentablePost[] | null>;
}

/**
 * Only the current version's are kept: a viewer who stops reading must not hold heads the cache has since
 * replaced (up to FEED_HEAD_CHARS of text each), so the first change after them lets all of them go.
 */
let headsOfList = new WeakMap<readonly Types.ObjectId[], ListHeads>();
let headsOfListVersion = -1;

async function listHeads(groupIds: readonly Types.ObjectId[]): Promise<ListHeads | readonly CachedFeedHead[]> {
  const cache = readCache.feedHeads;
  const frozen = Object.isFrozen(groupIds);
  const now = Date.now();
  if (headsOfListVersion !== cache.version) {
    headsOfList = new WeakMap();
    headsOfListVersion = cache.version;
  }
  if (frozen) {
    const known = headsOfList.get(groupIds);
    if (known && now < known.until) return known;
  }
  const version = cache.version;
  const heads = [...(await headsOf(groupIds)).values()];
  // Kept only when nothing changed while they were read (not even a load of a missing head: the next read keeps them).
  if (!frozen || cache.version !== version) return heads;
  const known: ListHeads = { until: cache.oldestAt(hexIds(groupIds)) + MAX_ENTRY_AGE_MS, heads, firstPages: new Map() };
  headsOfList.set(groupIds, known);
  return known;
}

/** One head being merged: its rows from `at` on are not taken yet. */
interface Run {
  head: CachedFeedHead;
  at: number;
}

/** Index of the first id older than `after` (ids are newest first). */
function firstOlder(ids: readonly string[], after: string): number {
  let low = 0;
  let high = ids.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (ids[mid]! < after) high = mid;
    else low = mid + 1;
  }
  return low;
}

/**
 * The newest `count` listable top-level posts of these groups older than `after`, newest first, or null when
 * the heads cannot tell (a page reaching past some group's head): the caller then asks the database.
 * The rows are shared with the cache and must not be changed.
 */
export async function newestFromHeads(
  groupIds: readonly Types.ObjectId[],
  after: Types.ObjectId | null,
  count: number,
  /** Leave out members-only posts (SHARED_POST), as every list but a member's group feed does. */
  sharedOnly = true,
): Promise<readonly PresentablePost[] | null> {
  if (!groupIds.length) return [];
  // With the cache off (the relay is down), loading every head would be one query per group for nothing.
  if (!readCache.feedHeads.keeping) return null;
  const heads = await listHeads(groupIds);
  if (Array.isArray(heads)) return merge(heads as readonly CachedFeedHead[], after, count, sharedOnly);
  const known = heads as ListHeads;
  if (after) return merge(known.heads, after, count, sharedOnly);
  const key = `${count} ${sharedOnly}`;
  let page = known.firstPages.get(key);
  if (page === undefined) {
    const merged = merge(known.heads, null, count, sharedOnly);
    known.firstPages.set(key, (page = merged && Object.freeze(merged)));
  }
  return page;
}

function merge(heads: readonly CachedFeedHead[], after: Types.ObjectId | null, count: number, sharedOnly: boolean): PresentablePost[] | null {
  const afterId = after?.toHexString();
  // A group's posts past its head are all older than the head's last row; a row older than that could have
  // one of them before it, so it cannot be answered from memory.
  let floor = '';
  const runs: Run[] = [];
  for (const head of heads) {
    if (!head.complete && head.ids[head.ids.length - 1]! > floor) floor = head.ids[head.ids.length - 1]!;
    const at = afterId === undefined ? 0 : firstOlder(head.ids, afterId);
    if (at < head.ids.length) runs.push({ head, at });
  }
  const newer = (a: Run, b: Run): boolean => a.head.ids[a.at]! > b.head.ids[b.at]!;
  const heap = new RunHeap(runs, newer);
  const rows: PresentablePost[] = [];
  while (rows.length < count && heap.size) {
    const run = heap.top();
    if (run.head.ids[run.at]! < floor) return null;
    const row = run.head.rows[run.at]!;
    if (!sharedOnly || row.membersOnly !== true) rows.push(row);
    run.at++;
    if (run.at < run.head.ids.length) heap.topChanged();
    else heap.pop();
  }
  if (rows.length < count && floor !== '') return null;
  return rows;
}

/** A binary heap of runs, the one with the newest next row on top. */
class RunHeap {
  constructor(
    private readonly runs: Run[],
    private readonly before: (a: Run, b: Run) => boolean,
  ) {
    for (let i = (runs.length >>> 1) - 1; i >= 0; i--) this.sink(i);
  }

  get size(): number {
    return this.runs.length;
  }

  top(): Run {
    return this.runs[0]!;
  }

  topChanged(): void {
    this.sink(0);
  }

  pop(): void {
    const last = this.runs.pop()!;
    if (this.runs.length) {
      this.runs[0] = last;
      this.sink(0);
    }
  }

  private sink(index: number): void {
    const runs = this.runs;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= runs.length) return;
      const right = left + 1;
      const child = right < runs.length && this.before(runs[right]!, runs[left]!) ? right : left;
      if (!this.before(runs[child]!, runs[index]!)) return;
      [runs[index], runs[child]] = [runs[child]!, runs[index]!];
      index = child;
    }
  }
}
