// Who may change site roles and organisation membership.
import type { Types } from 'mongoose';
import type { Role } from '../../shared/api';
import { Forbidden } from '../errors';
import { isAdmin, type Viewer } from './viewer';

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
