// Site-wide suspension by an admin: the account keeps its content but no token of it works, its sockets
// are cut, and it cannot sign in or reset its way back until reinstated.
import type { Types } from 'mongoose';
import type { AppContext } from '../context';
import { Conflict, Forbidden, NotFound, type ErrorKey } from '../errors';
import { User, type UserFields } from '../models/user';
import { requireAdmin } from '../policy';
import type { Viewer } from '../policy/viewer';
import { chooseLanguage } from '../../shared/i18n/languages';
import { accountReinstated, accountSuspended } from '../mail/templates';
import { appendAudit } from './audit';
import { sendMessage } from './outbox';
import { revokeAllTokens } from './tokens';

/** Accounts an admin can act on: anything but an erasure in progress, which is as good as gone. */
const NOT_ERASING = { status: { $ne: 'erasing' } } as const;

/** Sets the suspension fields of an account in the state `from`; 409 when it is in the other state, 404 when gone. */
async function changeSuspension(userId: Types.ObjectId, from: 'active' | 'suspended', fields: Record<string, unknown>, conflict: ErrorKey): Promise<UserFields> {
  const changed = await User.findOneAndUpdate(
    { _id: userId, suspendedAt: from === 'active' ? null : { $ne: null }, ...NOT_ERASING },
    { $set: fields },
    { new: true },
  ).lean<UserFields>();
  if (changed) return changed;
  if (await User.exists({ _id: userId, ...NOT_ERASING })) throw new Conflict(conflict);
  throw new NotFound('user');
}

export async function suspendAccount(ctx: AppContext, actor: Viewer, userId: Types.ObjectId, reason: string, now = new Date()): Promise<UserFields> {
  requireAdmin(actor);
  if (actor._id.equals(userId)) throw new Forbidden('errors.forbidden.suspendOwnAccount');
  const suspended = await changeSuspension(userId, 'active', { suspendedAt: now, suspendedBy: actor._id, suspensionReason: reason }, 'errors.conflict.accountAlreadySuspended');
  // Caches everywhere drop the identity first, so no process accepts a token on a stale "not suspended";
  // then every token goes, which disconnects the account's sockets on every process.
  ctx.events.publish({ type: 'user.changed', userId: String(userId), change: { kind: 'suspension', actorId: actor.id, suspended: true } });
  await revokeAllTokens(userId, ctx.events);
  await appendAudit(ctx, { actor: actor.id, action: 'user.suspend', target: `user:${String(userId)}`, reason });
  // A service message (transactional): the queue's own checks (a suppressed address) still apply.
  await sendMessage(ctx, {
    kind: 'transactional',
    to: suspended.email,
    userId,
    content: accountSuspended(chooseLanguage(suspended.language), { displayName: suspended.displayName, reason, dataLink: `${ctx.config.publicUrl}/account-data` }),
  });
  return suspended;
}

export async function reinstateAccount(ctx: AppContext, actor: Viewer, userId: Types.ObjectId, reason: string): Promise<UserFields> {
  requireAdmin(actor);
  const reinstated = await changeSuspension(userId, 'suspended', { suspendedAt: null, suspendedBy: null, suspensionReason: null }, 'errors.conflict.accountNotSuspended');
  ctx.events.publish({ type: 'user.changed', userId: String(userId), change: { kind: 'suspension', actorId: actor.id, suspended: false } });
  await appendAudit(ctx, { actor: actor.id, action: 'user.reinstate', target: `user:${String(userId)}`, reason });
  await sendMessage(ctx, {
    kind: 'transactional',
    to: reinstated.email,
    userId,
    content: accountReinstated(chooseLanguage(reinstated.language), { displayName: reinstated.displayName, signInLink: `${ctx.config.publicUrl}/signin` }),
  });
  return reinstated;
}
