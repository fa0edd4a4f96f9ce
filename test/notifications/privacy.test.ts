// Notifications and the rights to export and erase: the export holds one's notifications and settings
// (and nobody else's identity or words); erasure removes notifications to the person and unnames them in
// everyone else's.
import { expect } from 'chai';
import { Notification, NotificationSettingsModel } from '../../server/models/notification';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, DEFAULT_PASSWORD } from '../support/factories';
import { waitForErasure } from '../support/erasure';
import { startTestForum, type TestForum } from '../support/forum';

describe('notifications: export and erasure', function () {
  this.timeout(60_000);
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  async function setup() {
    const [author, replier, bystander] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const group = await buildGroup({ owner: author, visibility: 'closed' });
    await addMember(group, replier);
    await addMember(group, bystander);
    const post = await buildPost({ group, author });
    const bystanderPost = await buildPost({ group, author: bystander });
    for (const parent of [post, bystanderPost]) {
      const res = await forum.http.post(`/api/groups/${idOf(group)}/posts`).set(replier.auth).send({ body: '<p>Bea writes back</p>', parentId: idOf(parent) });
      expect(res.status).to.equal(201);
    }
    // The replier is mentioned, so they have a notification of their own to lose.
    const mention = `<p>hi <a data-mention="${String(replier.user._id)}">@Bea</a></p>`;
    const res = await forum.http.post(`/api/groups/${idOf(group)}/posts`).set(bystander.auth).send({ body: mention, parentId: idOf(post) });
    expect(res.status).to.equal(201);
    return { author, replier, bystander, group };
  }

  it('exports one’s notifications and settings, without the other person’s id or words', async () => {
    const { author, replier, group } = await setup();
    await forum.http.put('/api/me/notification-settings').set(author.auth).send({ reply: { email: 'daily' } });
    const res = await forum.http.get('/api/me/export').set(author.auth);
    expect(res.status).to.equal(200);
    const exported = res.body.notifications;
    expect(exported.settings.reply).to.deep.equal({ inApp: true, email: 'daily' });
    expect(exported.notifications).to.have.length(2);
    expect(exported.notifications[0]).to.deep.include({ type: 'reply', actorCount: 1, reason: null, group: { id: idOf(group), name: group.name } });
    const raw = JSON.stringify(exported);
    for (const secret of [String(replier.user._id), 'Bea writes back', replier.user.displayName]) expect(raw).to.not.contain(secret);
  });

  it('removes notifications to the erased person and leaves others’ notifications about them without an actor', async () => {
    const { author, replier, bystander } = await setup();
    expect(await Notification.countDocuments({ recipientId: replier.user._id })).to.be.greaterThan(0);
    await forum.http.put('/api/me/notification-settings').set(replier.auth).send({ like: { inApp: false } });
    const res = await forum.http.delete('/api/me').set(replier.auth).send({ password: DEFAULT_PASSWORD });
    expect(res.status, res.text).to.equal(202);
    await waitForErasure(replier.user._id);

    expect(await Notification.countDocuments({ recipientId: replier.user._id })).to.equal(0);
    expect(await Notification.countDocuments({ actorId: replier.user._id })).to.equal(0);
    expect(await NotificationSettingsModel.countDocuments({ userId: replier.user._id })).to.equal(0);
    // Their replies went with their account, so the notifications about them no longer show; the bystander's stays.
    const list = await forum.http.get('/api/notifications').set(author.auth);
    expect(list.body.items.map((n: { type: string; actor: { id: string } | null }) => [n.type, n.actor?.id ?? null])).to.deep.equal([
      ['reply', String(bystander.user._id)],
    ]);
    expect(await Notification.countDocuments({ recipientId: author.user._id, actorId: null })).to.equal(1);
  });
});
