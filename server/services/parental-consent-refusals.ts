// Parents who declined a child's registration are not asked again: their address is kept as a keyed
// hash (the suppression list's key: one address hash for the forum) and registration withholds the
// request. The owner of the address changes their mind from their own account, whose verified address
// proves it is theirs (the same proof that lifts the suppression list).
import type { ParentalConsentRequests } from '../../shared/privacy';
import { HttpError } from '../errors';
import { ownsMailbox } from '../policy';
import { ParentalConsentRefusal } from '../models/parental-consent-refusal';
import type { UserFields } from '../models/user';
import { recordConsent } from './consent';
import { addressHash } from './suppression';

export type ParentalConsentRefusalReason = 'parent_declined' | 'account_holder';

/** Records that the address refuses further requests; idempotent (the first time and reason stay). True if it is new. */
export async function refuseParentalConsentRequests(email: string, reason: ParentalConsentRefusalReason, at = new Date()): Promise<boolean> {
  const hash = await addressHash(email);
  const { upsertedCount } = await ParentalConsentRefusal.updateOne({ addressHash: hash }, { $setOnInsert: { addressHash: hash, reason, at } }, { upsert: true });
  return upsertedCount > 0;
}

export async function refusesParentalConsentRequests(email: string): Promise<boolean> {
  return (await ParentalConsentRefusal.exists({ addressHash: await addressHash(email) })) !== null;
}

/** The refusal recorded for the address (for its owner's eyes only); null if there is none. */
async function parentalConsentRefusalOf(email: string): Promise<{ reason: ParentalConsentRefusalReason; at: Date } | null> {
  const refusal = await ParentalConsentRefusal.findOne({ addressHash: await addressHash(email) }, { reason: 1, at: 1 }).lean();
  return refusal ? { reason: refusal.reason, at: refusal.at } : null;
}

function requireOwnMailbox(user: Pick<UserFields, 'emailVerified'>): void {
  if (!ownsMailbox(user)) throw new HttpError(403, 'email_unverified', { key: 'errors.account.emailUnverified' });
}

/**
 * The refusal recorded for the account's own address, for the account's export: null too while the account has
 * not proven the address is its owner's (the refusal is the mailbox owner's, not necessarily this account's).
 */
export async function ownParentalConsentRefusal(user: Pick<UserFields, 'email' | 'emailVerified'>): Promise<{ reason: ParentalConsentRefusalReason; at: Date } | null> {
  return ownsMailbox(user) ? parentalConsentRefusalOf(user.email) : null;
}

/** Whether the account's own address refuses parental-consent requests, and since when; 403 until the address is proven. */
export async function parentalConsentRequestsOf(user: Pick<UserFields, 'email' | 'emailVerified'>): Promise<ParentalConsentRequests> {
  requireOwnMailbox(user);
  const refusal = await parentalConsentRefusalOf(user.email);
  return { refused: refusal !== null, since: refusal ? refusal.at.toISOString() : null };
}

/**
 * The account holder refuses or allows requests to their address; a change goes to their consent ledger
 * (allowing first, as lifting a restriction is: it permits what was refused). The refusal belongs to the
 * mailbox, so only an account whose address was proven through a link may change it.
 */
export async function setParentalConsentRequests(
  user: Pick<UserFields, '_id' | 'email' | 'emailVerified'>,
  refused: boolean,
  now = new Date(),
): Promise<ParentalConsentRequests> {
  requireOwnMailbox(user);
  const entry = { userId: user._id, kind: 'parental_consent_refusal' as const, value: refused, source: 'settings', at: now };
  if (refused) {
    if (await refuseParentalConsentRequests(user.email, 'account_holder', now)) await recordConsent(entry);
  } else if (await refusesParentalConsentRequests(user.email)) {
    await recordConsent(entry);
    await ParentalConsentRefusal.deleteOne({ addressHash: await addressHash(user.email) });
  }
  return parentalConsentRequestsOf(user);
}
