// The admin console's refusals at the doors that hand out tokens (sign-in, verification link, password
// reset): a suspended account, or one still waiting for an admin's approval, gets no token. Token checks
// refuse them too (services/tokens.ts), so a token issued before the change stops at once.
import { HttpError } from '../errors';
import type { UserFields } from '../models/user';

export function accountSuspended(): HttpError {
  return new HttpError(
    403,
    'account_suspended',
    { key: 'errors.account.suspended' },
  );
}

/** Throws unless the account may be signed in (the caller has already proven it is the owner). */
export function assertMaySignIn(user: Pick<UserFields, 'status' | 'suspendedAt'>): void {
  if (user.suspendedAt) throw accountSuspended();
  if (user.status === 'pending_approval') {
    throw new HttpError(403, 'approval_pending', { key: 'errors.account.approvalPending' });
  }
}
