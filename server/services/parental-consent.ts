// The parent's side of a minor's registration: what their one-time link is for, agreeing, and declining
// (which erases the pending account). The link is sent by registration (services/accounts.ts).
import type { ParentalConsentLink } from '../../shared/api';
import type { AppContext } from '../context';
import { NotFound } from '../errors';
import { ParentalConsent } from '../models/parental-consent';
import { User, type UserFields } from '../models/user';
import { recordConsent } from './consent';
import { requestErasure } from './erasure';
import { refuseParentalConsentRequests } from './parental-consent-refusals';
import { statusOnceVerified } from './registration-policy';
import { hashToken } from './tokens';

/**
 * One answer for a link that is wrong, expired, or was declined: after a decline nothing may say that
 * the erased account existed, so its link looks like any unknown one.
 */
function linkNotFound(): NotFound {
  return new NotFound('parentalConsent');
}

/** A link that is not used yet and has not lapsed, taken atomically: of two racing uses, one wins. */
async function takeLink(token: string, now: Date) {
  const request = await ParentalConsent.findOneAndUpdate(
    { tokenHash: hashToken(token), usedAt: null, expiresAt: { $gt: now } },
    { $set: { usedAt: now } },
    { new: true },
  ).lean();
  if (!request) throw linkNotFound();
  return request;
}

/**
 * What a parent's link is for: the child's display name (nothing else about them) and the organisation,
 * and whether the parent can still agree. Reading it changes nothing, so mail scanners opening the page
 * decide nothing. A link whose account is gone or being erased (declined) answers like an unknown one.
 */
export async function describeParentalConsent(ctx: AppContext, token: string, now = new Date()): Promise<ParentalConsentLink> {
  const request = await ParentalConsent.findOne({ tokenHash: hashToken(token), expiresAt: { $gt: now } }).lean();
  if (!request) throw linkNotFound();
  const child = await User.findOne({ _id: request.userId, status: { $ne: 'erasing' } }, { displayName: 1 }).lean<Pick<UserFields, 'displayName'>>();
  if (!child) throw linkNotFound();
  return {
    state: request.usedAt ? 'confirmed' : 'pending',
    child: { displayName: child.displayName },
    organisation: { name: ctx.config.brand.name },
    expiresAt: request.expiresAt.toISOString(),
  };
}

/** Records the parent's consent from their one-time link; the account is active once its address is verified too. */
export async function confirmParentalConsent(ctx: AppContext, token: string, now = new Date()): Promise<void> {
  const request = await takeLink(token, now);
  const pending = await User.findOne({ _id: request.userId, status: 'pending_parental_consent' }, { emailVerified: 1, awaitingApproval: 1 }).lean<UserFields>();
  const next = pending?.emailVerified === true ? statusOnceVerified(pending) : 'pending_verification';
  const updated = await User.findOneAndUpdate(
    { _id: request.userId, status: 'pending_parental_consent' },
    { $set: { status: next } },
    { new: true },
  ).lean<UserFields>();
  if (!updated) throw linkNotFound();
  await recordConsent({ userId: updated._id, kind: 'parental_consent', value: true, source: 'parent_link', at: now });
  if (next === 'active') ctx.events.publish({ type: 'user.changed', userId: String(updated._id), change: { kind: 'activated' } });
}

/**
 * The parent declines: their address is recorded (as a keyed hash) as refusing further requests, the
 * pending account is erased through the erasure machinery (account, links, ledger, queued messages,
 * address suppressed), and the audit chain records the erasure with the parent's decline as its reason.
 * The ledger is not written: it is erased with the account a moment later.
 */
export async function declineParentalConsent(ctx: AppContext, token: string, now = new Date()): Promise<{ done: Promise<void> }> {
  const request = await takeLink(token, now);
  const child = await User.findOne({ _id: request.userId, status: 'pending_parental_consent' }).lean<UserFields>();
  if (!child) throw linkNotFound();
  // Before the erasure, which removes the only copy of the parent's address.
  if (child.parentEmail) await refuseParentalConsentRequests(child.parentEmail, 'parent_declined', now);
  const { done } = await requestErasure(ctx, child, now, 'parent_declined');
  return { done };
}
