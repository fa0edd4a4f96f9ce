// A suspended account keeps its privacy rights: from the suspended person's side, the password buys a pass
// to export and erasure, and to nothing else (every other route, the socket handshake); the person is told
// of the suspension and the reinstatement by e-mail, read from real SMTP traffic.
import { expect } from 'chai';
import { PrivacyAccess } from '../../server/models/privacy-access';
import { User } from '../../server/models/user';
import { hashToken } from '../../server/services/tokens';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { findTraces, waitForErasure } from '../support/erasure';
import { buildUser, type BuiltUser } from '../support/factories';
import type { TestForum } from '../support/forum';
import { callEndpoint, discoverEndpoints, routerStack } from '../support/routes';
import { sentTo, type TestSmtpServer } from '../support/smtp';
import { startSmtpForum, type SmtpForum } from '../support/smtp-forum';
import { connect } from '../support/sockets';

const PRIVACY_ROUTES = ['GET /api/me/export', 'DELETE /api/me'];

describe('suspended accounts keep their privacy rights', function () {
  this.timeout(60_000);
  let env: SmtpForum;
  let smtp: TestSmtpServer;
  let forum: TestForum;
  let admin: BuiltUser;

  before(async () => {
    await resetDatabase();
    env = await startSmtpForum({ loginLimits: { freePerPair: 1000, freePerAccount: 1000, perAddress: 10_000 } });
    ({ smtp, forum } = env);
    await forum.startListening();
    admin = await buildUser({ roles: ['admin', 'moderator'] });
  });
  after(() => env.close());

  const suspend = (who: BuiltUser, reason = 'Repeated spam in the public square') =>
    forum.http.post(`/api/admin/users/${idOf(who.user)}/suspend`).set(admin.auth).send({ reason }).expect(200);
  const askForPass = (who: BuiltUser, password = who.password) => forum.http.post('/api/auth/privacy-access').send({ email: who.user.email, password });
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  it('tells the person by e-mail when suspended (with the reason and the way to their data) and when reinstated', async () => {
    const person = await buildUser({ name: 'Sue Spended' });
    await suspend(person, 'Repeated spam in the public square');
    const notice = await smtp.waitFor((mail) => sentTo(person.user.email)(mail) && mail.parsed.subject === 'Your forum account was suspended');
    expect(notice.parsed.text).to.include('Sue Spended').and.include('Reason given: Repeated spam in the public square');
    expect(notice.links).to.deep.equal(['http://127.0.0.1:3000/account-data']);

    await forum.http.post(`/api/admin/users/${idOf(person.user)}/reinstate`).set(admin.auth).send({ reason: 'Appeal upheld' }).expect(200);
    const back = await smtp.waitFor((mail) => sentTo(person.user.email)(mail) && mail.parsed.subject === 'Your forum account was reinstated');
    expect(back.links).to.deep.equal(['http://127.0.0.1:3000/signin']);
    expect(smtp.accepted.filter(sentTo(admin.user.email))).to.deep.equal([]);
  });

  it('a suspended person exports their own data with a pass bought with their password', async () => {
    const person = await buildUser();
    const other = await buildUser();
    const group = await buildGroup({ owner: other, visibility: 'public' });
    await addMember(group, person);
    const mine = `Mine ${Date.now()}`;
    const theirs = `Theirs ${Date.now()}`;
    await buildPost({ group, author: person, body: `<p>${mine}</p>` });
    await buildPost({ group, author: other, body: `<p>${theirs}</p>` });
    await suspend(person);

    const signIn = await forum.http.post('/api/auth/login').send({ email: person.user.email, password: person.password }).expect(403);
    expect(signIn.body.error.code).to.equal('account_suspended');
    const wrong = await askForPass(person, 'not the password at all').expect(401);
    expect(wrong.body.error.code).to.equal('unauthorized');

    const granted = await askForPass(person).expect(200);
    expect(granted.body).to.have.all.keys('token', 'expiresAt');
    const lifetime = Date.parse(granted.body.expiresAt) - Date.now();
    expect(lifetime).to.be.within(59 * 60_000, 60 * 60_000);
    expect(await PrivacyAccess.exists({ tokenHash: hashToken(granted.body.token) })).to.not.equal(null);

    const exported = await forum.http.get('/api/me/export').set(bearer(granted.body.token)).expect(200);
    expect(exported.text).to.include(mine).and.include(person.user.email);
    expect(exported.text).not.to.include(theirs);
    expect(exported.text).not.to.include(other.user.email);
  });

  it('the pass opens nothing else: every other route answers as it does to a visitor, and sockets refuse it', async () => {
    const person = await buildUser();
    await suspend(person);
    const pass = (await askForPass(person).expect(200)).body.token as string;
    const endpoints = discoverEndpoints(routerStack(forum.app)).filter(
      (endpoint) => endpoint.path.startsWith('/api/') && !PRIVACY_ROUTES.includes(`${endpoint.method} ${endpoint.path}`),
    );
    expect(endpoints.length).to.be.greaterThan(50);
    for (const endpoint of endpoints) {
      const [withPass, visitor] = [await callEndpoint(forum.http, endpoint, bearer(pass)), await callEndpoint(forum.http, endpoint)];
      expect(withPass.status, `${endpoint.method} ${endpoint.path}`).to.equal(visitor.status);
      if (visitor.status === 401) expect(withPass.body.error.code).to.equal('unauthorized');
    }
    await connect(forum.url, { token: pass }).then(
      (socket) => {
        socket.close();
        expect.fail('a privacy pass opened a socket');
      },
      (error: Error) => expect(error.message).to.equal('unauthorized'),
    );
  });

  it('a suspended person erases their account with the pass and their password; the pass dies with it', async () => {
    const person = await buildUser({ name: 'Ernie Erased' });
    const group = await buildGroup({ owner: admin, visibility: 'public' });
    await addMember(group, person);
    await buildPost({ group, author: person, body: '<p>Something to erase</p>' });
    await suspend(person);
    const pass = (await askForPass(person).expect(200)).body.token as string;

    const wrong = await forum.http.delete('/api/me').set(bearer(pass)).send({ password: 'not the password at all' }).expect(400);
    expect(wrong.body.error.field).to.equal('password');
    await forum.http.delete('/api/me').set(bearer(pass)).send({ password: person.password }).expect(202, { status: 'erasing' });
    await forum.http.get('/api/me/export').set(bearer(pass)).expect(401);
    await askForPass(person).expect(401);
    await waitForErasure(person.user._id);
    expect(await findTraces([idOf(person.user), person.user.email, 'Ernie Erased'], undefined, ['auditentries'])).to.deep.equal([]);
  });

  it('an expired pass is refused; a reinstated account’s pass still opens only the privacy routes', async () => {
    const person = await buildUser();
    await suspend(person);
    const expiring = (await askForPass(person).expect(200)).body.token as string;
    const kept = (await askForPass(person).expect(200)).body.token as string;
    await PrivacyAccess.updateOne({ tokenHash: hashToken(expiring) }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    await forum.http.get('/api/me/export').set(bearer(expiring)).expect(401);
    await forum.http.get('/api/me/export').set(bearer(kept)).expect(200);

    await forum.http.post(`/api/admin/users/${idOf(person.user)}/reinstate`).set(admin.auth).send({ reason: 'Appeal upheld' }).expect(200);
    await forum.http.get('/api/me').set(bearer(kept)).expect(401);
    await forum.http.get('/api/me').set(person.auth).expect(401); // revoked by the suspension, as before
  });

  it('only a suspended account gets a pass; bad input is a 400 naming the field', async () => {
    const active = await buildUser();
    const notSuspended = await askForPass(active).expect(409);
    expect(notSuspended.body.error.message).to.match(/not suspended: sign in/);
    const unverified = await buildUser({ emailVerified: false, status: 'pending_verification' });
    await User.updateOne({ _id: unverified.user._id }, { $set: { suspendedAt: new Date() } });
    expect((await askForPass(unverified).expect(403)).body.error.code).to.equal('email_unverified');
    await forum.http.post('/api/auth/privacy-access').send({ email: 'nobody-here@example.org', password: 'whatever it is' }).expect(401);
    for (const [body, field] of [
      [{ password: 'x' }, 'email'],
      [{ email: active.user.email }, 'password'],
      [{ email: 5, password: 'x' }, 'email'],
      [{ email: active.user.email, password: ['x'] }, 'password'],
    ] as const) {
      expect((await forum.http.post('/api/auth/privacy-access').send(body).expect(400)).body.error.field).to.equal(field);
    }
    expect(await PrivacyAccess.countDocuments({ userId: { $in: [active.user._id, unverified.user._id] } })).to.equal(0);
  });
});
