import type { AccountStatus, AdminUser } from '../../shared/admin';
import type { UserFields } from '../models/user';
import { presentMe } from './user';

/** An account as the admin console shows it; only ever sent to admins. */
export function presentAdminUser(user: UserFields): AdminUser {
  return {
    ...presentMe(user),
    status: user.status as AccountStatus,
    awaitingApproval: user.awaitingApproval === true,
    suspended: user.suspendedAt
      ? { at: user.suspendedAt.toISOString(), by: user.suspendedBy ? String(user.suspendedBy) : null, reason: user.suspensionReason ?? '' }
      : null,
  };
}
