// `can` on posts and groups, read through the API by each kind of viewer: what the client draws its buttons
// from must be exactly what the doors then allow.
import { expect } from 'chai';
import type { Group as GroupShape, Post as PostShape } from '../../shared/api';
import { addMember, buildContentCast, buildPost, idOf, type ContentCast } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('permissions travel with the data (`can`)', () => {
  let forum: TestForum;
  let cast: ContentCast;
  let siteModerator: BuiltUser;

  before(async () => {
    forum = await startTestForum();
  });
  beforeEach(async () => {
    await resetDatabase();
    cast = await buildContentCast();
    siteModerator = await buildUser({ roles: ['moderator'] });
  });
  after(() => forum.close());

  const getPost = async (who: BuiltUser, id: string) => (await forum.http.get(`/api/posts/${id}`).set(who.auth).expect(200)).body as PostShape;
  const getGroup = async (who: BuiltUser, id: string) => (await forum.http.get(`/api/groups/${id}`).set(who.auth).expect(200)).body as GroupShape;

  it('as a signed-in non-member I may like and report a public post but not reply, edit, delete or hide it', async () => {
    const post = await buildPost({ group: cast.open, author: cast.owner });
    expect((await getPost(cast.stranger, idOf(post))).can).to.deep.equal({ edit: false, delete: false, reply: false, like: true, report: true, hide: false, restore: false });
  });

  it('as the author I may edit and delete my post, and am not offered to report it', async () => {
    const post = await buildPost({ group: cast.closed, author: cast.member });
    expect((await getPost(cast.member, idOf(post))).can).to.deep.equal({ edit: true, delete: true, reply: true, like: true, report: false, hide: false, restore: false });
  });

  it('as the group owner I may delete and hide a member’s post but not edit it', async () => {
    const post = await buildPost({ group: cast.closed, author: cast.member });
    expect((await getPost(cast.owner, idOf(post))).can).to.deep.equal({ edit: false, delete: true, reply: true, like: true, report: true, hide: true, restore: false });
  });

  it('as a site moderator I may delete and hide a public post, and like it, but not reply without joining', async () => {
    const post = await buildPost({ group: cast.open, author: cast.owner });
    expect((await getPost(siteModerator, idOf(post))).can).to.deep.equal({ edit: false, delete: true, reply: false, like: true, report: true, hide: true, restore: false });
  });

  it('a hidden post offers restore, not hide, to whoever may moderate it, and nobody else sees it', async () => {
    const post = await buildPost({ group: cast.closed, author: cast.member });
    await forum.http.post(`/api/mod/posts/${idOf(post)}/hide`).set(cast.owner.auth).send({ reason: 'spam' }).expect(200);
    expect((await getPost(cast.owner, idOf(post))).can).to.deep.include({ hide: false, restore: true });
    await forum.http.get(`/api/posts/${idOf(post)}`).set(cast.member.auth).expect(404);
    await forum.http.post(`/api/mod/posts/${idOf(post)}/restore`).set(cast.owner.auth).send({}).expect(200);
    expect((await getPost(cast.owner, idOf(post))).can).to.deep.include({ hide: true, restore: false });
  });

  it('a reply cannot be replied to, and what `can` offers is what the doors do', async () => {
    const parent = await buildPost({ group: cast.open, author: cast.owner });
    const reply = await buildPost({ group: cast.open, author: cast.owner, parent });
    const can = (await getPost(cast.stranger, idOf(reply))).can;
    expect(can.reply).to.equal(false);
    await forum.http.put(`/api/posts/${idOf(reply)}/like`).set(cast.stranger.auth).expect(can.like ? 200 : 403);
    await forum.http.patch(`/api/posts/${idOf(reply)}`).set(cast.stranger.auth).send({ body: 'x' }).expect(can.edit ? 200 : 403);
    await forum.http.delete(`/api/posts/${idOf(reply)}`).set(cast.stranger.auth).expect(can.delete ? 204 : 403);
  });

  it('lists carry `can` per viewer: the same post in the home feed differs for its author and a stranger', async () => {
    const post = await buildPost({ group: cast.open, author: cast.owner });
    const feedOf = async (who: BuiltUser) => ((await forum.http.get('/api/feed').set(who.auth).expect(200)).body.items as PostShape[]).find((item) => item.id === idOf(post))!;
    expect((await feedOf(cast.owner)).can.edit).to.equal(true);
    expect((await feedOf(cast.stranger)).can.edit).to.equal(false);
  });

  it('visitors are offered nothing on the homepage', async () => {
    await buildPost({ group: cast.open, author: cast.owner });
    const items = (await forum.http.get('/api/feed/public').expect(200)).body.items as PostShape[];
    expect(items).to.have.length(1);
    expect(Object.values(items[0]!.can).some(Boolean)).to.equal(false);
  });

  describe('groups', () => {
    it('as a non-member of a closed group I may ask to join but not read, post, manage or moderate', async () => {
      const can = (await getGroup(cast.stranger, idOf(cast.closed))).can;
      expect(can).to.deep.equal({ read: false, post: false, manage: false, update: false, invite: false, join: true, leave: false, moderate: false });
    });

    it('as a member I may read, post and leave; as the owner I may manage and change settings but not leave', async () => {
      expect((await getGroup(cast.member, idOf(cast.closed))).can).to.deep.equal({ read: true, post: true, manage: false, update: false, invite: false, join: false, leave: true, moderate: false });
      expect((await getGroup(cast.owner, idOf(cast.closed))).can).to.deep.equal({ read: true, post: true, manage: true, update: true, invite: true, join: false, leave: false, moderate: true });
    });

    it('as a pending member I may withdraw my request but not join again', async () => {
      const pending = await buildUser();
      await addMember(cast.closed, pending, 'pending');
      const can = (await getGroup(pending, idOf(cast.closed))).can;
      expect(can.leave).to.equal(true);
      expect(can.join).to.equal(false);
      expect(can.read).to.equal(false);
    });

    it('as a site moderator outside a closed group I am offered moderation, not an ordinary read', async () => {
      const can = (await getGroup(siteModerator, idOf(cast.closed))).can;
      expect(can.read).to.equal(false);
      expect(can.moderate).to.equal(true);
      // Without a stated reason the group's posts stay shut, as `read: false` says.
      await forum.http.get(`/api/groups/${idOf(cast.closed)}/posts`).set(siteModerator.auth).expect(403);
    });

    it('the directory gives each viewer their own `can`', async () => {
      const listed = async (who: BuiltUser) =>
        ((await forum.http.get('/api/groups').set(who.auth).expect(200)).body.items as GroupShape[]).find((group) => group.id === idOf(cast.closed))!;
      expect((await listed(cast.member)).can.post).to.equal(true);
      expect((await listed(cast.stranger)).can.post).to.equal(false);
    });
  });
});
