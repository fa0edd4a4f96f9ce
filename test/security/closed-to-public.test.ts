// Review item 3: opening a closed group does not publish its past. Posts written while it was closed (and
// replies in their threads) stay readable by its members only; through every door an outsider has (homepage
// feed, home feed, group feed, post by id, replies, profile posts and likes, image URLs, live events, their
// own export) nothing from the closed era arrives, and nothing shows who was a member. What is written
// after the opening is public as usual.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { SHORT_URL_MAX_SECONDS } from '../../server/media/post-images';
import { addMember, buildGroup, buildPost, idOf, samplePng } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { follow, SocketPool } from '../support/sockets';

const SECRET = 'closed-era-secret';

describe('security: a closed group made public keeps its past for members', () => {
  let forum: TestForum;
  let owner: BuiltUser;
  let member: BuiltUser;
  let outsider: BuiltUser;
  let moderator: BuiltUser;
  let groupId: string;
  let postId: string;
  let replyId: string;
  const pool = new SocketPool();

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
    [owner, member, outsider, moderator] = await Promise.all([buildUser(), buildUser(), buildUser(), buildUser({ roles: ['moderator'] })]);
    const created = await forum.http.post('/api/groups').set(owner.auth).send({ name: 'Committee', visibility: 'closed' }).expect(201);
    groupId = created.body.id;
    await addMember({ _id: new Types.ObjectId(groupId) }, member);
    const post = await forum.http
      .post(`/api/groups/${groupId}/posts`)
      .set(member.auth)
      .field('body', `<p>${SECRET} post</p>`)
      .attach('images', await samplePng(), 'a.png')
      .expect(201);
    postId = post.body.id;
    replyId = (await forum.http.post(`/api/groups/${groupId}/posts`).set(owner.auth).send({ body: `${SECRET} reply`, parentId: postId }).expect(201)).body.id;
    await forum.http.put(`/api/posts/${postId}/like`).set(member.auth).expect(200);

    const opened = await forum.http.patch(`/api/groups/${groupId}`).set(owner.auth).send({ visibility: 'public' });
    expect(opened.status, opened.text).to.equal(200);
  });
  after(async () => {
    pool.closeAll();
    await forum.close();
  });

  const leaks = (text: string) => text.includes(SECRET) || text.includes(postId) || text.includes(replyId);

  it('lists: homepage feed, home feed, group feed, profile posts and likes show an outsider nothing from the closed era', async () => {
    const doors = [
      forum.http.get('/api/feed/public'),
      forum.http.get('/api/feed').set(outsider.auth),
      forum.http.get(`/api/groups/${groupId}/posts`).set(outsider.auth),
      forum.http.get(`/api/users/${String(member.user._id)}/posts`).set(outsider.auth),
      forum.http.get(`/api/users/${String(member.user._id)}/likes`).set(outsider.auth),
      forum.http.get(`/api/users/${String(owner.user._id)}/posts`).set(outsider.auth),
      forum.http.get(`/api/feed`).set(moderator.auth),
    ];
    for (const [door, res] of (await Promise.all(doors)).entries()) {
      expect(res.status, res.text).to.equal(200);
      expect(leaks(res.text), `door ${door}: ${res.text}`).to.equal(false);
    }
  });

  it('single doors: post by id, its replies, liking, replying and reporting answer 404, as for an unknown id', async () => {
    for (const res of await Promise.all([
      forum.http.get(`/api/posts/${postId}`).set(outsider.auth),
      forum.http.get(`/api/posts/${replyId}`).set(outsider.auth),
      forum.http.get(`/api/posts/${postId}/replies`).set(outsider.auth),
      forum.http.put(`/api/posts/${postId}/like`).set(outsider.auth),
      forum.http.post(`/api/groups/${groupId}/posts`).set(outsider.auth).send({ body: 'hi', parentId: postId }),
      forum.http.post(`/api/posts/${postId}/reports`).set(outsider.auth).send({ reason: 'curious' }),
    ])) {
      expect(res.status, res.text).to.equal(404);
      expect(leaks(res.text)).to.equal(false);
    }
  });

  it('a site moderator who is not a member reads it only with a stated reason, as in a closed group', async () => {
    expect((await forum.http.get(`/api/posts/${postId}`).set(moderator.auth)).status).to.equal(403);
    expect((await forum.http.get(`/api/posts/${postId}`).set(moderator.auth).set('X-Moderation-Reason', 'report review')).status).to.equal(200);
  });

  it('members still read the closed era in the group feed and by id, with short-lived image URLs', async () => {
    const feed = await forum.http.get(`/api/groups/${groupId}/posts`).set(member.auth).expect(200);
    expect(feed.body.items.map((post: { id: string }) => post.id)).to.include(postId);
    const post = (await forum.http.get(`/api/posts/${postId}`).set(member.auth).expect(200)).body;
    const expires = Number(new URL(post.images[0].url, 'http://x').searchParams.get('expires'));
    expect(expires - Date.now() / 1000).to.be.at.most(SHORT_URL_MAX_SECONDS);
    expect((await forum.http.get(`/api/posts/${postId}/replies`).set(member.auth).expect(200)).body.items.map((r: { id: string }) => r.id)).to.deep.equal([replyId]);
  });

  it('a reply written after the opening in a closed-era thread stays with the members too', async () => {
    const late = (await forum.http.post(`/api/groups/${groupId}/posts`).set(member.auth).send({ body: `${SECRET} late reply`, parentId: postId }).expect(201)).body;
    expect((await forum.http.get(`/api/posts/${late.id}`).set(outsider.auth)).status).to.equal(404);
    const profile = await forum.http.get(`/api/users/${String(member.user._id)}/posts`).set(outsider.auth);
    expect(leaks(profile.text)).to.equal(false);
  });

  it('live: an outsider following the now public group gets new posts but nothing about the closed era', async () => {
    const visitor = await pool.open(forum.url);
    const follower = await pool.open(forum.url, { token: outsider.token });
    await follow(visitor.socket, 'public');
    await follow(follower.socket, 'home', `group:${groupId}`);

    await forum.http.put(`/api/posts/${postId}/like`).set(owner.auth).expect(200);
    await forum.http.patch(`/api/posts/${postId}`).set(member.auth).send({ body: `${SECRET} edited` }).expect(200);
    await forum.http.post(`/api/groups/${groupId}/posts`).set(owner.auth).send({ body: `${SECRET} another reply`, parentId: postId }).expect(201);
    await forum.http.delete(`/api/posts/${replyId}`).set(owner.auth).expect(204);
    const fresh = (await forum.http.post(`/api/groups/${groupId}/posts`).set(member.auth).send({ body: 'Now we are public' }).expect(201)).body;

    for (const { recorder } of [visitor, follower]) {
      await recorder.next('post:new', (post) => post.id === fresh.id);
      // like:update is coalesced over 100 ms: wait past it before concluding nothing came.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(recorder.received.filter((event) => leaks(JSON.stringify(event.payload)))).to.deep.equal([]);
    }
  });

  it('a group stored before closing times were kept keeps all its posts for members when opened', async () => {
    const legacy = await buildGroup({ owner, visibility: 'closed' });
    const old = await buildPost({ group: legacy, author: owner, body: `<p>${SECRET} legacy</p>` });
    await forum.http.patch(`/api/groups/${idOf(legacy)}`).set(owner.auth).send({ visibility: 'public' }).expect(200);
    expect((await forum.http.get(`/api/posts/${idOf(old)}`).set(outsider.auth)).status).to.equal(404);
    expect((await forum.http.get(`/api/posts/${idOf(old)}`).set(owner.auth)).status).to.equal(200);
  });

  it('what is written after the opening is public, and the outsider’s export holds nothing of the closed era', async () => {
    const feed = await forum.http.get('/api/feed/public').expect(200);
    expect(feed.text).to.include('Now we are public');
    const exported = await forum.http.get('/api/me/export').set(outsider.auth).expect(200);
    expect(leaks(exported.text)).to.equal(false);
    // Who was a member is not shown to outsiders either.
    expect((await forum.http.get(`/api/groups/${groupId}/members`).set(outsider.auth)).status).to.equal(403);
  });
});
