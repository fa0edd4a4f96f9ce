// Replies travel live on their group's feed only (where an open thread listens), to exactly the readers
// the REST replies list would show them to; home and public feeds see only the parent's reply count.
import { expect } from 'chai';
import type { Group } from '../../shared/api';
import { buildUser, type BuiltUser } from '../support/factories';
import type { ForumApi } from '../support/forum-api';
import type { TestForum } from '../support/forum';
import { startFeedWorld } from '../support/feed-world';
import { follow, SocketPool, subscribe } from '../support/sockets';

describe('realtime replies', () => {
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
    await api.join(member, publicGroup.id);
  });
  afterEach(() => pool.closeAll());
  after(() => forum.close());

  it('reach followers of the group feed as post:new with their parent, in the order written', async () => {
    const thread = await pool.open(forum.url, { token: outsider.token });
    await follow(thread.socket, `group:${publicGroup.id}`);
    const parent = await api.post(owner, publicGroup.id);
    const first = await api.post(member, publicGroup.id, '<p>first</p>', parent.id);
    const second = await api.post(owner, publicGroup.id, '<p>second</p>', parent.id);
    await thread.recorder.next('post:new', (p) => p.id === second.id);
    const replies = thread.recorder.find('post:new', (p) => p.parentId === parent.id);
    expect(replies.map((r) => r.payload.id)).to.deep.equal([first.id, second.id]);
    const { likedByMe: _perViewer, can: _alsoPerViewer, author, ...expected } = await api.getPost(outsider, first.id);
    // Live copies are one presentation for every receiver, so authors carry their minimal identity.
    expect(replies[0]!.payload).to.deep.equal({ ...expected, author: { id: author!.id, displayName: author!.displayName, avatarUrl: author!.avatarUrl } });
    // The parent's count still reaches the thread too.
    await thread.recorder.next('post:update', (p) => p.id === parent.id && p.replyCount === 2);
  });

  it('never reach home or public feeds, which see only the parent’s reply count', async () => {
    const home = await pool.open(forum.url, { token: outsider.token });
    const visitor = await pool.open(forum.url);
    await follow(home.socket, 'home');
    await follow(visitor.socket, 'public');
    const parent = await api.post(owner, publicGroup.id);
    const reply = await api.post(member, publicGroup.id, '<p>a reply</p>', parent.id);
    for (const { recorder } of [home, visitor]) {
      await recorder.next('post:update', (p) => p.id === parent.id && p.replyCount === 1);
      expect(recorder.about(reply.id)).to.deep.equal([]);
    }
  });

  it('of a closed group reach its members and never a non-member, whose subscription was refused', async () => {
    const inside = await pool.open(forum.url, { token: member.token });
    const stranger = await pool.open(forum.url, { token: outsider.token });
    await follow(inside.socket, `group:${closedGroup.id}`);
    expect((await subscribe(stranger.socket, `group:${closedGroup.id}`)).ok).to.equal(false);
    await follow(stranger.socket, 'home', `group:${publicGroup.id}`);
    const parent = await api.post(owner, closedGroup.id);
    const reply = await api.post(owner, closedGroup.id, '<p>members only reply</p>', parent.id);
    await inside.recorder.next('post:new', (p) => p.id === reply.id);
    // Something later that the stranger must receive, so the absence below is not just early.
    const later = await api.post(owner, publicGroup.id);
    await stranger.recorder.next('post:new', (p) => p.id === later.id);
    expect(stranger.recorder.about(reply.id)).to.deep.equal([]);
    expect(stranger.recorder.about(parent.id)).to.deep.equal([]);
  });

  it('send edits as post:update and deletion as post:delete to the thread', async () => {
    const thread = await pool.open(forum.url, { token: outsider.token });
    await follow(thread.socket, `group:${publicGroup.id}`);
    const parent = await api.post(owner, publicGroup.id);
    const reply = await api.post(member, publicGroup.id, '<p>typo</p>', parent.id);
    await api.edit(member, reply.id, '<p>fixed</p>');
    await thread.recorder.next('post:update', (p) => p.id === reply.id && p.body === '<p>fixed</p>');
    await api.delete(member, reply.id);
    await thread.recorder.next('post:delete', (p) => p.id === reply.id);
    await thread.recorder.next('post:update', (p) => p.id === parent.id && p.replyCount === 0);
  });

  it('withdraw a hidden reply from the thread and bring it back on restore', async () => {
    const moderator = await buildUser({ roles: ['moderator'] });
    const thread = await pool.open(forum.url, { token: outsider.token });
    await follow(thread.socket, `group:${publicGroup.id}`);
    const parent = await api.post(owner, publicGroup.id);
    const reply = await api.post(member, publicGroup.id, '<p>rude</p>', parent.id);
    await thread.recorder.next('post:new', (p) => p.id === reply.id);
    await forum.http.post(`/api/mod/posts/${reply.id}/hide`).set(moderator.auth).send({ reason: 'rude' }).expect(200);
    await thread.recorder.next('post:delete', (p) => p.id === reply.id);
    await forum.http.post(`/api/mod/posts/${reply.id}/restore`).set(moderator.auth).send({}).expect(200);
    await thread.recorder.next('post:new', (p) => p.id === reply.id && thread.recorder.find('post:delete', (d) => d.id === reply.id).length === 1);
    expect(thread.recorder.about(reply.id).map((r) => r.event)).to.deep.equal(['post:new', 'post:delete', 'post:new']);
  });
});
