// Registration, e-mail verification, sign-in, parental consent, password changes and resets.
import { createHash, randomBytes } from 'node:crypto';
import { ACCOUNT_LIMITS, ageOn, MINOR_AGE } from '../../shared/accounts';
import { chooseLanguage, DEFAULT_LANGUAGE } from '../../shared/i18n/languages';
import type { AppContext } from '../context';
import { Conflict, HttpError, NotFound, Unauthorized, Invalid } from '../errors';
import type { RegisterInput } from '../http/account-schemas';
import { choosePassword, parentalConsent, passwordReset, registrationAttempt, verifyEmail } from '../mail/templates';
import { AccountLink } from '../models/account-link';
import { ParentalConsent } from '../models/parental-consent';
import type { Types } from 'mongoose';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { recordConsent } from './consent';
import { LoginThrottle, type CheckKind, type ThrottleSubject } from './login-throttle';
import { limitMailRequest } from './mail-limits';
import { sendMessage } from './outbox';
import { liftSuppression } from './suppression';
import { refusesParentalConsentRequests } from './parental-consent-refusals';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from './passwords';
import { admitRegistration, statusOnceVerified } from './registration-policy';
import { recordSecurityEvent } from './security-log';
import { assertMaySignIn } from './sign-in-gate';
import { issueToken, revokeAllTokens } from './tokens';

/** Version of the terms a registrant accepts; recorded in the consent ledger. */
export const TERMS_VERSION = '2025-01';
export const PARENTAL_CONSENT_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;
export const VERIFICATION_LIFETIME_MS = 24 * 60 * 60 * 1000;
export const PASSWORD_RESET_LIFETIME_MS = 60 * 60 * 1000;


/** What registration answers: decided by the input alone, so it is the same whether or not the address is known. */
export type RegistrationStatus = 'verification_sent' | 'pending_parental_consent';

export function throttleOf(ctx: AppContext): LoginThrottle {
  return new LoginThrottle(ctx.limits, ctx.tuning.loginLimits);
}

function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Display names are shorter than legal names; the default is the name, cut to fit. */
function defaultDisplayName(name: string): string {
  return [...name].slice(0, ACCOUNT_LIMITS.displayName).join('').trim();
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

function parentalConsentPending(): HttpError {
  return new HttpError(
    403,
    'parental_consent_pending',
    { key: 'errors.account.parentalConsentPending' },
  );
}

async function sendParentalConsentLink(ctx: AppContext, user: UserFields, parentEmail: string, now: Date): Promise<void> {
  const token = randomBytes(32).toString('base64url');
  await ParentalConsent.create({
    tokenHash: hashLinkToken(token),
    userId: user._id,
    createdAt: now,
    expiresAt: new Date(now.getTime() + PARENTAL_CONSENT_LIFETIME_MS),
  });
  const link = `${ctx.config.publicUrl}/parental-consent?token=${encodeURIComponent(token)}`;
  await sendMessage(ctx, { kind: 'transactional', to: parentEmail, userId: user._id, content: parentalConsent(chooseLanguage(user.language), { displayName: user.displayName, organisation: ctx.config.brand.name, link }) });
}

/** A fresh one-time link for `purpose`; older unused ones of the same account and purpose stop working. */
async function createAccountLink(
  purpose: 'verify_email' | 'password_reset',
  user: Pick<UserFields, '_id' | 'email'> | null,
  email: string,
  now: Date,
): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  if (user) await AccountLink.deleteMany({ userId: user._id, purpose });
  await AccountLink.create({
    tokenHash: hashLinkToken(token),
    purpose,
    userId: user?._id ?? null,
    email,
    createdAt: now,
    expiresAt: new Date(now.getTime() + (purpose === 'verify_email' ? VERIFICATION_LIFETIME_MS : PASSWORD_RESET_LIFETIME_MS)),
  });
  return token;
}

function pageLink(ctx: AppContext, page: string, token?: string): string {
  return `${ctx.config.publicUrl}/${page}${token ? `?token=${encodeURIComponent(token)}` : ''}`;
}

async function sendVerificationLink(ctx: AppContext, user: UserFields, now: Date): Promise<void> {
  const token = await createAccountLink('verify_email', user, user.email, now);
  await sendMessage(ctx, {
    kind: 'transactional',
    despiteSuppression: true,
    to: user.email,
    userId: user._id,
    content: verifyEmail(chooseLanguage(user.language), { displayName: user.displayName, link: pageLink(ctx, 'verify-email', token) }),
  });
}

/** The owner of a registered address learns someone tried to register it, with the ways back in. */
async function sendRegistrationAttempt(ctx: AppContext, user: UserFields, now: Date): Promise<void> {
  const resetToken = await createAccountLink('password_reset', user, user.email, now);
  await sendMessage(ctx, {
    kind: 'transactional',
    to: user.email,
    userId: user._id,
    content: registrationAttempt(chooseLanguage(user.language), { signInLink: pageLink(ctx, 'signin'), resetLink: pageLink(ctx, 'reset-password', resetToken) }),
  });
}

/**
 * Registers an address without revealing whether it was known: both paths hash the password and queue
 * one message, and the answer depends on the input only. A new address gets an inactive account and a
 * verification link (under 18, the parent also gets a consent link); a known one gets a notice with a
 * sign-in and a reset link. Roles are never granted here: FORUM_ADMIN_EMAILS takes effect on verification.
 */
export async function registerAccount(ctx: AppContext, input: RegisterInput, clientAddress: string, now = new Date()): Promise<RegistrationStatus> {
  const minor = ageOn(input.dateOfBirth, now) < MINOR_AGE;
  const targets = minor ? [input.email, input.parentEmail!] : [input.email];
  await limitMailRequest(ctx, { clientAddress, targets });
  const admission = await admitRegistration(input.invitation, now);
  try {
    return await createRegistration(ctx, input, minor, admission.awaitingApproval, now);
  } catch (error) {
    await admission.release();
    throw error;
  }
}

async function createRegistration(ctx: AppContext, input: RegisterInput, minor: boolean, awaitingApproval: boolean, now: Date): Promise<RegistrationStatus> {
  const passwordHash = await hashPassword(input.password);
  const answer: RegistrationStatus = minor ? 'pending_parental_consent' : 'verification_sent';
  const existing = await User.findOne({ email: input.email }).lean<UserFields>();
  if (existing) {
    if (existing.status !== 'erasing') await sendRegistrationAttempt(ctx, existing, now);
    return answer;
  }
  // A parent who declined a registration before asked not to be asked again: nothing is sent, their
  // address is not even kept, and no link exists, so nobody can consent to the account; it waits, then
  // lapses like one whose parent never answered (registration-lapse.ts). The answer is the same.
  const askParent = minor && !(await refusesParentalConsentRequests(input.parentEmail!));
  let user: UserFields;
  try {
    user = (
      await User.create({
        email: input.email,
        passwordHash,
        name: input.name,
        displayName: defaultDisplayName(input.name),
        dateOfBirth: input.dateOfBirth,
        roles: [],
        status: minor ? 'pending_parental_consent' : 'pending_verification',
        emailVerified: false,
        parentEmail: askParent ? input.parentEmail : null,
        awaitingApproval,
        language: input.language ?? DEFAULT_LANGUAGE,
      })
    ).toObject() as UserFields;
  } catch (error) {
    // Registered at the same moment by another request: from here on it is a known address.
    if (!isDuplicateKey(error)) throw error;
    const winner = await User.findOne({ email: input.email }).lean<UserFields>();
    if (winner) await sendRegistrationAttempt(ctx, winner, now);
    return answer;
  }
  try {
    await recordConsent({ userId: user._id, kind: 'terms', value: TERMS_VERSION, source: 'registration', at: now });
    await sendVerificationLink(ctx, user, now);
    if (askParent) await sendParentalConsentLink(ctx, user, input.parentEmail!, now);
    else if (minor) ctx.log.info('registration: no parental consent request sent: the parent address refused further requests');
    return answer;
  } catch (error) {
    // No half-made accounts: without its ledger entry or its links the account must not exist.
    await Promise.all([ParentalConsent.deleteMany({ userId: user._id }), AccountLink.deleteMany({ userId: user._id })]);
    await User.deleteOne({ _id: user._id });
    throw error;
  }
}

/** Sends a new verification link if the address belongs to an account still waiting for one; the answer is the same either way. */
export async function resendVerification(ctx: AppContext, email: string, clientAddress: string, now = new Date()): Promise<void> {
  await limitMailRequest(ctx, { clientAddress, targets: [email] });
  const user = await User.findOne({ email, emailVerified: { $ne: true }, status: { $in: ['pending_verification', 'pending_parental_consent'] } }).lean<UserFields>();
  if (user) await sendVerificationLink(ctx, user, now);
}

/**
 * The live account behind a one-time link. `take` deletes the link while reading it, so two racing
 * requests cannot both use it; without `take` the link stays usable (a check that may still fail).
 */
async function linkOwner(purpose: 'verify_email' | 'password_reset', token: string, now: Date, take: boolean): Promise<UserFields> {
  const filter = { tokenHash: hashLinkToken(token), purpose };
  const link = await (take ? AccountLink.findOneAndDelete(filter) : AccountLink.findOne(filter)).lean();
  if (!link || !link.userId || link.expiresAt.getTime() <= now.getTime()) throw new NotFound('link');
  const user = await User.findOne({ _id: link.userId, email: link.email, status: { $ne: 'erasing' } }).lean<UserFields>();
  if (!user) throw new NotFound('link');
  return user;
}

function takeLink(purpose: 'verify_email' | 'password_reset', token: string, now: Date): Promise<UserFields> {
  return linkOwner(purpose, token, now, true);
}

/**
 * The account's address is proven: mark it verified, activate it unless a parent still has to confirm,
 * and grant FORUM_ADMIN_EMAILS roles (only now, to the verified owner of the address).
 */
async function markVerified(ctx: AppContext, user: UserFields, extra: Record<string, unknown> = {}): Promise<UserFields> {
  const update: Record<string, unknown> = { $set: { emailVerified: true, ...extra } };
  if (ctx.config.adminEmails.has(user.email)) update.$addToSet = { roles: { $each: ['admin', 'moderator'] } };
  await User.updateOne({ _id: user._id }, update);
  const activated = await User.findOneAndUpdate(
    { _id: user._id, status: 'pending_verification' },
    { $set: { status: statusOnceVerified(user) } },
    { new: true },
  ).lean<UserFields>();
  const current = activated ?? (await User.findById(user._id).lean<UserFields>());
  if (!current) throw new NotFound('link');
  // An account that was active already only gets here through a password reset, whose revocation of
  // every token drops what other processes cached about it (roles included).
  if (activated) ctx.events.publish({ type: 'user.changed', userId: String(user._id), change: { kind: 'activated' } });
  return current;
}

/**
 * Follows a verification link: the account is active and signed in (a minor's also needs the parent's
 * confirmation). The link proves the mailbox, not the registrant: anyone can register someone else's
 * address. So the registration password survives only if the person holding the link proves it too
 * (`password`, checked before the link is used up, throttled like any re-entry of a password). Without
 * it the password is dropped for a secret nobody knows and the owner gets a link to choose their own, so
 * a stranger who registered the address never holds a password to an account its owner then uses.
 */
export async function verifyEmailAddress(
  ctx: AppContext,
  token: string,
  password: string | undefined,
  clientAddress: string,
  now = new Date(),
): Promise<{ user: UserFields; token: string }> {
  if (password !== undefined) {
    await verifyCurrentPassword(ctx, await linkOwner('verify_email', token, now, false), password, clientAddress, 'password');
  }
  const owner = await takeLink('verify_email', token, now);
  const dropPassword = password === undefined ? { passwordHash: await hashPassword(randomBytes(32).toString('base64url')), passwordChangedAt: now } : {};
  const user = await markVerified(ctx, owner, dropPassword);
  await liftSuppression(user.email);
  if (password === undefined) await sendChoosePasswordLink(ctx, user, now);
  if (user.status === 'pending_parental_consent') throw parentalConsentPending();
  assertMaySignIn(user);
  return { user, token: await issueToken(user._id, now) };
}

/** After a verification that did not prove the registration password: the owner chooses one through a reset link. */
async function sendChoosePasswordLink(ctx: AppContext, user: UserFields, now: Date): Promise<void> {
  await recordSecurityEvent({ userId: user._id, kind: 'registration_password_dropped', at: now });
  const resetToken = await createAccountLink('password_reset', user, user.email, now);
  await sendMessage(ctx, { kind: 'transactional', to: user.email, userId: user._id, content: choosePassword(chooseLanguage(user.language), { link: pageLink(ctx, 'reset-password', resetToken) }) });
}

/**
 * Queues a reset link when the address has an account. The caller answers before this runs (the answer
 * and its timing must not depend on the address), so it never throws; failures are logged.
 */
export async function requestPasswordReset(ctx: AppContext, email: string, now = new Date()): Promise<void> {
  try {
    const user = await User.findOne({ email, status: { $ne: 'erasing' } }).lean<UserFields>();
    const token = await createAccountLink('password_reset', user, email, now);
    if (!user) return;
    await sendMessage(ctx, { kind: 'transactional', to: user.email, userId: user._id, content: passwordReset(chooseLanguage(user.language), { link: pageLink(ctx, 'reset-password', token) }) });
  } catch (error) {
    ctx.log.error('password reset: could not queue the link', error);
  }
}

/** Counts a reset request against the mail limits (before answering: a refusal is the same for every address). */
export async function limitPasswordReset(ctx: AppContext, email: string, clientAddress: string): Promise<void> {
  await limitMailRequest(ctx, { clientAddress, targets: [email] });
}

/**
 * Sets a new password from a reset link. The link proves the address, so it also verifies it; every
 * other token and socket is revoked, the sign-in waits on the account are lifted, and the reset is
 * written to the account's security log.
 */
export async function confirmPasswordReset(
  ctx: AppContext,
  token: string,
  newPassword: string,
  clientAddress: string,
  now = new Date(),
): Promise<{ user: UserFields; token: string }> {
  const link = await AccountLink.findOne({ tokenHash: hashLinkToken(token), purpose: 'password_reset' }, { email: 1 }).lean();
  if (link && newPassword.toLowerCase() === link.email) {
    throw new Invalid('newPassword', 'errors.field.sameAsEmail');
  }
  const owner = await takeLink('password_reset', token, now);
  assertMaySignIn(owner);
  const user = await markVerified(ctx, owner, { passwordHash: await hashPassword(newPassword), passwordChangedAt: now });
  await revokeAllTokens(user._id, ctx.events);
  ctx.events.publish({ type: 'user.changed', userId: String(user._id), change: { kind: 'password' } });
  await throttleOf(ctx).clearAccount({ email: user.email, address: clientAddress });
  await recordSecurityEvent({ userId: user._id, kind: 'password_reset', at: now });
  if (user.status === 'pending_parental_consent') throw parentalConsentPending();
  assertMaySignIn(user);
  return { user, token: await issueToken(user._id, now) };
}

/**
 * Checks an e-mail and password with the same work and the same answer whether or not the account
 * exists. Counted by the login throttle (429 when it must wait). Returns the user only for a correct
 * password; a correct password on an account that is not active yet is told why (403), since only the
 * account's owner can get that far.
 */
export async function verifyCredentials(
  ctx: AppContext,
  email: string,
  password: string,
  address: string,
): Promise<UserFields> {
  const user = await provenOwner(ctx, email, password, address);
  assertMaySignIn(user);
  return user;
}

/**
 * The sign-in check for a suspended account's privacy pass: the same throttle, answers and refusals of
 * accounts that are not open yet, but only a suspended account gets through (any other signs in instead).
 */
export async function verifySuspendedCredentials(ctx: AppContext, email: string, password: string, address: string): Promise<UserFields> {
  const user = await provenOwner(ctx, email, password, address);
  if (!user.suspendedAt) throw new Conflict('errors.account.notSuspendedSignIn');
  assertMaySignIn({ ...user, suspendedAt: null });
  return user;
}

/** The password check of sign-in, up to (not including) the admin console's refusals. */
async function provenOwner(ctx: AppContext, email: string, password: string, address: string): Promise<UserFields> {
  const subject: ThrottleSubject = { email, address };
  const throttle = throttleOf(ctx);
  await throttle.begin(subject, 'sign-in');
  const user = await User.findOne({ email: email.trim().toLowerCase() }).lean<UserFields>();
  const correct = user ? await verifyPassword(password, user.passwordHash) : await verifyAgainstDecoy(password);
  if (!user || !correct || user.status === 'erasing') throw new Unauthorized('errors.unauthorized.wrongCredentials');
  await throttle.succeeded(subject);
  if (user.emailVerified !== true && user.status !== 'active') {
    throw new HttpError(403, 'email_unverified', { key: 'errors.account.emailUnverified' });
  }
  if (user.status === 'pending_parental_consent') throw parentalConsentPending();
  return user;
}

/**
 * Re-entry of the password before a sensitive change (password, e-mail, erasure). A stolen token must
 * not become a way to guess the password, so this check is throttled per account and client address
 * (only: guessers elsewhere cannot delay the owner here). A wrong password is a 400 naming `field`.
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
  const kind: CheckKind = 'reauthentication';
  await throttle.begin(subject, kind);
  if (!(await verifyPassword(password, user.passwordHash))) {
    throw new Invalid(field, 'errors.field.wrongPassword');
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
    throw new Invalid('newPassword', 'errors.field.sameAsEmail');
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
