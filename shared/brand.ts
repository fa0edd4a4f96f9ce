// The organisation's identity as the pages show it (FORUM_NAME, FORUM_TAGLINE, FORUM_LOGO_FILE, FORUM_ACCENT_COLOR).

export interface Brand {
  name: string;
  tagline: string;
  /** Where the logo is served (a hashed path under /brand/), or null for the lettermark. */
  logoUrl: string | null;
}

export const DEFAULT_BRAND: Brand = {
  name: 'Member forum',
  tagline: 'Talk with fellow members, privately where it matters.',
  logoUrl: null,
};

/** The id of the JSON data block the server puts in every page, read once by client/brand.ts. */
export const BRAND_ELEMENT_ID = 'forum-brand';
/** The id of the JSON data block holding the public feed the homepage was rendered from, for hydration. */
export const INITIAL_FEED_ELEMENT_ID = 'forum-initial-feed';
