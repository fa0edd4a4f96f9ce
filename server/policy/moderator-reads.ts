// THE hook for site moderators reading closed groups they are not in. Every single-object door that lets
// such a read through (group feed, post by id, replies, deletes, live follows) passes the forum's auditor
// (AppContext.auditModeratorRead) to authorize(), which calls it; the auditor records the read and may
// refuse it (a reason is mandatory). A door that passes no auditor cannot let such a read through at all.
import type { Types } from 'mongoose';
import { Forbidden } from '../errors';
import type { Viewer } from './viewer';

export interface ModeratorRead {
  viewer: Viewer;
  groupId: Types.ObjectId;
  postId: Types.ObjectId | null;
  action: string;
  /** From the `X-Moderation-Reason` header or `?reason=`; null when none was given. */
  reason: string | null;
}

export type ModeratorReadAuditor = (read: ModeratorRead) => Promise<void>;

/** Audits the read, or refuses it when no auditor was given: an override read is never unaudited. */
export async function recordModeratorRead(read: ModeratorRead, auditor: ModeratorReadAuditor | undefined): Promise<void> {
  if (!auditor) throw new Forbidden('errors.forbidden.unauditedRead');
  await auditor(read);
}
