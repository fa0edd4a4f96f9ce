// Outgoing messages: recorded in the outbox first, then handed to the configured transport.
import type { Types } from 'mongoose';
import type { Config } from '../config';
import type { AppContext } from '../context';
import type { Logger } from '../log';
import { Outbox, type OutboxFields } from '../models/outbox';
import { isSuppressed } from './suppression';

export interface OutgoingMessage {
  kind: 'transactional' | 'marketing';
  to: string;
  userId?: Types.ObjectId | null;
  subject: string;
  text: string;
}

/** Delivers one recorded message; returns whether it actually left (`none` records only). */
export interface MailTransport {
  readonly name: string;
  deliver(message: OutboxFields): Promise<boolean>;
}

const URL_PATTERN = /https?:\/\/\S+/g;

/**
 * Development transport: one log line per message with the recipient and the message's links (so a
 * developer can follow a consent link) but not its text, which may carry personal data.
 */
function logTransport(log: Logger): MailTransport {
  return {
    name: 'log',
    async deliver(message) {
      const links = message.text.match(URL_PATTERN) ?? [];
      log.info(`mail ${String(message._id)} to ${message.to}: "${message.subject}"${links.length ? ` links: ${links.join(' ')}` : ''}`);
      return true;
    },
  };
}

const noTransport: MailTransport = {
  name: 'none',
  async deliver() {
    return false;
  },
};

export const TRANSPORTS: Record<Config['mailTransport'], (log: Logger) => MailTransport> = {
  log: logTransport,
  none: () => noTransport,
};

const transports = new WeakMap<AppContext, MailTransport>();

function transportOf(ctx: AppContext): MailTransport {
  let transport = transports.get(ctx);
  if (!transport) {
    transport = TRANSPORTS[ctx.config.mailTransport](ctx.log);
    transports.set(ctx, transport);
  }
  return transport;
}

/**
 * The one way the forum sends a message. A failed delivery stays in the outbox unsent (sentAt null).
 * An address on the suppression list (an erased account's) gets nothing, marketing or not, and nothing
 * is recorded: registration does not prove who owns an address, so no message to a suppressed address
 * can be said to be asked for by its owner. Returns null then.
 */
export async function sendMessage(ctx: AppContext, message: OutgoingMessage, now = new Date()): Promise<OutboxFields | null> {
  if (await isSuppressed(message.to)) {
    ctx.log.info(`mail "${message.subject}" not sent: the address is on the suppression list`);
    return null;
  }
  const transport = transportOf(ctx);
  const record = (
    await Outbox.create({
      kind: message.kind,
      to: message.to,
      userId: message.userId ?? null,
      subject: message.subject,
      text: message.text,
      transport: transport.name,
      createdAt: now,
    })
  ).toObject() as OutboxFields;
  let delivered = false;
  try {
    delivered = await transport.deliver(record);
  } catch (error) {
    ctx.log.error(`mail ${String(record._id)} could not be delivered by ${transport.name}`, error);
  }
  if (!delivered) return record;
  const sentAt = new Date();
  await Outbox.updateOne({ _id: record._id }, { $set: { sentAt } });
  return { ...record, sentAt };
}
