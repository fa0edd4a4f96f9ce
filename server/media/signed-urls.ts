// Short-lived signed URLs for media that must not be readable by whoever merely learns the link:
// there are no cookies to carry a session to an <img> request, so the URL itself carries the permission.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Signed URLs remembered; past this many the memory is started afresh (entries of past windows go with it). */
const MAX_REMEMBERED_URLS = 4096;

export class UrlSigner {
  /**
   * `pathname\nexpires` → signed URL. Expiries are rounded to windows, so every feed page of a window signs the
   * same few URLs again: an HMAC each (two per image), the largest cost of presenting a post with images.
   */
  private readonly signed = new Map<string, string>();

  constructor(private readonly secret: string) {}

  private signature(pathname: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${pathname}\n${expires}`).digest('base64url');
  }

  /**
   * Signs `pathname` until `expires` (unix seconds). Callers round `expires` up to a window so the same
   * URL is handed out for a while, which keeps responses cacheable.
   */
  sign(pathname: string, expires: number): string {
    const key = `${pathname}\n${expires}`;
    let url = this.signed.get(key);
    if (url === undefined) {
      if (this.signed.size >= MAX_REMEMBERED_URLS) this.signed.clear();
      url = `${pathname}?expires=${expires}&signature=${this.signature(pathname, expires)}`;
      this.signed.set(key, url);
    }
    return url;
  }

  verify(pathname: string, expires: unknown, signature: unknown, nowSeconds = Math.floor(Date.now() / 1000)): boolean {
    if (typeof expires !== 'string' || typeof signature !== 'string' || !/^\d{1,12}$/.test(expires)) return false;
    const expiry = Number(expires);
    if (expiry <= nowSeconds) return false;
    const expected = Buffer.from(this.signature(pathname, expiry));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

/** Expiry rounded up to the next `window` boundary, valid for at least `minimum` seconds. */
export function expiryWindow(minimumSeconds: number, windowSeconds: number, nowSeconds = Math.floor(Date.now() / 1000)): number {
  return Math.ceil((nowSeconds + minimumSeconds) / windowSeconds) * windowSeconds;
}

/** A configured secret, or one generated once and kept beside the data so restarts keep URLs valid. */
export async function loadMediaSecret(configured: string | null, dataDir: string): Promise<string> {
  if (configured) return configured;
  const file = path.join(dataDir, 'media-url-secret');
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch {
    await mkdir(dataDir, { recursive: true });
    const secret = randomBytes(32).toString('hex');
    await writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch(async () => undefined);
    return (await readFile(file, 'utf8')).trim();
  }
}
