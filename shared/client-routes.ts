// The paths the browser client has pages for. The client's router is built on this list and the server
// answers every other path with a 404 page, so the two cannot disagree about which addresses exist.

/** Route patterns; `:name` matches one path segment. */
export const CLIENT_ROUTES = [
  '/',
  '/signin',
  '/signup',
  '/forgot-password',
  '/verify-email',
  '/reset-password',
  '/parental-consent',
  '/unsubscribe',
  '/confirm-email',
  '/account-data',
  '/home',
  '/groups',
  '/groups/:id',
  '/posts/:id',
  '/users/:id',
  '/search',
  '/me',
  '/privacy',
  '/notifications',
  '/admin',
  '/mod',
  '/mod/reports',
  '/mod/holds',
  '/mod/holds/:id',
  '/mod/audit',
] as const;

export type ClientRoute = (typeof CLIENT_ROUTES)[number];

/** Matches `/groups/:id` style patterns; returns the decoded params or null. */
export function matchPath(pattern: string, path: string): Record<string, string> | null {
  const patternParts = pattern.split('/').filter(Boolean);
  const pathParts = path.split('/').filter(Boolean);
  if (patternParts.length !== pathParts.length) return null;
  const params: Record<string, string> = {};
  for (let index = 0; index < patternParts.length; index++) {
    const expected = patternParts[index]!;
    const actual = pathParts[index]!;
    if (expected.startsWith(':')) {
      try {
        params[expected.slice(1)] = decodeURIComponent(actual);
      } catch {
        return null;
      }
    } else if (expected !== actual) return null;
  }
  return params;
}

/** Whether the client has a page at this path (a trailing slash is the same page, as the router reads it). */
export function isClientPath(path: string): boolean {
  const normalised = path.replace(/\/+$/, '') || '/';
  return CLIENT_ROUTES.some((pattern) => matchPath(pattern, normalised) !== null);
}
