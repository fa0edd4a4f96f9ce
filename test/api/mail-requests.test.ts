// From an outsider's side: the requests that send mail tell nothing about whether an address has an
// account (byte for byte), and cannot be used to flood anybody's mailbox or the forum.
import { expect } from 'chai';
import type { Response } from 'supertest';
import { resetDatabase } from '../support/database';
import { buildUser, uniqueEmail } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

/** Status, headers (but Date) and body bytes: everything an observer of the answer sees. */
function observable(res: Response): { status: number; headers: Record<string, string>; body: string } {
  const headers = { ...(res.headers as Record<string, string>) };
  delete headers.date;
  return { status: res.status, headers, body: res.text };
}

function adult(email: string): Record<string, unknown> {
  return { email, password: 'a long enough password', name: 'Probe', dateOfBirth: '1990-04-01', acceptTerms: true };
}

describe('requests that send mail, from an outsider’s side', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  it('registration answers byte for byte the same for a registered and an unknown address', async () => {
    const known = await buildUser();
    for (const born of ['1990-04-01', `${new Date().getUTCFullYear() - 15}-06-01`]) {
      const extra = born === '1990-04-01' ? {} : { parentEmail: uniqueEmail('parent') };
      const forKnown = await forum.http.post('/api/auth/register').send({ ...adult(known.user.email), dateOfBirth: born, ...extra });
      const forUnknown = await forum.http.post('/api/auth/register').send({ ...adult(uniqueEmail('fresh')), dateOfBirth: born, ...extra });
      expect(forKnown.status).to.equal(202);
      expect(observable(forKnown)).to.deep.equal(observable(forUnknown));
    }
  });

  it('password reset and verification resend answer byte for byte the same for every address', async () => {
    const known = await buildUser();
    const pending = uniqueEmail('pending');
    await forum.http.post('/api/auth/register').send(adult(pending)).expect(202);
    for (const path of ['/api/auth/password-reset', '/api/auth/verify-email/resend']) {
      const answers = await Promise.all(
        [known.user.email, pending, uniqueEmail('nobody')].map((email) => forum.http.post(path).send({ email })),
      );
      expect(answers[0]!.status, path).to.equal(202);
      expect(observable(answers[1]!)).to.deep.equal(observable(answers[0]!));
      expect(observable(answers[2]!)).to.deep.equal(observable(answers[0]!));
    }
  });

  it('answers a password reset before looking the address up, so known and unknown take the same time', async () => {
    const known = await buildUser();
    const time = async (email: string) => {
      const started = process.hrtime.bigint();
      await forum.http.post('/api/auth/password-reset').send({ email }).expect(202);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const knownTimes: number[] = [];
    const unknownTimes: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      knownTimes.push(await time(known.user.email));
      unknownTimes.push(await time(uniqueEmail('ghost')));
    }
    // Loose on purpose (a loaded machine); what it guards is that nothing address-dependent runs first.
    expect(median(unknownTimes) / median(knownTimes)).to.be.within(0.33, 3);
  });
});

describe('limits on requests that send mail', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ trustProxy: true, mailLimits: { perClientAddress: 4, perTarget: 2, perAccount: 3 } });
  });
  after(() => forum.close());
  beforeEach(() => resetDatabase());

  const from = (address: string, path: string, body: Record<string, unknown>) => forum.http.post(path).set('X-Forwarded-For', address).send(body);

  it('limits the messages to one address, whoever asks and through whichever door (429 with Retry-After)', async () => {
    const target = uniqueEmail('target');
    await from('192.0.2.1', '/api/auth/register', adult(target)).expect(202);
    await from('192.0.2.2', '/api/auth/password-reset', { email: target }).expect(202);
    const refused = await from('192.0.2.3', '/api/auth/verify-email/resend', { email: target }).expect(429);
    expect(refused.body.error.code).to.equal('rate_limited');
    expect(Number(refused.headers['retry-after'])).to.be.within(1, 3600);
    // Unknown addresses are limited exactly the same way.
    const ghost = uniqueEmail('ghost');
    await from('192.0.2.4', '/api/auth/password-reset', { email: ghost }).expect(202);
    await from('192.0.2.5', '/api/auth/password-reset', { email: ghost }).expect(202);
    await from('192.0.2.6', '/api/auth/password-reset', { email: ghost }).expect(429);
  });

  it('limits one client address over many target addresses', async () => {
    for (let i = 0; i < 4; i += 1) await from('198.51.100.9', '/api/auth/password-reset', { email: uniqueEmail('spray') }).expect(202);
    await from('198.51.100.9', '/api/auth/register', adult(uniqueEmail('spray'))).expect(429);
    await from('198.51.100.10', '/api/auth/register', adult(uniqueEmail('other'))).expect(202);
  });

  it('limits a minor’s registration on the parent’s address too', async () => {
    const parentEmail = uniqueEmail('parent');
    const minor = (email: string) => ({ ...adult(email), dateOfBirth: `${new Date().getUTCFullYear() - 15}-06-01`, parentEmail });
    await from('192.0.2.20', '/api/auth/register', minor(uniqueEmail('kid'))).expect(202);
    await from('192.0.2.21', '/api/auth/register', minor(uniqueEmail('kid'))).expect(202);
    await from('192.0.2.22', '/api/auth/register', minor(uniqueEmail('kid'))).expect(429);
  });

  it('limits e-mail changes per account', async () => {
    const me = await buildUser();
    for (let i = 0; i < 3; i += 1) {
      await forum.http.put('/api/me/email').set(me.auth).set('X-Forwarded-For', `203.0.113.${i + 1}`).send({ email: uniqueEmail('new'), password: me.password }).expect(202);
    }
    await forum.http.put('/api/me/email').set(me.auth).set('X-Forwarded-For', '203.0.113.9').send({ email: uniqueEmail('new'), password: me.password }).expect(429);
  });
});
