// Registration, sign-in, parental consent and password changes.
import { createHash, randomBytes } from 'node:crypto';
import { ACCOUNT_LIMITS, ageOn, MINOR_AGE } from '../../shared/accounts';
import type { Role } from '../../shared/api';
import type { AppContext } from '../context';
import { Conflict, HttpError, NotFound, Unauthorized, Invalid } from '../errors';
import type { RegisterInput } from '../http/account-schemas';
import { ParentalConsent } from '../models/parental-consent';
import type { Types } from 'mongoose';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { recordConsent } from './consent';
import { LoginThrottle, type ThrottleSubject } from './login-throttle';
import { sendMessage } from './outbox';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords';
import { issueToken, revokeAllTokens } from './tokens';

/** Version of the terms a registrant accepts; recorded in the consent ledger. */
export const TERMS_VERSION = '2025-01';
export const PARENTAL_CONSENT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

const WRONG_CREDENTIALS = 'The e-mail address or password is wrong.';

export type Registration =
  | { status: 'active'; user: UserFields; token: string }
  | { status: 'pending_parental_consent'; user: UserFields };

function throttleOf(ctx: AppContext): LoginThrottle {
  return new LoginThrottle(ctx.tuning.loginLimits);
}

function hashConsentToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Display names are shorter than legal names; the default is the name, cut to fit. */
function defaultDisplayName(name: string): string {
  return [...name].slice(0, ACCOUNT_LIMITS.displayName).join('').trim();
}

async function sendParentalConsentLink(ctx: AppContext, user: UserFields, parentEmail: string, now: Date): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await ParentalConsent.create({
    tokenHash: hashConsentToken(token),
    userId: user._id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + PARENTAL_CONSENT_LIFETIME_MS),
  });
  const link = `${ctx.config.publicUrl}/parental-consent?token=${encodeURIComponent(token)}`;
  // The parent learns the display name their child chose, so they know which account they confirm;
  // nothing else about the account goes into the message.
  await sendMessage(ctx, {
    kind: 'transactional',
    to: parentEmail,
    userId: user._id,
    subject: 'Please confirm your child’s forum account',
    text: [
      `Someone under ${MINOR_AGE} registered a forum account as "${user.displayName}" and gave this address as a parent's or guardian's.`,
      'The account stays inactive until you confirm it. To confirm, open this link within 7 days:',
      '',
      link,
      '',
      'If you do not recognise this, ignore the message: the account will not be activated.',
    ].join('\n'),
  });
}

/** Creates an account; under 18 it stays inactive and the parent receives a one-time confirmation link. */
export async function registerAccount(ctx: AppContext, input: RegisterInput, now = new Date()): Promise<Registration> {
  if (await User.exists({ email: input.email })) {
    throw new Conflict('An account with this e-mail address already exists.', 'email');
  }
  const minor = ageOn(input.dateOfBirth, now) < MINOR_AGE;
  const roles: Role[] = ctx.config.adminEmails.has(input.email) ? ['admin', 'moderator'] : [];
  const created = await User.create({
    email: input.email,
    passwordHash: await hashPassword(input.password),
    name: input.name,
    displayName: defaultDisplayName(input.name),
    dateOfBirth: input.dateOfBirth,
    roles,
    status: minor ? 'pending_parental_consent' : 'active',
    parentEmail: minor ? input.parentEmail : null,
  });
  const user = created.toObject() as UserFields;
  try {
    await recordConsent({ userId: user._id, kind: 'terms', value: TERMS_VERSION, source: 'registration', at: now });
    if (minor) {
      await sendParentalConsentLink(ctx, user, input.parentEmail!, now);
      return { status: 'pending_parental_consent', user };
    }
    return { status: 'active', user, token: await issueToken(user._id, now) };
  } catch (error) {
    // No half-made accounts: without its ledger entry or consent link the account must not exist.
    await ParentalConsent.deleteMany({ userId: user._id });
    await User.deleteOne({ _id: user._id });
    throw error;
  }
}

/**
 * Checks an e-mail and password with the same work and the same answer whether or not the account
 * exists. Counted by the login throttle (429 when over the limit). Returns the user only for a
 * correct password; a correct password on an account awaiting parental consent is told so (403),
 * since only the account's owner can get that far.
 */
export async function verifyCredentials(
  ctx: AppContext,
  email: string,
  password: string,
  address: string,
): Promise<UserFields> {
  const subject: ThrottleSubject = { email, address };
  const throttle = throttleOf(ctx);
  await throttle.begin(subject);
  const user = await User.findOne({ email: email.trim().toLowerCase() }).lean<UserFields>();
  const correct = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDecoy(password);
  if (!user || !correct || (user.status !== 'active' && user.status !== 'pending_parental_consent')) {
    throw new Unauthorized(WRONG_CREDENTIALS);
  }
  await throttle.succeeded(subject);
  if (user.status === 'pending_parental_consent') {
    throw new HttpError(
      403,
      'parental_consent_pending',
      'This account is waiting for a parent or guardian to confirm it through the link we e-mailed them.',
    );
  }
  return user;
}

/** Activates a minor's account from the parent's one-time link and records the consent. */
export async function confirmParentalConsent(ctx: AppContext, token: string, now = new Date()): Promise<void> {
  // Deleting on first use makes the link one-time even when two requests race.
  const request = await ParentalConsent.findOneAndDelete({ tokenHash: hashConsentToken(token) }).lean();
  if (!request || request.expiresAt.getTime() <= now.getTime()) {
    throw new NotFound('parental consent request (the link is wrong, used or expired)');
  }
  const activated = await User.findOneAndUpdate(
    { _id: request.userId, status: 'pending_parental_consent' },
    { $set: { status: 'active' } },
    { new: true },
  ).lean<UserFields>();
  if (!activated) throw new NotFound('parental consent request (the link is wrong, used or expired)');
  await recordConsent({ userId: activated._id, kind: 'parental_consent', value: true, source: 'parent_link', at: now });
  ctx.events.publish({ type: 'user.changed', userId: String(activated._id), change: { kind: 'activated' } });
}

/**
 * Re-entry of the password before a sensitive change (password, e-mail, erasure). A stolen token must
 * not become a way to guess the password, so this check is throttled like sign-in. A wrong password is
 * a 400 naming `field`: the token is fine, the input is not.
 */
export async function verifyCurrentPassword(
  ctx: AppContext,
  user: UserFields,
  password: string,
  address: string,
  field: string,
): Promise<void> {
  const subject: ThrottleSubject = { email: user.email, address };
  const throttle = throttleOf(ctx);
  await throttle.begin(subject);
  if (!(await verifyPassword(password, user.passwordHash))) {
    throw new Invalid(field, `${field}: is not your current password`);
  }
  await throttle.succeeded(subject);
}

/** Sets a new password after checking the current one; every token of the user is revoked. */
export async function changePassword(
  ctx: AppContext,
  user: UserFields,
  currentPassword: string,
  newPassword: string,
  address: string,
): Promise<{ user: UserFields; token: string }> {
  if (newPassword.toLowerCase() === user.email) {
    throw new Invalid('newPassword', 'newPassword: must not be the same as the e-mail address');
  }
  await verifyCurrentPassword(ctx, user, currentPassword, address, 'currentPassword');
  const now = new Date();
  const updated = await User.findOneAndUpdate(
    { _id: user._id },
    { $set: { passwordHash: await hashPassword(newPassword), passwordChangedAt: now } },
    { new: true },
  ).lean<UserFields>();
  if (!updated) throw new Unauthorized();
  await revokeAllTokens(user._id, ctx.events);
  ctx.events.publish({ type: 'user.changed', userId: String(user._id), change: { kind: 'password' } });
  return { user: updated, token: await issueToken(user._id, now) };
}

/**
 * The signed-in user's whole record, read fresh: authentication keeps only roles and status, and the few
 * routes that show or check private fields (e-mail, password hash) must not see a cached copy.
 */
export async function loadOwnAccount(userId: Types.ObjectId): Promise<UserFields> {
  const user = await User.findOne({ _id: userId, ...ACTIVE_ACCOUNT }).lean<UserFields>();
  if (!user) throw new Unauthorized();
  return user;
}
