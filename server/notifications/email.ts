// Notification e-mails: per type off (the default), instant or in a daily digest. Only to active accounts
// that have not restricted processing, never to suppressed addresses; each message carries one-click
// opt-outs for its type(s). Everything is checked again when the message leaves: the setting, the account,
// and that the recipient may still see every notification it tells of (a digest with one they no longer may
// is cancelled, and the rest wait for the next one).
import { Types } from 'mongoose';
import { NOTIFICATION_TYPES, type Notification as NotificationShape, type NotificationSettings, type NotificationType } from '../../shared/notifications';
import { chooseLanguage, type Language } from '../../shared/i18n/languages';
import { translatorFor } from '../../shared/i18n/server-catalogues';
import type { AppContext } from '../context';
import { notificationMail } from '../mail/templates';
import { setSendCheck } from '../mail/queue';
import { Notification, NotificationSettingsModel, type NotificationFields } from '../models/notification';
import type { OutboxFields } from '../models/outbox';
import { ACTIVE_ACCOUNT, User, type UserFields } from '../models/user';
import { viewerFromUser } from '../policy/viewer';
import { issueUnsubscribeToken, oneClickUnsubscribeUrl, unsubscribeLink } from '../services/marketing';
import { sendMessage } from '../services/outbox';
import { presentVisible } from './service';
import { emailChannel, getSettings } from './settings';
import { judgeNotifications } from './visibility';

type Recipient = Pick<UserFields, '_id' | 'email' | 'roles' | 'restricted' | 'language'>;

async function mailableRecipient(userId: Types.ObjectId): Promise<Recipient | null> {
  const user = await User.findOne({ _id: userId, ...ACTIVE_ACCOUNT }, { email: 1, roles: 1, restricted: 1, language: 1 }).lean<Recipient>();
  return user && user.restricted !== true ? user : null;
}

/** A site role list as the notification carries it ("admin,moderator", or "none"), in words of the language. */
function siteRoles(reason: string | null, language: Language): string {
  const t = translatorFor(language);
  const roles = (reason ?? '').split(',').map((role) => role.trim()).filter((role) => role && role !== 'none');
  if (roles.length === 0) return t.t('mail.notification.noRoles');
  return new Intl.ListFormat(language, { type: 'conjunction' }).format(roles.map((role) => t.t('mail.notification.siteRole', { role })));
}

/** One notification as a paragraph of plain text in the recipient's language (the template escapes it for the HTML part). */
export function describeNotification(n: NotificationShape, language: Language): string {
  const t = translatorFor(language);
  const actor = n.actor?.displayName ?? t.t('mail.notification.someone');
  const group = n.group?.name ?? t.t('mail.notification.aGroup');
  const hasGroup = n.group ? 'yes' : 'no';
  const quote = n.post?.excerpt ? `\n${t.t('mail.notification.quote', { excerpt: n.post.excerpt })}` : '';
  switch (n.type) {
    case 'reply':
      return t.t('mail.notification.reply', { actor, group, hasGroup }) + quote;
    case 'mention':
      return t.t('mail.notification.mention', { actor, group, hasGroup }) + quote;
    case 'like':
      return t.t('mail.notification.like', { actor, group, hasGroup, others: Math.max(0, n.actorCount - 1) }) + quote;
    case 'join_request':
      return t.t('mail.notification.joinRequest', { actor, group, hasGroup });
    case 'join_approved':
      return t.t('mail.notification.joinApproved', { group });
    case 'invited':
      return t.t('mail.notification.invited', { actor, group });
    case 'post_hidden':
      return t.t('mail.notification.postHidden', { group, hasGroup, reason: n.reason ?? t.t('mail.notification.noReason') });
    case 'post_restored':
      return t.t('mail.notification.postRestored', { group, hasGroup });
    case 'report_resolved':
      return t.t('mail.notification.reportResolved', { group, hasGroup, outcome: n.reason === 'acted_on' ? 'acted_on' : 'dismissed' });
    case 'role_changed':
      return n.group
        ? t.t('mail.notification.groupRoleChanged', { group, role: n.reason ?? 'member' })
        : t.t('mail.notification.siteRolesChanged', { roles: siteRoles(n.reason, language) });
    case 'disclosure':
      return t.t('mail.notification.disclosure');
  }
}

async function queueMail(ctx: AppContext, user: Recipient, items: NotificationShape[], digest: boolean, now: Date): Promise<boolean> {
  const types = [...new Set(items.map((n) => n.type))];
  const channels = digest ? ['notification_email:daily' as const] : types.map((type) => emailChannel(type) as `notification_email:${string}`);
  const language = chooseLanguage(user.language);
  const t = translatorFor(language);
  const tokens = await Promise.all(channels.map((channel) => issueUnsubscribeToken(user._id, channel, now)));
  const sent = await sendMessage(
    ctx,
    {
      kind: 'notification',
      to: user.email,
      userId: user._id,
      notificationIds: items.map((n) => new Types.ObjectId(n.id)),
      content: notificationMail(language, {
        digest,
        lines: items.map((n) => describeNotification(n, language)),
        openLink: `${ctx.config.publicUrl}/notifications`,
        unsubscribe: tokens.map((token, i) => ({
          label: digest ? t.t('mail.notification.digestLabel') : t.t(`mail.notification.type.${types[i]!}`),
          link: unsubscribeLink(ctx, token),
        })),
      }),
      listUnsubscribe: oneClickUnsubscribeUrl(ctx, tokens[0]!),
    },
    now,
  );
  return sent !== null;
}

/**
 * After a notification was written (or a like notification updated): its e-mail now (instant, once per
 * notification), or a digest due within the configured delay (daily).
 */
export async function mailNotification(ctx: AppContext, recipientId: Types.ObjectId, notificationId: Types.ObjectId, type: NotificationType, settings?: NotificationSettings): Promise<void> {
  const email = (settings ?? (await getSettings(recipientId)))[type].email;
  if (email === 'off') return;
  const now = new Date();
  if (email === 'daily') {
    await NotificationSettingsModel.updateOne(
      { userId: recipientId, digestDueAt: null },
      { $set: { digestDueAt: new Date(now.getTime() + ctx.tuning.notificationDigest.delayMs) } },
    );
    return;
  }
  const user = await mailableRecipient(recipientId);
  if (!user) return;
  // Claimed first: a like liked again, or two processes, mail it once.
  const claimed = await Notification.updateOne({ _id: notificationId, mailedAt: null }, { $set: { mailedAt: now } });
  if (claimed.modifiedCount === 0) return;
  const [shape] = await presentVisible(viewerFromUser(user), [notificationId]);
  if (shape) await queueMail(ctx, user, [shape], false, now);
}

/** Sends one due digest, if there is one; true if it found one (the worker then looks again). */
async function sendOneDigest(ctx: AppContext, now: Date): Promise<boolean> {
  const due = await NotificationSettingsModel.findOneAndUpdate(
    { digestDueAt: { $ne: null, $lte: now } },
    { $set: { digestDueAt: null } },
    { new: false, projection: { userId: 1 } },
  ).lean<{ userId: Types.ObjectId }>();
  if (!due) return false;
  const user = await mailableRecipient(due.userId);
  if (!user) return true;
  const settings = await getSettings(due.userId);
  const daily = NOTIFICATION_TYPES.filter((type) => settings[type].email === 'daily');
  const rows = await Notification.find({ recipientId: due.userId, type: { $in: daily }, readAt: null, mailedAt: null }, { _id: 1 })
    .sort({ at: 1 })
    .limit(100)
    .lean<Pick<NotificationFields, '_id'>[]>();
  const items = await presentVisible(viewerFromUser(user), rows.map((row) => row._id));
  if (!items.length) return true;
  const ids = items.map((n) => n.id);
  await Notification.updateMany({ _id: { $in: ids } }, { $set: { mailedAt: now } });
  await queueMail(ctx, user, items, true, now);
  return true;
}

/** The queue's check before a notification message leaves. */
async function stillWanted(message: OutboxFields): Promise<string | null> {
  const user = message.userId ? await mailableRecipient(message.userId) : null;
  if (!user) return 'the account is gone or restricted processing';
  const ids = (message.notificationIds ?? []) as Types.ObjectId[];
  const rows = await Notification.find({ _id: { $in: ids }, recipientId: user._id }, { type: 1, postId: 1, groupId: 1 }).lean<
    Pick<NotificationFields, '_id' | 'type' | 'postId' | 'groupId'>[]
  >();
  const settings = await getSettings(user._id);
  const wanted = rows.filter((row) => settings[row.type].email !== 'off');
  const visible = await judgeNotifications(viewerFromUser(user), wanted);
  if (rows.length === ids.length && visible.size === ids.length) return null;
  // The others go in the next digest, which is due now.
  const rest = [...visible.keys()];
  if (rest.length && message.type === 'notification_digest') {
    await Notification.updateMany({ _id: { $in: rest } }, { $set: { mailedAt: null } });
    await NotificationSettingsModel.updateOne({ userId: user._id, digestDueAt: null }, { $set: { digestDueAt: new Date() } });
  }
  return 'it tells of something the recipient no longer may see or no longer wants by e-mail';
}

export interface DigestWorker {
  /** Sends every digest due now (tests). */
  runDue(): Promise<void>;
  close(): Promise<void>;
}

/** Registers the send-time check and runs the digest worker of this process. */
export function startNotificationMail(ctx: AppContext): DigestWorker {
  setSendCheck('notification', stillWanted);
  let running: Promise<void> = Promise.resolve();
  let closed = false;
  const runDue = (): Promise<void> => {
    running = running.then(async () => {
      try {
        while (!closed && (await sendOneDigest(ctx, new Date())));
      } catch (error) {
        ctx.log.error('notifications: digest failed', error);
      }
    });
    return running;
  };
  const timer = setInterval(() => void runDue(), ctx.tuning.notificationDigest.pollMs);
  timer.unref();
  return {
    runDue,
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
    },
  };
}
