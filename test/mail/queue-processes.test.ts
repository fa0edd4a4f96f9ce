// The mail queue across whole forum processes (server/main.ts, configured by the environment as in
// production) sharing one database: a process killed in the middle of an SMTP conversation, a restart,
// two processes draining one queue, and sign-in limits shared through Redis.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { createClient } from 'redis';
import { moderationNotice } from '../../server/mail/templates';
import { Outbox } from '../../server/models/outbox';
import { sendMessage } from '../../server/services/outbox';
import { resetDatabase, sharedDatabaseUri } from '../support/database';
import { uniqueEmail } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { eventually } from '../support/outbox';
import { startForumProcess, startRedis, type ForumProcess, type RedisServer } from '../support/processes';
import { sentTo, startSmtpServer, type TestSmtpServer } from '../support/smtp';

function register(forum: ForumProcess, email: string): Promise<Response> {
  return fetch(`${forum.url}/api/auth/register`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: 'a long enough password', name: 'Queue Tester', dateOfBirth: '1990-04-01', acceptTerms: true }),
  });
}

describe('the mail queue across processes', function () {
  this.timeout(120_000);
  let smtp: TestSmtpServer;
  let env: Record<string, string>;
  const running: ForumProcess[] = [];
  const start = async (extra: Record<string, string> = {}) => {
    const child = await startForumProcess({ ...env, ...extra });
    running.push(child);
    return child;
  };

  before(async () => {
    await resetDatabase();
    smtp = await startSmtpServer();
    env = {
      MONGODB_URI: sharedDatabaseUri(),
      MEDIA_URL_SECRET: 'mail-queue-test-secret-0123456789abcdef',
      MAIL_TRANSPORT: 'smtp',
      SMTP_URL: smtp.url,
      MAIL_FROM: 'Forum <forum@forum.test>',
      // A send's lease is three times this: a dead process's message is taken over after 3 s.
      SMTP_TIMEOUT_SECONDS: '1',
    };
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((child) => child.stop()));
  });
  after(async () => {
    smtp.release();
    await smtp.close();
  });

  it('sends a message again after its sender was killed mid-send (same Message-ID), and never a second time after a restart', async () => {
    const email = uniqueEmail('killed');
    smtp.plan('hold');
    const first = await start();
    expect((await register(first, email)).status).to.equal(202);
    // The forum has sent DATA; the server holds its answer, so the message is not accepted yet.
    await eventually(async () => expect(smtp.attempts.filter(sentTo(email))).to.have.length(1), 10_000);
    const exited = new Promise((resolve) => first.process.once('exit', resolve));
    first.process.kill('SIGKILL');
    await exited;
    smtp.discardHeld();
    expect(await Outbox.findOne({ to: email }).lean()).to.include({ state: 'sending', attempts: 1 });

    const second = await start();
    const delivered = await smtp.waitFor(sentTo(email), 20_000);
    const attempts = smtp.attempts.filter(sentTo(email));
    expect(attempts).to.have.length(2);
    expect(attempts[0]!.messageId).to.equal(attempts[1]!.messageId);
    expect(delivered.messageId).to.equal(attempts[0]!.messageId);
    await eventually(async () => expect(await Outbox.findOne({ to: email }).lean()).to.include({ state: 'sent', attempts: 2 }));

    // Restart: the new process drains the queue (proven by a later message arriving) and does not resend.
    await second.stop();
    running.splice(running.indexOf(second), 1);
    const third = await start();
    const later = uniqueEmail('later');
    expect((await register(third, later)).status).to.equal(202);
    await smtp.waitFor(sentTo(later));
    expect(smtp.accepted.filter(sentTo(email))).to.have.length(1);
  });

  it('two processes draining one queue send each message exactly once', async () => {
    const recorder: TestForum = await startTestForum({ mailTransport: 'none' });
    const recipients = Array.from({ length: 24 }, (_, i) => uniqueEmail(`shared${i}`));
    try {
      const [a, b] = await Promise.all([start(), start()]);
      for (const to of recipients) await sendMessage(recorder.ctx, { kind: 'transactional', to, content: moderationNotice('en', { kind: 'postRestored', group: 'Queued', reason: null }) });
      // Wake both workers at the same moment (each wakes on its own process's new message).
      const [ra, rb] = await Promise.all([register(a, uniqueEmail('wake-a')), register(b, uniqueEmail('wake-b'))]);
      expect([ra.status, rb.status]).to.deep.equal([202, 202]);
      await eventually(async () => expect(await Outbox.countDocuments({ to: { $in: recipients }, state: 'sent' })).to.equal(recipients.length), 30_000);
      for (const to of recipients) {
        expect(smtp.attempts.filter(sentTo(to)), to).to.have.length(1);
      }
      const ids = smtp.accepted.filter((mail) => recipients.some((to) => sentTo(to)(mail))).map((mail) => mail.messageId);
      expect(new Set(ids).size).to.equal(recipients.length);
    } finally {
      await recorder.close();
    }
  });

  describe('with Redis', () => {
    let redis: RedisServer;
    before(async () => {
      redis = await startRedis();
    });
    after(() => redis.stop());

    it('shares sign-in limits between processes through Redis', async () => {
      const [a, b] = await Promise.all([start({ REDIS_URL: redis.url }), start({ REDIS_URL: redis.url })]);
      const guess = (forum: ForumProcess) =>
        fetch(`${forum.url}/api/auth/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ email: 'target@example.org', password: 'a wrong guess' }),
        }).then((res) => res.status);
      // The default five free guesses, all through A.
      for (let i = 0; i < 5; i += 1) expect(await guess(a)).to.equal(401);
      // Then one guess per wait, whichever process it reaches: of two at once, one waits.
      const statuses = (await Promise.all([guess(a), guess(b)])).sort();
      expect(statuses).to.deep.equal([401, 429]);

      const client = createClient({ url: redis.url });
      await client.connect();
      try {
        expect(await client.keys('forum:rl:login-pair:*')).to.have.length(1);
      } finally {
        await client.close();
      }
      expect(await mongoose.connection.collection('rate_limits').countDocuments({ key: /^login-pair/ })).to.equal(0);
    });
  });
});
