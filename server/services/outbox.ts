// Queueing outgoing messages: the one way the forum sends anything. server/mail/queue.ts delivers them.
import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { AppContext } from '../context';
import { mailQueueOf } from '../mail/queue';
import type { RenderedMessage } from '../mail/templates';
import { Outbox, type OutboxFields } from '../models/outbox';
import { isSuppressed } from './suppression';

export interface OutgoingMessage {
  kind: 'transactional' | 'marketing' | 'notification';
  to: string;
  userId?: Types.ObjectId | null;
  /** From server/mail/templates.ts. */
  content: RenderedMessage;
  /** One-click unsubscribe URL (RFC 8058) for messages the recipient can opt out of. */
  listUnsubscribe?: string;
  /** For kind `notification`: what it tells of, checked again when it is sent. */
  notificationIds?: readonly Types.ObjectId[];
  /**
   * Only the verification link of a new registration: the one way someone registering a suppressed
   * (erased) address again can prove it is theirs. Verifying lifts the suppression.
   */
  despiteSuppression?: true;
}

/** `<random@domain of MAIL_FROM>`: fixed when queued, so a resend after a crash carries the same id. */
function newMessageId(mailFrom: string): string {
  const domain = /@([^\s>]+)/.exec(mailFrom)?.[1] ?? 'forum.invalid';
  return `<${randomBytes(16).toString('hex')}@${domain}>`;
}

/**
 * Records a message for delivery and wakes this process's sender. An address on the suppression list
 * (an erased account's) gets nothing, marketing or not, and nothing is recorded: registration does not
 * prove who owns an address, so no message to a suppressed address can be said to be asked for by its
 * owner. Returns null then. The sender checks suppression, restriction and consent again when it sends.
 */
export async function sendMessage(ctx: AppContext, message: OutgoingMessage, now = new Date()): Promise<OutboxFields | null> {
  if (!message.despiteSuppression && (await isSuppressed(message.to))) {
    ctx.log.info(`mail "${message.content.type}" not queued: the address is on the suppression list`);
    return null;
  }
  const record = (
    await Outbox.create({
      kind: message.kind,
      type: message.content.type,
      to: message.to.toLowerCase(),
      userId: message.userId ?? null,
      subject: message.content.subject,
      text: message.content.text,
      html: message.content.html,
      messageId: newMessageId(ctx.config.mailFrom),
      listUnsubscribe: message.listUnsubscribe ?? null,
      ...(message.notificationIds ? { notificationIds: message.notificationIds } : {}),
      despiteSuppression: message.despiteSuppression === true,
      transport: ctx.config.mailTransport,
      state: 'queued',
      nextAttemptAt: now,
      createdAt: now,
    })
  ).toObject() as OutboxFields;
  mailQueueOf(ctx)?.wake();
  return record;
}
