// Rectifying the e-mail address: PUT /api/me/email sends a link to the new address, POST
// /api/me/email/confirm applies it, the old address is told.
import { expect } from 'chai';
import { Outbox } from '../../../server/models/outbox';
import { messagesTo } from '../../support/outbox';
import { User } from '../../../server/models/user';
import { resetDatabase } from '../../support/database';
import { buildUser, uniqueEmail, type BuiltUser } from '../../support/factories';
import { startTestForum, type TestForum } from '../../support/forum';

function tokenFrom(text: string): string {
  const match = /\/confirm-email\?token=([A-Za-z0-9_%-]+)/.exec(text);
  if (!match) throw new Error(`no confirmation link in: ${text}`);
  return decodeURIComponent(match[1]!);
}

describe('e-mail change: PUT /api/me/email and POST /api/me/email/confirm', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ loginLimits: { freePerPair: 100, freePerAccount: 100, perAddress: 1000 } });
  });
  after(() => forum.close());

  async function request(user: BuiltUser, email: string): Promise<string> {
    await forum.http.put('/api/me/email').set(user.auth).send({ email, password: user.password }).expect(202);
    const message = await Outbox.findOne({ to: email }).sort({ _id: -1 }).lean();
    return tokenFrom(message!.text);
  }

  it('requires a token', async () => {
    await forum.http.put('/api/me/email').send({ email: uniqueEmail(), password: 'x' }).expect(401);
    await forum.http.post('/api/me/email/confirm').send({ token: 'x' }).expect(401);
  });

  it('sends the link to the new address and changes nothing until it is used', async () => {
    const me = await buildUser();
    const next = uniqueEmail('next');
    await request(me, next);
    expect((await forum.http.get('/api/me').set(me.auth).expect(200)).body.email).to.equal(me.user.email);
  });

  it('applies the change with the link, tells the old address without naming the new one, and sign-in uses the new address', async () => {
    const me = await buildUser();
    const next = uniqueEmail('next');
    const token = await request(me, next);
    const res = await forum.http.post('/api/me/email/confirm').set(me.auth).send({ token }).expect(200);
    expect(res.body.email).to.equal(next);
    const notice = await Outbox.findOne({ to: me.user.email, subject: /changed/ }).lean();
    expect(notice!.text).to.not.contain(next);
    await forum.http.post('/api/auth/login').send({ email: next, password: me.password }).expect(200);
    await forum.http.post('/api/auth/login').send({ email: me.user.email, password: me.password }).expect(401);
    await forum.http.post('/api/me/email/confirm').set(me.auth).send({ token }).expect(404);
  });

  it('answers 409 when the address was taken in the meantime', async () => {
    const me = await buildUser();
    const next = uniqueEmail('contested');
    const token = await request(me, next);
    await buildUser({ email: next });
    await forum.http.post('/api/me/email/confirm').set(me.auth).send({ token }).expect(409);
    expect((await User.findById(me.user._id).lean())!.email).to.equal(me.user.email);
  });

  it('answers an address another account uses exactly like a free one (and sends it nothing); refuses my own address and a wrong password (400)', async () => {
    const me = await buildUser();
    const other = await buildUser();
    const taken = await forum.http.put('/api/me/email').set(me.auth).send({ email: other.user.email, password: me.password }).expect(202);
    const free = await forum.http.put('/api/me/email').set(me.auth).send({ email: uniqueEmail('free'), password: me.password }).expect(202);
    expect(taken.body).to.deep.equal(free.body);
    expect(await messagesTo(other.user.email)).to.deep.equal([]);
    const same = await forum.http.put('/api/me/email').set(me.auth).send({ email: me.user.email, password: me.password }).expect(400);
    expect(same.body.error.field).to.equal('email');
    const wrong = await forum.http.put('/api/me/email').set(me.auth).send({ email: uniqueEmail(), password: 'not my password' }).expect(400);
    expect(wrong.body.error.field).to.equal('password');
  });

  it('refuses a missing or malformed address and a missing password with 400 naming the field', async () => {
    const me = await buildUser();
    expect((await forum.http.put('/api/me/email').set(me.auth).send({ password: me.password }).expect(400)).body.error.field).to.equal('email');
    expect((await forum.http.put('/api/me/email').set(me.auth).send({ email: 'nope', password: me.password }).expect(400)).body.error.field).to.equal(
      'email',
    );
    expect((await forum.http.put('/api/me/email').set(me.auth).send({ email: uniqueEmail() }).expect(400)).body.error.field).to.equal('password');
    expect((await forum.http.post('/api/me/email/confirm').set(me.auth).send({}).expect(400)).body.error.field).to.equal('token');
  });

  it('a stranger cannot use my link, even holding it', async () => {
    const me = await buildUser();
    const stranger = await buildUser();
    const token = await request(me, uniqueEmail('mine'));
    await forum.http.post('/api/me/email/confirm').set(stranger.auth).send({ token }).expect(404);
    expect((await User.findById(stranger.user._id).lean())!.email).to.equal(stranger.user.email);
  });
});
