import { expect } from 'chai';
import { Consent } from '../../server/models/consent';
import mongoose from 'mongoose';
import { AccountLink } from '../../server/models/account-link';
import { ParentalConsent } from '../../server/models/parental-consent';
import { Token } from '../../server/models/token';
import { User } from '../../server/models/user';
import { hashToken } from '../../server/services/tokens';
import { resetDatabase } from '../support/database';
import { bornYearsAgo, buildUser, uniqueEmail } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { eventually, linkParameter, messagesTo } from '../support/outbox';

/** A valid adult registration; tests override one field at a time. */
function registration(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    email: uniqueEmail('reg'),
    password: 'a long enough password',
    name: 'Ada Lovelace',
    dateOfBirth: '1990-12-10',
    acceptTerms: true,
    ...overrides,
  };
}

const RELAXED_LIMITS = { freePerPair: 1000, freePerAccount: 1000, perAddress: 1000 };

describe('accounts: sign-up and sign-in', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ loginLimits: RELAXED_LIMITS, adminEmails: new Set(['boss@example.org']) });
  });
  after(() => forum.close());

  describe('POST /api/auth/register', () => {
    const verificationToken = (email: string) => linkParameter(email, '/verify-email', 'token');

    it('answers 202 without a token, keeps the account inactive, and the e-mailed link signs in', async () => {
      const body = registration({ email: '  Ada.Lovelace@Example.ORG ' });
      const res = await forum.http.post('/api/auth/register').send(body).expect(202);
      expect(res.body).to.deep.equal({ status: 'verification_sent' });
      const stored = await User.findOne({ email: 'ada.lovelace@example.org' }).lean();
      expect(stored).to.include({ status: 'pending_verification', emailVerified: false });

      // Before verification: the right password is told what to do, a wrong one is just wrong.
      const early = await forum.http.post('/api/auth/login').send({ email: 'ada.lovelace@example.org', password: body.password }).expect(403);
      expect(early.body.error.code).to.equal('email_unverified');
      await forum.http.post('/api/auth/login').send({ email: 'ada.lovelace@example.org', password: 'not the password' }).expect(401);
      const viewer = await buildUser();
      await forum.http.get(`/api/users/${String(stored!._id)}`).set(viewer.auth).expect(404);

      const token = await verificationToken('ada.lovelace@example.org');
      const verified = await forum.http.post('/api/auth/verify-email').send({ token, password: body.password }).expect(200);
      expect(verified.body.token).to.be.a('string').with.length.of.at.least(43);
      expect(verified.body.user).to.include({
        email: 'ada.lovelace@example.org',
        name: 'Ada Lovelace',
        displayName: 'Ada Lovelace',
        dateOfBirth: '1990-12-10',
        isMember: false,
        bio: '',
        avatarUrl: null,
        emailVerified: true,
        language: 'en',
      });
      expect(verified.body.user.roles).to.deep.equal([]);
      const me = await forum.http.get('/api/me').set('Authorization', `Bearer ${verified.body.token}`).expect(200);
      expect(me.body.id).to.equal(verified.body.user.id);
      await forum.http.get(`/api/users/${me.body.id as string}`).set(viewer.auth).expect(200);
      // One-time.
      await forum.http.post('/api/auth/verify-email').send({ token }).expect(404);
      await forum.http.post('/api/auth/login').send({ email: 'ada.lovelace@example.org', password: body.password }).expect(200);
    });

    it('stores only a scrypt hash of the password and the SHA-256 of the link', async () => {
      const body = registration();
      await forum.http.post('/api/auth/register').send(body).expect(202);
      const user = await User.findOne({ email: body.email }).lean();
      expect(user!.passwordHash).to.match(/^scrypt\$/);
      expect(user!.passwordHash).not.to.include(body.password as string);
      const token = await verificationToken(body.email as string);
      const links = await AccountLink.find({ userId: user!._id }).lean();
      expect(links).to.have.length(1);
      expect(links[0]!.tokenHash).to.equal(hashToken(token));
      expect(links[0]!.expiresAt.getTime() - links[0]!.createdAt.getTime()).to.equal(24 * 60 * 60 * 1000);
      expect(JSON.stringify(links)).not.to.include(token);
    });

    it('refuses unknown, expired and malformed verification links', async () => {
      await forum.http.post('/api/auth/verify-email').send({ token: 'x'.repeat(43) }).expect(404);
      await forum.http.post('/api/auth/verify-email').send({}).expect(400);
      await forum.http.post('/api/auth/verify-email').send({ token: ['x'] }).expect(400);
      const body = registration();
      await forum.http.post('/api/auth/register').send(body).expect(202);
      const token = await verificationToken(body.email as string);
      await AccountLink.updateOne({ tokenHash: hashToken(token) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      await forum.http.post('/api/auth/verify-email').send({ token }).expect(404);
      expect(await User.findOne({ email: body.email }).lean()).to.include({ emailVerified: false, status: 'pending_verification' });
    });

    it('resends a link on request (the older one stops working) with the same answer for every address', async () => {
      const body = registration();
      await forum.http.post('/api/auth/register').send(body).expect(202);
      const first = await verificationToken(body.email as string);
      const known = await forum.http.post('/api/auth/verify-email/resend').send({ email: body.email }).expect(202);
      const unknown = await forum.http.post('/api/auth/verify-email/resend').send({ email: uniqueEmail('nobody') }).expect(202);
      expect(known.body).to.deep.equal(unknown.body);
      const second = await verificationToken(body.email as string);
      expect(second).not.to.equal(first);
      await forum.http.post('/api/auth/verify-email').send({ token: first }).expect(404);
      await forum.http.post('/api/auth/verify-email').send({ token: second }).expect(200);
      await forum.http.post('/api/auth/verify-email/resend').send({ email: 'not an address' }).expect(400);
    });

    it('records acceptance of the terms in the consent ledger', async () => {
      const body = registration();
      await forum.http.post('/api/auth/register').send(body).expect(202);
      const user = await User.findOne({ email: body.email }).lean();
      const entries = await Consent.find({ userId: user!._id }).lean();
      expect(entries).to.have.length(1);
      expect(entries[0]).to.include({ kind: 'terms', source: 'registration' });
      expect(entries[0]!.at).to.be.instanceOf(Date);
    });

    it('cuts a long legal name to 50 characters for the default display name', async () => {
      const name = 'Maria '.repeat(15).trim();
      const body = registration({ name });
      await forum.http.post('/api/auth/register').send(body).expect(202);
      const user = await User.findOne({ email: body.email }).lean();
      expect(user!.name).to.equal(name);
      expect(user!.displayName).to.equal(name.slice(0, 50).trim());
    });

    it('makes addresses listed in FORUM_ADMIN_EMAILS admin and moderator only once the address is verified', async () => {
      await forum.http.post('/api/auth/register').send(registration({ email: 'Boss@Example.org' })).expect(202);
      expect((await User.findOne({ email: 'boss@example.org' }).lean())!.roles).to.deep.equal([]);
      const verified = await forum.http.post('/api/auth/verify-email').send({ token: await verificationToken('boss@example.org') }).expect(200);
      expect(verified.body.user.roles).to.deep.equal(['admin', 'moderator']);
    });

    it('answers a known address exactly like a new one and tells the owner by e-mail instead (no second account)', async () => {
      const email = uniqueEmail('dup');
      await forum.http.post('/api/auth/register').send(registration({ email })).expect(202);
      const res = await forum.http.post('/api/auth/register').send(registration({ email: email.toUpperCase() })).expect(202);
      expect(res.body).to.deep.equal({ status: 'verification_sent' });
      expect(await User.countDocuments({ email })).to.equal(1);
      const messages = await messagesTo(email);
      expect(messages.map((message) => message.type)).to.deep.equal(['verify_email', 'registration_attempt']);
      expect(messages[1]!.text).to.include('http://127.0.0.1:3000/signin');
      expect(messages[1]!.text).to.include('http://127.0.0.1:3000/reset-password?token=');
    });

    const badValues: Array<[string, unknown, RegExp?]> = [
      ['email', undefined],
      ['email', 42],
      ['email', 'not-an-address'],
      ['email', 'two@@example.org'],
      ['email', 'nodomain@localhost'],
      ['email', `${'a'.repeat(250)}@example.org`],
      ['email', 'spaces in@example.org'],
      ['password', undefined],
      ['password', 12345678901],
      ['password', 'short'],
      ['password', '123456789'],
      ['password', 'x'.repeat(201)],
      ['name', undefined],
      ['name', ''],
      ['name', '   '],
      ['name', 'n'.repeat(101)],
      ['name', '<b>Bold</b>', /plain text/],
      ['name', 'Eve\u202eevil', /control/],
      ['name', 'Tab\u0007bell', /control/],
      ['name', ['Ada']],
      ['dateOfBirth', undefined],
      ['dateOfBirth', '1990-02-30', /calendar/],
      ['dateOfBirth', '1990-13-01', /calendar/],
      ['dateOfBirth', '10/12/1990'],
      ['dateOfBirth', '1990-1-1'],
      ['dateOfBirth', 19901210],
      ['dateOfBirth', bornYearsAgo(0, 1), /future/],
      ['dateOfBirth', bornYearsAgo(131), /130/],
      ['acceptTerms', undefined, /terms/],
      ['acceptTerms', false, /terms/],
      ['acceptTerms', 'true', /terms/],
    ];
    for (const [field, value, message] of badValues) {
      it(`refuses ${field} = ${JSON.stringify(value) ?? 'missing'} with 400 naming the field`, async () => {
        const body = registration({ [field]: value });
        if (value === undefined) delete body[field];
        const res = await forum.http.post('/api/auth/register').send(body).expect(400);
        expect(res.body.error.code).to.equal('invalid_input');
        expect(res.body.error.field).to.equal(field);
        expect(res.body.error.message).to.include(field);
        if (message) expect(res.body.error.message).to.match(message);
        expect(res.headers['set-cookie']).to.equal(undefined);
        if (typeof body.email === 'string') expect(await User.exists({ email: body.email })).to.equal(null);
      });
    }

    it('refuses a password equal to the e-mail address', async () => {
      const email = uniqueEmail('same');
      const res = await forum.http.post('/api/auth/register').send(registration({ email, password: email.toUpperCase() })).expect(400);
      expect(res.body.error.field).to.equal('password');
    });

    it('refuses a body that is not an object', async () => {
      const res = await forum.http.post('/api/auth/register').send([1, 2]).expect(400);
      expect(res.body.error.code).to.equal('invalid_input');
    });

    it('requires a parent e-mail under 18, different from the registrant’s own', async () => {
      const minor = registration({ dateOfBirth: bornYearsAgo(14) });
      let res = await forum.http.post('/api/auth/register').send(minor).expect(400);
      expect(res.body.error.field).to.equal('parentEmail');
      res = await forum.http.post('/api/auth/register').send({ ...minor, parentEmail: minor.email }).expect(400);
      expect(res.body.error.field).to.equal('parentEmail');
      res = await forum.http.post('/api/auth/register').send({ ...minor, parentEmail: 'not an address' }).expect(400);
      expect(res.body.error.field).to.equal('parentEmail');
    });

    it('treats someone turning 18 today as an adult and someone turning 18 tomorrow as a minor', async () => {
      const adult = await forum.http.post('/api/auth/register').send(registration({ dateOfBirth: bornYearsAgo(18) })).expect(202);
      expect(adult.body).to.deep.equal({ status: 'verification_sent' });
      const res = await forum.http
        .post('/api/auth/register')
        .send(registration({ dateOfBirth: bornYearsAgo(18, 1), parentEmail: uniqueEmail('parent') }))
        .expect(202);
      expect(res.body).to.deep.equal({ status: 'pending_parental_consent' });
    });

    it('does not keep a parent e-mail given by an adult', async () => {
      const body = registration({ parentEmail: uniqueEmail('p') });
      await forum.http.post('/api/auth/register').send(body).expect(202);
      expect((await User.findOne({ email: body.email }).lean())!.parentEmail).to.equal(null);
    });
  });

  describe('minors: parental consent end to end', () => {
    it('keeps the account inactive until the parent follows the e-mailed link, then it can sign in', async () => {
      const parentEmail = uniqueEmail('parent');
      const minor = registration({ dateOfBirth: bornYearsAgo(15), parentEmail });
      const registered = await forum.http.post('/api/auth/register').send(minor).expect(202);
      expect(registered.body).to.deep.equal({ status: 'pending_parental_consent' });
      expect(registered.body).not.to.have.property('token');

      // Before anything: a correct password is told to verify first; a wrong one is just wrong.
      const early = await forum.http.post('/api/auth/login').send({ email: minor.email, password: minor.password }).expect(403);
      expect(early.body.error.code).to.equal('email_unverified');
      // Verifying the own address is the first step; the parent's is still missing.
      const verifying = await forum.http
        .post('/api/auth/verify-email')
        .send({ token: await linkParameter(minor.email as string, '/verify-email', 'token'), password: minor.password })
        .expect(403);
      expect(verifying.body.error.code).to.equal('parental_consent_pending');
      const waiting = await forum.http.post('/api/auth/login').send({ email: minor.email, password: minor.password }).expect(403);
      expect(waiting.body.error.code).to.equal('parental_consent_pending');
      const wrong = await forum.http.post('/api/auth/login').send({ email: minor.email, password: 'not the password' }).expect(401);
      expect(wrong.body.error.code).to.equal('unauthorized');

      // The message goes to the parent, names nothing private, and carries a one-time link.
      const messages = await messagesTo(parentEmail);
      expect(messages).to.have.length(1);
      expect(messages[0]).to.include({ kind: 'transactional' });
      expect(messages[0]!.text).not.to.include(minor.email as string);
      expect(messages[0]!.text).not.to.include(minor.dateOfBirth as string);
      expect(messages[0]!.text).to.include('http://127.0.0.1:3000/parental-consent?token=');
      const token = await linkParameter(parentEmail, '/parental-consent', 'token');
      const stored = await ParentalConsent.findOne({ userId: messages[0]!.userId }).lean();
      expect(stored!.tokenHash).not.to.equal(token);
      expect(stored!.expiresAt.getTime() - stored!.createdAt.getTime()).to.equal(7 * 24 * 60 * 60 * 1000);

      // Nobody can see the pending profile in the meantime.
      const viewer = await buildUser();
      await forum.http.get(`/api/users/${String(messages[0]!.userId)}`).set(viewer.auth).expect(404);

      const confirmed = await forum.http.post('/api/auth/parental-consent').send({ token }).expect(200);
      expect(confirmed.body).to.deep.equal({ status: 'confirmed' });
      const ledger = await Consent.find({ userId: messages[0]!.userId }).sort({ at: 1 }).lean();
      expect(ledger.map((entry) => entry.kind)).to.deep.equal(['terms', 'parental_consent']);
      expect(ledger[1]).to.include({ value: true, source: 'parent_link' });

      // The link works once.
      await forum.http.post('/api/auth/parental-consent').send({ token }).expect(404);

      const login = await forum.http.post('/api/auth/login').send({ email: minor.email, password: minor.password }).expect(200);
      expect(login.body.user.email).to.equal(minor.email);
      await forum.http.get(`/api/users/${login.body.user.id}`).set(viewer.auth).expect(200);
    });

    it('refuses unknown, malformed and expired consent links', async () => {
      await forum.http.post('/api/auth/parental-consent').send({ token: 'x'.repeat(43) }).expect(404);
      await forum.http.post('/api/auth/parental-consent').send({}).expect(400);
      await forum.http.post('/api/auth/parental-consent').send({ token: 7 }).expect(400);
      await forum.http.post('/api/auth/parental-consent').send({ token: 'x'.repeat(201) }).expect(400);

      const parentEmail = uniqueEmail('late-parent');
      const minor = registration({ dateOfBirth: bornYearsAgo(12), parentEmail });
      await forum.http.post('/api/auth/register').send(minor).expect(202);
      const token = await linkParameter(parentEmail, '/parental-consent', 'token');
      await ParentalConsent.updateOne({ tokenHash: hashToken(token) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      await forum.http.post('/api/auth/parental-consent').send({ token }).expect(404);
      await forum.http.post('/api/auth/login').send({ email: minor.email, password: minor.password }).expect(403);
    });
  });

  describe('POST /api/auth/login', () => {
    it('signs in with the e-mail in any case and issues a new token each time', async () => {
      const { user, password } = await buildUser();
      const first = await forum.http.post('/api/auth/login').send({ email: user.email.toUpperCase(), password }).expect(200);
      const second = await forum.http.post('/api/auth/login').send({ email: user.email, password }).expect(200);
      expect(first.body.user.id).to.equal(String(user._id));
      expect(first.body.token).not.to.equal(second.body.token);
      await forum.http.get('/api/me').set('Authorization', `Bearer ${first.body.token}`).expect(200);
    });

    it('answers a wrong password and an unknown e-mail identically', async () => {
      const { user } = await buildUser();
      const wrong = await forum.http.post('/api/auth/login').send({ email: user.email, password: 'not the password' }).expect(401);
      const unknown = await forum.http.post('/api/auth/login').send({ email: uniqueEmail('nobody'), password: 'not the password' }).expect(401);
      expect(wrong.body).to.deep.equal(unknown.body);
      expect(wrong.body.error.message).to.equal('The e-mail address or password is wrong.');
    });

    it('spends about the same time on an unknown e-mail as on a wrong password', async function () {
      this.timeout(90_000);
      const { user } = await buildUser();
      const time = async (email: string) => {
        const started = process.hrtime.bigint();
        await forum.http.post('/api/auth/login').send({ email, password: 'not the password' }).expect(401);
        return Number(process.hrtime.bigint() - started) / 1e6;
      };
      const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
      const known: number[] = [];
      const unknown: number[] = [];
      for (let i = 0; i < 5; i += 1) {
        known.push(await time(user.email));
        unknown.push(await time(uniqueEmail('ghost')));
      }
      // Without the decoy hash the unknown e-mail would answer in a small fraction of the time.
      const ratio = median(unknown) / median(known);
      expect(ratio).to.be.within(0.5, 2);
    });

    it('refuses missing or mistyped fields with 400 naming the field', async () => {
      let res = await forum.http.post('/api/auth/login').send({ password: 'whatever password' }).expect(400);
      expect(res.body.error.field).to.equal('email');
      res = await forum.http.post('/api/auth/login').send({ email: 'a@example.org' }).expect(400);
      expect(res.body.error.field).to.equal('password');
      res = await forum.http.post('/api/auth/login').send({ email: ['a@example.org'], password: 'x' }).expect(400);
      expect(res.body.error.field).to.equal('email');
      res = await forum.http.post('/api/auth/login').send({ email: 'a@example.org', password: 'x'.repeat(5000) }).expect(400);
      expect(res.body.error.field).to.equal('password');
    });
  });

  describe('tokens: logout, revocation, expiry', () => {
    it('requires a token to log out', async () => {
      await forum.http.post('/api/auth/logout').expect(401);
      await forum.http.post('/api/auth/logout').set('Authorization', 'Bearer not-a-token-at-all-just-text').expect(401);
    });

    it('revokes only the presented token on logout', async () => {
      const { user, password, auth } = await buildUser();
      const other = await forum.http.post('/api/auth/login').send({ email: user.email, password }).expect(200);
      await forum.http.post('/api/auth/logout').set(auth).expect(204);
      await forum.http.get('/api/me').set(auth).expect(401);
      await forum.http.post('/api/auth/logout').set(auth).expect(401);
      await forum.http.get('/api/me').set('Authorization', `Bearer ${other.body.token}`).expect(200);
    });

    it('refuses an expired token', async () => {
      const { token, auth } = await buildUser();
      await Token.updateOne({ tokenHash: hashToken(token) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      const res = await forum.http.get('/api/me').set(auth).expect(401);
      expect(res.body.error.code).to.equal('unauthorized');
    });

    it('slides the expiry forward when a token is used', async () => {
      const { token, auth } = await buildUser();
      const old = new Date(Date.now() - 10 * 24 * 60 * 60 * 1000);
      await Token.updateOne({ tokenHash: hashToken(token) }, { $set: { lastUsedAt: old, expiresAt: new Date(Date.now() + 60_000) } });
      await forum.http.get('/api/me').set(auth).expect(200);
      const record = await Token.findOne({ tokenHash: hashToken(token) }).lean();
      expect(record!.expiresAt.getTime()).to.be.greaterThan(Date.now() + 29 * 24 * 60 * 60 * 1000);
      expect(record!.lastUsedAt.getTime()).to.be.greaterThan(old.getTime());
    });

    it('refuses a malformed Authorization header', async () => {
      const { token } = await buildUser();
      await forum.http.get('/api/me').set('Authorization', token).expect(401);
      await forum.http.get('/api/me').set('Authorization', `Basic ${token}`).expect(401);
      await forum.http.get('/api/me').set('Authorization', 'Bearer ').expect(401);
    });
  });
});

describe('accounts: brute-force limits, from the attacker’s side', function () {
  // Every guess costs a real scrypt check, and some tests make twenty: slow on a loaded machine, never timed.
  this.timeout(120_000);
  let forum: TestForum;
  const limits = { freePerPair: 3, freePerAccount: 6, perAddress: 12, firstDelayMs: 30_000, maxPairDelayMs: 240_000, maxAccountDelayMs: 60_000 };
  // Waits far longer than a test's steps take, so no step can outlast one; endWaits() ends them instead.
  before(async () => {
    await resetDatabase();
    // Trusting the forwarded address lets each test speak from the client addresses it needs.
    forum = await startTestForum({ loginLimits: limits, trustProxy: true });
  });
  after(() => forum.close());
  beforeEach(() => resetDatabase());

  const ATTACKER = '203.0.113.66';
  const OWNER = '198.51.100.7';
  const attempt = (email: string, password: string, address = ATTACKER) =>
    forum.http.post('/api/auth/login').set('X-Forwarded-For', address).send({ email, password });
  /** Retry-After is what is left of each wait: at most the full wait, less the seconds the test's steps took. */
  const expectWaits = (seen: number[], full: number[]) => {
    expect(seen).to.have.length(full.length);
    seen.forEach((seconds, i) => expect(seconds, `wait ${i + 1} of ${JSON.stringify(seen)}`).to.be.within(full[i]! - 15, full[i]!));
  };
  /** Lets every running wait end now, as if its time had passed (the counts stay). */
  const endWaits = () =>
    mongoose.connection.collection('rate_limits').updateMany({ key: /gate:/ }, { $set: { expire: new Date(Date.now() - 1) } });

  it('makes one address wait longer after each further wrong guess, even for the right password', async () => {
    const { user, password } = await buildUser();
    for (let i = 0; i < limits.freePerPair; i += 1) await attempt(user.email, 'wrong password!').expect(401);
    const waits: number[] = [];
    for (let round = 0; round < 3; round += 1) {
      await attempt(user.email, 'wrong password!').expect(401);
      const blocked = await attempt(user.email, password).expect(429);
      expect(blocked.body.error.code).to.equal('rate_limited');
      expect(blocked.body.error.message).to.match(/Too many sign-in attempts/);
      waits.push(Number(blocked.headers['retry-after']));
      await endWaits();
    }
    expectWaits(waits, [30, 60, 120]);
    await attempt(user.email, password).expect(200);
  });

  it('cannot lock the owner out from the owner’s own address', async () => {
    const { user, password } = await buildUser();
    for (let i = 0; i < limits.freePerPair + 2; i += 1) await attempt(user.email, 'wrong password!');
    await attempt(user.email, password).expect(429);
    await attempt(user.email, password, OWNER).expect(200);
  });

  it('slows guessing spread over many addresses to one check per short wait, never longer', async () => {
    const { user, password } = await buildUser();
    for (let i = 0; i < limits.freePerAccount; i += 1) await attempt(user.email, 'wrong password!', `192.0.2.${i + 1}`).expect(401);
    // Each round: one guess gets through from a fresh address, the next must wait; then the wait ends.
    const retryAfter: number[] = [];
    for (let round = 0; round < 4; round += 1) {
      await attempt(user.email, 'wrong password!', `192.0.2.${100 + 2 * round}`).expect(401);
      const res = await attempt(user.email, 'wrong password!', `192.0.2.${101 + 2 * round}`).expect(429);
      retryAfter.push(Number(res.headers['retry-after']));
      await endWaits();
    }
    expectWaits(retryAfter, [30, 60, 60, 60]);
    await endWaits();
    await attempt(user.email, password, OWNER).expect(200);
  });

  it('never blocks the signed-in owner’s password change or erasure because of guesses elsewhere', async () => {
    const owner = await buildUser();
    for (let i = 0; i < limits.freePerAccount + 3; i += 1) await attempt(owner.user.email, 'wrong password!', `192.0.2.${i + 1}`);
    await forum.http
      .put('/api/me/password')
      .set(owner.auth)
      .set('X-Forwarded-For', OWNER)
      .send({ currentPassword: owner.password, newPassword: 'another long password' })
      .expect(200)
      .then(async (changed) => {
        await forum.http
          .delete('/api/me')
          .set('Authorization', `Bearer ${changed.body.token as string}`)
          .set('X-Forwarded-For', OWNER)
          .send({ password: 'another long password' })
          .expect(202);
      });
  });

  it('lets a password-reset link get the owner back in at once, lifting the wait', async () => {
    const { user } = await buildUser();
    // The attacker guesses from everywhere, the owner's own address included.
    for (let i = 0; i < limits.freePerPair + 2; i += 1) await attempt(user.email, 'wrong password!', OWNER);
    for (let i = 0; i < limits.freePerAccount; i += 1) await attempt(user.email, 'wrong password!', `192.0.2.${i + 1}`);
    let status = 401;
    for (let i = 0; i < 5 && status === 401; i += 1) ({ status } = await attempt(user.email, 'wrong password!', OWNER));
    expect(status).to.equal(429);
    await forum.http.post('/api/auth/password-reset').set('X-Forwarded-For', OWNER).send({ email: user.email }).expect(202);
    const token = await eventually(() => linkParameter(user.email, '/reset-password', 'token'));
    const reset = await forum.http
      .post('/api/auth/password-reset/confirm')
      .set('X-Forwarded-For', OWNER)
      .send({ token, newPassword: 'my brand new password' })
      .expect(200);
    await forum.http.get('/api/me').set('Authorization', `Bearer ${reset.body.token as string}`).expect(200);
    await attempt(user.email, 'my brand new password', OWNER).expect(200);
  });

  it('throttles an unknown e-mail exactly like a known one', async () => {
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i <= limits.freePerPair; i += 1) await attempt(ghost, 'wrong password!').expect(401);
    const blocked = await attempt(ghost, 'wrong password!').expect(429);
    expectWaits([Number(blocked.headers['retry-after'])], [30]);
  });

  it('clears the count after a successful sign-in', async () => {
    const { user, password } = await buildUser();
    for (let i = 0; i < limits.freePerPair; i += 1) await attempt(user.email, 'wrong password!').expect(401);
    await attempt(user.email, password).expect(200);
    for (let i = 0; i <= limits.freePerPair; i += 1) await attempt(user.email, 'wrong password!').expect(401);
    await attempt(user.email, password).expect(429);
  });

  it('limits one client address across many accounts', async () => {
    for (let i = 0; i < limits.perAddress; i += 1) await attempt(uniqueEmail('spray'), 'wrong password!').expect(401);
    const { user, password } = await buildUser();
    await attempt(user.email, password).expect(429);
  });

  it('counts parallel guesses before checking them, so a burst cannot exceed the limit', async () => {
    const { user } = await buildUser();
    const results = await Promise.all(Array.from({ length: 8 }, () => attempt(user.email, 'wrong password!')));
    const statuses = results.map((res) => res.status).sort();
    // The free guesses, then exactly one through the first wait's gate.
    expect(statuses.filter((status) => status === 401)).to.have.length(limits.freePerPair + 1);
    expect(statuses.filter((status) => status === 429)).to.have.length(8 - limits.freePerPair - 1);
  });
});
