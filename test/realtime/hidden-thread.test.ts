// Live, a hidden thread is hidden as a whole: nothing about its replies reaches a socket whose viewer may not
// see hidden posts, and the bells of those the replies notified drop at once and come back on restore.
import { expect } from 'chai';
import { idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import type { BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { buildModerationCast, postIn, type ModerationCast } from '../support/moderation';
import { follow, SocketPool } from '../support/sockets';

describe('realtime: a hidden thread hides its replies live', () => {
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
