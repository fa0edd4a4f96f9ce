// Notification e-mails: per type off (the default), instant or in a daily digest. Only to active accounts
// that have not restricted processing, never to suppressed addresses; each message carries one-click
// opt-outs for its type(s). Everything is checked again when the message leaves: the setting, the account,
// and that the recipient may still see every notification it tells of (a digest with one they no longer may
// is cancelled, and the rest wait for the next one).
import { Types } from 'mongoose';
import { NOTIFICATION_TYPES, type Notification as NotificationShape, type NotificationSettings, type NotificationType } from '../../shared/notifications';
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

type Recipient = Pick<UserFields, '_id' | 'email' | 'roles' | 'restricted'>;

async function mailableRecipient(userId: Types.ObjectId): Promise<Recipient | null> {
  const user = await User.findOne({ _id: userId, ...ACTIVE_ACCOUNT }, { email: 1, roles: 1, restricted: 1 }).lean<Recipient>();
  return user && user.restricted !== true ? user : null;
}

const TYPE_NAMES: Record<NotificationType, string> = {
  reply: 'replies',
  mention: 'mentions',
  like: 'likes',
  join_request: 'join requests',
  join_approved: 'approved join requests',
  invited: 'invitations',
  post_hidden: 'hidden posts',
  post_restored: 'restored posts',
  report_resolved: 'your reports',
  role_changed: 'role changes',
  disclosure: 'disclosures',
};

/** One notification as a paragraph of plain text (the template escapes it for the HTML part). */
export function describeNotification(n: NotificationShape): string {
  const who = n.actor?.displayName ?? 'Someone';
  const where = n.group ? ` in “${n.group.name}”` : '';
  const quote = n.post?.excerpt ? `\n“${n.post.excerpt}”` : '';
  switch (n.type) {
    case 'reply':
      return `${who} replied to your post${where}.${quote}`;
    case 'mention':
      return `${who} mentioned you${where}.${quote}`;
    case 'like':
      return `${who}${n.actorCount > 1 ? ` and ${n.actorCount - 1} other(s)` : ''} liked your post${where}.${quote}`;
    case 'join_request':
      return `${who} asked to join${where}.`;
    case 'join_approved':
      return `You are now a member of “${n.group?.name ?? 'a group'}”.`;
    case 'invited':
      return `${who} invited you to join “${n.group?.name ?? 'a group'}”.`;
    case 'post_hidden':
      return `A moderator hid your post${where}. Reason: ${n.reason ?? 'none given'}`;
    case 'post_restored':
      return `Your post${where} is visible again.`;
    case 'report_resolved':
      return `Your report${where} was ${n.reason === 'acted_on' ? 'acted on' : 'dismissed'}.`;
    case 'role_changed':
      return n.group ? `Your role in “${n.group.name}” is now: ${n.reason ?? 'member'}.` : `Your site roles are now: ${n.reason ?? 'none'}.`;
    case 'disclosure':
      return 'Some of your posts were disclosed to an authority; your data export lists the disclosure.';
  }
}

async function queueMail(ctx: AppContext, user: Recipient, items: NotificationShape[], digest: boolean, now: Date): Promise<boolean> {
  const types = [...new Set(items.map((n) => n.type))];
  const channels = digest ? ['notification_email:daily' as const] : types.map((type) => emailChannel(type) as `notification_email:${string}`);
  const tokens = await Promise.all(channels.map((channel) => issueUnsubscribeToken(user._id, channel, now)));
  const sent = await sendMessage(
    ctx,
    {
      kind: 'notification',
      to: user.email,
      userId: user._id,
      notificationIds: items.map((n) => new Types.ObjectId(n.id)),
      content: notificationMail({
        digest,
        lines: items.map(describeNotification),
        openLink: `${ctx.config.publicUrl}/notifications`,
        unsubscribe: tokens.map((token, i) => ({
          label: digest ? 'notifications in this daily digest' : TYPE_NAMES[types[i]!],
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
