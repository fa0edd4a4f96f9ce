// Admin-only changes to another account: site roles and organisation membership.
import type { Types } from 'mongoose';
import type { Role } from '../../shared/api';
import type { AppContext } from '../context';
import { NotFound } from '../errors';
import { User, type UserFields } from '../models/user';
import { authorizeRoleChange, requireAdmin } from '../policy';
import type { Viewer } from '../policy/viewer';
import { notifySiteRoles } from '../notifications/hooks';
import { appendAudit } from './audit';

const ROLE_ORDER: readonly Role[] = ['admin', 'moderator'];

export async function setRoles(ctx: AppContext, actor: Viewer, userId: Types.ObjectId, roles: readonly Role[]): Promise<UserFields> {
  authorizeRoleChange(actor, userId, roles);
  const after = ROLE_ORDER.filter((role) => roles.includes(role));
  const before = await User.findOneAndUpdate({ _id: userId }, { $set: { roles: after } }, { new: false }).lean<UserFields>();
  if (!before) throw new NotFound('user');
  ctx.events.publish({
    type: 'user.changed',
    userId: String(userId),
    change: { kind: 'roles', actorId: actor.id, before: (before.roles ?? []) as Role[], after },
  });
  const list = (roles: readonly string[]) => (roles.length ? roles.join(', ') : 'none');
  await appendAudit(ctx, { actor: actor.id, action: 'user.set_roles', target: `user:${String(userId)}`, reason: `${list(before.roles ?? [])} → ${list(after)}` });
  if ((before.roles ?? []).join() !== after.join()) await notifySiteRoles(ctx, actor, userId, after);
  return { ...before, roles: after };
}

export async function setMembership(ctx: AppContext, actor: Viewer, userId: Types.ObjectId, isMember: boolean): Promise<UserFields> {
  requireAdmin(actor);
  const before = await User.findOneAndUpdate({ _id: userId }, { $set: { isMember } }, { new: false }).lean<UserFields>();
  if (!before) throw new NotFound('user');
  ctx.events.publish({
    type: 'user.changed',
    userId: String(userId),
    change: { kind: 'membership', actorId: actor.id, before: before.isMember === true, after: isMember },
  });
  // Without the value: site moderators read the audit log, and organisation membership is private.
  await appendAudit(ctx, { actor: actor.id, action: 'user.set_membership', target: `user:${String(userId)}` });
  return { ...before, isMember };
}
