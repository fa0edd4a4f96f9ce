// The marketing sender and the one-click unsubscribe: what the outbox sends follows opt-ins, restriction,
// suppression and unsubscribe links, and a link does one thing only.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { Consent } from '../../../server/models/consent';
import { Outbox } from '../../../server/models/outbox';
import { UnsubscribeToken } from '../../../server/models/unsubscribe-token';
import { sendMarketing, type MarketingMessage } from '../../../server/services/marketing';
import { addressHash, suppressAddressHash } from '../../../server/services/suppression';
import { resetDatabase } from '../../support/database';
import { buildUser, type BuiltUser } from '../../support/factories';
import { startTestForum, type TestForum } from '../../support/forum';

const OPTED_IN = { email: true, sms: false, whatsapp: false, phone: false, post: false };
const CAMPAIGN: MarketingMessage = { subject: 'Spring meeting', text: 'Join us in April.', channel: 'email' };

async function marketingTo(user: BuiltUser) {
  return Outbox.find({ kind: 'marketing', userId: user.user._id }).sort({ _id: 1 }).lean();
}

function tokenFrom(text: string): string {
  const match = /\/unsubscribe\?token=([A-Za-z0-9_%-]+)/.exec(text);
  if (!match) throw new Error(`no unsubscribe link in: ${text}`);
  return decodeURIComponent(match[1]!);
}

describe('marketing messages and one-click unsubscribe', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ publicUrl: 'https://forum.example' });
  });
  after(() => forum.close());

  const send = (users: BuiltUser[], message = CAMPAIGN) => sendMarketing(forum.ctx, users.map((u) => u.user._id as Types.ObjectId), message);

  it('reaches opted-in accounts only, each message with its own unsubscribe link', async () => {
    const optedIn = await buildUser({ preferences: OPTED_IN });
    const silent = await buildUser();
    const report = await send([optedIn, silent]);
    expect(report.sent).to.deep.equal([String(optedIn.user._id)]);
    expect(report.skipped).to.deep.equal([{ userId: String(silent.user._id), reason: 'opted_out' }]);
    const [message] = await marketingTo(optedIn);
    expect(message!.to).to.equal(optedIn.user.email);
    expect(message!.text).to.match(/^Join us in April\./);
    expect(message!.text).to.contain('https://forum.example/unsubscribe?token=');
    expect(await marketingTo(silent)).to.have.length(0);
  });

  it('skips restricted accounts even when they opted in', async () => {
    const restricted = await buildUser({ preferences: OPTED_IN });
    await forum.http.put('/api/me/restriction').set(restricted.auth).send({ restricted: true }).expect(200);
    const report = await send([restricted]);
    expect(report.skipped).to.deep.equal([{ userId: String(restricted.user._id), reason: 'restricted' }]);
    expect(await marketingTo(restricted)).to.have.length(0);
    await forum.http.put('/api/me/restriction').set(restricted.auth).send({ restricted: false }).expect(200);
    expect((await send([restricted])).sent).to.have.length(1);
  });

  it('skips a suppressed address and leaves no token or outbox record for it', async () => {
    const suppressed = await buildUser({ preferences: OPTED_IN });
    await suppressAddressHash(await addressHash(suppressed.user.email), 'erasure');
    const report = await send([suppressed]);
    expect(report.skipped).to.deep.equal([{ userId: String(suppressed.user._id), reason: 'suppressed' }]);
    expect(await Outbox.countDocuments({ to: suppressed.user.email })).to.equal(0);
    expect(await UnsubscribeToken.countDocuments({ userId: suppressed.user._id })).to.equal(0);
  });

  it('skips channels the forum holds no address for', async () => {
    const sms = await buildUser({ preferences: { ...OPTED_IN, sms: true } });
    const report = await send([sms], { ...CAMPAIGN, channel: 'sms' });
    expect(report.skipped).to.deep.equal([{ userId: String(sms.user._id), reason: 'no_address' }]);
  });

  describe('POST /api/unsubscribe', () => {
    it('turns the channel off without a sign-in, records it with the source "unsubscribe_link", and the next campaign skips the account', async () => {
      const reader = await buildUser({ preferences: OPTED_IN });
      await send([reader]);
      const token = tokenFrom((await marketingTo(reader))[0]!.text);
      const res = await forum.http.post('/api/unsubscribe').send({ token }).expect(200);
      expect(res.body).to.deep.equal({ channel: 'email', subscribed: false });
      expect(res.headers['set-cookie']).to.equal(undefined);
      const me = await forum.http.get('/api/me/preferences').set(reader.auth).expect(200);
      expect(me.body.email).to.equal(false);
      const entry = await Consent.findOne({ userId: reader.user._id, kind: 'preference', channel: 'email' }).lean();
      expect([entry!.value, entry!.source]).to.deep.equal([false, 'unsubscribe_link']);

      const report = await send([reader]);
      expect(report.skipped[0]!.reason).to.equal('opted_out');
      expect(await marketingTo(reader)).to.have.length(1);
    });

    it('is idempotent: a second click answers 200 and adds nothing to the ledger', async () => {
      const reader = await buildUser({ preferences: OPTED_IN });
      await send([reader]);
      const token = tokenFrom((await marketingTo(reader))[0]!.text);
      await forum.http.post('/api/unsubscribe').send({ token }).expect(200);
      await forum.http.post('/api/unsubscribe').send({ token }).expect(200);
      expect(await Consent.countDocuments({ userId: reader.user._id, channel: 'email' })).to.equal(1);
    });

    it('is single-purpose: the token turns off only its channel and is no bearer token', async () => {
      const reader = await buildUser({ preferences: { ...OPTED_IN, post: true } });
      await send([reader]);
      const token = tokenFrom((await marketingTo(reader))[0]!.text);
      await forum.http.get('/api/me').set('Authorization', `Bearer ${token}`).expect(401);
      await forum.http.post('/api/unsubscribe').send({ token }).expect(200);
      const prefs = await forum.http.get('/api/me/preferences').set(reader.auth).expect(200);
      expect(prefs.body).to.deep.equal({ ...OPTED_IN, email: false, post: true });
    });

    it('tokens are unguessable: 256 random bits, stored only hashed', async () => {
      const reader = await buildUser({ preferences: OPTED_IN });
      await send([reader]);
      await send([reader]);
      const [first, second] = (await marketingTo(reader)).map((message) => tokenFrom(message.text));
      expect(first).to.not.equal(second);
      expect(Buffer.from(first!, 'base64url')).to.have.length(32);
      const stored = await UnsubscribeToken.find({ userId: reader.user._id }).lean();
      expect(stored.map((row) => row.tokenHash)).to.not.include(first);
    });

    it('answers an unknown token 404, and a missing or malformed one 400', async () => {
      await forum.http.post('/api/unsubscribe').send({ token: 'x'.repeat(43) }).expect(404);
      expect((await forum.http.post('/api/unsubscribe').send({}).expect(400)).body.error.field).to.equal('token');
      await forum.http.post('/api/unsubscribe').send({ token: 42 }).expect(400);
      await forum.http.post('/api/unsubscribe').send({ token: 'x'.repeat(5000) }).expect(400);
    });
  });
});
