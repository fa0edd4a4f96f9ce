// Contact preferences and restriction of processing: the account's flags plus an entry in the consent
// ledger for every change, with its time and where it was made.
import type { Types } from 'mongoose';
import { CONTACT_CHANNELS, type ContactChannel, type ContactPreferences } from '../../shared/api';
import type { AppContext } from '../context';
import { Unauthorized } from '../errors';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { presentPreferences } from '../presenters/user';
import { recordConsent } from './consent';

export type PreferenceSource = 'settings' | 'unsubscribe_link' | 'registration';

/**
 * Order of writes, so that a crash between them never leaves the forum contacting someone without a
 * recorded consent: an opt-in is written to the ledger before the flag is set, an opt-out flips the flag
 * before the ledger records it (the same for restriction, which withdraws processing).
 */
export async function updatePreferences(
  ctx: AppContext,
  userId: Types.ObjectId,
  wanted: Partial<ContactPreferences>,
  source: PreferenceSource,
  now = new Date(),
): Promise<ContactPreferences> {
  const user = await User.findOne({ _id: userId, ...ACTIVE_ACCOUNT }, { preferences: 1 }).lean<Pick<UserFields, 'preferences'>>();
  if (!user) throw new Unauthorized();
  const current = presentPreferences(user.preferences);
  const changed = CONTACT_CHANNELS.filter((channel) => wanted[channel] !== undefined && wanted[channel] !== current[channel]);
  if (!changed.length) return current;
  const optIns = changed.filter((channel) => wanted[channel] === true);
  const optOuts = changed.filter((channel) => wanted[channel] === false);
  const record = (channels: ContactChannel[], value: boolean) =>
    Promise.all(channels.map((channel) => recordConsent({ userId, kind: 'preference', channel, value, source, at: now })));

  await record(optIns, true);
  const set = Object.fromEntries(changed.map((channel) => [`preferences.${channel}`, wanted[channel]]));
  const updated = await User.findOneAndUpdate({ _id: userId, ...ACTIVE_ACCOUNT }, { $set: set }, { new: true, projection: { preferences: 1 } }).lean<
    Pick<UserFields, 'preferences'>
  >();
  if (!updated) throw new Unauthorized();
  await record(optOuts, false);
  ctx.events.publish({ type: 'user.changed', userId: String(userId), change: { kind: 'preferences' } });
  return presentPreferences(updated.preferences);
}

export async function getPreferences(userId: Types.ObjectId): Promise<ContactPreferences> {
  const user = await User.findOne({ _id: userId, ...ACTIVE_ACCOUNT }, { preferences: 1 }).lean<Pick<UserFields, 'preferences'>>();
  if (!user) throw new Unauthorized();
  return presentPreferences(user.preferences);
}

/** Restriction of processing: no marketing, no profiling. Recorded in the ledger when it changes. */
export async function setRestriction(ctx: AppContext, userId: Types.ObjectId, restricted: boolean, now = new Date()): Promise<boolean> {
  const entry = { userId, kind: 'restriction' as const, value: restricted, source: 'settings', at: now };
  // Lifting a restriction allows processing again, so it is recorded first; imposing one takes effect first.
  if (!restricted) {
    const current = await User.findOne({ _id: userId, ...ACTIVE_ACCOUNT }, { restricted: 1 }).lean<Pick<UserFields, 'restricted'>>();
    if (!current) throw new Unauthorized();
    if (current.restricted !== true) return false;
    await recordConsent(entry);
  }
  const before = await User.findOneAndUpdate({ _id: userId, ...ACTIVE_ACCOUNT }, { $set: { restricted } }, { new: false, projection: { restricted: 1 } }).lean<
    Pick<UserFields, 'restricted'>
  >();
  if (!before) throw new Unauthorized();
  if (restricted && before.restricted !== true) await recordConsent(entry);
  if ((before.restricted === true) !== restricted) {
    ctx.events.publish({ type: 'user.changed', userId: String(userId), change: { kind: 'restriction' } });
  }
  return restricted;
}
