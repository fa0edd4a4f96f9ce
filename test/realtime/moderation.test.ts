// Hiding through the moderation route withdraws the post from every live feed; restoring brings it back.
import { expect } from 'chai';
import type { BuiltUser } from '../support/factories';
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

  // A hidden thread is hidden as a whole (test/api/moderation/hidden-thread.test.ts): nothing about its replies
  // reaches a socket whose viewer may not see hidden posts, and the bells of those they notified follow.
  describe('a hidden thread hides its replies live', () => {
    const moderate = (action: 'hide' | 'restore', postId: string) =>
      forum.http.post(`/api/mod/posts/${postId}/${action}`).set(cast.siteModerator.auth).send(action === 'hide' ? { reason: 'spam' } : {}).expect(200);

    for (const visibility of ['public', 'closed'] as const) {
      it(`in a ${visibility} group, a reply restored on its own while its thread is hidden reaches no outsider’s socket`, async () => {
        const group = visibility === 'public' ? cast.publicGroup : cast.closedGroup;
        const outsiders: BuiltUser[] = [cast.member, cast.author, ...(visibility === 'public' ? [cast.stranger] : [])];
        const sockets = [];
        for (const who of outsiders) {
          const opened = await pool.open(forum.url, { token: who.token });
          await follow(opened.socket, `group:${idOf(group)}`, 'home');
          sockets.push(opened);
        }
        const visitor = await pool.open(forum.url);
        await follow(visitor.socket, 'public');
        const top = await postIn(group, cast.author);
        const reply = await postIn(group, cast.member, { parent: top });
        const replyId = idOf(reply);

        await moderate('hide', replyId);
        await moderate('hide', idOf(top));
        await moderate('restore', replyId);
        // A later post every follower receives, naming the replier, proves the restore's events have gone out
        // (each user's notifications go out in order).
        const later = await forum.http
          .post(`/api/groups/${idOf(group)}/posts`)
          .set(cast.owner.auth)
          .send({ body: `<p>later <a data-mention="${idOf(cast.member.user)}">@member</a></p>` })
          .expect(201);
        for (const { recorder } of sockets) {
          await recorder.next('post:new', (payload) => payload.id === later.body.id);
          expect(recorder.find('post:new', (payload) => payload.id === replyId)).to.deep.equal([]);
          expect(recorder.find('post:update', (payload) => payload.id === replyId)).to.deep.equal([]);
        }
        // The replier is not told their reply is back: it is not, while its thread is hidden.
        const replier = sockets[0]!.recorder;
        await replier.next('notification:new', (payload) => payload.type === 'mention');
        expect(replier.find('notification:new', (payload) => payload.type === 'post_restored')).to.deep.equal([]);
        expect(visitor.recorder.about(replyId)).to.deep.equal([]);
      });
    }

    it('the bell of someone a reply notified drops when its thread is hidden and comes back on restore', async () => {
      // The cast is shared with the tests above: the replier starts with nothing unread.
      await forum.http.post('/api/notifications/read').set(cast.member.auth).send({ all: true }).expect(200);
      const top = await postIn(cast.publicGroup, cast.author);
      const replier = await pool.open(forum.url, { token: cast.member.token });
      const reply = await forum.http.post(`/api/groups/${idOf(cast.publicGroup)}/posts`).set(cast.member.auth).send({ body: 'me too', parentId: idOf(top) }).expect(201);
      await forum.http.put(`/api/posts/${reply.body.id}/like`).set(cast.author.auth).expect(200);
      await replier.recorder.next('notification:new', (payload) => payload.type === 'like');
      await replier.recorder.next('notification:count', (payload) => payload.count === 1);
      /** The next count the replier is sent from now on. */
      const nextCount = (count: number) => {
        const before = new Set(replier.recorder.received.map((received) => received.payload));
        return replier.recorder.next('notification:count', (payload) => payload.count === count && !before.has(payload));
      };

      const dropped = nextCount(0);
      await moderate('hide', idOf(top));
      await dropped;
      const back = nextCount(1);
      await moderate('restore', idOf(top));
      await back;
    });
  });
});
