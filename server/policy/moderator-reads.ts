// THE hook for site moderators reading closed groups they are not in. Every single-object door that lets
// such a read through (group feed, post by id, replies, image URLs, deletes) calls recordModeratorRead()
// via authorize(). The moderation issue installs the audit log here with setModeratorReadAuditor() and
// may make a reason mandatory by throwing from its auditor.
import type { Types } from 'mongoose';
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

let auditor: ModeratorReadAuditor | null = null;

/** Installs (or, with null, removes) the auditor; returns the previous one. */
export function setModeratorReadAuditor(next: ModeratorReadAuditor | null): ModeratorReadAuditor | null {
  const previous = auditor;
  auditor = next;
  return previous;
}

export async function recordModeratorRead(read: ModeratorRead): Promise<void> {
  if (auditor) await auditor(read);
}
