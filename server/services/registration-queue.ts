// Registrations waiting for an admin (registration policy `approval`): the queue, admitting and declining.
import type { Types } from 'mongoose';
import type { Page } from '../../shared/api';
import { chooseLanguage } from '../../shared/i18n/languages';
import type { AppContext } from '../context';
import { NotFound } from '../errors';
import { registrationApproved, registrationDeclined } from '../mail/templates';
import { AccountLink } from '../models/account-link';
import { Consent } from '../models/consent';
import { Outbox } from '../models/outbox';
import { ParentalConsent } from '../models/parental-consent';
import { SecurityEvent } from '../models/security-event';
import { Token } from '../models/token';
import { User, type UserFields } from '../models/user';
import { requireAdmin } from '../policy';
import type { Viewer } from '../policy/viewer';
import { appendAudit } from './audit';
import { sendMessage } from './outbox';
import { cursorFilter, toPage, type PageRequest } from './pagination';

const WAITING = { awaitingApproval: true, status: { $ne: 'erasing' } } as const;

/** Newest first: the accounts registered under the approval policy that no admin has decided on yet. */
export async function listAwaitingApproval(actor: Viewer, page: PageRequest): Promise<Page<UserFields>> {
  requireAdmin(actor);
  const rows = await User.find({ ...WAITING, ...cursorFilter(page) })
    .sort({ _id: -1 })
    .limit(page.limit + 1)
    .lean<UserFields[]>();
  return toPage(rows, page, (kept) => kept);
}

/**
 * Admits a waiting registrant. One whose address is verified becomes active and is told by e-mail; one
 * who has not verified yet becomes active when they do (the link they have still works).
 */
export async function approveRegistration(ctx: AppContext, actor: Viewer, userId: Types.ObjectId): Promise<UserFields> {
  requireAdmin(actor);
  const before = await User.findOneAndUpdate({ _id: userId, ...WAITING }, { $set: { awaitingApproval: false } }, { new: false }).lean<UserFields>();
  if (!before) throw new NotFound('registrationAwaitingApproval');
  const activated = await User.findOneAndUpdate({ _id: userId, status: 'pending_approval' }, { $set: { status: 'active' } }, { new: true }).lean<UserFields>();
  await appendAudit(ctx, { actor: actor.id, action: 'registration.approve', target: `user:${String(userId)}` });
  if (activated) {
    ctx.events.publish({ type: 'user.changed', userId: String(userId), change: { kind: 'activated' } });
    await sendMessage(ctx, {
      kind: 'transactional',
      to: activated.email,
      userId: activated._id,
      content: registrationApproved(chooseLanguage(activated.language), { displayName: activated.displayName, signInLink: `${ctx.config.publicUrl}/signin` }),
    });
  }
  return activated ?? { ...before, awaitingApproval: false };
}

/**
 * Declines a waiting registrant: the account never held more than its registration, so it is deleted at
 * once with everything recorded about it. Only a verified address is told: an unverified one may not be
 * the registrant's, and its owner never asked us for anything.
 */
export async function declineRegistration(ctx: AppContext, actor: Viewer, userId: Types.ObjectId): Promise<void> {
  requireAdmin(actor);
  // Status `erasing` takes it out of the queue and every door first; a decline cut short is finished by
  // declining again (the claim matches an account it already marked).
  const claimed = await User.findOneAndUpdate({ _id: userId, awaitingApproval: true }, { $set: { status: 'erasing' } }, { new: false }).lean<UserFields>();
  if (!claimed) throw new NotFound('registrationAwaitingApproval');
  await Promise.all([
    AccountLink.deleteMany({ userId }),
    ParentalConsent.deleteMany({ userId }),
    Consent.deleteMany({ userId }),
    SecurityEvent.deleteMany({ userId }),
    Token.deleteMany({ userId }),
    Outbox.deleteMany({ userId, state: { $in: ['queued', 'sent', 'failed', 'cancelled'] } }),
  ]);
  await User.deleteOne({ _id: userId });
  ctx.events.publish({ type: 'user.erased', userId: String(userId) });
  await appendAudit(ctx, { actor: actor.id, action: 'registration.decline', target: `user:${String(userId)}` });
  if (claimed.emailVerified === true) {
    await sendMessage(ctx, { kind: 'transactional', to: claimed.email, userId: null, content: registrationDeclined(chooseLanguage(claimed.language), { displayName: claimed.displayName }) });
  }
}
