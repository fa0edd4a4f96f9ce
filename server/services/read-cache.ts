// What nearly every request reads before it can do anything (whose token this is, their roles, their
// memberships, which groups are public, who wrote a post) changes rarely, yet costs a database round trip
// each time: about 0.3 ms of driver CPU apiece, most of a signed-in feed's cost. Each group's newest posts
// and which posts a user likes change more often, but every feed page reads them; every open page asks for
// the unread notification count. So these are kept here,
// and dropped by the domain events that announce each change: in this process as the write's own event is
// published, in every other process as the event relay (server/services/event-relay.ts) brings it.
//
// Models are process-wide (mongoose's default connection), so this cache is too; every forum in the process
// feeds it its events. Anything that writes these collections without publishing the matching event must
// call `readCache.clear()` (tests that build fixtures directly do).
import type { Types } from 'mongoose';
import { DroppableCache, SWEEP_INTERVAL_MS } from '../db/droppable-cache';
import type { GroupRole, MembershipState } from '../models/membership';
import type { PresentablePost } from '../models/post';
import type { UserFields } from '../models/user';
import type { DomainEvent } from './events';

/** Feed heads are the big entries (up to FEED_HEAD_CHARS of post text each, 64 MB at most), so fewer are kept. */
const MAX_FEED_HEADS = 500;
/** Users whose likes are kept, each with at most MAX_CACHED_LIKES of them: about 64 bytes a like, 32 MB at most. */
const MAX_LIKERS = 1_000;
export const MAX_CACHED_LIKES = 500;
/** Search pages kept: each up to 101 post ids, so a few MB at most. */
const MAX_SEARCHES = 500;
/** Posts kept for search pages: up to 40,000 characters of text each, so about 80 MB at most, 1-2 MB typically. */
export const MAX_POST_ROWS = 1_000;

export interface CachedSession {
  readonly userId: Types.ObjectId;
  readonly expiresAt: Date;
  readonly lastUsedAt: Date;
}

export interface CachedIdentity {
  readonly _id: Types.ObjectId;
  readonly roles: readonly string[];
  readonly status: string;
  readonly suspendedAt?: Date | null;
  readonly language?: string | null;
}

/** One membership record of a user, as the rules need it. */
export interface CachedMembership {
  readonly groupId: Types.ObjectId;
  readonly status: MembershipState;
  readonly role: GroupRole;
}

/** The least a rule needs to know about a group (the policy's GroupRef). */
export interface CachedGroupRef {
  readonly _id: Types.ObjectId;
  readonly visibility: string;
}

/** The public card of an active user, as post presenters show authors. */
export type CachedAuthor = Readonly<Pick<UserFields, '_id' | 'displayName' | 'avatarKey' | 'bio' | 'createdAt'>>;

/** The newest listable top-level posts of one group, with the fields feeds present (./feed-heads.ts). */
export interface CachedFeedHead {
  /** Newest first. */
  readonly rows: readonly PresentablePost[];
  /** The rows' ids as hex, which orders them as their bytes do: merged without converting ids per request. */
  readonly ids: readonly string[];
  /** Whether the rows are every listable top-level post of the group; if not, all others are older. */
  readonly complete: boolean;
}

/** One user's unread notification count (server/notifications/service.ts), with what it was judged from. */
export interface CachedUnreadCount {
  readonly count: number;
  /** The site roles it was judged with: a request authenticated before a role change must not be answered from it. */
  readonly roles: string;
  /** Posts whose state decides it: each unread notification's post, and its thread's top-level post. */
  readonly postIds: ReadonlySet<string>;
  /** Groups whose visibility decides it. */
  readonly groupIds: ReadonlySet<string>;
}

/** One page of a post search as the database ranked it: which posts, not what they say (that is `postRows`). */
export interface CachedSearch {
  /** The groups it looked in: a post created, changed or removed in any of them drops the page. */
  readonly groupIds: ReadonlySet<string>;
  /** The posts' ids as hex, best first: one more than the page when another page follows. */
  readonly ids: readonly string[];
}

class ReadCache {
  /**
   * Off while events from other processes may be going missing (the relay is disconnected): every read then
   * goes to the database, and whatever was cached before is dropped when the relay is back.
   */
  private enabled = true;
  private readonly on = (): boolean => this.enabled;

  /** tokenHash → session; unknown tokens are not cached, so guessing cannot fill the cache. */
  readonly sessions = new DroppableCache<CachedSession>(this.on);
  /** userId → roles and account status. */
  readonly identities = new DroppableCache<CachedIdentity | null>(this.on);
  /** userId → every membership record of the user, by group id. */
  readonly memberships = new DroppableCache<ReadonlyMap<string, CachedMembership>>(this.on);
  /** groupId → what the rules need of the group. */
  readonly groups = new DroppableCache<CachedGroupRef | null>(this.on);
  /** The one key `all` → ids of every public group. */
  readonly publicGroups = new DroppableCache<readonly Types.ObjectId[]>(this.on);
  /** userId → author card, or null for an account that is not active. */
  readonly authors = new DroppableCache<CachedAuthor | null>(this.on);
  /** groupId → its newest listable top-level posts. */
  readonly feedHeads = new DroppableCache<CachedFeedHead>(this.on, MAX_FEED_HEADS);
  /** userId → ids of every post the user likes, or null for a user with more than MAX_CACHED_LIKES. */
  readonly likedPosts = new DroppableCache<ReadonlySet<string> | null>(this.on, MAX_LIKERS);
  /** userId → unread notification count; every event that may change what the user may see drops it. */
  readonly unreadCounts = new DroppableCache<CachedUnreadCount>(this.on);
  /** The search's filter, skip and limit → the page the database answered (server/search/search.ts). */
  readonly searches = new DroppableCache<CachedSearch>(this.on, MAX_SEARCHES);
  /**
   * postId → the post as presenters read it, for search pages (a ranked search then asks the database only which
   * posts, in what order). Every event about a post drops it, and its parent's (whose replyCount it moves).
   */
  readonly postRows = new DroppableCache<PresentablePost>(this.on, MAX_POST_ROWS);

  /** Entries too old to answer are let go soon after (an idle process holds none). */
  private readonly sweeper = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();

  /** Drops whatever the event may have made stale. */
  apply(event: DomainEvent): void {
    switch (event.type) {
      case 'session.revoked':
        if (event.tokenHash) this.sessions.drop(event.tokenHash);
        else this.dropSessionsOf(event.userId);
        return;
      case 'user.changed':
        this.identities.drop(event.userId);
        this.authors.drop(event.userId);
        this.unreadCounts.drop(event.userId);
        return;
      case 'user.erased':
        this.dropSessionsOf(event.userId);
        this.identities.drop(event.userId);
        this.authors.drop(event.userId);
        this.memberships.drop(event.userId);
        this.likedPosts.drop(event.userId);
        this.unreadCounts.drop(event.userId);
        // Their posts go (and with them the replies' counts), whatever groups the erasure gets to.
        this.searches.clear();
        this.postRows.clear();
        return;
      case 'membership.changed':
        this.memberships.drop(event.userId);
        this.unreadCounts.drop(event.userId);
        return;
      case 'group.changed':
        this.groups.drop(event.groupId);
        this.publicGroups.clear();
        this.feedHeads.drop(event.groupId);
        this.unreadCounts.dropWhere((counted) => counted.groupIds.has(event.groupId));
        // Opening a group marks its posts members-only in the database; search scopes depend on visibility.
        this.searches.clear();
        this.postRows.dropWhere((row) => String(row.groupId) === event.groupId);
        return;
      case 'post.created':
      case 'post.updated':
        // Replies too: a reply moves its parent's replyCount, which the head shows.
        this.feedHeads.drop(event.groupId);
        // A new post may belong on a kept page; an edit must be found by its new text only.
        this.dropSearchesIn(event.groupId);
        this.dropPostRows(event);
        return;
      case 'post.deleted':
      case 'post.hidden':
      case 'post.restored':
        this.feedHeads.drop(event.groupId);
        // A thread's removal takes its author's own replies without an event of their own: counts that
        // depend on any post of the thread go.
        this.unreadCounts.dropWhere((counted) => counted.postIds.has(event.postId));
        this.dropSearchesIn(event.groupId);
        this.dropPostRows(event);
        for (const replyId of (event.type === 'post.deleted' && event.repliesRemoved) || []) this.postRows.drop(replyId);
        return;
      case 'notification.changed':
        this.unreadCounts.drop(event.userId);
        return;
      case 'like.changed':
        this.feedHeads.drop(event.groupId);
        // Search pages hold ids ranked by text alone; the count is in the post's row.
        this.postRows.drop(event.postId);
        if (event.userId) this.likedPosts.drop(event.userId);
        else this.likedPosts.clear();
        return;
      default:
        return;
    }
  }

  /** Events may have been missed: serve from the database until `resume()`. */
  suspend(): void {
    this.enabled = false;
    this.clear();
  }

  resume(): void {
    this.clear();
    this.enabled = true;
  }

  clear(): void {
    for (const cache of this.all()) cache.clear();
  }

  sweep(now = Date.now()): void {
    for (const cache of this.all()) cache.sweep(now);
  }

  private all(): DroppableCache<unknown>[] {
    return [
      this.sessions,
      this.identities,
      this.memberships,
      this.groups,
      this.publicGroups,
      this.authors,
      this.feedHeads,
      this.likedPosts,
      this.unreadCounts,
      this.searches,
      this.postRows,
    ];
  }

  private dropSearchesIn(groupId: string): void {
    this.searches.dropWhere((search) => search.groupIds.has(groupId));
  }

  /** The post and its parent, whose replyCount a reply's coming and going moves. */
  private dropPostRows(event: { postId: string; parentId: string | null }): void {
    this.postRows.drop(event.postId);
    if (event.parentId) this.postRows.drop(event.parentId);
  }

  private dropSessionsOf(userId: string): void {
    this.sessions.dropWhere((session) => String(session.userId) === userId);
  }
}

export const readCache = new ReadCache();
