// Writes made for an account must not outlive its erasure. A request authenticated before `DELETE /api/me`
// (a slow upload, say) may commit after erasure has passed the step that removes what it writes. So each
// such write checks afterwards, in the database and not the read cache, that the account is still active,
// and undoes itself if not. Erasure marks the account first and sweeps again at its end (erasure.ts): a
// write that committed before the mark is found by the sweep; one that committed after it sees the mark.
import type { Types } from 'mongoose';
import { Unauthorized } from '../errors';
import { ACTIVE_ACCOUNT, User } from '../models/user';

/** Call after committing a write made for `userId`; `undo` removes it again if the account is going away. */
export async function confirmActiveWriter(userId: Types.ObjectId, undo: () => Promise<unknown>): Promise<void> {
  if ((await User.exists({ _id: userId, ...ACTIVE_ACCOUNT })) !== null) return;
  await undo();
  throw new Unauthorized('errors.unauthorized.inactive');
}
