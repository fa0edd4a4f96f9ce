// Contact preferences and restriction: explicit opt-ins, every change in the consent ledger with time and source.
import { expect } from 'chai';
import { Consent } from '../../../server/models/consent';
import { User } from '../../../server/models/user';
import { resetDatabase } from '../../support/database';
import { buildUser } from '../../support/factories';
import { startTestForum, type TestForum } from '../../support/forum';

const ALL_OFF = { email: false, sms: false, whatsapp: false, phone: false, post: false };

describe('contact preferences: GET/PUT /api/me/preferences', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  it('requires a token', async () => {
    await forum.http.get('/api/me/preferences').expect(401);
    await forum.http.put('/api/me/preferences').send(ALL_OFF).expect(401);
  });

  it('starts with every channel off: consent is never assumed', async () => {
    const me = await buildUser();
    const res = await forum.http.get('/api/me/preferences').set(me.auth).expect(200);
    expect(res.body).to.deep.equal(ALL_OFF);
  });

  it('records each changed channel in the ledger with its time and the source "settings"', async () => {
    const me = await buildUser();
    const before = Date.now();
    const res = await forum.http.put('/api/me/preferences').set(me.auth).send({ ...ALL_OFF, email: true, sms: true }).expect(200);
    expect(res.body).to.deep.equal({ ...ALL_OFF, email: true, sms: true });
    const ledger = await Consent.find({ userId: me.user._id, kind: 'preference' }).sort({ channel: 1 }).lean();
    expect(ledger.map((entry) => [entry.channel, entry.value, entry.source])).to.deep.equal([
      ['email', true, 'settings'],
      ['sms', true, 'settings'],
    ]);
    for (const entry of ledger) expect(entry.at.getTime()).to.be.within(before, Date.now());

    await forum.http.put('/api/me/preferences').set(me.auth).send({ ...ALL_OFF, email: true }).expect(200);
    const after = await Consent.find({ userId: me.user._id, kind: 'preference' }).sort({ _id: 1 }).lean();
    expect(after).to.have.length(3);
    expect([after[2]!.channel, after[2]!.value]).to.deep.equal(['sms', false]);
    const me2 = await forum.http.get('/api/me').set(me.auth).expect(200);
    expect(me2.body.preferences).to.deep.equal({ ...ALL_OFF, email: true });
  });

  it('records nothing when nothing changes', async () => {
    const me = await buildUser();
    await forum.http.put('/api/me/preferences').set(me.auth).send(ALL_OFF).expect(200);
    expect(await Consent.countDocuments({ userId: me.user._id })).to.equal(0);
  });

  it('keeps the ledger append-only: an entry cannot be edited', async () => {
    const me = await buildUser();
    await forum.http.put('/api/me/preferences').set(me.auth).send({ ...ALL_OFF, post: true }).expect(200);
    let refused = false;
    try {
      await Consent.updateOne({ userId: me.user._id }, { $set: { value: false } });
    } catch {
      refused = true;
    }
    expect(refused).to.equal(true);
  });

  it('refuses a missing channel, a non-boolean and an unknown channel with 400 naming it', async () => {
    const me = await buildUser();
    const missing = await forum.http.put('/api/me/preferences').set(me.auth).send({ email: true }).expect(400);
    expect(missing.body.error.field).to.equal('sms');
    const wrongType = await forum.http.put('/api/me/preferences').set(me.auth).send({ ...ALL_OFF, email: 'yes' }).expect(400);
    expect(wrongType.body.error.field).to.equal('email');
    const unknown = await forum.http.put('/api/me/preferences').set(me.auth).send({ ...ALL_OFF, fax: true }).expect(400);
    expect(unknown.body.error.message).to.contain('fax');
    await forum.http.put('/api/me/preferences').set(me.auth).send([true]).expect(400);
    expect(await Consent.countDocuments({ userId: me.user._id })).to.equal(0);
    expect((await User.findById(me.user._id).lean())!.preferences).to.deep.include(ALL_OFF);
  });
});

describe('restriction of processing: PUT /api/me/restriction', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  it('requires a token', async () => {
    await forum.http.put('/api/me/restriction').send({ restricted: true }).expect(401);
  });

  it('sets the flag, shows it in Me and records each change in the ledger', async () => {
    const me = await buildUser();
    expect((await forum.http.put('/api/me/restriction').set(me.auth).send({ restricted: true }).expect(200)).body).to.deep.equal({ restricted: true });
    expect((await forum.http.get('/api/me').set(me.auth).expect(200)).body.restricted).to.equal(true);
    await forum.http.put('/api/me/restriction').set(me.auth).send({ restricted: true }).expect(200);
    await forum.http.put('/api/me/restriction').set(me.auth).send({ restricted: false }).expect(200);
    const ledger = await Consent.find({ userId: me.user._id, kind: 'restriction' }).sort({ _id: 1 }).lean();
    expect(ledger.map((entry) => [entry.value, entry.source])).to.deep.equal([
      [true, 'settings'],
      [false, 'settings'],
    ]);
    expect((await forum.http.get('/api/me').set(me.auth).expect(200)).body.restricted).to.equal(false);
  });

  it('refuses a missing or non-boolean flag with 400 naming it', async () => {
    const me = await buildUser();
    const missing = await forum.http.put('/api/me/restriction').set(me.auth).send({}).expect(400);
    expect(missing.body.error.field).to.equal('restricted');
    await forum.http.put('/api/me/restriction').set(me.auth).send({ restricted: 'true' }).expect(400);
    expect(await Consent.countDocuments({ userId: me.user._id })).to.equal(0);
  });
});
