// Where leased messages go: an SMTP server (nodemailer), the log (loopback development only), or nowhere.
import nodemailer from 'nodemailer';
import type { Config } from '../config';
import type { OutboxFields } from '../models/outbox';

/** Hands one message over; throws on failure (an SMTP error carries `responseCode` and `response`). */
export interface MailTransport {
  readonly name: Config['mailTransport'];
  deliver(message: OutboxFields): Promise<void>;
  close(): void;
}

const URL_PATTERN = /https?:\/\/\S+/g;

/** The headers every message carries beyond From/To/Subject/Date/Message-ID. */
export function extraHeaders(message: Pick<OutboxFields, 'kind' | 'listUnsubscribe'>): Record<string, string> {
  const headers: Record<string, string> = {};
  // Transactional mail is caused by the recipient's or a moderator's action; tell auto-responders so.
  if (message.kind === 'transactional') headers['Auto-Submitted'] = 'auto-generated';
  if (message.listUnsubscribe) {
    headers['List-Unsubscribe'] = `<${message.listUnsubscribe}>`;
    headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  }
  return headers;
}

function smtpTransport(config: Config): MailTransport {
  const timeoutMs = config.smtpTimeoutSeconds * 1000;
  // One connection per message: the queue sends one at a time per process, and a fresh connection
  // never carries a half-finished conversation from a timed-out send.
  const url = new URL(config.smtpUrl!);
  const secure = url.protocol === 'smtps:';
  // smtp:// upgrades with STARTTLS whenever the server offers it (nodemailer's default); smtps:// is TLS from the start.
  const transporter = nodemailer.createTransport({
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    auth: url.username ? { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  return {
    name: 'smtp',
    async deliver(message) {
      await transporter.sendMail({
        from: config.mailFrom,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html || undefined,
        messageId: message.messageId,
        headers: extraHeaders(message),
      });
    },
    close: () => transporter.close(),
  };
}

/**
 * Development transport: one line per message with the recipient and the message's links (so a developer
 * can follow a consent link) but not its text, which may carry personal data. It is printed past the logger
 * on purpose: the logger removes addresses and tokens, and here they are the point.
 */
function logTransport(print: (line: string) => void): MailTransport {
  return {
    name: 'log',
    async deliver(message) {
      const links = message.text.match(URL_PATTERN) ?? [];
      print(`mail ${String(message._id)} to ${message.to}: "${message.subject}"${links.length ? ` links: ${links.join(' ')}` : ''}`);
    },
    close() {},
  };
}

/** Records only: the queue leaves messages queued, so they can be read (tests) or sent by a later start. */
export function createTransport(config: Config, print: (line: string) => void): MailTransport | null {
  if (config.mailTransport === 'smtp') return smtpTransport(config);
  if (config.mailTransport === 'log') return logTransport(print);
  return null;
}
