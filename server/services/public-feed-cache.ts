// The anonymous homepage is the hottest path and identical for everyone, so its JSON (and its server-rendered
// HTML, built from the same read) is built and encoded once and sent as the same bytes to every visitor. Domain events drop it at once, those of other processes
// too when the event relay runs (REDIS_URL). TTL_MS bounds how stale it can be if an event never arrives:
// past it, the old page is served while one rebuild runs (stale-while-revalidate), so visitors never wait.
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { Types } from 'mongoose';
import type { PublicFeedPage } from '../../shared/api';
import { SUPPORTED_LANGUAGES, type Language } from '../../shared/i18n/languages';
import type { AppContext } from '../context';
import { Group } from '../models/group';
import type { DomainEventType } from './events';
import { publicFeed } from './feeds';

export const PUBLIC_FEED_TTL_MS = 2_000;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);
/** Brotli's middle quality: most of its gain over gzip, at a cost paid on every rebuild (11 takes ~20× longer). */
const BROTLI_QUALITY = 5;

/** One body in every coding it is sent in. */
export interface EncodedBody {
  plain: Buffer;
  gzip: Buffer;
  br: Buffer;
}

/** The page as sent: plain, and gzipped once for every browser that accepts it (56 KB become about 10). */
export interface EncodedPage {
  json: Buffer;
  gzip: Buffer;
  /**
   * The homepage's HTML rendered from this same page, once per language (a visitor gets the one their
   * Accept-Language asks for), or null without a renderer (or when rendering failed).
   */
  html: Readonly<Record<Language, EncodedBody>> | null;
}

/** Renders the homepage's HTML in a language from the feed page and its JSON text; null when it cannot (client not built). */
export type HomepageRenderer = (page: PublicFeedPage, json: string, language: Language) => string | null;

export async function encodeBody(plain: Buffer): Promise<EncodedBody> {
  const [gzipped, br] = await Promise.all([
    gzipAsync(plain),
    brotliAsync(plain, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: plain.length } }),
  ]);
  return { plain, gzip: gzipped, br };
}

/** The names of the groups the posts were written in, so visitors see where each was posted. */
async function groupNames(groupIds: string[]): Promise<PublicFeedPage['groups']> {
  const ids = [...new Set(groupIds)];
  const rows = await Group.find({ _id: { $in: ids }, visibility: 'public' }, { name: 1 }).lean<{ _id: Types.ObjectId; name: string }[]>();
  return rows.map((row) => ({ id: String(row._id), name: row.name })).sort((a, b) => a.id.localeCompare(b.id));
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

  constructor(
    private readonly ctx: AppContext,
    private readonly renderHomepage: HomepageRenderer | null = null,
  ) {
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

  /** `{items, nextCursor: null, groups}` as UTF-8 JSON bytes, plain and gzipped, and the homepage's HTML. */
  async get(now = Date.now()): Promise<EncodedPage> {
    // Concurrent misses share one build instead of stampeding the database.
    return this.ready(now) ?? (this.building ??= this.build());
  }

  private async build(): Promise<EncodedPage> {
    const generation = this.generation;
    const startedAt = Date.now();
    try {
      const items = await publicFeed(this.ctx);
      const feed: PublicFeedPage = { items, nextCursor: null, groups: await groupNames(items.map((post) => post.groupId)) };
      const text = JSON.stringify(feed);
      const json = Buffer.from(text);
      const [gzipped, html] = await Promise.all([gzipAsync(json), this.html(feed, text)]);
      const page = { json, gzip: gzipped, html };
      if (generation === this.generation) {
        this.page = page;
        this.builtAt = startedAt;
      }
      return page;
    } finally {
      if (generation === this.generation) this.building = null;
    }
  }

  /** A rendering failure costs the homepage its HTML (the client renders instead), never the feed. */
  private async html(feed: PublicFeedPage, json: string): Promise<Record<Language, EncodedBody> | null> {
    const render = this.renderHomepage;
    if (!render) return null;
    let pages: (string | null)[];
    try {
      pages = SUPPORTED_LANGUAGES.map((language) => render(feed, json, language));
    } catch (error) {
      this.ctx.log.error('homepage: rendering failed', error);
      return null;
    }
    if (pages.some((html) => html === null)) return null;
    const bodies = await Promise.all(pages.map((html) => encodeBody(Buffer.from(html!))));
    return Object.fromEntries(SUPPORTED_LANGUAGES.map((language, index) => [language, bodies[index]!])) as Record<Language, EncodedBody>;
  }

  close(): void {
    this.unsubscribe();
  }
}
