// The do-not-contact list: addresses of erased accounts, kept only as keyed hashes.
import { createHmac, randomBytes } from 'node:crypto';
import { ServerKey } from '../models/server-key';
import { Suppression } from '../models/suppression';

const KEY_ID = 'suppression-hmac';

/**
 * The HMAC key lives in the database, not beside one process, so every process (and a restored backup)
 * computes the same hashes. It is created once; a lost race simply reads the winner's key.
 */
let cachedKey: Promise<string> | null = null;

async function loadKey(): Promise<string> {
  const created = await ServerKey.findOneAndUpdate(
    { _id: KEY_ID },
    { $setOnInsert: { value: randomBytes(32).toString('hex'), createdAt: new Date() } },
    { upsert: true, new: true },
  ).lean<{ value: string }>();
  return created!.value;
}

function suppressionKey(): Promise<string> {
  cachedKey ??= loadKey().catch((error: unknown) => {
    cachedKey = null;
    throw error;
  });
  return cachedKey;
}

/**
 * A keyed hash rather than a plain SHA-256: e-mail addresses are guessable, so an unkeyed hash of one
 * could be reversed by hashing candidate addresses. The forum's one address hash: the mail limits and the
 * parental-consent refusals (parental-consent-refusals.ts) key addresses with it too.
 */
export async function addressHash(email: string): Promise<string> {
  return createHmac('sha256', await suppressionKey()).update(email.trim().toLowerCase()).digest('hex');
}

/** Puts an address on the list; idempotent (the first entry and its time stay). */
export async function suppressAddressHash(hash: string, reason: 'erasure', at = new Date()): Promise<void> {
  await Suppression.updateOne({ addressHash: hash }, { $setOnInsert: { addressHash: hash, reason, at } }, { upsert: true });
}

export async function isSuppressed(email: string): Promise<boolean> {
  return (await Suppression.exists({ addressHash: await addressHash(email) })) !== null;
}


/** The address's owner proved it is theirs again (a verification link to a new account): contact is asked for. */
export async function liftSuppression(email: string): Promise<void> {
  await Suppression.deleteOne({ addressHash: await addressHash(email) });
}
