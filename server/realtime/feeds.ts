// Parses what a client asks to follow. Anything but `{feed: "public" | "home" | "group:<id>"}` is refused.
import { z } from 'zod';
import { isObjectIdHex, problem } from '../http/validation';

export type Feed = { kind: 'public' } | { kind: 'home' } | { kind: 'group'; groupId: string; reason: string | null };

export type FeedError = { code: 'invalid_feed' | 'not_found'; message: string };

const MAX_REASON_LENGTH = 500;

/** Said with every refused request, in the one notation all languages read. */
const FEED_SHAPE = '{feed: "public" | "home" | "group:<id>"}';

const feedRequestSchema = z.object(
  {
    feed: z.string({ error: problem('errors.realtime.feedNotString', { shape: FEED_SHAPE }) }),
    // A site moderator's stated reason for following a closed group they are not in (checked for group feeds only).
    reason: z.unknown().optional(),
  },
  { error: problem('errors.realtime.notObject', { shape: FEED_SHAPE }) },
);

const reasonSchema = z
  .string()
  .max(MAX_REASON_LENGTH)
  .refine((reason) => reason.trim().length > 0)
  .transform((reason) => reason.trim());

export function parseFeedRequest(request: unknown): Feed | FeedError {
  const parsed = feedRequestSchema.safeParse(request);
  if (!parsed.success) return { code: 'invalid_feed', message: parsed.error.issues[0]!.message };
  const { feed, reason } = parsed.data;
  if (feed === 'public') return { kind: 'public' };
  if (feed === 'home') return { kind: 'home' };
  if (feed.startsWith('group:')) {
    const groupId = feed.slice('group:'.length);
    // Like a path id on REST: a string that is not an id names no group.
    if (!isObjectIdHex(groupId)) return { code: 'not_found', message: problem('errors.notFound.group') };
    if (reason === undefined) return { kind: 'group', groupId: groupId.toLowerCase(), reason: null };
    const stated = reasonSchema.safeParse(reason);
    if (!stated.success) return { code: 'invalid_feed', message: problem('errors.realtime.reason', { max: MAX_REASON_LENGTH }) };
    return { kind: 'group', groupId: groupId.toLowerCase(), reason: stated.data };
  }
  return { code: 'invalid_feed', message: problem('errors.realtime.unknownFeed', { shape: FEED_SHAPE }) };
}
