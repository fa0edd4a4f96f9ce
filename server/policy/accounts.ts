// Who may change site roles and organisation membership.
import type { Types } from 'mongoose';
import type { Role } from '../../shared/api';
import { Forbidden } from '../errors';
import { isAdmin, type Viewer } from './viewer';

/**
 * Whether an account has proven its address is its owner's (it followed a link sent there). What the forum keeps
 * about an address rather than an account, such as a refusal of parental-consent requests, is about whoever
 * owns that mailbox: an account is shown it, or may change it, only once it has proven that. An account active
 * without a proven address (from before verification existed, or made by an administrator) is not.
 */
export function ownsMailbox(account: { emailVerified?: boolean | null }): boolean {
  return account.emailVerified === true;
}

/** Checked before any validation or lookup, so a non-admin learns nothing from either. */
export function requireAdmin(actor: Viewer): void {
  if (!isAdmin(actor)) throw new Forbidden('errors.forbidden.adminOnlyRoles');
}

/** An admin cannot drop their own admin role, so the forum is never locked out of administration by accident. */
export function authorizeRoleChange(actor: Viewer, userId: Types.ObjectId, roles: readonly Role[]): void {
  requireAdmin(actor);
  if (actor._id.equals(userId) && !roles.includes('admin')) {
    throw new Forbidden('errors.forbidden.ownAdminRole');
  }
}
