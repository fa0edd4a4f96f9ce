// A parent who declined is not asked again, read from real SMTP traffic: a later registration naming
// their address answers exactly as always but sends them nothing (while other parents are still asked),
// their own account's mail still reaches them, the refusal is kept only as a keyed hash, the account that
// nobody may consent to lapses like an unanswered one, and the parent can allow requests again.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { AuditEntry } from '../../server/models/audit-entry';
import { Outbox } from '../../server/models/outbox';
import { ParentalConsent } from '../../server/models/parental-consent';
import { ParentalConsentRefusal } from '../../server/models/parental-consent-refusal';
import { User } from '../../server/models/user';
import { PARENTAL_CONSENT_LIFETIME_MS } from '../../server/services/accounts';
import { lapseUnconsentedRegistrations } from '../../server/services/registration-lapse';
import { hashToken } from '../../server/services/tokens';
import { resetDatabase } from '../support/database';
import { findTraces, waitForErasure } from '../support/erasure';
import { bornYearsAgo, buildUser, uniqueEmail } from '../support/factories';
import type { TestForum } from '../support/forum';
import { sentTo, tokenIn, type ReceivedMail, type TestSmtpServer } from '../support/smtp';
import { startSmtpForum, type SmtpForum } from '../support/smtp-forum';

const PASSWORD = 'a long enough password';
const DAY_MS = 24 * 60 * 60 * 1000;

const isConsentRequest = (mail: ReceivedMail) => mail.links.some((link) => link.includes('/parental-consent?'));

describe('mail: a parent who declined is not asked again', () => {
  let env: SmtpForum;
  let smtp: TestSmtpServer;
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    env = await startSmtpForum();
    ({ smtp, forum } = env);
  });
  after(() => env.close());

  interface Registration {
    email: string;
    userId: string;
    /** The consent link the parent received, when one was sent. */
    token: string | null;
  }

  /** Registers a minor naming `parentEmail` exactly as given; waits for the child's own verification message. */
  async function registerMinor(label: string, parentEmail: string, expectRequest: boolean): Promise<Registration> {
    const email = uniqueEmail(label);
    const answer = await forum.http
      .post('/api/auth/register')
      .send({ email, password: PASSWORD, name: `${label} Kid`, dateOfBirth: bornYearsAgo(14), parentEmail, acceptTerms: true })
      .expect(202);
    expect(answer.body).to.deep.equal({ status: 'pending_parental_consent' });
    await smtp.waitFor(sentTo(email));
    const userId = String((await User.findOne({ email }).lean())!._id);
    if (!expectRequest) return { email, userId, token: null };
    const request = await smtp.waitFor((mail) => sentTo(parentEmail.trim())(mail) && isConsentRequest(mail) && mail.parsed.text!.includes(`${label} Kid`));
    return { email, userId, token: tokenIn(request, '/parental-consent') };
  }

  const decline = (token: string) => forum.http.post('/api/auth/parental-consent/decline').send({ token });
  const agree = (token: string) => forum.http.post('/api/auth/parental-consent').send({ token });
  const mailTo = (address: string) => smtp.accepted.filter(sentTo(address));
  /** Messages ever queued to the address (queued before registration answers, so nothing is in flight). */
  const queuedTo = (address: string) => Outbox.countDocuments({ to: address.toLowerCase() });

  async function declinedParent(label: string): Promise<{ parent: string; child: Registration }> {
    const parent = uniqueEmail(`${label}-parent`);
    const child = await registerMinor(label, parent, true);
    await decline(child.token!).expect(200, { status: 'declined', furtherRequests: 'not_sent' });
    await waitForErasure(child.userId);
    return { parent, child };
  }

  it('after a decline, registrations naming that parent (in any case, with spaces) answer the same and send the parent nothing; other parents are still asked', async () => {
    const { parent } = await declinedParent('first');
    const receivedBefore = mailTo(parent).length;
    expect(receivedBefore).to.equal(1);

    const again = await registerMinor('again', parent, false);
    const shouted = await registerMinor('shouted', `  ${parent.toUpperCase()} `, false);
    // Registered after the two above: once this parent's request has arrived, theirs would have too.
    const otherParent = uniqueEmail('other-parent');
    const other = await registerMinor('other', otherParent, true);
    expect(other.token).to.be.a('string');

    expect(mailTo(parent)).to.have.length(receivedBefore);
    expect(await queuedTo(parent)).to.equal(0);
    for (const child of [again, shouted]) {
      expect(await ParentalConsent.countDocuments({ userId: child.userId })).to.equal(0);
      const stored = await User.findById(child.userId).lean();
      expect(stored!.status).to.equal('pending_parental_consent');
      // The address of a parent who said no is not kept on the new account either.
      expect(stored!.parentEmail).to.equal(null);
    }
  });

  it('does not stop the parent’s own account mail: verification and password reset reach the refused address', async () => {
    const { parent } = await declinedParent('own-mail');
    await forum.http
      .post('/api/auth/register')
      .send({ email: parent, password: PASSWORD, name: 'Parent Themselves', dateOfBirth: '1980-04-05', acceptTerms: true })
      .expect(202, { status: 'verification_sent' });
    const verification = await smtp.waitFor((mail) => sentTo(parent)(mail) && mail.links.some((link) => link.includes('/verify-email')));
    await forum.http.post('/api/auth/verify-email').send({ token: tokenIn(verification, '/verify-email'), password: PASSWORD }).expect(200);
    await forum.http.post('/api/auth/password-reset').send({ email: parent }).expect(202);
    await smtp.waitFor((mail) => sentTo(parent)(mail) && mail.links.some((link) => link.includes('/reset-password')));
    // Still refused: being a member is not a wish to be asked about children.
    expect(await ParentalConsentRefusal.countDocuments({})).to.be.greaterThan(0);
    await registerMinor('own-mail-again', parent, false);
    expect(mailTo(parent).filter(isConsentRequest)).to.have.length(1);
  });

  it('keeps the refusal as a keyed hash only: no plain address, no plain hash of it, no trace of the child', async () => {
    const { parent, child } = await declinedParent('stored');
    const rows = await ParentalConsentRefusal.find({}).lean();
    const json = JSON.stringify(rows);
    for (const plain of [parent, parent.toUpperCase(), parent.split('@')[0]!]) expect(json).not.to.include(plain);
    expect(json).not.to.include(createHash('sha256').update(parent).digest('hex'));
    const mine = rows.filter((row) => row.reason === 'parent_declined');
    expect(mine.length).to.be.greaterThan(0);
    for (const row of rows) {
      expect(Object.keys(row).filter((key) => !['_id', '__v'].includes(key)).sort()).to.deep.equal(['addressHash', 'at', 'reason']);
      expect(row.addressHash).to.match(/^[0-9a-f]{64}$/);
    }
    expect(await findTraces([parent, child.email, child.userId])).to.deep.equal([]);
  });

  it('the account nobody was asked about cannot be activated, and lapses with unanswered ones once a link would have expired', async () => {
    const { parent } = await declinedParent('lapse');
    const refused = await registerMinor('lapse-refused', parent, false);
    const unanswered = await registerMinor('lapse-unanswered', uniqueEmail('silent-parent'), true);

    const verification = await smtp.waitFor((mail) => sentTo(refused.email)(mail) && mail.links.some((link) => link.includes('/verify-email')));
    const answer = await forum.http.post('/api/auth/verify-email').send({ token: tokenIn(verification, '/verify-email'), password: PASSWORD }).expect(403);
    expect(answer.body.error.code).to.equal('parental_consent_pending');
    expect((await User.findById(refused.userId).lean())!.status).to.equal('pending_parental_consent');
    await forum.http.post('/api/auth/login').send({ email: refused.email, password: PASSWORD }).expect(403);

    // A day before a link would lapse, neither account lapses; a moment after it, both do.
    const registeredAt = Date.now();
    await lapseUnconsentedRegistrations(forum.ctx, new Date(registeredAt + PARENTAL_CONSENT_LIFETIME_MS - DAY_MS));
    for (const child of [refused, unanswered]) expect((await User.findById(child.userId).lean())!.status).to.equal('pending_parental_consent');

    const lapsedAt = new Date(registeredAt + PARENTAL_CONSENT_LIFETIME_MS + 60_000);
    expect(await lapseUnconsentedRegistrations(forum.ctx, lapsedAt)).to.be.at.least(2);
    for (const child of [refused, unanswered]) {
      await waitForErasure(child.userId);
      expect(await User.exists({ _id: child.userId })).to.equal(null);
    }
    expect(await AuditEntry.exists({ action: 'account.erase', reason: 'registration lapsed without a parent’s or guardian’s consent' })).to.not.equal(null);
    // The address is free again: the child can start over (their parent, who refused, still hears nothing).
    await forum.http
      .post('/api/auth/register')
      .send({ email: refused.email, password: PASSWORD, name: 'lapse-refused Kid', dateOfBirth: bornYearsAgo(14), parentEmail: parent, acceptTerms: true })
      .expect(202, { status: 'pending_parental_consent' });
    expect((await User.findOne({ email: refused.email }).lean())!.status).to.equal('pending_parental_consent');
    expect(await queuedTo(parent)).to.equal(0);
  });

  it('a parent who agreed, or whose link still works, is never overtaken by the lapse', async () => {
    const agreed = await registerMinor('lapse-agreed', uniqueEmail('agreeing-parent'), true);
    const waiting = await registerMinor('lapse-waiting', uniqueEmail('slow-parent'), true);
    await agree(agreed.token!).expect(200);
    const later = new Date(Date.now() + PARENTAL_CONSENT_LIFETIME_MS + 60_000);
    await ParentalConsent.updateOne({ tokenHash: hashToken(waiting.token!) }, { $set: { expiresAt: new Date(later.getTime() + DAY_MS) } });
    await lapseUnconsentedRegistrations(forum.ctx, later);
    expect((await User.findById(agreed.userId).lean())!.status).to.equal('pending_verification');
    expect((await User.findById(waiting.userId).lean())!.status).to.equal('pending_parental_consent');
  });

  it('declining twice, or an unknown or expired link, answers the same 404 and records nothing more', async () => {
    const parent = uniqueEmail('twice-parent');
    const child = await registerMinor('twice', parent, true);
    const before = await ParentalConsentRefusal.countDocuments({});
    await decline(child.token!).expect(200);
    const first = await ParentalConsentRefusal.find({}).lean();
    expect(first).to.have.length(before + 1);
    const unknown = await decline('x'.repeat(43)).expect(404);
    const twice = await decline(child.token!).expect(404);
    expect(twice.body).to.deep.equal(unknown.body);
    expect(await ParentalConsentRefusal.find({}).lean()).to.deep.equal(first);

    // A second child naming the same parent gets no link, so there is nothing to decline a second time;
    // an expired link of another parent records no refusal for them.
    const lateParent = uniqueEmail('late-parent');
    const late = await registerMinor('late', lateParent, true);
    await ParentalConsent.updateOne({ tokenHash: hashToken(late.token!) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    const expired = await decline(late.token!).expect(404);
    expect(expired.body).to.deep.equal(unknown.body);
    expect(await ParentalConsentRefusal.countDocuments({})).to.equal(first.length);
    await waitForErasure(child.userId);
  });

  it('of a decline racing an agreement, the refusal is recorded exactly when the decline won', async () => {
    // Each side is sent first in turn, so both outcomes are likely to be seen; each is checked whichever it is.
    for (const [label, declineFirst] of [['race-a', true], ['race-b', false], ['race-c', true], ['race-d', false]] as const) {
      const parent = uniqueEmail(`${label}-parent`);
      const child = await registerMinor(label, parent, true);
      const [agreed, declined] = declineFirst
        ? await Promise.all([decline(child.token!), agree(child.token!)]).then(([d, a]) => [a, d])
        : await Promise.all([agree(child.token!), decline(child.token!)]);
      expect([agreed.status, declined.status].sort()).to.deep.equal([200, 404]);
      await waitForErasure(child.userId);
      const next = await registerMinor(`${label}-next`, parent, declined.status === 404);
      if (declined.status === 200) expect(next.token).to.equal(null);
      // The declined child's request went with its erasure; an agreed one's stays beside the next.
      expect(await queuedTo(parent)).to.equal(declined.status === 200 ? 0 : 2);
    }
  });

  it('a request still waiting in the queue when the parent declines another is not sent', async () => {
    const parent = uniqueEmail('queued-parent');
    const waiting = await registerMinor('queued-first', parent, true);
    const declined = await registerMinor('queued-second', parent, true);
    await decline(declined.token!).expect(200);
    // The first request goes back in the queue, as after a temporary SMTP failure.
    const request = await Outbox.findOneAndUpdate(
      { to: parent, userId: waiting.userId },
      { $set: { state: 'queued', nextAttemptAt: new Date(), leaseOwner: null, leaseUntil: null } },
      { new: true },
    ).lean();
    expect(request!.type).to.equal('parental_consent');
    const deadline = Date.now() + 10_000;
    while (['queued', 'sending'].includes((await Outbox.findById(request!._id).lean())!.state) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const settled = await Outbox.findById(request!._id).lean();
    expect(settled!.state).to.equal('cancelled');
    expect(settled!.lastError).to.equal('the address refused parental consent requests');
    expect(mailTo(parent).filter(isConsentRequest)).to.have.length(2);
    await waitForErasure(declined.userId);
  });

  describe('the parent’s own account', () => {
    async function signedInParent(label: string): Promise<{ parent: string; auth: { Authorization: string } }> {
      const { parent } = await declinedParent(label);
      await forum.http
        .post('/api/auth/register')
        .send({ email: parent, password: PASSWORD, name: 'Parent Account', dateOfBirth: '1979-01-02', acceptTerms: true })
        .expect(202);
      const verification = await smtp.waitFor((mail) => sentTo(parent)(mail) && mail.links.some((link) => link.includes('/verify-email')));
      const signedIn = await forum.http.post('/api/auth/verify-email').send({ token: tokenIn(verification, '/verify-email'), password: PASSWORD }).expect(200);
      return { parent, auth: { Authorization: `Bearer ${signedIn.body.token as string}` } };
    }

    it('sees the refusal in its export (and nothing about the child); someone else’s export does not', async () => {
      const { parent, auth } = await signedInParent('export');
      const bystander = await signedInParent('export-bystander');
      await forum.http.put('/api/me/parental-consent-requests').set(bystander.auth).send({ refused: false }).expect(200);

      const exported = await forum.http.get('/api/me/export').set(auth).expect(200);
      const document = JSON.parse(exported.text);
      expect(document.parentalConsentRequestsRefused).to.have.all.keys('reason', 'at');
      expect(document.parentalConsentRequestsRefused.reason).to.equal('parent_declined');
      expect(exported.text).not.to.include('export Kid');
      expect(document.account.email).to.equal(parent);

      const theirs = JSON.parse((await forum.http.get('/api/me/export').set(bystander.auth).expect(200)).text);
      expect(theirs.parentalConsentRequestsRefused).to.equal(null);
    });

    it('allows requests again, explicitly, and then the parent is asked once more', async () => {
      const { parent, auth } = await signedInParent('way-back');
      const state = await forum.http.get('/api/me/parental-consent-requests').set(auth).expect(200);
      expect(state.body.refused).to.equal(true);
      expect(Date.parse(state.body.since)).to.be.a('number').and.not.NaN;
      await registerMinor('way-back-refused', parent, false);

      await forum.http.put('/api/me/parental-consent-requests').set(auth).send({ refused: false }).expect(200, { refused: false, since: null });
      await registerMinor('way-back-asked', parent, true);
      // Lifting twice changes nothing more.
      await forum.http.put('/api/me/parental-consent-requests').set(auth).send({ refused: false }).expect(200, { refused: false, since: null });

      // And refused again from the account, this time by choice.
      await forum.http.put('/api/me/parental-consent-requests').set(auth).send({ refused: true }).expect(200);
      await registerMinor('way-back-refused-again', parent, false);
      expect(mailTo(parent).filter(isConsentRequest)).to.have.length(2);
      // Each change the account holder made is in their ledger (the decline through the link was not theirs as a member).
      const { consents } = JSON.parse((await forum.http.get('/api/me/export').set(auth).expect(200)).text);
      const choices = (consents as { kind: string; value: unknown; source: string }[]).filter((entry) => entry.kind === 'parental_consent_refusal');
      expect(choices.map(({ value, source }) => ({ value, source }))).to.deep.equal([
        { value: false, source: 'settings' },
        { value: true, source: 'settings' },
      ]);
    });

    it('refuses bad input naming the field, and tells an account whose address was never proven nothing about it', async () => {
      const { auth } = await signedInParent('bad-input');
      for (const body of [{}, { refused: 'no' }, { refused: null }]) {
        const refused = await forum.http.put('/api/me/parental-consent-requests').set(auth).send(body).expect(400);
        expect(refused.body.error.field).to.equal('refused');
      }
      // An account on the refused address that never followed a link has not proven the mailbox is its owner's.
      const { parent } = await declinedParent('unproven');
      const unproven = await buildUser({ email: parent, emailVerified: false });
      const answer = await forum.http.put('/api/me/parental-consent-requests').set(unproven.auth).send({ refused: false }).expect(403);
      expect(answer.body.error.code).to.equal('email_unverified');
      // Nor is it told whether that address refused: not by the setting, not in its export.
      const told = await forum.http.get('/api/me/parental-consent-requests').set(unproven.auth).expect(403);
      expect(told.body.error.code).to.equal('email_unverified');
      const exported = JSON.parse((await forum.http.get('/api/me/export').set(unproven.auth).expect(200)).text);
      expect(exported.account.email).to.equal(parent);
      expect(exported.parentalConsentRequestsRefused).to.equal(null);
    });
  });
});
