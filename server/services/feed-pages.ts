// A viewer's first feed pages as sent, kept per viewer and list: a member reloading the home feed between two
// writes gets the same bytes, and writing them (presenting 20 posts and copying some 140 pieces into one
// buffer) cost more than everything else the request does (docs/performance.md, issue 23).
//
// A kept page is not dropped by events: it is used only while every value the presenter reads is the same as
// when it was written, compared on each request (the rows, each row's author card, whether the viewer likes it,
// what the viewer is to its group, the viewer's roles, the image URLs' expiry windows). Those values come from
// the read cache, which the events that change them (membership, roles, revocation, erasure, group changes,
// hides, likes, profiles) already replace; so a page cannot say more than a freshly written one would.
import { LONG_URL, SHORT_URL } from '../media/post-images';
import { expiryWindow, type UrlSigner } from '../media/signed-urls';
import type { PresentablePost } from '../models/post';
import type { Viewer } from '../policy';
import { presentPostsJson, textsOf, type PostViewFacts } from '../presenters/post';
import { writePageJson, type PageRequest } from './pagination';
import { loadPostViewFacts } from './post-views';

/** Bytes of pages kept at most; past this the memory starts afresh (a page is about 20 KB). */
export const MAX_KEPT_PAGE_BYTES = 16 * 1024 * 1024;

interface KeptPage {
  readonly inputs: readonly unknown[];
  readonly body: Buffer;
}

let kept = new Map<string, KeptPage>();
let keptBytes = 0;

/** Lets every kept page go (tests; nothing else needs it: pages are checked against their inputs on use). */
export function forgetFeedPages(): void {
  kept = new Map();
  keptBytes = 0;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/**
 * Everything presentPostsJson and writePageJson read to write this page, as values compared with `===`. The rows
 * are the read cache's objects (a head is replaced, never changed), and so are the authors; access is compared
 * field by field since it is built per request.
 */
function pageInputs(rows: readonly PresentablePost[], limit: number, viewer: Viewer | null, facts: PostViewFacts, signer: UrlSigner, now: number): unknown[] {
  const count = Math.min(rows.length, limit);
  // rows.length > limit tells whether there is a next page; the cursor is the last kept row's id. The signer:
  // a process may run more than one app (tests do), each signing with its own secret.
  const inputs: unknown[] = [count, rows.length > limit, facts.signedIn, signer, viewer?.id, viewer?.roles.length];
  if (viewer) for (const role of viewer.roles) inputs.push(role);
  let images = false;
  for (let i = 0; i < count; i++) {
    const row = rows[i]!;
    const text = textsOf(row);
    const access = facts.access.get(text.groupId);
    inputs.push(row, text.authorId ? (facts.authors.get(text.authorId) ?? null) : null, facts.liked.has(text.id));
    if (access) inputs.push(access.visibility, access.status, access.role, access.siteModerator, access.viewer?.id);
    else inputs.push(undefined);
    if (row.images?.length) images = true;
  }
  // Image URLs are signed until the end of a window: the same URLs while neither window has moved on.
  if (images) inputs.push(expiryWindow(SHORT_URL.minimumSeconds, SHORT_URL.windowSeconds, now), expiryWindow(LONG_URL.minimumSeconds, LONG_URL.windowSeconds, now));
  return inputs;
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * writePageJson of presentPostsJson for these rows, from `facts` already loaded: the page kept under `key` when
 * it was written from the same inputs, else a new one (kept for next time).
 */
export function keptPageJson(key: string, rows: readonly PresentablePost[], page: Pick<PageRequest, 'limit'>, viewer: Viewer | null, facts: PostViewFacts, signer: UrlSigner, now = nowSeconds()): Buffer {
  const inputs = pageInputs(rows, page.limit, viewer, facts, signer, now);
  const known = kept.get(key);
  if (known && sameInputs(known.inputs, inputs)) return known.body;
  const shown = rows.length > page.limit ? rows.slice(0, page.limit) : rows;
  const body = writePageJson(rows, page, presentPostsJson(shown, facts, signer, now));
  if (known) keptBytes -= known.body.length;
  if (keptBytes + body.length > MAX_KEPT_PAGE_BYTES) forgetFeedPages();
  kept.set(key, { inputs, body });
  keptBytes += body.length;
  return body;
}

/**
 * A feed's page for the viewer as UTF-8 JSON. First pages are kept per viewer and `list` (which feed, which
 * group, members-only posts or not); deeper pages come from the database as new rows each time, so they are
 * written afresh.
 */
export async function feedPageJson(
  list: string,
  rows: readonly PresentablePost[],
  page: PageRequest,
  viewer: Viewer,
  signer: UrlSigner,
): Promise<Buffer> {
  const shown = rows.length > page.limit ? rows.slice(0, page.limit) : rows;
  if (!shown.length) return writePageJson(rows, page, []);
  const facts = await loadPostViewFacts(shown, viewer);
  if (page.after) return writePageJson(rows, page, presentPostsJson(shown, facts, signer));
  return keptPageJson(`${viewer.id} ${page.limit} ${list}`, rows, page, viewer, facts, signer);
}
