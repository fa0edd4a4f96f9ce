// Rectifying the e-mail address: the new address must prove it is reachable before it replaces the old.
import { createHash, randomBytes } from 'node:crypto';
import { chooseLanguage } from '../../shared/i18n/languages';
import type { AppContext } from '../context';
import { Conflict, Invalid, NotFound, Unauthorized } from '../errors';
import { EmailChange } from '../models/email-change';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { verifyCurrentPassword } from './accounts';
import { limitMailRequest } from './mail-limits';
import { sendMessage } from './outbox';
import { emailChangeConfirm, emailChanged } from '../mail/templates';

export const EMAIL_CHANGE_LIFETIME_MS = 24 * 60 * 60 * 1000;

function hashChangeToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

/**
 * Checks the password and sends a confirmation link to the new address, unless another account has it
 * (the answer is the same). A newer request replaces an older one. Nothing changes until the link is used.
 */
export async function requestEmailChange(
  ctx: AppContext,
  user: UserFields,
  newEmail: string,
  password: string,
  address: string,
  now = new Date(),
): Promise<void> {
  if (newEmail === user.email) throw new Invalid('email', 'errors.field.alreadyYourAddress');
  await verifyCurrentPassword(ctx, user, password, address, 'password');
  await limitMailRequest(ctx, { clientAddress: address, targets: [newEmail], accountId: String(user._id) });
  // A taken address gets no link and the asker the same answer: this must not tell who has an account.
  if (await User.exists({ email: newEmail })) return;
  const token = randomBytes(32).toString('base64url');
  await EmailChange.deleteMany({ userId: user._id });
  try {
    await EmailChange.create({
      tokenHash: hashChangeToken(token),
      userId: user._id,
      newEmail,
      createdAt: now,
      expiresAt: new Date(now.getTime() + EMAIL_CHANGE_LIFETIME_MS),
    });
  } catch (error) {
    // Two requests raced; the other one stands.
    if (isDuplicateKey(error)) throw new Conflict('errors.conflict.emailChangeRace');
    throw error;
  }
  const link = `${ctx.config.publicUrl}/confirm-email?token=${encodeURIComponent(token)}`;
  await sendMessage(ctx, {
    kind: 'transactional',
    to: newEmail,
    userId: user._id,
    content: emailChangeConfirm(chooseLanguage(user.language), { displayName: user.displayName, link }),
  });
}

/** Applies a confirmed change for the signed-in owner of the request; the old address is told. */
export async function confirmEmailChange(ctx: AppContext, user: UserFields, token: string, now = new Date()): Promise<UserFields> {
  const request = await EmailChange.findOneAndDelete({ tokenHash: hashChangeToken(token), userId: user._id }).lean();
  if (!request || request.expiresAt.getTime() <= now.getTime()) {
    throw new NotFound('emailChange');
  }
  let updated: UserFields | null;
  try {
    updated = await User.findOneAndUpdate({ _id: user._id, ...ACTIVE_ACCOUNT }, { $set: { email: request.newEmail, emailVerified: true } }, { new: true }).lean<UserFields>();
  } catch (error) {
    if (isDuplicateKey(error)) throw new Conflict('errors.conflict.emailTaken', 'email');
    throw error;
  }
  if (!updated) throw new Unauthorized();
  ctx.events.publish({ type: 'user.changed', userId: String(user._id), change: { kind: 'email' } });
  await sendMessage(ctx, {
    kind: 'transactional',
    to: user.email,
    userId: user._id,
    content: emailChanged(chooseLanguage(user.language), { displayName: user.displayName }),
  });
  return updated;
}
