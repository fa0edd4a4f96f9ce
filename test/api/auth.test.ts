import { expect } from 'chai';
import { Consent } from '../../server/models/consent';
import { LoginAttempt } from '../../server/models/login-attempt';
import { ParentalConsent } from '../../server/models/parental-consent';
import { Token } from '../../server/models/token';
import { User } from '../../server/models/user';
import { hashToken } from '../../server/services/tokens';
import { resetDatabase } from '../support/database';
import { buildUser, uniqueEmail } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { linkParameter, messagesTo } from '../support/outbox';

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

/** A YYYY-MM-DD birth date `years` years ago today (UTC), shifted by `days`. */
function bornYearsAgo(years: number, days = 0): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() + days));
  return date.toISOString().slice(0, 10);
}

const RELAXED_LIMITS = { perAccount: 1000, perAddress: 1000, windowMs: 60_000 };

describe('accounts: sign-up and sign-in', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ loginLimits: RELAXED_LIMITS, adminEmails: new Set(['boss@example.org']) });
  });
  after(() => forum.close());

  describe('POST /api/auth/register', () => {
    it('creates an active adult account with a token, display name defaulting to the name', async () => {
      const body = registration({ email: '  Ada.Lovelace@Example.ORG ' });
      const res = await forum.http.post('/api/auth/register').send(body).expect(201);
      expect(res.body.token).to.be.a('string').with.length.of.at.least(43);
      expect(res.body.user).to.include({
        email: 'ada.lovelace@example.org',
        name: 'Ada Lovelace',
        displayName: 'Ada Lovelace',
        dateOfBirth: '1990-12-10',
        isMember: false,
        bio: '',
        avatarUrl: null,
      });
      expect(res.body.user.roles).to.deep.equal([]);
      const me = await forum.http.get('/api/me').set('Authorization', `Bearer ${res.body.token}`).expect(200);
      expect(me.body.id).to.equal(res.body.user.id);
    });

    it('stores only a scrypt hash of the password and the SHA-256 of the token', async () => {
      const body = registration();
      const res = await forum.http.post('/api/auth/register').send(body).expect(201);
      const user = await User.findById(res.body.user.id).lean();
      expect(user!.passwordHash).to.match(/^scrypt\$/);
      expect(user!.passwordHash).not.to.include(body.password as string);
      const tokens = await Token.find({ userId: user!._id }).lean();
      expect(tokens).to.have.length(1);
      expect(tokens[0]!.tokenHash).to.equal(hashToken(res.body.token));
      expect(JSON.stringify(tokens)).not.to.include(res.body.token);
    });

    it('records acceptance of the terms in the consent ledger', async () => {
      const res = await forum.http.post('/api/auth/register').send(registration()).expect(201);
      const entries = await Consent.find({ userId: res.body.user.id }).lean();
      expect(entries).to.have.length(1);
      expect(entries[0]).to.include({ kind: 'terms', source: 'registration' });
      expect(entries[0]!.at).to.be.instanceOf(Date);
    });

    it('cuts a long legal name to 50 characters for the default display name', async () => {
      const name = 'Maria '.repeat(15).trim();
      const res = await forum.http.post('/api/auth/register').send(registration({ name })).expect(201);
      expect(res.body.user.name).to.equal(name);
      expect(res.body.user.displayName).to.equal(name.slice(0, 50).trim());
    });

    it('makes addresses listed in FORUM_ADMIN_EMAILS admin and moderator', async () => {
      const res = await forum.http.post('/api/auth/register').send(registration({ email: 'Boss@Example.org' })).expect(201);
      expect(res.body.user.roles).to.deep.equal(['admin', 'moderator']);
    });

    it('refuses a second account for the same e-mail, whatever its case (409)', async () => {
      const email = uniqueEmail('dup');
      await forum.http.post('/api/auth/register').send(registration({ email })).expect(201);
      const res = await forum.http.post('/api/auth/register').send(registration({ email: email.toUpperCase() })).expect(409);
      expect(res.body.error).to.include({ code: 'conflict', field: 'email' });
      expect(await User.countDocuments({ email })).to.equal(1);
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
      await forum.http.post('/api/auth/register').send(registration({ dateOfBirth: bornYearsAgo(18) })).expect(201);
      const res = await forum.http
        .post('/api/auth/register')
        .send(registration({ dateOfBirth: bornYearsAgo(18, 1), parentEmail: uniqueEmail('parent') }))
        .expect(202);
      expect(res.body).to.deep.equal({ status: 'pending_parental_consent' });
    });

    it('does not keep a parent e-mail given by an adult', async () => {
      const res = await forum.http.post('/api/auth/register').send(registration({ parentEmail: uniqueEmail('p') })).expect(201);
      expect((await User.findById(res.body.user.id).lean())!.parentEmail).to.equal(null);
    });
  });

  describe('minors: parental consent end to end', () => {
    it('keeps the account inactive until the parent follows the e-mailed link, then it can sign in', async () => {
      const parentEmail = uniqueEmail('parent');
      const minor = registration({ dateOfBirth: bornYearsAgo(15), parentEmail });
      const registered = await forum.http.post('/api/auth/register').send(minor).expect(202);
      expect(registered.body).to.deep.equal({ status: 'pending_parental_consent' });
      expect(registered.body).not.to.have.property('token');

      // Before confirmation: a correct password is told the account waits; a wrong one is just wrong.
      const early = await forum.http.post('/api/auth/login').send({ email: minor.email, password: minor.password }).expect(403);
      expect(early.body.error.code).to.equal('parental_consent_pending');
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

    it('spends about the same time on an unknown e-mail as on a wrong password', async () => {
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

describe('accounts: brute-force limits', () => {
  let forum: TestForum;
  const limits = { perAccount: 3, perAddress: 5, windowMs: 60_000 };
  before(async () => {
    await resetDatabase();
    // Trusting the forwarded address lets each test speak from the client addresses it needs.
    forum = await startTestForum({ loginLimits: limits, trustProxy: true });
  });
  after(() => forum.close());
  beforeEach(() => resetDatabase());

  const attempt = (email: string, password: string, address = '203.0.113.1') =>
    forum.http.post('/api/auth/login').set('X-Forwarded-For', address).send({ email, password });

  it('locks an account after its limit with 429 and Retry-After, even for the right password', async () => {
    const { user, password } = await buildUser();
    for (let i = 0; i < limits.perAccount; i += 1) await attempt(user.email, 'wrong password!').expect(401);
    const blocked = await attempt(user.email, password).expect(429);
    expect(blocked.body.error.code).to.equal('rate_limited');
    expect(blocked.body.error.message).to.match(/Too many sign-in attempts/);
    const retryAfter = Number(blocked.headers['retry-after']);
    expect(retryAfter).to.be.within(1, 60);
  });

  it('locks an unknown e-mail exactly like a known one', async () => {
    const ghost = uniqueEmail('ghost');
    for (let i = 0; i < limits.perAccount; i += 1) await attempt(ghost, 'wrong password!').expect(401);
    await attempt(ghost, 'wrong password!').expect(429);
  });

  it('clears the account counter after a successful sign-in', async () => {
    const { user, password } = await buildUser();
    for (let i = 0; i < limits.perAccount - 1; i += 1) await attempt(user.email, 'wrong password!').expect(401);
    await attempt(user.email, password).expect(200);
    for (let i = 0; i < limits.perAccount; i += 1) await attempt(user.email, 'wrong password!').expect(401);
    await attempt(user.email, password).expect(429);
  });

  it('limits one client address across many accounts', async () => {
    for (let i = 0; i < limits.perAddress; i += 1) await attempt(uniqueEmail('spray'), 'wrong password!').expect(401);
    const { user, password } = await buildUser();
    await attempt(user.email, password).expect(429);
  });

  it('counts parallel guesses before checking them, so a burst cannot exceed the limit', async () => {
    const { user } = await buildUser();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => attempt(user.email, 'wrong password!', `198.51.100.${i + 1}`)),
    );
    const statuses = results.map((res) => res.status).sort();
    expect(statuses.filter((status) => status === 401)).to.have.length(limits.perAccount);
    expect(statuses.filter((status) => status === 429)).to.have.length(8 - limits.perAccount);
  });

  it('opens again when the window has passed', async () => {
    const { user, password } = await buildUser();
    for (let i = 0; i < limits.perAccount; i += 1) await attempt(user.email, 'wrong password!').expect(401);
    await attempt(user.email, password).expect(429);
    await LoginAttempt.updateMany({}, { $set: { expiresAt: new Date(Date.now() - 1) } });
    await attempt(user.email, password).expect(200);
  });
});
