// The parent's side of a minor's registration, following the link in the message received over real SMTP:
// what the link is for (the child's display name and the organisation, nothing else), agreeing, declining
// (which erases the pending account through the erasure job), and links that can no longer be used.
import { expect } from 'chai';
import { AuditEntry } from '../../server/models/audit-entry';
import { ErasureJob } from '../../server/models/erasure-job';
import { ParentalConsent } from '../../server/models/parental-consent';
import { User } from '../../server/models/user';
import { hashToken } from '../../server/services/tokens';
import { resetDatabase } from '../support/database';
import { findTraces, waitForErasure } from '../support/erasure';
import { bornYearsAgo, uniqueEmail } from '../support/factories';
import type { TestForum } from '../support/forum';
import { sentTo, tokenIn, type TestSmtpServer } from '../support/smtp';
import { startSmtpForum, type SmtpForum } from '../support/smtp-forum';

const PASSWORD = 'a long enough password';

describe('parental consent: the parent’s link', () => {
  let env: SmtpForum;
  let smtp: TestSmtpServer;
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    env = await startSmtpForum({ brand: { name: 'Doctors Abroad', tagline: 'Talk with fellow members', logoFile: null, accentColor: null } });
    ({ smtp, forum } = env);
  });
  after(() => env.close());

  interface Minor {
    email: string;
    name: string;
    dateOfBirth: string;
    parentEmail: string;
    /** The token of the link in the message the parent received. */
    token: string;
    userId: string;
  }

  async function registerMinor(label: string): Promise<Minor> {
    const minor = { email: uniqueEmail(label), name: `${label} Kid Fullname`, dateOfBirth: bornYearsAgo(14), parentEmail: uniqueEmail(`${label}-parent`) };
    await forum.http.post('/api/auth/register').send({ ...minor, password: PASSWORD, acceptTerms: true }).expect(202, { status: 'pending_parental_consent' });
    const mail = await smtp.waitFor(sentTo(minor.parentEmail));
    const userId = String((await User.findOne({ email: minor.email }).lean())!._id);
    return { ...minor, token: tokenIn(mail, '/parental-consent'), userId };
  }

  const lookup = (token: unknown) => forum.http.post('/api/auth/parental-consent/lookup').send({ token });
  const agree = (token: unknown) => forum.http.post('/api/auth/parental-consent').send({ token });
  const decline = (token: unknown) => forum.http.post('/api/auth/parental-consent/decline').send({ token });

  it('the message names the organisation and the child’s display name, and says the link can decline', async () => {
    const minor = await registerMinor('mail');
    const mail = await smtp.waitFor(sentTo(minor.parentEmail));
    expect(mail.parsed.text).to.include('Doctors Abroad').and.include(`"${minor.name}"`).and.match(/decline, the account is erased/);
    for (const secret of [minor.email, minor.dateOfBirth]) expect(mail.parsed.text).not.to.include(secret);
  });

  it('tells what the link is for (display name and organisation only) without using it, then the parent agrees', async () => {
    const minor = await registerMinor('agree');
    await User.updateOne({ _id: minor.userId }, { $set: { displayName: 'Tommy' } });

    const read = await lookup(minor.token).expect(200);
    expect(read.body).to.have.all.keys('state', 'child', 'organisation', 'expiresAt');
    expect(read.body).to.deep.include({ state: 'pending', child: { displayName: 'Tommy' }, organisation: { name: 'Doctors Abroad' } });
    const stored = await ParentalConsent.findOne({ tokenHash: hashToken(minor.token) }).lean();
    expect(read.body.expiresAt).to.equal(stored!.expiresAt.toISOString());
    for (const secret of [minor.email, minor.name, minor.dateOfBirth, minor.parentEmail, minor.userId]) expect(JSON.stringify(read.body)).not.to.include(secret);
    // Reading twice is still reading: nothing was decided.
    await lookup(minor.token).expect(200);
    expect((await User.findById(minor.userId).lean())!.status).to.equal('pending_parental_consent');

    await agree(minor.token).expect(200, { status: 'confirmed' });
    expect((await User.findById(minor.userId).lean())!.status).to.equal('pending_verification');

    // A used link says so and can do nothing more.
    const used = await lookup(minor.token).expect(200);
    expect(used.body).to.deep.include({ state: 'confirmed', child: { displayName: 'Tommy' } });
    await agree(minor.token).expect(404);
    await decline(minor.token).expect(404);
    expect((await User.findById(minor.userId).lean())!.status).to.equal('pending_verification');
  });

  it('declining erases the pending account entirely, records why in the audit chain, and the link is dead', async () => {
    const minor = await registerMinor('decline');
    // The child's own verification message is on its way or delivered; the account is as full as a pending one gets.
    await smtp.waitFor(sentTo(minor.email));
    const someoneElse = await registerMinor('bystander');

    await decline(minor.token).expect(200, { status: 'declined', furtherRequests: 'not_sent' });
    // At once: the account cannot sign in and the link answers like an unknown one.
    await forum.http.post('/api/auth/login').send({ email: minor.email, password: PASSWORD }).expect(401);
    const gone = await lookup(minor.token).expect(404);
    const unknown = await lookup('x'.repeat(43)).expect(404);
    expect(gone.body).to.deep.equal(unknown.body);
    await agree(minor.token).expect(404);
    await decline(minor.token).expect(404);

    await waitForErasure(minor.userId);
    expect(await User.exists({ _id: minor.userId })).to.equal(null);
    const traces = await findTraces([minor.userId, minor.email, minor.name, minor.parentEmail, hashToken(minor.token)]);
    expect(traces).to.deep.equal([]);
    const entry = await AuditEntry.findOne({ action: 'account.erase', reason: 'parental consent declined by the parent or guardian' }).lean();
    expect(entry).to.not.equal(null);
    expect(JSON.stringify(entry)).not.to.include(minor.userId);

    // Somebody else's pending account and link are untouched.
    expect((await User.findById(someoneElse.userId).lean())!.status).to.equal('pending_parental_consent');
    await lookup(someoneElse.token).expect(200);
  });

  it('of an agreement and a decline racing, exactly one wins', async () => {
    const minor = await registerMinor('race');
    const [agreed, declined] = await Promise.all([agree(minor.token), decline(minor.token)]);
    expect([agreed.status, declined.status].sort()).to.deep.equal([200, 404]);
    const user = await User.findById(minor.userId).lean();
    if (agreed.status === 200) expect(user!.status).to.equal('pending_verification');
    else {
      expect(user?.status ?? 'gone').to.be.oneOf(['erasing', 'gone']);
      await waitForErasure(minor.userId);
    }
  });

  it('refuses unknown, expired and malformed links with a 4xx naming the problem', async () => {
    for (const send of [lookup, decline]) {
      const unknown = await send('x'.repeat(43)).expect(404);
      expect(unknown.body.error.message).to.match(/wrong, used or expired/);
      for (const bad of [undefined, 7, '', 'x'.repeat(201)]) {
        const refused = await send(bad).expect(400);
        expect(refused.body.error.field).to.equal('token');
      }
    }
    const minor = await registerMinor('late');
    await ParentalConsent.updateOne({ tokenHash: hashToken(minor.token) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await lookup(minor.token).expect(404);
    await decline(minor.token).expect(404);
    expect((await User.findById(minor.userId).lean())!.status).to.equal('pending_parental_consent');
    expect(await ErasureJob.exists({ userId: minor.userId })).to.equal(null);
  });
});
