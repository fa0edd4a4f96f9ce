// What nearly every request reads before it can do anything (whose token this is, their roles, their
// memberships, which groups are public, who wrote a post) changes rarely, yet costs a database round trip
// each time: about 0.3 ms of driver CPU apiece, most of a signed-in feed's cost. Each group's newest posts
// and which posts a user likes change more often, but every feed page reads them. So these are kept here,
// and dropped by the domain events that announce each change: in this process as the write's own event is
// published, in every other process as the event relay (server/services/event-relay.ts) brings it.
//
// Models are process-wide (mongoose's default connection), so this cache is too; every forum in the process
// feeds it its events. Anything that writes these collections without publishing the matching event must
// call `readCache.clear()` (tests that build fixtures directly do).
import { Types } from 'mongoose';
import type { GroupRole, MembershipState } from '../models/membership';
import type { UserFields } from '../models/user';
import type { PresentablePost } from '../presenters/post';
import type { DomainEvent } from '../services/events';

/**
 * A backstop, not the mechanism: events drop entries at once. This bounds the damage of an event that never
 * arrived (a relay message lost between a Redis disconnect and the moment it is noticed).
 */
export const MAX_ENTRY_AGE_MS = 60_000;
const MAX_ENTRIES = 20_000;
/** Feed heads are the big entries (up to FEED_HEAD_CHARS of post text each, 64 MB at most), so fewer are kept. */
const MAX_FEED_HEADS = 500;
/** Users whose likes are kept, each with at most MAX_CACHED_LIKES of them: about 64 bytes a like, 32 MB at most. */
const MAX_LIKERS = 1_000;
export const MAX_CACHED_LIKES = 500;

interface Entry<V> {
  value: V;
  storedAt: number;
}

/** A load in flight for one key: later readers join it, and a drop of the key makes it not be kept. */
interface Pending<V> {
  value: Promise<V | undefined>;
  stale: boolean;
}

/**
 * A map whose loads are kept only when their key was not dropped while they ran: a load that read the
 * database before a change and returns after its event would otherwise store what the event just removed.
 * Concurrent reads of a key share one load, so a hot entry dropped under load is read from the database
 * once, not once per waiting request.
 */
export class DroppableCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly pending = new Map<string, Pending<V>>();

  constructor(
    private readonly isEnabled: () => boolean,
    private readonly maxEntries = MAX_ENTRIES,
  ) {}

  /** A load answering `undefined` is passed on but not kept (e.g. an unknown token). */
  async get<L extends V | undefined>(key: string, load: () => Promise<L>, now = Date.now()): Promise<V | L> {
    if (!this.isEnabled()) return load();
    const hit = this.fresh(key, now);
    if (hit) return hit.value;
    const joined = this.pending.get(key);
    if (joined) return joined.value as Promise<V | L>;
    // Loads may be mongoose queries, which run again on each `then`: settled once, here.
    const value = Promise.resolve(load());
    this.track(key, value, now);
    return value;
  }

  /** Several keys at once; the missing ones are loaded together (`load` answers a value for each key). */
  async getMany(keys: readonly string[], load: (missing: string[]) => Promise<Map<string, V>>, now = Date.now()): Promise<Map<string, V>> {
    if (!this.isEnabled()) return load([...keys]);
    const found = new Map<string, V>();
    const joined: [string, Promise<V | undefined>][] = [];
    const missing: string[] = [];
    for (const key of keys) {
      const hit = this.fresh(key, now);
      if (hit) found.set(key, hit.value);
      else {
        const running = this.pending.get(key);
        if (running) joined.push([key, running.value]);
        else missing.push(key);
      }
    }
    if (missing.length) {
      const batch = Promise.resolve(load(missing));
      for (const key of missing) this.track(key, batch.then((loaded) => loaded.get(key)), now);
      for (const [key, value] of await batch) found.set(key, value);
    }
    for (const [key, value] of joined) {
      const loaded = await value;
      if (loaded !== undefined) found.set(key, loaded);
    }
    return found;
  }

  /** Replaces a cached value after a write this process made itself (e.g. a token's new expiry). */
  update(key: string, value: V, now = Date.now()): void {
    if (this.entries.has(key)) this.set(key, value, now);
  }

  drop(key: string): void {
    this.entries.delete(key);
    const running = this.pending.get(key);
    if (running) {
      running.stale = true;
      this.pending.delete(key);
    }
  }

  dropWhere(matches: (value: V) => boolean): void {
    // What a running load will answer is not known yet, so every running load counts as matching.
    this.forgetPending();
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.forgetPending();
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Whether loads are kept now; while not, callers that load more than they need should ask for less. */
  get keeping(): boolean {
    return this.isEnabled();
  }

  private fresh(key: string, now: number): Entry<V> | undefined {
    const hit = this.entries.get(key);
    return hit && now - hit.storedAt < MAX_ENTRY_AGE_MS ? hit : undefined;
  }

  private track(key: string, value: Promise<V | undefined>, now: number): void {
    const running: Pending<V> = { value, stale: false };
    this.pending.set(key, running);
    const settle = (loaded: V | undefined): void => {
      if (this.pending.get(key) === running) this.pending.delete(key);
      if (!running.stale && loaded !== undefined) this.set(key, loaded, now);
    };
    // A failed load is its caller's error; here it only stops being joinable.
    value.then(settle, () => settle(undefined));
  }

  private forgetPending(): void {
    for (const running of this.pending.values()) running.stale = true;
    this.pending.clear();
  }

  private set(key: string, value: V, now: number): void {
    if (!this.isEnabled()) return;
    this.entries.delete(key);
    // Insertion order is age order, so the first key is the oldest.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value: detached(value), storedAt: now });
  }
}

/**
 * A copy whose ObjectIds own their 12 bytes. The driver decodes each ObjectId as a view into Node's shared
 * 8 KB buffer pool, so a long-kept one would keep a whole pool chunk alive.
 */
function detached<T>(value: T): T {
  if (value instanceof Types.ObjectId) return new Types.ObjectId(Uint8Array.from(value.id)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(detached) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, detached(v)])) as T;
  if (value instanceof Set) return new Set([...value].map(detached)) as T;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, detached(v)])) as T;
}

export interface CachedSession {
  readonly userId: Types.ObjectId;
  readonly expiresAt: Date;
  readonly lastUsedAt: Date;
}

export interface CachedIdentity {
  readonly _id: Types.ObjectId;
  readonly roles: readonly string[];
  readonly status: string;
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
        return;
      case 'user.erased':
        this.dropSessionsOf(event.userId);
        this.identities.drop(event.userId);
        this.authors.drop(event.userId);
        this.memberships.drop(event.userId);
        this.likedPosts.drop(event.userId);
        return;
      case 'membership.changed':
        this.memberships.drop(event.userId);
        return;
      case 'group.changed':
        this.groups.drop(event.groupId);
        this.publicGroups.clear();
        this.feedHeads.drop(event.groupId);
        return;
      case 'post.created':
      case 'post.updated':
      case 'post.deleted':
      case 'post.hidden':
      case 'post.restored':
        // Replies too: a reply moves its parent's replyCount, which the head shows.
        this.feedHeads.drop(event.groupId);
        return;
      case 'like.changed':
        this.feedHeads.drop(event.groupId);
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
    for (const cache of [this.sessions, this.identities, this.memberships, this.groups, this.publicGroups, this.authors, this.feedHeads, this.likedPosts]) cache.clear();
  }

  private dropSessionsOf(userId: string): void {
    this.sessions.dropWhere((session) => String(session.userId) === userId);
  }
}

export const readCache = new ReadCache();
