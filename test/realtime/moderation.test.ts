// Hiding through the moderation route withdraws the post from every live feed; restoring brings it back.
import { expect } from 'chai';
import { idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { startTestForum, type TestForum } from '../support/forum';
import { buildModerationCast, postIn, type ModerationCast } from '../support/moderation';
import { AuditEntry } from '../../server/models/audit-entry';
import { follow, SocketPool, subscribe } from '../support/sockets';

describe('realtime: moderation hides and restores live', () => {
  let forum: TestForum;
  let cast: ModerationCast;
  const pool = new SocketPool();

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
    cast = await buildModerationCast();
  });
  afterEach(() => pool.closeAll());
  after(() => forum.close());

  it('every feed receives post:delete on hide and nothing more about the post until it is restored', async () => {
    const visitor = await pool.open(forum.url);
    const member = await pool.open(forum.url, { token: cast.member.token });
    const stranger = await pool.open(forum.url, { token: cast.stranger.token });
    await follow(visitor.socket, 'public');
    await follow(member.socket, `group:${idOf(cast.publicGroup)}`);
    await follow(stranger.socket, 'home');
    const post = await postIn(cast.publicGroup, cast.author);
    const postId = idOf(post);

    await forum.http.post(`/api/mod/posts/${postId}/hide`).set(cast.siteModerator.auth).send({ reason: 'spam' }).expect(200);
    for (const { recorder } of [visitor, member, stranger]) await recorder.next('post:delete', (p) => p.id === postId);

    // While hidden even its author cannot edit it, and nothing about it reaches a feed.
    await forum.http.patch(`/api/posts/${postId}`).set(cast.author.auth).send({ body: '<p>sneaky edit</p>' }).expect(404);
    await forum.http.post(`/api/groups/${idOf(cast.publicGroup)}/posts`).set(cast.owner.auth).send({ body: '<p>later</p>' }).expect(201);
    for (const { recorder } of [member, stranger]) {
      await recorder.next('post:new', (p) => (p.body as string) === '<p>later</p>');
      expect(recorder.about(postId).map((r) => r.event)).to.deep.equal(['post:delete']);
    }

    await forum.http.post(`/api/mod/posts/${postId}/restore`).set(cast.siteModerator.auth).send({}).expect(200);
    for (const { recorder } of [visitor, member, stranger]) {
      await recorder.next('post:new', (p) => p.id === postId);
      expect(recorder.about(postId).map((r) => r.event)).to.deep.equal(['post:delete', 'post:new']);
    }
  });

  it('a member of a closed group following it live loses a hidden post at once', async () => {
    const member = await pool.open(forum.url, { token: cast.member.token });
    await follow(member.socket, `group:${idOf(cast.closedGroup)}`, 'home');
    const post = await postIn(cast.closedGroup, cast.author);
    await forum.http.post(`/api/mod/posts/${idOf(post)}/hide`).set(cast.groupModerator.auth).send({ reason: 'off topic' }).expect(200);
    await member.recorder.next('post:delete', (p) => p.id === idOf(post));
    expect(member.recorder.find('post:delete', (p) => p.id === idOf(post)).length).to.be.at.least(1);
  });

  it('a site moderator follows a closed group they are not in only with a reason, and the follow is audited', async () => {
    const { socket, recorder } = await pool.open(forum.url, { token: cast.siteModerator.token });
    const feed = `group:${idOf(cast.closedGroup)}`;
    const refused = await subscribe(socket, feed);
    expect(refused.ok).to.equal(false);
    expect(!refused.ok && refused.error.code).to.equal('forbidden');
    expect(!refused.ok && refused.error.message).to.match(/reason is required/);
    expect(await subscribe(socket, feed, { reason: '   ' })).to.deep.include({ ok: false });

    expect(await subscribe(socket, feed, { reason: 'report #12: threats' })).to.deep.equal({ ok: true });
    const audited = await AuditEntry.find({ actor: String(cast.siteModerator.user._id), reason: 'report #12: threats' }).lean();
    expect(audited).to.have.length(1);
    const res = await forum.http
      .post(`/api/groups/${idOf(cast.closedGroup)}/posts`)
      .set(cast.author.auth)
      .send({ body: '<p>under review</p>' })
      .expect(201);
    await recorder.next('post:new', (p) => p.id === res.body.id);
  });
});
