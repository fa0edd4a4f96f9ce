// A real SMTP server in the test process (smtp-server, on a free port, with a user and password) that
// keeps what the forum sends, parsed by mailparser. Tests plan its answers (accept, a temporary or
// permanent refusal, or holding the answer back) to drive the queue through failures and crashes.
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** The envelope's recipients (RCPT TO). */
  to: string[];
  messageId: string;
  parsed: ParsedMail;
  /** Every link in the plain-text part, in order. */
  links: string[];
}

/** How the server answers one message's DATA. */
export type Answer = 'accept' | { code: number; message: string } | 'hold';

export interface TestSmtpServer {
  /** `smtp://user:password@127.0.0.1:port`, for SMTP_URL. */
  readonly url: string;
  /** Messages the server accepted (answered 250), in order. */
  readonly accepted: ReceivedMail[];
  /** Every DATA the server read, answered or not (a held or refused one included). */
  readonly attempts: ReceivedMail[];
  /** Answers for the next messages, in order; after them every message is accepted. */
  plan(...answers: Answer[]): void;
  /** Answers every held message with 250 (they count as accepted). */
  release(): void;
  /** Forgets held messages without answering (their sender died: nothing was accepted). */
  discardHeld(): void;
  /** The first accepted message matching `match`, waiting for it. */
  waitFor(match: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Waits until `count` DATA commands were read. */
  waitForAttempts(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export const SMTP_USER = 'forum';
export const SMTP_PASSWORD = 'mail-secret';

export function linksIn(text: string): string[] {
  return text.match(/https?:\/\/\S+/g) ?? [];
}

async function until(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function startSmtpServer(): Promise<TestSmtpServer> {
  const accepted: ReceivedMail[] = [];
  const attempts: ReceivedMail[] = [];
  const planned: Answer[] = [];
  const held: Array<() => void> = [];
  const server = new SMTPServer({
    // Plain SMTP with AUTH on loopback; STARTTLS needs a certificate the forum would have to trust.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === SMTP_USER && auth.password === SMTP_PASSWORD) return callback(null, { user: auth.username });
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        void simpleParser(Buffer.concat(chunks)).then((parsed) => {
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            messageId: parsed.messageId ?? '',
            parsed,
            links: linksIn(parsed.text ?? ''),
          };
          attempts.push(mail);
          const answer = planned.shift() ?? 'accept';
          if (answer === 'accept') {
            accepted.push(mail);
            callback();
          } else if (answer === 'hold') {
            held.push(() => {
              accepted.push(mail);
              callback();
            });
          } else {
            callback(Object.assign(new Error(answer.message), { responseCode: answer.code }));
          }
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve, reject) => server.listen(0, '127.0.0.1', resolve).once('error', reject));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${SMTP_USER}:${SMTP_PASSWORD}@127.0.0.1:${port}`,
    accepted,
    attempts,
    plan: (...answers) => planned.push(...answers),
    release: () => held.splice(0).forEach((answer) => answer()),
    discardHeld: () => void held.splice(0),
    async waitFor(match, timeoutMs = 10_000) {
      await until(() => accepted.some(match), timeoutMs, 'a matching message');
      return accepted.find(match)!;
    },
    waitForAttempts: (count, timeoutMs = 10_000) => until(() => attempts.length >= count, timeoutMs, `${count} DATA commands`),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The value of query parameter `name` in the first link to `path` in a received message. */
export function tokenIn(mail: ReceivedMail, path: string, name = 'token'): string {
  for (const link of mail.links) {
    const url = new URL(link);
    const value = url.searchParams.get(name);
    if (url.pathname === path && value) return value;
  }
  throw new Error(`no link to ${path}?${name}= in "${mail.parsed.subject ?? ''}"`);
}

/** Recipient address of the envelope, lower-cased, for matching. */
export function sentTo(address: string): (mail: ReceivedMail) => boolean {
  return (mail) => mail.to.map((to) => to.toLowerCase()).includes(address.toLowerCase());
}
