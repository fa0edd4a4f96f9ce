// Posts written at once are fanned out together (one TCP write per socket for the lot): each still reaches
// exactly the sockets whose viewers may see it, once, and a removal published before a burst keeps every
// post of that burst from the removed member.
import { expect } from 'chai';
import type { Group } from '../../shared/api';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { ForumApi } from '../support/forum-api';
import { startTestForum, type TestForum } from '../support/forum';
import { SocketPool, follow } from '../support/sockets';

const BURST = 8;

describe('realtime bursts of writes', () => {
  let forum: TestForum;
  let api: ForumApi;
  const pool = new SocketPool();
  let owner: BuiltUser;
  let member: BuiltUser;
  let outsider: BuiltUser;
  let publicGroup: Group;
  let closedGroup: Group;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
    api = new ForumApi(forum.http);
    [owner, member, outsider] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    publicGroup = await api.createGroup(owner, 'public');
    closedGroup = await api.createGroup(owner, 'closed', 'open');
    await api.join(member, closedGroup.id);
  });
  afterEach(() => pool.closeAll());
  after(() => forum.close());

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
