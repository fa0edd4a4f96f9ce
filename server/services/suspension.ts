// Site-wide suspension by an admin: the account keeps its content but no token of it works, its sockets
// are cut, and it cannot sign in or reset its way back until reinstated.
import type { Types } from 'mongoose';
import type { AppContext } from '../context';
import { Conflict, Forbidden, NotFound } from '../errors';
import { User, type UserFields } from '../models/user';
import { requireAdmin } from '../policy';
import type { Viewer } from '../policy/viewer';
import { appendAudit } from './audit';
import { revokeAllTokens } from './tokens';

/** Accounts an admin can act on: anything but an erasure in progress, which is as good as gone. */
const NOT_ERASING = { status: { $ne: 'erasing' } } as const;

export async function suspendAccount(ctx: AppContext, actor: Viewer, userId: Types.ObjectId, reason: string, now = new Date()): Promise<UserFields> {
  requireAdmin(actor);
  if (actor._id.equals(userId)) throw new Forbidden('You cannot suspend your own account; ask another administrator.');
  const suspended = await User.findOneAndUpdate(
    { _id: userId, suspendedAt: null, ...NOT_ERASING },
    { $set: { suspendedAt: now, suspendedBy: actor._id, suspensionReason: reason } },
    { new: true },
  ).lean<UserFields>();
  if (!suspended) {
    if (await User.exists({ _id: userId, ...NOT_ERASING })) throw new Conflict('This account is already suspended.');
    throw new NotFound('user');
  }
  // Caches everywhere drop the identity first, so no process accepts a token on a stale "not suspended";
  // then every token goes, which disconnects the account's sockets on every process.
  ctx.events.publish({ type: 'user.changed', userId: String(userId), change: { kind: 'suspension', actorId: actor.id, suspended: true } });
  await revokeAllTokens(userId, ctx.events);
  await appendAudit(ctx, { actor: actor.id, action: 'user.suspend', target: `user:${String(userId)}`, reason });
  return suspended;
}

export async function reinstateAccount(ctx: AppContext, actor: Viewer, userId: Types.ObjectId, reason: string): Promise<UserFields> {
  requireAdmin(actor);
  const reinstated = await User.findOneAndUpdate(
    { _id: userId, suspendedAt: { $ne: null }, ...NOT_ERASING },
    { $set: { suspendedAt: null, suspendedBy: null, suspensionReason: null } },
    { new: true },
  ).lean<UserFields>();
  if (!reinstated) {
    if (await User.exists({ _id: userId, ...NOT_ERASING })) throw new Conflict('This account is not suspended.');
    throw new NotFound('user');
  }
  ctx.events.publish({ type: 'user.changed', userId: String(userId), change: { kind: 'suspension', actorId: actor.id, suspended: false } });
  await appendAudit(ctx, { actor: actor.id, action: 'user.reinstate', target: `user:${String(userId)}`, reason });
  return reinstated;
}
