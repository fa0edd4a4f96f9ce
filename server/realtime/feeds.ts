// Parses what a client asks to follow. Anything but `{feed: "public" | "home" | "group:<id>"}` is refused.
import { isObjectIdHex } from '../http/validation';

export type Feed = { kind: 'public' } | { kind: 'home' } | { kind: 'group'; groupId: string; reason: string | null };

export type FeedError = { code: 'invalid_feed' | 'not_found'; message: string };

const MAX_REASON_LENGTH = 500;

const FEED_HELP = 'Expected {feed: "public" | "home" | "group:<id>"}.';

export function parseFeedRequest(request: unknown): Feed | FeedError {
  if (typeof request !== 'object' || request === null || Array.isArray(request)) {
    return { code: 'invalid_feed', message: `The request must be an object. ${FEED_HELP}` };
  }
  const feed = (request as { feed?: unknown }).feed;
  if (typeof feed !== 'string') return { code: 'invalid_feed', message: `feed must be a string. ${FEED_HELP}` };
  if (feed === 'public') return { kind: 'public' };
  if (feed === 'home') return { kind: 'home' };
  if (feed.startsWith('group:')) {
    const groupId = feed.slice('group:'.length);
    // Like a path id on REST: a string that is not an id names no group.
    if (!isObjectIdHex(groupId)) return { code: 'not_found', message: 'No such group.' };
    const reason = (request as { reason?: unknown }).reason;
    if (reason !== undefined && (typeof reason !== 'string' || reason.trim().length === 0 || reason.length > MAX_REASON_LENGTH)) {
      return { code: 'invalid_feed', message: `reason must be a non-empty string of at most ${MAX_REASON_LENGTH} characters.` };
    }
    return { kind: 'group', groupId: groupId.toLowerCase(), reason: typeof reason === 'string' ? reason.trim() : null };
  }
  return { code: 'invalid_feed', message: `Unknown feed. ${FEED_HELP}` };
}
