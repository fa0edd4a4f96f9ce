// Post images: stored sizes and their signed URLs. Every post image URL is signed; only the window differs.
import type { ImageVariant } from './images';
import { expiryWindow, type UrlSigner } from './signed-urls';

export const POST_IMAGE_VARIANTS: readonly ImageVariant[] = [
  { name: '1280', maxSide: 1280 },
  { name: '320', maxSide: 320 },
];
export const POST_IMAGE_VARIANT_NAMES = POST_IMAGE_VARIANTS.map((variant) => variant.name);
export const MAX_IMAGES_PER_POST = 4;

/**
 * Closed-group (and hidden) images: valid at least 10 minutes, rounded up to 5-minute windows so the same
 * URL is handed out for a while. A URL therefore lives at most SHORT_URL_MAX_SECONDS.
 */
export const SHORT_URL = { minimumSeconds: 10 * 60, windowSeconds: 5 * 60 } as const;
export const SHORT_URL_MAX_SECONDS = SHORT_URL.minimumSeconds + SHORT_URL.windowSeconds;
/**
 * Public-group images: hours, so the cached public feed and browser caches stay valid. The media route
 * honours such a long URL only while the post's group is still public and the post not hidden.
 */
export const LONG_URL = { minimumSeconds: 2 * 60 * 60, windowSeconds: 60 * 60 } as const;

export function postImagePath(key: string, variant: string): string {
  return `/media/posts/${key}-${variant}.webp`;
}

export function signPostImage(
  signer: UrlSigner,
  key: string,
  variant: string,
  longLived: boolean,
  nowSeconds = Math.floor(Date.now() / 1000),
): string {
  const window = longLived ? LONG_URL : SHORT_URL;
  return signer.sign(postImagePath(key, variant), expiryWindow(window.minimumSeconds, window.windowSeconds, nowSeconds));
}
