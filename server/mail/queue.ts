// The sender worker: every process runs one. It leases one queued message at a time (an atomic
// findOneAndUpdate, so two processes never hold the same message), checks again that the message may be
// sent, hands it to the transport and records the outcome. A process that dies mid-send leaves its lease
// to expire; another worker (or the restarted one) then sends the message again with the same Message-ID.
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import type { AppContext } from '../context';
import { Outbox, type OutboxFields } from '../models/outbox';
import { User, type UserFields } from '../models/user';
import { isSuppressed } from '../services/suppression';
import { refusesParentalConsentRequests } from '../services/parental-consent-refusals';
import { createTransport, type MailTransport } from './transport';
import type { QueueSettings } from '../tuning';

function printToStdout(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Delay before attempt `attempts + 1`, after `attempts` temporary failures. */
export function backoffDelay(settings: QueueSettings, attempts: number, random = Math.random): number {
  const base = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

interface SmtpError {
  responseCode?: number;
  response?: string;
  code?: string;
  message?: string;
}

/** 5xx answers are permanent (the server will not take this message); everything else may pass later. */
function isPermanent(error: SmtpError): boolean {
  return typeof error.responseCode === 'number' && error.responseCode >= 500 && error.responseCode < 600;
}

/** The server's answer or the connection error, without addresses (the operator's view shows it). */
function describe(error: SmtpError): string {
  const raw = error.response ?? (error.code ? `${error.code}: ${error.message ?? ''}` : (error.message ?? String(error)));
  return raw.replace(/[^\s<>"'()]+@[^\s<>"'()]+/g, 'address').slice(0, 500);
}

/** Checks a kind's owner makes when one of its messages is about to leave (the owner registers it). */
type SendCheck = (message: OutboxFields) => Promise<string | null>;
const sendChecks = new Map<string, SendCheck>();

/** Registers the send-time check of a kind of message; the queue cannot import its owners (they queue through it). */
export function setSendCheck(kind: OutboxFields['kind'], check: SendCheck): void {
  sendChecks.set(kind, check);
}

/** Why a queued message must not leave now, or null. Checked when queued and again here. */
async function reasonNotToSend(message: OutboxFields): Promise<string | null> {
  if (!message.despiteSuppression && (await isSuppressed(message.to))) return 'the address is on the suppression list';
  // A request queued before the parent declined another one (or waiting out an SMTP outage) stays unsent.
  if (message.type === 'parental_consent' && (await refusesParentalConsentRequests(message.to))) return 'the address refused parental consent requests';
  const check = sendChecks.get(message.kind);
  if (check) return check(message);
  if (message.kind !== 'marketing') return null;
  const user = message.userId
    ? await User.findById(message.userId, { status: 1, restricted: 1, preferences: 1 }).lean<Pick<UserFields, 'status' | 'restricted' | 'preferences'>>()
    : null;
  if (!user || user.status !== 'active') return 'the account is gone';
  if (user.restricted) return 'the account restricted processing';
  if (user.preferences?.email !== true) return 'the recipient opted out of e-mail';
  return null;
}

export interface MailQueue {
  /** Looks for due messages now (called after queueing one in this process). */
  wake(): void;
  close(): Promise<void>;
}

const queues = new WeakMap<AppContext, MailQueue>();

/** The running worker of this forum, if it has one (the `none` transport runs none). */
export function mailQueueOf(ctx: AppContext): MailQueue | undefined {
  return queues.get(ctx);
}

/** `print` receives the development (`log`) transport's lines; standard output unless a test listens. */
export function startMailQueue(ctx: AppContext, print: (line: string) => void = printToStdout): MailQueue {
  const settings = ctx.tuning.mailQueue;
  const leaseMs = settings.leaseMs ?? ctx.config.smtpTimeoutSeconds * 3000;
  const transport: MailTransport | null = createTransport(ctx.config, print);
  const owner = `${os.hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let closed = false;
  let running: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | null = null;

  async function claim(): Promise<OutboxFields | null> {
    const now = new Date();
    return Outbox.findOneAndUpdate(
      {
        $or: [
          { state: 'queued', nextAttemptAt: { $lte: now } },
          { state: 'sending', leaseUntil: { $lte: now } },
        ],
      },
      { $set: { state: 'sending', leaseOwner: owner, leaseUntil: new Date(now.getTime() + leaseMs) }, $inc: { attempts: 1 } },
      { new: true, sort: { nextAttemptAt: 1 } },
    ).lean<OutboxFields>();
  }

  /** Writes the outcome only while the lease is still ours: a worker that took over decides from then on. */
  async function settle(message: OutboxFields, fields: Partial<OutboxFields>): Promise<void> {
    await Outbox.updateOne(
      { _id: message._id, state: 'sending', leaseOwner: owner },
      { $set: { ...fields, leaseOwner: null, leaseUntil: null } },
    );
  }

  async function sendOne(message: OutboxFields): Promise<void> {
    const reason = await reasonNotToSend(message);
    if (reason) {
      ctx.log.info(`mail ${String(message._id)} not sent: ${reason}`);
      await settle(message, { state: 'cancelled', lastError: reason, lastErrorAt: new Date() });
      return;
    }
    try {
      await transport!.deliver(message);
    } catch (error) {
      const failure = error as SmtpError;
      const now = new Date();
      const lastError = describe(failure);
      if (isPermanent(failure) || message.attempts >= settings.maxAttempts) {
        ctx.log.warn(`mail ${String(message._id)} failed for good after ${message.attempts} attempt(s): ${lastError}`);
        await settle(message, { state: 'failed', lastError, lastErrorAt: now });
      } else {
        const delay = backoffDelay(settings, message.attempts);
        ctx.log.warn(`mail ${String(message._id)} failed (attempt ${message.attempts}), retrying in ${Math.round(delay / 1000)} s: ${lastError}`);
        await settle(message, { state: 'queued', lastError, lastErrorAt: now, nextAttemptAt: new Date(now.getTime() + delay) });
      }
      return;
    }
    await settle(message, { state: 'sent', sentAt: new Date() });
  }

  async function drain(): Promise<void> {
    do {
      again = false;
      for (let message = await claim(); message && !closed; message = await claim()) await sendOne(message);
    } while (again && !closed);
  }

  function schedule(): void {
    if (closed) return;
    timer = setTimeout(run, settings.pollMs);
    timer.unref();
  }

  function run(): void {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    running = drain()
      .catch((error: unknown) => ctx.log.error('mail queue: could not read or update the outbox', error))
      .finally(() => {
        running = null;
        schedule();
      });
  }

  const queue: MailQueue = {
    wake: () => {
      if (transport) run();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      await running;
      transport?.close();
      queues.delete(ctx);
    },
  };
  queues.set(ctx, queue);
  if (transport) run();
  return queue;
}
