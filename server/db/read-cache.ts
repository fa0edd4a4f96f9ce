// What nearly every request reads before it can do anything (whose token this is, their roles, their
// memberships, which groups are public, who wrote a post) changes rarely, yet costs a database round trip
// each time: about 0.3 ms of driver CPU apiece, most of a signed-in feed's cost. So it is kept here, and
// dropped by the domain events that announce each change: in this process as the write's own event is
// published, in every other process as the event relay (server/services/event-relay.ts) brings it.
//
// Models are process-wide (mongoose's default connection), so this cache is too; every forum in the process
// feeds it its events. Anything that writes these collections without publishing the matching event must
// call `readCache.clear()` (tests that build fixtures directly do).
import { Types } from 'mongoose';
import type { GroupRole, MembershipState } from '../models/membership';
import type { UserFields } from '../models/user';
import type { DomainEvent } from '../services/events';

/**
 * A backstop, not the mechanism: events drop entries at once. This bounds the damage of an event that never
 * arrived (a relay message lost between a Redis disconnect and the moment it is noticed).
 */
export const MAX_ENTRY_AGE_MS = 60_000;
const MAX_ENTRIES = 20_000;

interface Entry<V> {
  value: V;
  storedAt: number;
}

/**
 * A map whose loads are kept only when nothing was dropped while they ran: a load that read the database
 * before a change and returns after its event would otherwise store what the event just removed.
 */
export class DroppableCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private epoch = 0;

  constructor(private readonly isEnabled: () => boolean) {}

  /** A load answering `undefined` is passed on but not kept (e.g. an unknown token). */
  async get<L extends V | undefined>(key: string, load: () => Promise<L>, now = Date.now()): Promise<V | L> {
    const hit = this.isEnabled() ? this.entries.get(key) : undefined;
    if (hit && now - hit.storedAt < MAX_ENTRY_AGE_MS) return hit.value;
    const epoch = this.epoch;
    const value = await load();
    if (value !== undefined && epoch === this.epoch) this.set(key, value, now);
    return value;
  }

  /** Several keys at once; the missing ones are loaded together (`load` answers a value for each key). */
  async getMany(keys: readonly string[], load: (missing: string[]) => Promise<Map<string, V>>, now = Date.now()): Promise<Map<string, V>> {
    const found = new Map<string, V>();
    const missing: string[] = [];
    for (const key of keys) {
      const hit = this.isEnabled() ? this.entries.get(key) : undefined;
      if (hit && now - hit.storedAt < MAX_ENTRY_AGE_MS) found.set(key, hit.value);
      else missing.push(key);
    }
    if (!missing.length) return found;
    const epoch = this.epoch;
    const loaded = await load(missing);
    const keep = epoch === this.epoch;
    for (const [key, value] of loaded) {
      found.set(key, value);
      if (keep) this.set(key, value, now);
    }
    return found;
  }

  /** Replaces a cached value after a write this process made itself (e.g. a token's new expiry). */
  update(key: string, value: V, now = Date.now()): void {
    if (this.entries.has(key)) this.set(key, value, now);
  }

  drop(key: string): void {
    this.epoch++;
    this.entries.delete(key);
  }

  dropWhere(matches: (value: V) => boolean): void {
    this.epoch++;
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.epoch++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private set(key: string, value: V, now: number): void {
    if (!this.isEnabled()) return;
    this.entries.delete(key);
    // Insertion order is age order, so the first key is the oldest.
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
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
        return;
      case 'membership.changed':
        this.memberships.drop(event.userId);
        return;
      case 'group.changed':
        this.groups.drop(event.groupId);
        this.publicGroups.clear();
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
    for (const cache of [this.sessions, this.identities, this.memberships, this.groups, this.publicGroups, this.authors]) cache.clear();
  }

  private dropSessionsOf(userId: string): void {
    this.sessions.dropWhere((session) => String(session.userId) === userId);
  }
}

export const readCache = new ReadCache();
