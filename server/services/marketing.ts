// Marketing messages: only to people who opted in on that channel, never to restricted accounts or
// suppressed addresses, and each with a one-click unsubscribe link that needs no sign-in.
import { createHash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { ContactChannel } from '../../shared/api';
import { chooseLanguage } from '../../shared/i18n/languages';
import type { AppContext } from '../context';
import { NotFound, Unauthorized } from '../errors';
import { Consent } from '../models/consent';
import { UnsubscribeToken } from '../models/unsubscribe-token';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { updatePreferences } from './contact-preferences';
import { sendMessage } from './outbox';
import { marketing } from '../mail/templates';
import type { NotificationType } from '../../shared/notifications';
import { notificationTypesOfChannel, updateSettings } from '../notifications/settings';

export interface MarketingMessage {
  subject: string;
  text: string;
  channel: ContactChannel;
}

export type MarketingSkip = 'not_found' | 'restricted' | 'opted_out' | 'no_address' | 'suppressed';

export interface MarketingReport {
  sent: string[];
  skipped: { userId: string; reason: MarketingSkip }[];
}

type Recipient = Pick<UserFields, '_id' | 'email' | 'preferences' | 'restricted' | 'language'>;

function hashUnsubscribeToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Where a channel reaches a person. Accounts hold an e-mail address only, so the other channels have
 * no address to send to until the forum collects phone numbers or postal addresses.
 */
function addressFor(user: Recipient, channel: ContactChannel): string | null {
  return channel === 'email' ? user.email : null;
}

function skipReason(user: Recipient, channel: ContactChannel): MarketingSkip | null {
  if (user.restricted === true) return 'restricted';
  if (user.preferences?.[channel] !== true) return 'opted_out';
  if (!addressFor(user, channel)) return 'no_address';
  return null;
}

/** A fresh single-purpose token: it unsubscribes this account from this channel and does nothing else. */
export async function issueUnsubscribeToken(userId: Types.ObjectId, channel: ContactChannel | `notification_email:${string}`, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await UnsubscribeToken.create({ tokenHash: hashUnsubscribeToken(token), userId, channel, createdAt: now });
  return token;
}

export function unsubscribeLink(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl}/unsubscribe?token=${encodeURIComponent(token)}`;
}

/**
 * The RFC 8058 one-click target in the List-Unsubscribe header: mail clients POST
 * `List-Unsubscribe=One-Click` to it. The visible link opens a page instead, since a GET must not act.
 */
export function oneClickUnsubscribeUrl(ctx: AppContext, token: string): string {
  return `${ctx.config.publicUrl}/api/unsubscribe?token=${encodeURIComponent(token)}`;
}

/** The sender marketing campaigns use. Sends one message per eligible recipient, sequentially. */
export async function sendMarketing(
  ctx: AppContext,
  userIds: readonly Types.ObjectId[],
  message: MarketingMessage,
  now = new Date(),
): Promise<MarketingReport> {
  const users = await User.find({ _id: { $in: userIds }, ...ACTIVE_ACCOUNT }, { email: 1, preferences: 1, restricted: 1, language: 1 }).lean<Recipient[]>();
  const byId = new Map(users.map((user) => [String(user._id), user]));
  const report: MarketingReport = { sent: [], skipped: [] };
  const seen = new Set<string>();
  for (const userId of userIds) {
    const id = String(userId);
    if (seen.has(id)) continue;
    seen.add(id);
    const user = byId.get(id);
    const reason = user ? skipReason(user, message.channel) : 'not_found';
    if (reason || !user) {
      report.skipped.push({ userId: id, reason: reason ?? 'not_found' });
      continue;
    }
    const address = addressFor(user, message.channel)!;
    const token = await issueUnsubscribeToken(user._id, message.channel, now);
    const sent = await sendMessage(
      ctx,
      {
        kind: 'marketing',
        to: address,
        userId: user._id,
        content: marketing(chooseLanguage(user.language), { subject: message.subject, text: message.text, unsubscribeLink: unsubscribeLink(ctx, token) }),
        listUnsubscribe: oneClickUnsubscribeUrl(ctx, token),
      },
      now,
    );
    if (sent) {
      report.sent.push(id);
    } else {
      await UnsubscribeToken.deleteOne({ tokenHash: hashUnsubscribeToken(token) });
      report.skipped.push({ userId: id, reason: 'suppressed' });
    }
  }
  return report;
}

/**
 * The one-click unsubscribe: turns the token's channel off for the token's account, records it in the
 * consent ledger (source `unsubscribe_link`) and reveals nothing about the account. A link works once:
 * clicking it again answers the same and changes nothing (mail scanners follow links too), and a later
 * choice about the channel (opting back in, in the settings) ends it, so an old message cannot undo it.
 */
export async function unsubscribe(
  ctx: AppContext,
  token: string,
  now = new Date(),
): Promise<{ channel: ContactChannel; notifications?: NotificationType[] }> {
  const record = await UnsubscribeToken.findOne({ tokenHash: hashUnsubscribeToken(token) }).lean();
  if (!record) throw new NotFound('unsubscribeLink');
  // A notification e-mail's link turns off e-mail for its type(s) only; the contact channel stays as it is.
  const notifications = await notificationTypesOfChannel(record.userId, record.channel);
  const channel = (notifications ? 'email' : record.channel) as ContactChannel;
  const result = notifications ? { channel, notifications } : { channel };
  if (await choiceMadeSince(record.userId, record.channel, record.usedAt ?? record.createdAt)) {
    throw new NotFound('unsubscribeLink');
  }
  // Claimed before the change, so of two clicks at once only one acts.
  const claimed = await UnsubscribeToken.updateOne({ _id: record._id, usedAt: null }, { $set: { usedAt: now } });
  if (claimed.modifiedCount === 0) return result;
  if (notifications) {
    await updateSettings(record.userId, Object.fromEntries(notifications.map((type) => [type, { email: 'off' }])), 'unsubscribe_link');
    return result;
  }
  try {
    await updatePreferences(ctx, record.userId, { [channel]: false }, 'unsubscribe_link', now);
  } catch (error) {
    // The account is being erased: it is contacted by nobody, which is what was asked.
    if (!(error instanceof Unauthorized)) throw error;
  }
  return result;
}

/** Whether the person chose anything about this channel after `since` (the ledger records every choice). */
async function choiceMadeSince(userId: Types.ObjectId, channel: string, since: Date): Promise<boolean> {
  return (await Consent.exists({ userId, kind: 'preference', channel, at: { $gt: since } })) !== null;
}
