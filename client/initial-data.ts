// The public feed the server rendered the homepage from, handed to the first homepage render so that the
// hydrating client draws exactly what the server drew (no skeleton, no second request). Taken once: a later
// visit to the homepage loads the feed as usual.
import type { PublicFeedPage } from '../shared/api';
import { INITIAL_FEED_ELEMENT_ID } from '../shared/brand';

let initial: PublicFeedPage | null = null;

export function provideInitialFeed(page: PublicFeedPage | null): void {
  initial = page;
}

/** Reads the feed the server embedded in the page, if any. */
export function embeddedFeed(): PublicFeedPage | null {
  const text = document.getElementById(INITIAL_FEED_ELEMENT_ID)?.textContent;
  if (!text) return null;
  try {
    return JSON.parse(text) as PublicFeedPage;
  } catch {
    return null;
  }
}

export function takeInitialFeed(): PublicFeedPage | null {
  const page = initial;
  initial = null;
  return page;
}
