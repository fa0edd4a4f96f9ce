// The anonymous homepage is the hottest path and identical for everyone, so its JSON is built and encoded
// once and sent as the same bytes to every visitor. Domain events drop it at once, those of other processes
// too when the event relay runs (REDIS_URL). TTL_MS bounds how stale it can be if an event never arrives:
// past it, the old page is served while one rebuild runs (stale-while-revalidate), so visitors never wait.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import type { AppContext } from '../context';
import type { DomainEventType } from './events';
import { publicFeed } from './feeds';

export const PUBLIC_FEED_TTL_MS = 2_000;

const gzipAsync = promisify(gzip);

/** The page as sent: plain, and gzipped once for every browser that accepts it (56 KB become about 10). */
export interface EncodedPage {
  json: Buffer;
  gzip: Buffer;
}

/** Events that can change what the homepage shows (posts, counts, group visibility, author names). */
const INVALIDATING: ReadonlySet<DomainEventType> = new Set([
  'post.created',
  'post.updated',
  'post.deleted',
  'post.hidden',
  'post.restored',
  'like.changed',
  'group.changed',
  'user.changed',
  'user.erased',
]);

export class PublicFeedCache {
  private page: EncodedPage | null = null;
  private builtAt = 0;
  private building: Promise<EncodedPage> | null = null;
  /** Bumped on every invalidation, so a build that started before a change is not kept. */
  private generation = 0;
  private readonly unsubscribe: () => void;

  constructor(private readonly ctx: AppContext) {
    this.unsubscribe = ctx.events.onCluster((event) => {
      if (INVALIDATING.has(event.type)) this.invalidate();
    });
  }

  invalidate(): void {
    this.generation++;
    this.page = null;
    this.building = null;
  }

  /**
   * The page when one is built, at once (the hot path need not wait for a promise), else null. Past the TTL
   * nothing is known to have changed here (an event would have dropped the page), so the page is still
   * served while one rebuild runs, instead of every visitor waiting for that rebuild.
   */
  ready(now = Date.now()): EncodedPage | null {
    if (this.page === null) return null;
    if (now - this.builtAt >= PUBLIC_FEED_TTL_MS && !this.building) {
      this.building = this.build();
      this.building.catch((error: unknown) => this.ctx.log.error('public feed: rebuild failed', error));
    }
    return this.page;
  }

  /** `{items, nextCursor: null}` as UTF-8 JSON bytes, plain and gzipped. */
  async get(now = Date.now()): Promise<EncodedPage> {
    // Concurrent misses share one build instead of stampeding the database.
    return this.ready(now) ?? (this.building ??= this.build());
  }

  private async build(): Promise<EncodedPage> {
    const generation = this.generation;
    const startedAt = Date.now();
    try {
      const json = Buffer.from(JSON.stringify({ items: await publicFeed(this.ctx), nextCursor: null }));
      const page = { json, gzip: await gzipAsync(json) };
      if (generation === this.generation) {
        this.page = page;
        this.builtAt = startedAt;
      }
      return page;
    } finally {
      if (generation === this.generation) this.building = null;
    }
  }

  close(): void {
    this.unsubscribe();
  }
}
