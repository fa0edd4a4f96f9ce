// @mentions: completion from the people who may read the group, mentions kept in the body as a user id
// only, notifications for readers only, only for new mentions on edit, at most 20 per post.
import { expect } from 'chai';
import { Notification } from '../../server/models/notification';
import { MAX_MENTIONS_PER_POST } from '../../server/notifications/mentions';
import { addMember, buildGroup, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('mentions', function () {
  this.timeout(60_000);
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  const tag = (user: BuiltUser, text = '@someone') => `<a data-mention="${String(user.user._id)}">${text}</a>`;

  async function write(author: BuiltUser, groupId: string, body: string) {
    const res = await forum.http.post(`/api/groups/${groupId}/posts`).set(author.auth).send({ body });
    expect(res.status, res.text).to.equal(201);
    return res.body;
  }
  const mentionsOf = (user: BuiltUser) => Notification.countDocuments({ recipientId: user.user._id, type: 'mention' });

  describe('GET /api/groups/:id/mentionable', () => {
    it('offers only a closed group’s members, by display-name prefix, as public cards', async () => {
      const owner = await buildUser({ displayName: 'Olga Owner' });
      const [inside, outside, insideToo] = await Promise.all([
        buildUser({ displayName: 'Marta Member' }),
        buildUser({ displayName: 'Marta Outsider' }),
        buildUser({ displayName: 'mario member' }),
      ]);
      const group = await buildGroup({ owner, visibility: 'closed' });
      await addMember(group, inside);
      await addMember(group, insideToo);
      const res = await forum.http.get(`/api/groups/${idOf(group)}/mentionable?q=mar`).set(owner.auth);
      expect(res.status, res.text).to.equal(200);
      expect(res.body.items.map((u: { displayName: string }) => u.displayName)).to.deep.equal(['Marta Member', 'mario member']);
      for (const user of res.body.items) expect(user).to.have.keys(['id', 'displayName', 'avatarUrl', 'bio', 'joinedAt']);
      expect(res.body.items.map((u: { id: string }) => u.id)).to.not.include(String(outside.user._id));
    });

    it('is a 404 for a closed group the caller is not in, a site moderator outside it, and an unknown id', async () => {
      const [owner, stranger, siteModerator] = await Promise.all([buildUser(), buildUser(), buildUser({ roles: ['moderator'] })]);
      const group = await buildGroup({ owner, visibility: 'closed' });
      for (const [who, path] of [
        [stranger, `/api/groups/${idOf(group)}/mentionable?q=`],
        [siteModerator, `/api/groups/${idOf(group)}/mentionable?q=`],
        [owner, '/api/groups/0123456789abcdef01234567/mentionable'],
        [owner, '/api/groups/nope/mentionable'],
      ] as const) {
        const res = await forum.http.get(path).set(who.auth);
        expect(res.status, path).to.equal(404);
      }
    });

    it('offers any active account for a public group, at most ten, never the caller, and refuses a long prefix', async () => {
      const owner = await buildUser({ displayName: 'Zed Owner' });
      const group = await buildGroup({ owner, visibility: 'public' });
      await Promise.all(Array.from({ length: 12 }, (_, i) => buildUser({ displayName: `Zed ${i}` })));
      const res = await forum.http.get(`/api/groups/${idOf(group)}/mentionable?q=zed`).set(owner.auth);
      expect(res.body.items).to.have.length(10);
      expect(res.body.items.map((u: { id: string }) => u.id)).to.not.include(String(owner.user._id));
      const regex = await forum.http.get(`/api/groups/${idOf(group)}/mentionable?q=.*`).set(owner.auth);
      expect(regex.body.items).to.deep.equal([]);
      const long = await forum.http.get(`/api/groups/${idOf(group)}/mentionable?q=${'a'.repeat(81)}`).set(owner.auth);
      expect(long.status).to.equal(400);
      expect(long.body.error.message).to.contain('q');
    });
  });

  it('keeps the mention as the id and its text only, and it reaches the post’s readers', async () => {
    const [author, friend] = await Promise.all([buildUser(), buildUser()]);
    const group = await buildGroup({ owner: author, visibility: 'public' });
    const post = await write(author, idOf(group), `<p>hi <a data-mention="${String(friend.user._id).toUpperCase()}" href="https://evil.example" onclick="x()">@Friend</a></p>`);
    expect(post.body).to.equal(`<p>hi <a data-mention="${String(friend.user._id)}" href="/users/${String(friend.user._id)}">@Friend</a></p>`);
    expect(await mentionsOf(friend)).to.equal(1);
  });

  it('notifies no one mentioned who cannot read the post, and answers the writer the same either way', async () => {
    const [owner, member, outsider] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const group = await buildGroup({ owner, visibility: 'closed' });
    await addMember(group, member);
    const toMember = await write(owner, idOf(group), `<p>${tag(member)}</p>`);
    const toOutsider = await write(owner, idOf(group), `<p>${tag(outsider)}</p>`);
    expect(await mentionsOf(member)).to.equal(1);
    expect(await mentionsOf(outsider)).to.equal(0);
    expect(Object.keys(toOutsider)).to.deep.equal(Object.keys(toMember));
    expect(toOutsider.body).to.contain(`data-mention="${String(outsider.user._id)}"`);
  });

  it('notifies only newly added mentions on edit, and nobody of mentioning themselves', async () => {
    const [author, first, second] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const group = await buildGroup({ owner: author, visibility: 'public' });
    const post = await write(author, idOf(group), `<p>${tag(first)} ${tag(author)}</p>`);
    const edited = await forum.http.patch(`/api/posts/${post.id}`).set(author.auth).send({ body: `<p>${tag(first)} ${tag(second)} again</p>` });
    expect(edited.status).to.equal(200);
    // Removed and added back: still one.
    await forum.http.patch(`/api/posts/${post.id}`).set(author.auth).send({ body: `<p>${tag(second)}</p>` });
    await forum.http.patch(`/api/posts/${post.id}`).set(author.auth).send({ body: `<p>${tag(first)} ${tag(second)}</p>` });
    expect(await mentionsOf(first)).to.equal(1);
    expect(await mentionsOf(second)).to.equal(1);
    expect(await mentionsOf(author)).to.equal(0);
  });

  it(`notifies at most ${MAX_MENTIONS_PER_POST} people per post, over all its versions`, async () => {
    const author = await buildUser();
    const group = await buildGroup({ owner: author, visibility: 'public' });
    const people = await Promise.all(Array.from({ length: 25 }, () => buildUser()));
    const post = await write(author, idOf(group), `<p>${people.slice(0, 22).map((p) => tag(p)).join(' ')}</p>`);
    const counts = await Promise.all(people.map(mentionsOf));
    expect(counts.slice(0, 20)).to.deep.equal(Array(20).fill(1));
    expect(counts.slice(20)).to.deep.equal([0, 0, 0, 0, 0]);
    await forum.http.patch(`/api/posts/${post.id}`).set(author.auth).send({ body: `<p>${people.slice(22).map((p) => tag(p)).join(' ')}</p>` });
    expect(await Notification.countDocuments({ postId: post.id, type: 'mention' })).to.equal(20);
  });

  it('gives a reply’s parent author one reply notification, not also a mention', async () => {
    const [author, replier] = await Promise.all([buildUser(), buildUser()]);
    const group = await buildGroup({ owner: author, visibility: 'public' });
    await addMember(group, replier);
    const post = await write(author, idOf(group), '<p>question</p>');
    const res = await forum.http.post(`/api/groups/${idOf(group)}/posts`).set(replier.auth).send({ body: `<p>${tag(author)} answer</p>`, parentId: post.id });
    expect(res.status).to.equal(201);
    const types = (await Notification.find({ recipientId: author.user._id }).lean()).map((n) => n.type);
    expect(types).to.deep.equal(['reply']);
  });
});
