// A bounded map of loaded values that domain events drop, with concurrent loads of a key coalesced. Generic:
// what is cached and which events drop it is the forum's business (server/services/read-cache.ts).
//
// lru-cache's fetch() was considered: it coalesces loads and a delete aborts a running fetch, but it has no
// batched load (getMany) for the author cards of a page, and its abort is cooperative (the load must watch
// a signal), where here a drop simply keeps the late result out.
import { Types } from 'mongoose';

/**
 * A backstop, not the mechanism: events drop entries at once. This bounds the damage of an event that never
 * arrived (a relay message lost between a Redis disconnect and the moment it is noticed).
 */
export const MAX_ENTRY_AGE_MS = 60_000;
/** How often the forum's caches let go of entries past that age (`sweep`), so nothing outlives it by more. */
export const SWEEP_INTERVAL_MS = MAX_ENTRY_AGE_MS / 2;
const MAX_ENTRIES = 20_000;

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
  private changes = 0;

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
    this.changes++;
    this.entries.delete(key);
    const running = this.pending.get(key);
    if (running) {
      running.stale = true;
      this.pending.delete(key);
    }
  }

  dropWhere(matches: (value: V) => boolean): void {
    // What a running load will answer is not known yet, so every running load counts as matching.
    this.changes++;
    this.forgetPending();
    for (const [key, entry] of this.entries) if (matches(entry.value)) this.entries.delete(key);
  }

  clear(): void {
    this.changes++;
    this.forgetPending();
    this.entries.clear();
  }

  /**
   * Lets go of entries too old to be answered any more. Without this they stayed until MAX_ENTRIES newer ones
   * pushed them out: every handshake of a socket that then stayed idle left its session, identity and
   * memberships here for good (figure 6). Oldest first, in insertion order, up to the first fresh one.
   */
  sweep(now = Date.now()): void {
    let swept = false;
    for (const [key, entry] of this.entries) {
      if (now - entry.storedAt < MAX_ENTRY_AGE_MS) break;
      this.entries.delete(key);
      swept = true;
    }
    // Whatever was worked out from the swept entries is as old as they are (`version`).
    if (swept) this.changes++;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Changes whenever an entry is stored, dropped or cleared: something worked out from entries read while it had
   * one value stays right while it keeps that value and none of those entries reaches its age (oldestAt).
   */
  get version(): number {
    return this.changes;
  }

  /** When the oldest of these cached entries was stored (Infinity when none is). */
  oldestAt(keys: readonly string[]): number {
    let oldest = Infinity;
    for (const key of keys) {
      const storedAt = this.entries.get(key)?.storedAt;
      if (storedAt !== undefined && storedAt < oldest) oldest = storedAt;
    }
    return oldest;
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
    this.changes++;
    this.entries.delete(key);
    // Insertion order is age order, so the first key is the oldest.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value: detached(value), storedAt: now });
  }
}

/** Values stored as they are: see `kept`. */
const keptAsTheyAre = new WeakSet<object>();

/**
 * Marks a value to be stored as it is rather than copied: one built by the forum itself (no driver buffers in
 * it), never changed, and shared by many entries (a search page's set of readable groups, kilobytes each,
 * would otherwise be copied into every page kept).
 */
export function kept<T extends object>(value: T): T {
  keptAsTheyAre.add(value);
  return value;
}

/**
 * A copy whose ObjectIds own their 12 bytes. The driver decodes each ObjectId as a view into Node's shared
 * 8 KB buffer pool, so a long-kept one would keep a whole pool chunk alive.
 */
function detached<T>(value: T): T {
  if (value instanceof Types.ObjectId) return new Types.ObjectId(Uint8Array.from(value.id)) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date || keptAsTheyAre.has(value)) return value;
  if (Array.isArray(value)) return value.map(detached) as T;
  if (value instanceof Map) return new Map([...value].map(([k, v]) => [k, detached(v)])) as T;
  if (value instanceof Set) return new Set([...value].map(detached)) as T;
  // A loop rather than Object.fromEntries(entries.map(...)): search pages detach 21 posts per load.
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = detached((value as Record<string, unknown>)[key]);
    if (key === '__proto__') Object.defineProperty(copy, key, { value: v, enumerable: true, writable: true, configurable: true });
    else copy[key] = v;
  }
  return copy as T;
}
