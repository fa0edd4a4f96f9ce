// Account pre-hijacking: a stranger registers someone else's address with a password of their own and
// waits for the owner to follow the verification link. The link proves the mailbox, never the registrant,
// so the stranger's password must not survive a verification it did not take part in.
import { expect } from 'chai';
import { User } from '../../server/models/user';
import { resetDatabase } from '../support/database';
import { uniqueEmail } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { linkParameter, messagesTo } from '../support/outbox';

const STRANGER_PASSWORD = 'the stranger’s password';
const LIMITS = { freePerPair: 2, freePerAccount: 100, perAddress: 100, firstDelayMs: 30_000, maxPairDelayMs: 240_000 };

describe('security: a verification link never opens an account with a stranger’s password', function () {
  // Every password check is a real scrypt hash: slow on a loaded machine, never timed.
  this.timeout(60_000);
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ loginLimits: LIMITS });
  });
  after(() => forum.close());

  /** The stranger registers `email`; returns the verification token that reaches the owner's mailbox. */
  async function registeredByStranger(email = uniqueEmail('owner')): Promise<{ email: string; token: string }> {
    await forum.http
      .post('/api/auth/register')
      .send({ email, password: STRANGER_PASSWORD, name: 'Not The Owner', dateOfBirth: '1990-01-01', acceptTerms: true })
      .expect(202);
    return { email, token: await linkParameter(email, '/verify-email', 'token') };
  }
  const login = (email: string, password: string) => forum.http.post('/api/auth/login').send({ email, password });

  it('the owner who confirms without the password is signed in; the stranger’s password stops working', async () => {
    const { email, token } = await registeredByStranger();
    const opened = await forum.http.post('/api/auth/verify-email').send({ token }).expect(200);
    expect(opened.body.user).to.include({ email, emailVerified: true });
    await forum.http.get('/api/me').set('Authorization', `Bearer ${opened.body.token as string}`).expect(200);

    expect((await login(email, STRANGER_PASSWORD)).status).to.equal(401);
    // The owner is told how to choose their own password, and the drop is in the account's security log.
    const messages = await messagesTo(email);
    expect(messages.map((message) => message.type)).to.deep.equal(['verify_email', 'choose_password']);
    const reset = await forum.http
      .post('/api/auth/password-reset/confirm')
      .send({ token: await linkParameter(email, '/reset-password', 'token'), newPassword: 'the owner’s own password' })
      .expect(200);
    const exported = JSON.parse((await forum.http.get('/api/me/export').set('Authorization', `Bearer ${reset.body.token as string}`)).text);
    expect(exported.securityLog.map((event: { kind: string }) => event.kind)).to.deep.equal(['registration_password_dropped', 'password_reset']);
    expect((await login(email, 'the owner’s own password')).status).to.equal(200);
  });

  it('a wrong password at the link is refused by name and leaves the link and the account as they were', async () => {
    const { email, token } = await registeredByStranger();
    const refused = await forum.http.post('/api/auth/verify-email').send({ token, password: 'what the owner guesses' }).expect(400);
    expect(refused.body.error.message).to.match(/^password: /);
    expect(await User.findOne({ email }).lean()).to.include({ status: 'pending_verification', emailVerified: false });
    expect((await messagesTo(email)).map((message) => message.type)).to.deep.equal(['verify_email']);
    // The registrant, who knows it, still can use the same link, and keeps the password.
    const verified = await forum.http.post('/api/auth/verify-email').send({ token, password: STRANGER_PASSWORD }).expect(200);
    expect(verified.body.user.emailVerified).to.equal(true);
    expect((await login(email, STRANGER_PASSWORD)).status).to.equal(200);
    expect((await messagesTo(email)).map((message) => message.type)).to.deep.equal(['verify_email']);
  });

  it('guessing the registration password through the link is throttled like any other password check', async () => {
    const { token } = await registeredByStranger();
    for (let i = 0; i < LIMITS.freePerPair; i += 1) {
      await forum.http.post('/api/auth/verify-email').send({ token, password: `guess number ${i}` }).expect(400);
    }
    await forum.http.post('/api/auth/verify-email').send({ token, password: 'one guess too many' }).expect(400);
    const blocked = await forum.http.post('/api/auth/verify-email').send({ token, password: STRANGER_PASSWORD }).expect(429);
    expect(blocked.body.error.code).to.equal('rate_limited');
  });

  it('uses the link once even when confirmations with and without the password race', async () => {
    const { email, token } = await registeredByStranger();
    const answers = await Promise.all([
      forum.http.post('/api/auth/verify-email').send({ token, password: STRANGER_PASSWORD }),
      forum.http.post('/api/auth/verify-email').send({ token }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).to.deep.equal([200, 404]);
    const droppedPassword = answers[1]!.status === 200;
    expect((await login(email, STRANGER_PASSWORD)).status).to.equal(droppedPassword ? 401 : 200);
  });

  it('refuses a password that is not a string, or empty, without using the link', async () => {
    const { email, token } = await registeredByStranger();
    for (const password of [['x'], 42, '']) {
      const res = await forum.http.post('/api/auth/verify-email').send({ token, password }).expect(400);
      expect(res.body.error.message).to.match(/^password: /);
    }
    expect(await User.findOne({ email }).lean()).to.include({ status: 'pending_verification' });
    await forum.http.post('/api/auth/verify-email').send({ token, password: STRANGER_PASSWORD }).expect(200);
  });
});
