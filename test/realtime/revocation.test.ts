// Losing access stops delivery at once: the event written right after the change never arrives, while
// a later event the socket may still see does.
import { expect } from 'chai';
import type { Group } from '../../shared/api';
import { Post } from '../../server/models/post';
import { Token } from '../../server/models/token';
import { hashToken, issueToken, revokeAllTokens } from '../../server/services/tokens';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { startTestForum, type TestForum } from '../support/forum';
import { connect, disconnected, follow, SocketPool, subscribe } from '../support/sockets';

describe('realtime revocation', () => {
  let forum: TestForum;
  let api: ForumApi;
  const pool = new SocketPool();
  let owner: BuiltUser;
  let publicGroup: Group;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
    api = new ForumApi(forum.http);
    owner = await buildUser();
    publicGroup = await api.createGroup(owner, 'public');
  });
  afterEach(() => pool.closeAll());
  after(() => forum.close());

  async function closedGroupWith(...members: BuiltUser[]): Promise<Group> {
    const group = await api.createGroup(owner, 'closed', 'open');
    for (const member of members) await api.join(member, group.id);
    return group;
  }

  it('a removed member stops receiving the group on every feed, from the next event on', async () => {
    const member = await buildUser();
    const group = await closedGroupWith(member);
    const followsGroup = await pool.open(forum.url, { token: member.token });
    const atHome = await pool.open(forum.url, { token: member.token });
    await follow(followsGroup.socket, `group:${group.id}`, `group:${publicGroup.id}`);
    await follow(atHome.socket, 'home');
    const seen = await api.post(owner, group.id);
    await atHome.recorder.next('post:new', (p) => p.id === seen.id);

    await api.removeMember(owner, group.id, member.user._id.toString());
    const unseen = await api.post(owner, group.id);
    await api.like(owner, seen.id);
    const later = await api.post(owner, publicGroup.id);

    for (const { recorder } of [followsGroup, atHome]) {
      await recorder.next('post:new', (p) => p.id === later.id);
      expect(recorder.about(unseen.id)).to.deep.equal([]);
      expect(recorder.find('like:update', (p) => p.postId === seen.id)).to.deep.equal([]);
    }
    expect(await subscribe(followsGroup.socket, `group:${group.id}`)).to.deep.include({ ok: false });
  });

  it('a member who leaves stops receiving the group', async () => {
    const member = await buildUser();
    const group = await closedGroupWith(member);
    const { socket, recorder } = await pool.open(forum.url, { token: member.token });
    await follow(socket, 'home', `group:${group.id}`);
    await api.removeMember(member, group.id, member.user._id.toString());
    const unseen = await api.post(owner, group.id);
    const later = await api.post(owner, publicGroup.id);
    await recorder.next('post:new', (p) => p.id === later.id);
    expect(recorder.about(unseen.id)).to.deep.equal([]);
  });

  it('a hidden post is withdrawn and nothing more about it is delivered', async () => {
    const member = await buildUser();
    const group = await closedGroupWith(member);
    const { socket, recorder } = await pool.open(forum.url, { token: member.token });
    await follow(socket, `group:${group.id}`);
    const post = await api.post(owner, group.id);
    await recorder.next('post:new', (p) => p.id === post.id);

    // What the moderation service does: the write, then the event.
    await Post.updateOne({ _id: post.id }, { $set: { hiddenAt: new Date(), likeCount: 7 } });
    forum.ctx.events.publish({ type: 'post.hidden', postId: post.id, groupId: group.id, parentId: null });
    forum.ctx.events.publish({ type: 'like.changed', postId: post.id, groupId: group.id, likeCount: 7, userId: null });
    forum.ctx.events.publish({ type: 'post.updated', postId: post.id, groupId: group.id, parentId: null });
    const later = await api.post(owner, group.id);

    await recorder.next('post:new', (p) => p.id === later.id);
    expect(recorder.about(post.id).map((r) => r.event)).to.deep.equal(['post:new', 'post:delete']);
  });

  it('a restored post comes back as post:new', async () => {
    const { socket, recorder } = await pool.open(forum.url);
    await follow(socket, 'public');
    const post = await api.post(owner, publicGroup.id);
    await Post.updateOne({ _id: post.id }, { $set: { hiddenAt: new Date() } });
    forum.ctx.events.publish({ type: 'post.hidden', postId: post.id, groupId: publicGroup.id, parentId: null });
    await Post.updateOne({ _id: post.id }, { $set: { hiddenAt: null } });
    forum.ctx.events.publish({ type: 'post.restored', postId: post.id, groupId: publicGroup.id, parentId: null });
    await recorder.next('post:new', (p) => p.id === post.id && recorder.about(post.id).length === 3);
    expect(recorder.about(post.id).map((r) => r.event)).to.deep.equal(['post:new', 'post:delete', 'post:new']);
  });

  it('a group turned from public to closed stops reaching non-members and anonymous visitors', async () => {
    const member = await buildUser();
    const outsider = await buildUser();
    const group = await api.createGroup(owner, 'public');
    await api.join(member, group.id);
    const other = await api.createGroup(owner, 'public');
    const insider = await pool.open(forum.url, { token: member.token });
    const stranger = await pool.open(forum.url, { token: outsider.token });
    const visitor = await pool.open(forum.url);
    await follow(insider.socket, `group:${group.id}`, 'home');
    await follow(stranger.socket, `group:${group.id}`, 'home', `group:${other.id}`);
    await follow(visitor.socket, 'public');

    await api.updateGroup(owner, group.id, { visibility: 'closed' });
    const secret = await api.post(owner, group.id);
    const later = await api.post(owner, other.id);

    expect((await insider.recorder.next('post:new', (p) => p.id === secret.id)).payload.groupId).to.equal(group.id);
    expect(insider.recorder.about(secret.id)).to.have.length(1);
    for (const { recorder } of [stranger, visitor]) {
      await recorder.next('post:new', (p) => p.id === later.id);
      expect(recorder.about(secret.id)).to.deep.equal([]);
    }
  });

  describe('sessions', () => {
    it('logging out disconnects that token’s sockets only, and the token no longer connects', async () => {
      const user = await buildUser();
      const otherToken = await issueToken(user.user._id);
      const loggedOut = await pool.open(forum.url, { token: user.token });
      const stays = await pool.open(forum.url, { token: otherToken });
      await follow(loggedOut.socket, 'public');
      await follow(stays.socket, 'public');

      const gone = disconnected(loggedOut.socket);
      await forum.http.post('/api/auth/logout').set(user.auth).expect(204);
      expect(await gone).to.equal('io server disconnect');

      const later = await api.post(owner, publicGroup.id);
      await stays.recorder.next('post:new', (p) => p.id === later.id);
      expect(loggedOut.recorder.about(later.id)).to.deep.equal([]);
      const refused = await connect(forum.url, { token: user.token }).catch((error: Error & { data?: unknown }) => error);
      expect(refused).to.be.instanceOf(Error);
      expect((refused as Error).message).to.equal('unauthorized');
      expect((refused as { data?: { code?: string } }).data?.code).to.equal('unauthorized');
    });

    it('revoking every token of a user disconnects all their sockets', async () => {
      const user = await buildUser();
      const second = await issueToken(user.user._id);
      const a = await pool.open(forum.url, { token: user.token });
      const b = await pool.open(forum.url, { token: second });
      const both = Promise.all([disconnected(a.socket), disconnected(b.socket)]);
      await revokeAllTokens(user.user._id, forum.ctx.events);
      expect(await both).to.deep.equal(['io server disconnect', 'io server disconnect']);
    });

    it('an erased account’s sockets are disconnected', async () => {
      const user = await buildUser();
      const { socket } = await pool.open(forum.url, { token: user.token });
      const gone = disconnected(socket);
      forum.ctx.events.publish({ type: 'user.erased', userId: user.user._id.toString() });
      expect(await gone).to.equal('io server disconnect');
    });

    it('a change of roles ends the user’s sockets so they reconnect with what they may do now', async () => {
      const admin = await buildUser({ roles: ['admin'] });
      const moderator = await buildUser({ roles: ['moderator'] });
      const { socket } = await pool.open(forum.url, { token: moderator.token });
      const gone = disconnected(socket);
      await forum.http.put(`/api/admin/users/${moderator.user._id}/roles`).set(admin.auth).send({ roles: [] }).expect(200);
      expect(await gone).to.equal('io server disconnect');
    });

    it('a token that expires while connected disconnects its socket', async () => {
      const user = await buildUser();
      await Token.updateOne({ tokenHash: hashToken(user.token) }, { $set: { expiresAt: new Date(Date.now() + 1_500) } });
      const { socket } = await pool.open(forum.url, { token: user.token });
      expect(socket.connected).to.equal(true);
      expect(await disconnected(socket, 5_000)).to.equal('io server disconnect');
    });

    it('a token that expires disconnects every socket on it, and none of the same user’s other tokens', async () => {
      const user = await buildUser();
      const other = await issueToken(user.user._id);
      await Token.updateOne({ tokenHash: hashToken(user.token) }, { $set: { expiresAt: new Date(Date.now() + 1_500) } });
      const first = await pool.open(forum.url, { token: user.token });
      const second = await pool.open(forum.url, { token: user.token });
      const onOther = await pool.open(forum.url, { token: other });
      const [gone, alsoGone] = [disconnected(first.socket, 5_000), disconnected(second.socket, 5_000)];
      expect(await gone).to.equal('io server disconnect');
      expect(await alsoGone).to.equal('io server disconnect');
      expect(onOther.socket.connected).to.equal(true);
    });

    it('a token used elsewhere before its expiry keeps its sockets: the expiry is read again when it comes', async () => {
      const user = await buildUser();
      await Token.updateOne({ tokenHash: hashToken(user.token) }, { $set: { expiresAt: new Date(Date.now() + 1_000) } });
      const { socket } = await pool.open(forum.url, { token: user.token });
      // Slid forward as a request with the token would do, after the socket read its first expiry.
      await Token.updateOne({ tokenHash: hashToken(user.token) }, { $set: { expiresAt: new Date(Date.now() + 60 * 60 * 1000) } });
      const ended = disconnected(socket, 2_500).then(
        (reason) => reason,
        () => null,
      );
      expect(await ended).to.equal(null);
      expect(socket.connected).to.equal(true);
    });

    it('refuses a handshake with an unknown, malformed or non-string token', async () => {
      for (const token of ['x'.repeat(43), 'short', 12345, { token: 'nested' }]) {
        const error = await connect(forum.url, { token }).then(
          (socket) => {
            socket.close();
            return null;
          },
          (failure: Error) => failure,
        );
        expect(error?.message, String(token)).to.equal('unauthorized');
      }
    });
  });
});
