// Who receives what: the public, group and home feeds deliver exactly what the REST feeds show.
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { Group } from '../../shared/api';
import { AuditEntry } from '../../server/models/audit-entry';
import { MAX_GROUP_FEEDS } from '../../server/realtime/subscriptions';
import { buildUser, type BuiltUser } from '../support/factories';
import type { ForumApi } from '../support/forum-api';
import type { TestForum } from '../support/forum';
import { startFeedWorld } from '../support/feed-world';
import { follow, SocketPool, subscribe } from '../support/sockets';

const BURST = 8;

describe('realtime feeds', () => {
  let forum: TestForum;
  let api: ForumApi;
  const pool = new SocketPool();
  let owner: BuiltUser;
  let member: BuiltUser;
  let outsider: BuiltUser;
  let publicGroup: Group;
  let closedGroup: Group;

  before(async () => {
    ({ forum, api, owner, member, outsider, publicGroup, closedGroup } = await startFeedWorld());
  });
  afterEach(() => pool.closeAll());
  after(() => forum.close());

  it('keeps no connection’s opening HTTP request, and still authenticates and delivers', async () => {
    const { socket, recorder } = await pool.open(forum.url, { token: member.token });
    expect(await subscribe(socket, `group:${closedGroup.id}`)).to.deep.equal({ ok: true });
    const kept = [...forum.realtime.io.of('/').sockets.values()].map((serverSocket) => serverSocket.request as unknown);
    expect(kept.length).to.be.greaterThan(0);
    expect(kept.every((request) => request === null)).to.equal(true);
    const post = await api.post(owner, closedGroup.id);
    expect((await recorder.next('post:new', (payload) => payload.id === post.id)).payload).to.include({ groupId: closedGroup.id });
  });

  describe('anonymous visitors', () => {
    it('receive public posts on the public feed and never a closed group’s', async () => {
      const { socket, recorder } = await pool.open(forum.url);
      expect(await subscribe(socket, 'public')).to.deep.equal({ ok: true });

      const secret = await api.post(owner, closedGroup.id, '<p>members only</p>');
      const open = await api.post(owner, publicGroup.id, '<p>hello world</p>');
      const received = await recorder.next('post:new', (p) => p.id === open.id);

      const { likedByMe, can: _perViewer, author, ...expected } = await api.getPost(owner, open.id);
      expect(likedByMe).to.equal(false);
      // Visitors see authors' minimal identity only.
      expect(received.payload).to.deep.equal({ ...expected, author: { id: author!.id, displayName: author!.displayName, avatarUrl: author!.avatarUrl } });
      expect(recorder.about(secret.id)).to.deep.equal([]);
    });

    it('may follow only the public feed', async () => {
      const { socket } = await pool.open(forum.url);
      for (const feed of ['home', `group:${publicGroup.id}`, `group:${closedGroup.id}`]) {
        const ack = await subscribe(socket, feed);
        expect(ack, feed).to.deep.include({ ok: false });
        expect(!ack.ok && ack.error.code, feed).to.equal('unauthorized');
      }
    });

    it('do not receive replies, only the parent’s new reply count', async () => {
      const { socket, recorder } = await pool.open(forum.url);
      await subscribe(socket, 'public');
      const parent = await api.post(owner, publicGroup.id);
      await recorder.next('post:new', (p) => p.id === parent.id);
      const reply = await api.post(owner, publicGroup.id, '<p>a reply</p>', parent.id);
      const update = await recorder.next('post:update', (p) => p.id === parent.id);
      expect(update.payload.replyCount).to.equal(1);
      expect(recorder.about(reply.id)).to.deep.equal([]);
    });
  });

  describe('closed groups', () => {
    it('reach members on the group feed and the home feed, and never a non-member', async () => {
      const inGroup = await pool.open(forum.url, { token: member.token });
      const atHome = await pool.open(forum.url, { token: member.token });
      const stranger = await pool.open(forum.url, { token: outsider.token });
      expect(await subscribe(inGroup.socket, `group:${closedGroup.id}`)).to.deep.equal({ ok: true });
      expect(await subscribe(atHome.socket, 'home')).to.deep.equal({ ok: true });
      expect(await subscribe(stranger.socket, 'home')).to.deep.equal({ ok: true });
      expect(await subscribe(stranger.socket, 'public')).to.deep.equal({ ok: true });

      const secret = await api.post(owner, closedGroup.id);
      await inGroup.recorder.next('post:new', (p) => p.id === secret.id);
      await atHome.recorder.next('post:new', (p) => p.id === secret.id);

      await api.like(member, secret.id);
      await atHome.recorder.next('like:update', (p) => p.postId === secret.id && p.likeCount === 1);

      const open = await api.post(owner, publicGroup.id);
      await stranger.recorder.next('post:new', (p) => p.id === open.id);
      expect(stranger.recorder.about(secret.id)).to.deep.equal([]);
    });

    it('refuse a non-member’s subscription exactly like a group that does not exist', async () => {
      const { socket } = await pool.open(forum.url, { token: outsider.token });
      const closed = await subscribe(socket, `group:${closedGroup.id}`);
      const missing = await subscribe(socket, 'group:0123456789abcdef01234567');
      expect(closed).to.deep.equal({ ok: false, error: { code: 'not_found', message: 'No such group.' } });
      expect(missing).to.deep.equal(closed);
    });

    it('let a site moderator follow a closed group they are not in with a stated reason, recording the read for the audit', async () => {
      const moderator = await buildUser({ roles: ['moderator'] });
      const { socket, recorder } = await pool.open(forum.url, { token: moderator.token });
      expect((await subscribe(socket, `group:${closedGroup.id}`)).ok).to.equal(false);
      expect(await subscribe(socket, `group:${closedGroup.id}`, { reason: 'report #21' })).to.deep.equal({ ok: true });
      const audited = await AuditEntry.find({ actor: moderator.user._id.toString(), action: 'moderator.read' }).lean();
      expect(audited.map((entry) => [entry.target, entry.reason])).to.deep.equal([[`group:${closedGroup.id}`, 'report #21']]);
      const post = await api.post(owner, closedGroup.id);
      await recorder.next('post:new', (p) => p.id === post.id);
    });

    it('deliver one copy per event to a socket following the same post through several feeds', async () => {
      const { socket, recorder } = await pool.open(forum.url, { token: member.token });
      await subscribe(socket, 'home');
      await subscribe(socket, `group:${closedGroup.id}`);
      const first = await api.post(owner, closedGroup.id);
      const second = await api.post(owner, closedGroup.id);
      await recorder.next('post:new', (p) => p.id === second.id);
      expect(recorder.about(first.id)).to.have.length(1);
    });
  });

  describe('the home feed', () => {
    it('shows public groups’ posts to any signed-in user, and the viewer’s own closed groups', async () => {
      const home = await pool.open(forum.url, { token: outsider.token });
      await subscribe(home.socket, 'home');
      const open = await api.post(owner, publicGroup.id);
      await home.recorder.next('post:new', (p) => p.id === open.id);
    });

    it('picks up a group the user joins while subscribed', async () => {
      const joiner = await buildUser();
      const home = await pool.open(forum.url, { token: joiner.token });
      await subscribe(home.socket, 'home');
      const before = await api.post(owner, closedGroup.id);
      await api.join(joiner, closedGroup.id);
      const after = await api.post(owner, closedGroup.id);
      await home.recorder.next('post:new', (p) => p.id === after.id);
      expect(home.recorder.about(before.id)).to.deep.equal([]);
    });
  });

  describe('updates and deletions', () => {
    it('send post:update on edit and post:delete on delete, to the post’s feeds', async () => {
      const { socket, recorder } = await pool.open(forum.url, { token: member.token });
      await subscribe(socket, `group:${closedGroup.id}`);
      const post = await api.post(member, closedGroup.id, '<p>first</p>');
      await api.edit(member, post.id, '<p>second</p>');
      const update = await recorder.next('post:update', (p) => p.id === post.id);
      expect(update.payload.bodyText).to.equal('second');
      expect(update.payload.editedAt).to.be.a('string');
      await api.delete(member, post.id);
      const deletion = await recorder.next('post:delete', (p) => p.id === post.id);
      expect(deletion.payload).to.deep.equal({ id: post.id, groupId: closedGroup.id });
    });

    it('stop following a feed on unsubscribe', async () => {
      const { socket, recorder } = await pool.open(forum.url, { token: member.token });
      await subscribe(socket, `group:${closedGroup.id}`);
      await subscribe(socket, `group:${publicGroup.id}`);
      expect(await socket.emitWithAck('unsubscribe', { feed: `group:${closedGroup.id}` })).to.deep.equal({ ok: true });
      const dropped = await api.post(owner, closedGroup.id);
      const kept = await api.post(owner, publicGroup.id);
      await recorder.next('post:new', (p) => p.id === kept.id);
      expect(recorder.about(dropped.id)).to.deep.equal([]);
    });
  });

  // Posts written at once are fanned out together (one TCP write per socket for the lot): each still reaches
  // exactly the sockets whose viewers may see it, once, and a removal published before a burst keeps every
  // post of that burst from the removed member.
  describe('bursts of writes', () => {
    it('deliver every post of a burst once to a member, and none to a non-member', async () => {
      const inside = await pool.open(forum.url, { token: member.token });
      await follow(inside.socket, `group:${closedGroup.id}`, 'home');
      const outside = await pool.open(forum.url, { token: outsider.token });
      await follow(outside.socket, 'home', `group:${publicGroup.id}`);

      const burst = await Promise.all(Array.from({ length: BURST }, (_, i) => api.post(owner, closedGroup.id, `<p>burst ${i}</p>`)));
      for (const post of burst) await inside.recorder.next('post:new', (p) => p.id === post.id);
      // The outsider's sentinel comes after the burst on the same connection, so anything leaked would be in first.
      const sentinel = await api.post(owner, publicGroup.id);
      await outside.recorder.next('post:new', (p) => p.id === sentinel.id);
      await inside.recorder.next('post:new', (p) => p.id === sentinel.id);

      for (const post of burst) {
        // The group feed and the home feed both show it: still one copy per socket.
        expect(inside.recorder.about(post.id), post.id).to.have.length(1);
        expect(outside.recorder.about(post.id), post.id).to.deep.equal([]);
      }
    });

    it('keep a whole burst from a member removed just before it', async () => {
      const leaver = await buildUser();
      await api.join(leaver, closedGroup.id);
      const { socket, recorder } = await pool.open(forum.url, { token: leaver.token });
      await follow(socket, `group:${closedGroup.id}`, 'home', `group:${publicGroup.id}`);

      await api.removeMember(owner, closedGroup.id, String(leaver.user._id));
      const burst = await Promise.all(Array.from({ length: BURST }, (_, i) => api.post(owner, closedGroup.id, `<p>after ${i}</p>`)));
      await forum.realtime.idle();
      const sentinel = await api.post(owner, publicGroup.id);
      await recorder.next('post:new', (p) => p.id === sentinel.id);

      for (const post of burst) expect(recorder.about(post.id), post.id).to.deep.equal([]);
    });
  });

  describe('malformed requests', () => {
    const cases: Array<[string, unknown, string]> = [
      ['a string', 'public', 'invalid_feed'],
      ['null', null, 'invalid_feed'],
      ['an array', ['public'], 'invalid_feed'],
      ['no feed', {}, 'invalid_feed'],
      ['a numeric feed', { feed: 42 }, 'invalid_feed'],
      ['an unknown feed', { feed: 'everything' }, 'invalid_feed'],
      ['a group that is not an id', { feed: 'group:../../etc' }, 'not_found'],
      ['a huge feed name', { feed: `group:${'a'.repeat(10_000)}` }, 'not_found'],
    ];
    for (const [what, request, code] of cases) {
      it(`answer ${what} with an error ack (${code})`, async () => {
        const { socket } = await pool.open(forum.url, { token: member.token });
        const ack = await socket.timeout(5_000).emitWithAck('subscribe', request as never);
        expect(ack).to.deep.include({ ok: false });
        expect(!ack.ok && ack.error.code).to.equal(code);
        expect(!ack.ok && ack.error.message).to.be.a('string').and.not.equal('');
        const unsubscribed = await socket.timeout(5_000).emitWithAck('unsubscribe', request as never);
        expect(!unsubscribed.ok && unsubscribed.error.code).to.equal(code);
      });
    }

    it(`refuse more than ${MAX_GROUP_FEEDS} group feeds on one connection, even requested all at once`, async () => {
      const { socket } = await pool.open(forum.url, { token: outsider.token });
      const acks = await Promise.all(
        Array.from({ length: MAX_GROUP_FEEDS + 5 }, () => subscribe(socket, `group:${new Types.ObjectId()}`)),
      );
      const codes = acks.map((ack) => (ack.ok ? 'ok' : ack.error.code));
      expect(codes.filter((code) => code === 'too_many_feeds')).to.have.length(5);
      expect(codes.filter((code) => code === 'not_found')).to.have.length(MAX_GROUP_FEEDS);
      expect(await subscribe(socket, `group:${publicGroup.id}`)).to.deep.equal({ ok: true });
    });

    it('ignore a subscribe without an ack, grant nothing, and keep serving the socket', async () => {
      const { socket, recorder } = await pool.open(forum.url, { token: member.token });
      (socket.emit as (...args: unknown[]) => void)('subscribe', { feed: 'public' });
      (socket.emit as (...args: unknown[]) => void)('subscribe');
      (socket.emit as (...args: unknown[]) => void)('no-such-event', 1, 2, 3);
      await subscribe(socket, `group:${closedGroup.id}`);
      const ungranted = await api.post(owner, publicGroup.id);
      const granted = await api.post(owner, closedGroup.id);
      await recorder.next('post:new', (p) => p.id === granted.id);
      expect(recorder.about(ungranted.id)).to.deep.equal([]);
      expect(socket.connected).to.equal(true);
    });
  });
});
