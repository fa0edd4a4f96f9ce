// A hidden thread is hidden as a whole: once a moderator hides a top-level post, its replies are hidden from
// everyone who may not see hidden posts, through every door, the replies' own authors included; restoring
// the post brings back exactly the replies that were there.
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import type { Post } from '../../../shared/api';
import type { GroupFields } from '../../../server/models/group';
import { Post as PostModel } from '../../../server/models/post';
import { addMember, idOf, samplePng } from '../../support/content';
import { buildUser, type BuiltUser } from '../../support/factories';
import { postIn, REASON_HEADER, useModerationForum } from '../../support/moderation';

describe('hiding a top-level post hides its replies with it', () => {
  const world = useModerationForum();
  /** An ordinary member of both groups, who wrote nothing in the thread (the reply names them). */
  let reader: BuiltUser;
  let word: string;

  beforeEach(async () => {
    reader = await buildUser();
    for (const group of [world.cast.publicGroup, world.cast.closedGroup]) await addMember(group, reader);
    word = `quokka${randomBytes(4).toString('hex')}`;
  });

  const http = () => world.forum.http;
  const hide = (postId: string, reason = 'harassment') => http().post(`/api/mod/posts/${postId}/hide`).set(world.cast.siteModerator.auth).send({ reason });
  const restore = (postId: string) => http().post(`/api/mod/posts/${postId}/restore`).set(world.cast.siteModerator.auth).send({});
  const mention = (who: BuiltUser) => `<a data-mention="${idOf(who.user)}">@${who.user.displayName}</a>`;

  interface Thread {
    group: GroupFields;
    topId: string;
    /** By `member` under `author`'s post, naming `reader`, with an image; `author` likes it. */
    replyId: string;
    imageUrl: string;
  }

  /** A thread through the routes, so the notifications (reply, mention, like) are the service's own. */
  async function thread(group: GroupFields): Promise<Thread> {
    const top = await postIn(group, world.cast.author);
    const reply = await http()
      .post(`/api/groups/${idOf(group)}/posts`)
      .set(world.cast.member.auth)
      .field('body', `<p>${word} indeed, ${mention(reader)}</p>`)
      .field('parentId', idOf(top))
      .attach('images', await samplePng(), 'a.png')
      .expect(201);
    await http().put(`/api/posts/${reply.body.id}/like`).set(world.cast.author.auth).expect(200);
    return { group, topId: idOf(top), replyId: reply.body.id, imageUrl: (reply.body as Post).images[0]!.url };
  }

  async function ids(url: string, who: BuiltUser, headers: Record<string, string> = {}): Promise<string[] | number> {
    const res = await http().get(url).set(who.auth).set(headers);
    return res.status === 200 ? (res.body.items as Post[]).map((item) => item.id) : res.status;
  }

  /** What one signed-in viewer finds of the reply through each reading door. */
  async function doors(who: BuiltUser, t: Thread, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
    const inList = async (url: string) => {
      const found = await ids(url, who, headers);
      return Array.isArray(found) ? found.includes(t.replyId) : found;
    };
    return {
      byId: (await http().get(`/api/posts/${t.replyId}`).set(who.auth).set(headers)).status,
      underParent: await inList(`/api/posts/${t.topId}/replies`),
      search: await inList(`/api/search?type=posts&q=${word}`),
      authorsPosts: await inList(`/api/users/${idOf(world.cast.member.user)}/posts`),
      likersLikes: await inList(`/api/users/${idOf(world.cast.author.user)}/likes`),
    };
  }

  const SHOWN = { byId: 200, underParent: true, search: true, authorsPosts: true, likersLikes: true };
  /** The parent is hidden too, so listing under it is refused outright. */
  const GONE = { byId: 404, underParent: 404, search: false, authorsPosts: false, likersLikes: false };

  /** Notifications about the reply: `author`'s reply, `reader`'s mention, `member`'s like. */
  async function notificationsAbout(who: BuiltUser, t: Thread): Promise<{ listed: string[]; unread: number }> {
    const list = await http().get('/api/notifications').set(who.auth).expect(200);
    const listed = (list.body.items as { type: string; post: { id: string } | null }[]).filter((item) => item.post?.id === t.replyId).map((item) => item.type);
    const unread = (await http().get('/api/notifications/unread-count').set(who.auth).expect(200)).body.count as number;
    return { listed: listed.sort(), unread };
  }

  /** What an outsider may do with the reply, as statuses: like, unlike, report, reply to it. */
  async function actions(who: BuiltUser, t: Thread): Promise<number[]> {
    return [
      (await http().put(`/api/posts/${t.replyId}/like`).set(who.auth)).status,
      (await http().delete(`/api/posts/${t.replyId}/like`).set(who.auth)).status,
      (await http().post(`/api/posts/${t.replyId}/reports`).set(who.auth).send({ reason: 'rude' })).status,
      (await http().post(`/api/groups/${idOf(t.group)}/posts`).set(who.auth).send({ body: 'answer', parentId: t.replyId })).status,
    ];
  }

  for (const visibility of ['public', 'closed'] as const) {
    describe(`in a ${visibility} group`, () => {
      const groupOf = () => (visibility === 'public' ? world.cast.publicGroup : world.cast.closedGroup);
      /** Those who read the thread before and may not see hidden posts: the replier, the top post's author, a member, and in a public group a non-member. */
      const outsiders = () => [world.cast.member, world.cast.author, reader, ...(visibility === 'public' ? [world.cast.stranger] : [])];
      const moderators = (): [BuiltUser, Record<string, string>][] => [
        [world.cast.owner, {}],
        [world.cast.groupModerator, {}],
        [world.cast.siteModerator, visibility === 'closed' ? REASON_HEADER : {}],
      ];

      it('every outsider loses the reply through every reading door, and gets it back on restore', async () => {
        const t = await thread(groupOf());
        // Read first through every door, so whatever the doors cache (search pages, post rows, counts) holds the reply.
        for (const who of outsiders()) expect(await doors(who, t), who.user.name).to.deep.equal(SHOWN);

        await hide(t.topId).expect(200);
        for (const who of outsiders()) expect(await doors(who, t), who.user.name).to.deep.equal(GONE);

        await restore(t.topId).expect(200);
        for (const who of outsiders()) expect(await doors(who, t), who.user.name).to.deep.equal(SHOWN);
      });

      it('notifications about the reply are neither listed nor counted while its thread is hidden', async () => {
        const t = await thread(groupOf());
        expect(await notificationsAbout(world.cast.author, t)).to.deep.equal({ listed: ['reply'], unread: 1 });
        expect(await notificationsAbout(reader, t)).to.deep.equal({ listed: ['mention'], unread: 1 });
        expect(await notificationsAbout(world.cast.member, t)).to.deep.equal({ listed: ['like'], unread: 1 });

        await hide(t.topId).expect(200);
        // The author is told their post was hidden: that notification is about the group, not the reply.
        expect(await notificationsAbout(world.cast.author, t)).to.deep.equal({ listed: [], unread: 1 });
        expect(await notificationsAbout(reader, t)).to.deep.equal({ listed: [], unread: 0 });
        expect(await notificationsAbout(world.cast.member, t)).to.deep.equal({ listed: [], unread: 0 });

        await restore(t.topId).expect(200);
        expect(await notificationsAbout(reader, t)).to.deep.equal({ listed: ['mention'], unread: 1 });
        expect(await notificationsAbout(world.cast.member, t)).to.deep.equal({ listed: ['like'], unread: 1 });
        expect((await notificationsAbout(world.cast.author, t)).listed).to.deep.equal(['reply']);
      });

      it('no outsider may like, unlike, report or answer the reply while its thread is hidden: 404 as for a hidden post', async () => {
        const t = await thread(groupOf());
        await hide(t.topId).expect(200);
        for (const who of outsiders()) expect(await actions(who, t), who.user.name).to.deep.equal([404, 404, 404, 404]);
        const reply = await PostModel.findById(t.replyId).lean();
        expect(reply!.likeCount).to.equal(1);
        expect(await PostModel.countDocuments({ parentId: t.replyId })).to.equal(0);
      });

      it('the group’s managers and site moderators still read the reply, under its post too, and its image', async () => {
        const t = await thread(groupOf());
        await hide(t.topId).expect(200);
        for (const [who, headers] of moderators()) {
          const seen = await http().get(`/api/posts/${t.replyId}`).set(who.auth).set(headers).expect(200);
          expect(await ids(`/api/posts/${t.topId}/replies`, who, headers), who.user.name).to.deep.equal([t.replyId]);
          await http().get((seen.body as Post).images[0]!.url).expect(200);
          // Hidden posts are found by id, never by search, moderators included.
          expect(await ids(`/api/search?type=posts&q=${word}`, who), who.user.name).to.deep.equal([]);
        }
        // The top-level post still counts the reply for those who may open it.
        const top = await http().get(`/api/posts/${t.topId}`).set(world.cast.owner.auth).expect(200);
        expect(top.body.replyCount).to.equal(1);
      });
    });
  }

  it('the long-lived image URL of a reply in a public group stops working when its thread is hidden', async () => {
    const t = await thread(world.cast.publicGroup);
    await http().get(t.imageUrl).expect(200);
    await hide(t.topId).expect(200);
    await http().get(t.imageUrl).expect(404);
    await restore(t.topId).expect(200);
    await http().get(t.imageUrl).expect(200);
  });

  it('search pages stay full and honest: a hidden thread’s reply neither fills a page nor announces one more', async () => {
    const hidden = await thread(world.cast.publicGroup);
    const visible = await thread(world.cast.publicGroup);
    await hide(hidden.topId).expect(200);
    const page = await http().get(`/api/search?type=posts&q=${word}&limit=1`).set(reader.auth).expect(200);
    expect(page.body.items.map((item: Post) => item.id)).to.deep.equal([visible.replyId]);
    expect(page.body.nextCursor).to.equal(null);
  });

  it('the reply’s author cannot read it, but still finds it in their export', async () => {
    const t = await thread(world.cast.publicGroup);
    await hide(t.topId).expect(200);
    await http().get(`/api/posts/${t.replyId}`).set(world.cast.member.auth).expect(404);
    const exported = await http().get('/api/me/export').set(world.cast.member.auth).expect(200);
    expect(JSON.stringify(exported.body)).to.include(word);
  });

  describe('restoring brings back exactly what was there', () => {
    it('a reply hidden on its own before stays hidden; a deleted one stays deleted; the others come back', async () => {
      const top = await postIn(world.cast.publicGroup, world.cast.author);
      const [kept, hiddenAlone, deleted] = await Promise.all([0, 1, 2].map(() => postIn(world.cast.publicGroup, world.cast.member, { parent: top })));
      await hide(idOf(hiddenAlone!)).expect(200);
      await http().delete(`/api/posts/${idOf(deleted!)}`).set(world.cast.member.auth).expect(204);
      await hide(idOf(top)).expect(200);
      await http().get(`/api/posts/${idOf(kept!)}`).set(reader.auth).expect(404);
      await restore(idOf(top)).expect(200);
      expect(await ids(`/api/posts/${idOf(top)}/replies`, reader)).to.deep.equal([idOf(kept!)]);
      await http().get(`/api/posts/${idOf(hiddenAlone!)}`).set(reader.auth).expect(404);
      await http().get(`/api/posts/${idOf(deleted!)}`).set(reader.auth).expect(404);
      expect((await http().get(`/api/posts/${idOf(top)}`).set(reader.auth).expect(200)).body.replyCount).to.equal(1);
    });

    it('a reply restored on its own while its thread is hidden stays hidden until the thread is restored', async () => {
      const top = await postIn(world.cast.publicGroup, world.cast.author);
      const reply = await postIn(world.cast.publicGroup, world.cast.member, { parent: top });
      const sibling = await postIn(world.cast.publicGroup, world.cast.member, { parent: top });
      await hide(idOf(reply)).expect(200);
      await hide(idOf(top)).expect(200);
      await restore(idOf(reply)).expect(200);
      await http().get(`/api/posts/${idOf(reply)}`).set(reader.auth).expect(404);
      await restore(idOf(top)).expect(200);
      await http().get(`/api/posts/${idOf(reply)}`).set(reader.auth).expect(200);
      expect(await ids(`/api/posts/${idOf(top)}/replies`, reader)).to.deep.equal([idOf(reply), idOf(sibling)]);
      // Counted again while the thread was hidden (the reply's own restore), the thread's count holds both.
      expect((await http().get(`/api/posts/${idOf(top)}`).set(reader.auth).expect(200)).body.replyCount).to.equal(2);
    });
  });

  describe('bad paths', () => {
    it('hiding or restoring twice is a conflict and changes nothing more', async () => {
      const top = await postIn(world.cast.publicGroup, world.cast.author);
      const reply = await postIn(world.cast.publicGroup, world.cast.member, { parent: top });
      await hide(idOf(top)).expect(200);
      const marked = (await PostModel.findById(reply._id).lean())!.parentHiddenAt;
      expect(marked).to.be.instanceOf(Date);
      expect((await hide(idOf(top)).expect(409)).body.error.code).to.equal('conflict');
      expect((await PostModel.findById(reply._id).lean())!.parentHiddenAt).to.deep.equal(marked);
      await restore(idOf(top)).expect(200);
      await restore(idOf(top)).expect(409);
      expect((await PostModel.findById(reply._id).lean())!.parentHiddenAt).to.equal(null);
      await http().get(`/api/posts/${idOf(reply)}`).set(reader.auth).expect(200);
    });

    it('hiding a reply hides that reply only: its post and the other replies stay', async () => {
      const top = await postIn(world.cast.publicGroup, world.cast.author);
      const [first, second] = await Promise.all([0, 1].map(() => postIn(world.cast.publicGroup, world.cast.member, { parent: top })));
      await hide(idOf(first!)).expect(200);
      await http().get(`/api/posts/${idOf(top)}`).set(reader.auth).expect(200);
      expect(await ids(`/api/posts/${idOf(top)}/replies`, reader)).to.deep.equal([idOf(second!)]);
      expect(await PostModel.countDocuments({ parentHiddenAt: { $ne: null } })).to.equal(0);
    });

    it('hiding and restoring a post nobody answered works as before', async () => {
      const top = await postIn(world.cast.publicGroup, world.cast.author);
      await hide(idOf(top)).expect(200);
      await http().get(`/api/posts/${idOf(top)}`).set(reader.auth).expect(404);
      await restore(idOf(top)).expect(200);
      await http().get(`/api/posts/${idOf(top)}`).set(reader.auth).expect(200);
    });

    it('a hidden thread takes no new replies, from anyone', async () => {
      const top = await postIn(world.cast.publicGroup, world.cast.author);
      await hide(idOf(top)).expect(200);
      await http().post(`/api/groups/${idOf(world.cast.publicGroup)}/posts`).set(reader.auth).send({ body: 'late', parentId: idOf(top) }).expect(404);
      await http().post(`/api/groups/${idOf(world.cast.publicGroup)}/posts`).set(world.cast.owner.auth).send({ body: 'late', parentId: idOf(top) }).expect(403);
      expect(await PostModel.countDocuments({ parentId: top._id })).to.equal(0);
    });
  });
});
