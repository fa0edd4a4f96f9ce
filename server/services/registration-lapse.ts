// A minor's registration that no parent agreed to lapses: once the parent's link has expired unused, or
// when no request was sent at all because the parent's address refused them, the pending account is
// erased like any other (erasure.ts), so nothing about the child stays behind and the address may
// register again. Both cases lapse at the same time, so the registrant cannot tell them apart.
import type { Types } from 'mongoose';
import type { AppContext } from '../context';
import { ParentalConsent } from '../models/parental-consent';
import { User, type UserFields } from '../models/user';
import { PARENTAL_CONSENT_LIFETIME_MS } from './accounts';
import { requestErasure } from './erasure';

/** A lapse is due a week after registration; looking hourly is precise enough and cheap. */
export const LAPSE_SWEEP_MS = 60 * 60 * 1000;
const BATCH = 100;

/**
 * Erases the pending minors' accounts registered at least a consent link's lifetime ago whose parent
 * holds no link that still works. A link in use (taken by a confirm or decline) counts as working, so a
 * parent agreeing at the last moment is never overtaken by the lapse. Returns how many lapsed; `stopped`
 * ends the look early (the process is closing; the next look finishes it).
 */
export async function lapseUnconsentedRegistrations(ctx: AppContext, now = new Date(), stopped = () => false): Promise<number> {
  const registeredBefore = new Date(now.getTime() - PARENTAL_CONSENT_LIFETIME_MS);
  let lapsed = 0;
  let after: Types.ObjectId | null = null;
  for (;;) {
    const batch: UserFields[] = await User.find({ status: 'pending_parental_consent', createdAt: { $lte: registeredBefore }, ...(after ? { _id: { $gt: after } } : {}) })
      .sort({ _id: 1 })
      .limit(BATCH)
      .lean<UserFields[]>();
    for (const user of batch) {
      if (stopped()) break;
      if (await ParentalConsent.exists({ userId: user._id, $or: [{ expiresAt: { $gt: now } }, { usedAt: { $ne: null } }] })) continue;
      const { done } = await requestErasure(ctx, user, now, 'registration_lapsed');
      await done;
      lapsed += 1;
    }
    if (batch.length < BATCH || stopped()) break;
    after = batch[batch.length - 1]!._id;
  }
  if (lapsed) ctx.log.info(`registration: ${lapsed} pending account(s) of minors lapsed without a parent's consent`);
  return lapsed;
}

/** The composition root starts one per forum: a look now, then every LAPSE_SWEEP_MS. */
export function startRegistrationLapse(ctx: AppContext): { close(): Promise<void> } {
  let running: Promise<unknown> | null = null;
  let stopped = false;
  const sweep = () => {
    // One look at a time: a slow one (many erasures) is not joined by the next.
    if (stopped || running) return;
    running = lapseUnconsentedRegistrations(ctx, new Date(), () => stopped)
      .catch((error: unknown) => ctx.log.error('registration: lapsing pending accounts failed; the next sweep tries again', error))
      .finally(() => (running = null));
  };
  sweep();
  const timer = setInterval(sweep, LAPSE_SWEEP_MS);
  timer.unref();
  return {
    async close() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
