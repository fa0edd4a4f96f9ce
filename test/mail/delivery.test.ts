// Mail that really leaves: the forum talks SMTP (with AUTH) to a real server in the test process, and
// every flow that involves an e-mail is followed through the message that server received.
import { expect } from 'chai';
import * as templates from '../../server/mail/templates';
import { AccountLink } from '../../server/models/account-link';
import { Outbox } from '../../server/models/outbox';
import { User } from '../../server/models/user';
import { sendMarketing } from '../../server/services/marketing';
import { sendMessage } from '../../server/services/outbox';
import { resetDatabase } from '../support/database';
import { buildUser, uniqueEmail } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import type { TestForum } from '../support/forum';
import { eventually } from '../support/outbox';
import { sentTo, tokenIn, type ReceivedMail, type TestSmtpServer } from '../support/smtp';
import { startSmtpForum, type SmtpForum } from '../support/smtp-forum';

const ADMIN_ADDRESS = 'boss@example.org';

/** A header as it was sent (mailparser folds List-* headers into one structure). */
function headerLine(mail: ReceivedMail, key: string): string | undefined {
  return mail.parsed.headerLines.find((line) => line.key === key)?.line;
}

function adult(email: string, password = 'a long enough password'): Record<string, unknown> {
  return { email, password, name: 'Mail Tester', dateOfBirth: '1990-04-01', acceptTerms: true };
}

/** One example of every template, with links where the message has them. */
const EXAMPLES: Array<{ kind: 'transactional' | 'marketing'; content: templates.RenderedMessage; unsubscribe?: string }> = [
  { kind: 'transactional', content: templates.verifyEmail('en', { displayName: 'Ada', link: 'https://forum.example/verify-email?token=v1' }) },
  {
    kind: 'transactional',
    content: templates.registrationAttempt('en', { signInLink: 'https://forum.example/signin', resetLink: 'https://forum.example/reset-password?token=r1' }),
  },
  { kind: 'transactional', content: templates.passwordReset('en', { link: 'https://forum.example/reset-password?token=r2' }) },
  { kind: 'transactional', content: templates.choosePassword('en', { link: 'https://forum.example/reset-password?token=r3' }) },
  { kind: 'transactional', content: templates.parentalConsent('en', { displayName: 'Kid', organisation: 'Forum', link: 'https://forum.example/parental-consent?token=p1' }) },
  { kind: 'transactional', content: templates.emailChangeConfirm('en', { displayName: 'Ada', link: 'https://forum.example/confirm-email?token=c1' }) },
  { kind: 'transactional', content: templates.emailChanged('en', { displayName: 'Ada <script>' }) },
  { kind: 'transactional', content: templates.moderationNotice('en', { kind: 'postHidden', group: 'Cats', reason: 'spam & "ads"' }) },
  { kind: 'transactional', content: templates.disclosureNotice('en', { itemCount: 2, recipient: 'Court', legalBasis: 'Order', reference: 'X-1' }) },
  {
    kind: 'marketing',
    content: templates.marketing('en', { subject: 'News', text: 'Our autumn meeting', unsubscribeLink: 'https://forum.example/unsubscribe?token=u1' }),
    unsubscribe: 'https://forum.example/api/unsubscribe?token=u1',
  },
];

describe('mail over SMTP', function () {
  this.timeout(60_000);
  let env: SmtpForum;
  let smtp: TestSmtpServer;
  let forum: TestForum;
  let api: ForumApi;

  before(async () => {
    await resetDatabase();
    env = await startSmtpForum({ adminEmails: new Set([ADMIN_ADDRESS]) });
    ({ smtp, forum } = env);
    api = new ForumApi(forum.http);
  });
  after(() => env.close());

  const received = (address: string, type: string) =>
    smtp.waitFor((mail) => sentTo(address)(mail) && mail.parsed.headers.get('subject') !== undefined && mail.parsed.subject === subjectOf(type));
  const subjectOf = (type: string) => EXAMPLES.find((example) => example.content.type === type)!.content.subject;

  it('sends every kind of message with both parts, our Message-ID, no tracking, and List-Unsubscribe only where one can opt out', async () => {
    for (const example of EXAMPLES) {
      // Marketing is checked against the recipient's consent when it leaves: it needs a consenting account.
      const recipient = await buildUser({ preferences: { email: true, sms: false, whatsapp: false, phone: false, post: false } });
      const to = recipient.user.email;
      const record = await sendMessage(forum.ctx, {
        kind: example.kind,
        to,
        userId: recipient.user._id,
        content: example.content,
        listUnsubscribe: example.unsubscribe,
      });
      const mail = await smtp.waitFor(sentTo(to));
      const { parsed } = mail;
      expect(parsed.subject, example.content.type).to.equal(example.content.subject);
      expect(parsed.from!.value).to.deep.equal([{ address: 'forum@forum.test', name: 'Forum' }]);
      expect(parsed.messageId).to.equal(record!.messageId);
      expect(parsed.text!.trim()).to.equal(example.content.text.trim());
      expect(parsed.html).to.be.a('string').and.include('<p>');
      // Every link of the text part appears unchanged in the HTML part, and nothing else is linked or loaded.
      const htmlLinks = [...(parsed.html as string).matchAll(/href="([^"]+)"/g)].map((match) => match[1]!.replace(/&#38;/g, '&'));
      expect(htmlLinks).to.deep.equal(mail.links);
      expect(parsed.html as string).not.to.match(/<img|<script|src=/i);
      expect(parsed.html as string).not.to.include('<script>');
      if (example.unsubscribe) {
        expect(headerLine(mail, 'list-unsubscribe')).to.equal(`List-Unsubscribe: <${example.unsubscribe}>`);
        expect(headerLine(mail, 'list-unsubscribe-post')).to.equal('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
        expect(parsed.headers.get('auto-submitted')).to.equal(undefined);
      } else {
        expect(headerLine(mail, 'list-unsubscribe')).to.equal(undefined);
        expect(parsed.headers.get('auto-submitted')).to.equal('auto-generated');
      }
      await eventually(async () => expect((await Outbox.findById(record!._id).lean())!).to.include({ state: 'sent', attempts: 1 }));
    }
  });

  it('sign-up: the verification link from the received message signs the new member in', async () => {
    const email = uniqueEmail('signup');
    await forum.http.post('/api/auth/register').send(adult(email)).expect(202);
    const mail = await received(email, 'verify_email');
    const link = new URL(mail.links[0]!);
    expect(link.pathname).to.equal('/verify-email');
    const verified = await forum.http
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(mail, '/verify-email'), password: adult(email).password })
      .expect(200);
    expect(verified.body.user).to.include({ email, emailVerified: true });
    await forum.http.get('/api/me').set('Authorization', `Bearer ${verified.body.token as string}`).expect(200);
  });

  it('a known address gets a notice whose reset link works; the answer was the same as for a new address', async () => {
    const owner = await buildUser();
    await forum.http.post('/api/auth/register').send(adult(owner.user.email, 'attacker password 1')).expect(202);
    const mail = await smtp.waitFor((candidate) => sentTo(owner.user.email)(candidate) && /tried to register/.test(candidate.parsed.subject ?? ''));
    expect(mail.links.map((link) => new URL(link).pathname)).to.deep.equal(['/signin', '/reset-password']);
    const reset = await forum.http
      .post('/api/auth/password-reset/confirm')
      .send({ token: tokenIn(mail, '/reset-password'), newPassword: 'the owner’s new password' })
      .expect(200);
    expect(reset.body.user.id).to.equal(String(owner.user._id));
    await forum.http.post('/api/auth/login').send({ email: owner.user.email, password: 'attacker password 1' }).expect(401);
  });

  it('password reset: the link signs in, revokes every other token, works once, and is in the security log', async () => {
    // Someone else's reset is in the same collection, so the export must pick the owner's alone.
    const other = await buildUser();
    await forum.http.post('/api/auth/password-reset').send({ email: other.user.email }).expect(202);
    const otherMail = await received(other.user.email, 'password_reset');
    await forum.http.post('/api/auth/password-reset/confirm').send({ token: tokenIn(otherMail, '/reset-password'), newPassword: 'the other person’s password' }).expect(200);
    const owner = await buildUser();
    await forum.http.post('/api/auth/password-reset').send({ email: owner.user.email }).expect(202);
    const mail = await received(owner.user.email, 'password_reset');
    const token = tokenIn(mail, '/reset-password');
    const reset = await forum.http.post('/api/auth/password-reset/confirm').send({ token, newPassword: 'a completely new password' }).expect(200);
    await forum.http.get('/api/me').set(owner.auth).expect(401);
    const auth = { Authorization: `Bearer ${reset.body.token as string}` };
    await forum.http.get('/api/me').set(auth).expect(200);
    await forum.http.post('/api/auth/password-reset/confirm').send({ token, newPassword: 'yet another password' }).expect(404);
    await forum.http.post('/api/auth/login').send({ email: owner.user.email, password: 'a completely new password' }).expect(200);
    const exported = JSON.parse((await forum.http.get('/api/me/export').set(auth).expect(200)).text);
    expect(exported.securityLog).to.have.length(1);
    expect(exported.securityLog[0]).to.have.keys(['kind', 'at']);
    expect(exported.securityLog[0].kind).to.equal('password_reset');
    expect(JSON.stringify(exported.securityLog)).not.to.include('a completely new password');
  });

  it('password reset links expire after an hour and refuse bad input', async () => {
    const owner = await buildUser();
    await forum.http.post('/api/auth/password-reset').send({ email: owner.user.email }).expect(202);
    const token = tokenIn(await received(owner.user.email, 'password_reset'), '/reset-password');
    const link = await AccountLink.findOne({ purpose: 'password_reset', userId: owner.user._id }).lean();
    expect(link!.expiresAt.getTime() - link!.createdAt.getTime()).to.equal(60 * 60 * 1000);
    const short = await forum.http.post('/api/auth/password-reset/confirm').send({ token, newPassword: 'short' }).expect(400);
    expect(short.body.error.field).to.equal('newPassword');
    await AccountLink.updateOne({ _id: link!._id }, { $set: { expiresAt: new Date(Date.now() - 1) } });
    await forum.http.post('/api/auth/password-reset/confirm').send({ token, newPassword: 'a long enough password 2' }).expect(404);
    await forum.http.post('/api/auth/password-reset').send({ email: 42 }).expect(400);
  });

  it('a minor: the own address and the parent’s confirmation, both from received messages, before the first sign-in', async () => {
    const email = uniqueEmail('kid');
    const parent = uniqueEmail('parent');
    const born = `${new Date().getUTCFullYear() - 14}-01-01`;
    const res = await forum.http.post('/api/auth/register').send({ ...adult(email), dateOfBirth: born, parentEmail: parent }).expect(202);
    expect(res.body).to.deep.equal({ status: 'pending_parental_consent' });
    const own = await received(email, 'verify_email');
    const parents = await smtp.waitFor(sentTo(parent));
    const verifying = await forum.http
      .post('/api/auth/verify-email')
      .send({ token: tokenIn(own, '/verify-email'), password: 'a long enough password' })
      .expect(403);
    expect(verifying.body.error.code).to.equal('parental_consent_pending');
    await forum.http.post('/api/auth/parental-consent').send({ token: tokenIn(parents, '/parental-consent') }).expect(200);
    await forum.http.post('/api/auth/login').send({ email, password: 'a long enough password' }).expect(200);
  });

  it('one-click unsubscribe: the List-Unsubscribe URL takes the RFC 8058 form post, without signing in', async () => {
    const reader = await buildUser({ preferences: { email: true, sms: false, whatsapp: false, phone: false, post: false } });
    await sendMarketing(forum.ctx, [reader.user._id], { subject: 'Autumn news', text: 'We meet in October.', channel: 'email' });
    const mail = await smtp.waitFor(sentTo(reader.user.email));
    const target = new URL(/<(.+)>/.exec(headerLine(mail, 'list-unsubscribe')!)![1]!);
    expect(target.pathname).to.equal('/api/unsubscribe');
    // A form body that is not RFC 8058's is refused, naming the field.
    const bad = await forum.http.post(`${target.pathname}${target.search}`).type('form').send('List-Unsubscribe=Yes').expect(400);
    expect(bad.body.error.field).to.equal('List-Unsubscribe');
    const done = await forum.http.post(`${target.pathname}${target.search}`).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(done.body).to.deep.equal({ channel: 'email', subscribed: false });
    expect((await User.findById(reader.user._id).lean())!.preferences!.email).to.equal(false);
    const again = await sendMarketing(forum.ctx, [reader.user._id], { subject: 'More news', text: 'x', channel: 'email' });
    expect(again.sent).to.deep.equal([]);
  });

  it('checks consent again when sending: a message queued before the opt-out is not sent', async () => {
    const [first, second] = await Promise.all([
      buildUser({ preferences: { email: true, sms: false, whatsapp: false, phone: false, post: false } }),
      buildUser({ preferences: { email: true, sms: false, whatsapp: false, phone: false, post: false } }),
    ]);
    smtp.plan('hold');
    await sendMarketing(forum.ctx, [first.user._id], { subject: 'Held', text: 'x', channel: 'email' });
    await smtp.waitForAttempts(smtp.attempts.length + 1);
    const report = await sendMarketing(forum.ctx, [second.user._id], { subject: 'Queued', text: 'x', channel: 'email' });
    expect(report.sent).to.deep.equal([String(second.user._id)]);
    await forum.http.put('/api/me/preferences').set(second.auth).send({ email: false, sms: false, whatsapp: false, phone: false, post: false }).expect(200);
    smtp.release();
    await eventually(async () => expect(await Outbox.countDocuments({ to: second.user.email, state: 'cancelled' })).to.equal(1));
    expect(smtp.attempts.filter(sentTo(second.user.email))).to.deep.equal([]);
  });

  it('retries a temporary failure (451) with backoff and sends once; records a permanent one (550) with the server’s answer', async () => {
    const admin = await buildUser({ roles: ['admin', 'moderator'] });
    smtp.plan({ code: 451, message: '4.3.0 Try again later' });
    const retried = uniqueEmail('retry');
    const first = await sendMessage(forum.ctx, { kind: 'transactional', to: retried, content: EXAMPLES[2]!.content });
    await smtp.waitFor(sentTo(retried));
    const sent = await eventually(async () => {
      const record = (await Outbox.findById(first!._id).lean())!;
      expect(record.state).to.equal('sent');
      return record;
    });
    expect(sent.attempts).to.equal(2);
    expect(smtp.accepted.filter(sentTo(retried))).to.have.length(1);

    smtp.plan({ code: 550, message: `5.1.1 <nobody-here@example.org> mailbox unavailable` });
    const refused = uniqueEmail('refused');
    const second = await sendMessage(forum.ctx, { kind: 'transactional', to: refused, content: EXAMPLES[2]!.content });
    const failed = await eventually(async () => {
      const record = (await Outbox.findById(second!._id).lean())!;
      expect(record.state).to.equal('failed');
      return record;
    });
    expect(failed.attempts).to.equal(1);
    expect(failed.lastError).to.match(/^550 5\.1\.1 <address> mailbox unavailable/);
    expect(failed.lastError).not.to.include('nobody-here');

    // The operator's view: counts and failures, no bodies, links or addresses.
    const view = await forum.http.get('/api/admin/outbox').set(admin.auth).expect(200);
    expect(view.body).to.have.keys(['queued', 'sending', 'sent', 'failed', 'cancelled', 'lastFailures']);
    expect(view.body.failed).to.be.at.least(1);
    expect(view.body.sent).to.be.at.least(1);
    expect(view.body.lastFailures[0]).to.deep.include({ type: 'password_reset', error: failed.lastError });
    expect(view.body.lastFailures[0]).to.have.keys(['at', 'type', 'error']);
    expect(view.text).not.to.match(/@|https?:|token/);
  });

  it('shows the queue to admins only', async () => {
    const member = await buildUser();
    await forum.http.get('/api/admin/outbox').expect(401);
    await forum.http.get('/api/admin/outbox').set(member.auth).expect(403);
  });

  it('the admin address cannot be taken over by registering it first, nor after the admin erased their account', async () => {
    // The attacker registers the configured admin address with their own password.
    await forum.http.post('/api/auth/register').send(adult(ADMIN_ADDRESS, 'the attacker password')).expect(202);
    expect((await User.findOne({ email: ADMIN_ADDRESS }).lean())!.roles).to.deep.equal([]);
    const attacker = await forum.http.post('/api/auth/login').send({ email: ADMIN_ADDRESS, password: 'the attacker password' }).expect(403);
    expect(attacker.body.error.code).to.equal('email_unverified');

    // The real admin registers, is told by e-mail, and takes the address back through the reset link.
    await forum.http.post('/api/auth/register').send(adult(ADMIN_ADDRESS, 'the real admin password')).expect(202);
    const notice = await smtp.waitFor((mail) => sentTo(ADMIN_ADDRESS)(mail) && /tried to register/.test(mail.parsed.subject ?? ''));
    const admin = await forum.http
      .post('/api/auth/password-reset/confirm')
      .send({ token: tokenIn(notice, '/reset-password'), newPassword: 'the real admin password' })
      .expect(200);
    expect(admin.body.user.roles).to.deep.equal(['admin', 'moderator']);
    await forum.http.post('/api/auth/login').send({ email: ADMIN_ADDRESS, password: 'the attacker password' }).expect(401);

    // The admin erases the account; registering the address again gives no roles until it is verified.
    await forum.http
      .delete('/api/me')
      .set('Authorization', `Bearer ${admin.body.token as string}`)
      .send({ password: 'the real admin password' })
      .expect(202);
    await eventually(async () => expect(await User.exists({ email: ADMIN_ADDRESS })).to.equal(null), 15_000);
    const sentBefore = smtp.accepted.length;
    await forum.http.post('/api/auth/register').send(adult(ADMIN_ADDRESS, 'the attacker password')).expect(202);
    expect((await User.findOne({ email: ADMIN_ADDRESS }).lean())!).to.include({ status: 'pending_verification' });
    expect((await User.findOne({ email: ADMIN_ADDRESS }).lean())!.roles).to.deep.equal([]);
    await forum.http.post('/api/auth/login').send({ email: ADMIN_ADDRESS, password: 'the attacker password' }).expect(403);

    // The real admin follows that verification link. The link proves the mailbox, not who registered:
    // the attacker's password is refused at the link and, confirmed without it, is dropped.
    const latest = await smtp.waitFor((mail) => smtp.accepted.indexOf(mail) >= sentBefore && sentTo(ADMIN_ADDRESS)(mail) && mail.parsed.subject === subjectOf('verify_email'));
    const verification = tokenIn(latest, '/verify-email');
    const guessed = await forum.http.post('/api/auth/verify-email').send({ token: verification, password: 'what the admin uses' }).expect(400);
    expect(guessed.body.error.message).to.match(/^password: /);
    const opened = await forum.http.post('/api/auth/verify-email').send({ token: verification }).expect(200);
    expect(opened.body.user.roles).to.deep.equal(['admin', 'moderator']);
    await forum.http.post('/api/auth/login').send({ email: ADMIN_ADDRESS, password: 'the attacker password' }).expect(401);
    const choose = await received(ADMIN_ADDRESS, 'choose_password');
    await forum.http
      .post('/api/auth/password-reset/confirm')
      .send({ token: tokenIn(choose, '/reset-password'), newPassword: 'the admin’s own password' })
      .expect(200);
    await forum.http.post('/api/auth/login').send({ email: ADMIN_ADDRESS, password: 'the admin’s own password' }).expect(200);
  });

  it('signs up through the test helper the same way (registration, received link, verification)', async () => {
    const member = await api.register();
    await forum.http.get('/api/me').set(member.auth).expect(200);
  });
});

