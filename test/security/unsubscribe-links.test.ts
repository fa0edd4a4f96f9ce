// Review item 11: an old unsubscribe link cannot opt a person out again after they opted back in. A link
// ends when used (a second click changes nothing) or when a newer choice about its channel supersedes it.
import { expect } from 'chai';
import type { Types } from 'mongoose';
import { Consent } from '../../server/models/consent';
import { Outbox } from '../../server/models/outbox';
import { sendMarketing } from '../../server/services/marketing';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

const OPTED_IN = { email: true, sms: false, whatsapp: false, phone: false, post: false };

describe('security: unsubscribe links end when used or superseded', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  async function linkFor(reader: BuiltUser): Promise<string> {
    await sendMarketing(forum.ctx, [reader.user._id as Types.ObjectId], { subject: 'News', text: 'Hello.', channel: 'email' });
    const message = await Outbox.findOne({ kind: 'marketing', userId: reader.user._id }).sort({ _id: -1 }).lean();
    return decodeURIComponent(/\/unsubscribe\?token=([A-Za-z0-9_%-]+)/.exec(message!.text)![1]!);
  }

  const optIn = (reader: BuiltUser) =>
    forum.http.put('/api/me/preferences').set(reader.auth).send(OPTED_IN).expect(200);
  const emailWanted = async (reader: BuiltUser) => (await forum.http.get('/api/me/preferences').set(reader.auth)).body.email as boolean;

  it('a used link clicked again after the person opted back in changes nothing', async () => {
    const reader = await buildUser({ preferences: OPTED_IN });
    const token = await linkFor(reader);
    await forum.http.post('/api/unsubscribe').send({ token }).expect(200);
    expect(await emailWanted(reader)).to.equal(false);
    await optIn(reader);

    const replay = await forum.http.post('/api/unsubscribe').send({ token });
    expect(replay.status, replay.text).to.equal(404);
    expect(await emailWanted(reader)).to.equal(true);
    expect(await Consent.countDocuments({ userId: reader.user._id, channel: 'email', source: 'unsubscribe_link' })).to.equal(1);
  });

  it('an unused link from before a newer choice (opted out and back in) is superseded', async () => {
    const reader = await buildUser({ preferences: OPTED_IN });
    const token = await linkFor(reader);
    await forum.http.put('/api/me/preferences').set(reader.auth).send({ ...OPTED_IN, email: false }).expect(200);
    await optIn(reader);
    expect((await forum.http.post('/api/unsubscribe').send({ token })).status).to.equal(404);
    expect(await emailWanted(reader)).to.equal(true);
  });

  it('a used link clicked again with no newer choice answers as before and records nothing', async () => {
    const reader = await buildUser({ preferences: OPTED_IN });
    const token = await linkFor(reader);
    await forum.http.post('/api/unsubscribe').send({ token }).expect(200);
    const again = await forum.http.post('/api/unsubscribe').send({ token }).expect(200);
    expect(again.body).to.deep.equal({ channel: 'email', subscribed: false });
    expect(await Consent.countDocuments({ userId: reader.user._id, channel: 'email' })).to.equal(1);
  });
});
