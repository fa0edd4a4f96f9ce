import type { Request } from 'express';
import type { AuthorizeOptions } from '../policy';

const MAX_REASON_LENGTH = 500;

/** A site moderator's reason for reading a closed group they are not in: `X-Moderation-Reason` or `?reason=`. */
export function moderationReason(req: Request): AuthorizeOptions {
  const raw = req.get('x-moderation-reason') ?? (typeof req.query.reason === 'string' ? req.query.reason : null);
  const reason = raw?.trim().slice(0, MAX_REASON_LENGTH);
  return { reason: reason ? reason : null };
}
