// Hiding and restoring posts: a hidden post vanishes from every door for everyone but moderators.
import { expect } from 'chai';
import type { Post } from '../../../shared/api';
import type { DomainEvent } from '../../../server/services/events';
import { AuditEntry } from '../../../server/models/audit-entry';
import { ModerationAction } from '../../../server/models/moderation-action';
import { Post as PostModel, type PostFields } from '../../../server/models/post';
import { Report } from '../../../server/models/report';
import { buildPost, idOf } from '../../support/content';
import type { BuiltUser } from '../../support/factories';
import { messagesTo, postIn, useModerationForum } from '../../support/moderation';

describe('hiding and restoring posts', () => {
  const world = useModerationForum();

  const hide = (postId: string, who: BuiltUser | null, body: object = { reason: 'harassment' }) => {
    const request = world.forum.http.post(`/api/mod/posts/${postId}/hide`).send(body);
    return who ? request.set(who.auth) : request;
  };
  const restore = (postId: string, who: BuiltUser | null, body: object = {}) => {
    const request = world.forum.http.post(`/api/mod/posts/${postId}/restore`).send(body);
    return who ? request.set(who.auth) : request;
  };

  describe('POST /api/mod/posts/:id/hide', () => {
    it('requires a token', async () => {
      await hide(idOf(await postIn(world.cast.publicGroup, world.cast.author)), null).expect(401);
    });

    it('a non-moderator cannot: 403 if they can see the post, 404 if they cannot', async () => {
      const publicPost = await postIn(world.cast.publicGroup, world.cast.author);
      const closedPost = await postIn(world.cast.closedGroup, world.cast.author);
      for (const who of [world.cast.member, world.cast.author, world.cast.stranger, world.cast.otherOwner]) await hide(idOf(publicPost), who).expect(403);
      await hide(idOf(closedPost), world.cast.member).expect(403);
      await hide(idOf(closedPost), world.cast.stranger).expect(404);
      await hide(idOf(closedPost), world.cast.otherOwner).expect(404);
      expect((await PostModel.countDocuments({ hiddenAt: { $ne: null } }))).to.equal(0);
    });

    it('requires a reason; 404 for a non-id or unknown post; 409 when already hidden', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      for (const body of [{}, { reason: '' }, { reason: ['x'] }, { reason: 'x'.repeat(5000) }]) {
        expect((await hide(idOf(post), world.cast.siteModerator, body).expect(400)).body.error.field).to.equal('reason');
      }
      await hide('xyz', world.cast.siteModerator).expect(404);
      await hide('0123456789abcdef01234567', world.cast.siteModerator).expect(404);
      await hide(idOf(post), world.cast.siteModerator).expect(200);
      await hide(idOf(post), world.cast.siteModerator).expect(409);
    });

    it('site moderators hide anywhere, group owners and moderators in their own group only', async () => {
      const a = await postIn(world.cast.closedGroup, world.cast.author);
      const b = await postIn(world.cast.publicGroup, world.cast.author);
      const c = await postIn(world.cast.otherGroup, world.cast.otherOwner);
      const res = await hide(idOf(a), world.cast.siteModerator).expect(200);
      expect(res.body).to.include({ id: idOf(a), hidden: true, hiddenReason: 'harassment' });
      await hide(idOf(b), world.cast.groupModerator).expect(200);
      await hide(idOf(c), world.cast.owner).expect(403);
      await hide(idOf(c), world.cast.otherOwner).expect(200);
    });

    it('tells the author why, resolves the reports, records who and why, audits it and publishes post.hidden', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      await world.forum.http.post(`/api/posts/${idOf(post)}/reports`).set(world.cast.member.auth).send({ reason: 'rude' }).expect(201);
      const events: DomainEvent[] = [];
      const off = world.forum.ctx.events.on('post.hidden', (event) => void events.push(event));
      try {
        await hide(idOf(post), world.cast.groupModerator, { reason: 'personal attack' }).expect(200);
      } finally {
        off();
      }
      expect(events).to.deep.equal([{ type: 'post.hidden', postId: idOf(post), groupId: idOf(world.cast.publicGroup), parentId: null }]);
      const [message] = await messagesTo(world.cast.author.user._id);
      expect(message!.to).to.equal(world.cast.author.user.email);
      expect(message!.text).to.include('personal attack');
      const report = await Report.findOne({ postId: post._id }).lean();
      expect(report!.status).to.equal('resolved');
      expect(report!.resolution).to.include({ action: 'hide', reason: 'personal attack' });
      expect(String(report!.resolution!.by)).to.equal(idOf(world.cast.groupModerator.user));
      const action = await ModerationAction.findOne({ postId: post._id }).lean();
      expect(action).to.include({ action: 'hide', reason: 'personal attack' });
      expect(String(action!.subjectId)).to.equal(idOf(world.cast.author.user));
      const entry = await AuditEntry.findOne({ action: 'post.hide' }).lean();
      expect(entry).to.include({ actor: idOf(world.cast.groupModerator.user), target: `post:${idOf(post)}`, reason: 'personal attack' });
    });
  });

  describe('a hidden post vanishes from every door but stays visible to moderators', () => {
    let post: PostFields;
    let reply: PostFields;
    let hiddenReply: PostFields;

    beforeEach(async () => {
      post = await buildPost({ group: world.cast.publicGroup, author: world.cast.author, images: { count: 1, ctx: world.forum.ctx } });
      reply = await postIn(world.cast.publicGroup, world.cast.member, { parent: post });
      hiddenReply = await postIn(world.cast.publicGroup, world.cast.member, { parent: post });
      await world.forum.http.put(`/api/posts/${idOf(post)}/like`).set(world.cast.member.auth).expect(200);
    });

    /** What `doors()` finds for a signed-in viewer who may read the post. */
    const shown = { publicFeed: true, groupFeed: true, homeFeed: true, byId: 200, authorsPosts: true, likersLikes: true, replyAmongReplies: true, replyById: 200 };

    async function listed(url: string, who: BuiltUser | null, id: string): Promise<boolean> {
      const request = world.forum.http.get(url);
      const res = await (who ? request.set(who.auth) : request).expect(200);
      return ((res.body.items ?? res.body) as Post[]).some((item) => item.id === id);
    }

    async function doors(who: BuiltUser | null): Promise<Record<string, boolean | number>> {
      const id = idOf(post);
      const result: Record<string, boolean | number> = { publicFeed: await listed('/api/feed/public', null, id) };
      if (!who) return result;
      const byId = await world.forum.http.get(`/api/posts/${id}`).set(who.auth);
      return {
        ...result,
        groupFeed: await listed(`/api/groups/${idOf(world.cast.publicGroup)}/posts`, who, id),
        homeFeed: await listed('/api/feed', who, id),
        byId: byId.status,
        authorsPosts: await listed(`/api/users/${idOf(world.cast.author.user)}/posts`, who, id),
        likersLikes: await listed(`/api/users/${idOf(world.cast.member.user)}/likes`, who, id),
        replyAmongReplies: byId.status === 200 ? await listed(`/api/posts/${id}/replies`, who, idOf(hiddenReply)) : false,
        replyById: (await world.forum.http.get(`/api/posts/${idOf(hiddenReply)}`).set(who.auth)).status,
      };
    }

    it('before hiding, every door shows it (the control)', async () => {
      expect(await doors(world.cast.stranger)).to.deep.equal(shown);
    });

    it('after hiding, no door shows it to anyone but moderators', async () => {
      const imageUrl = ((await world.forum.http.get(`/api/posts/${idOf(post)}`).set(world.cast.stranger.auth).expect(200)).body as Post).images[0]!.url;
      await world.forum.http.get(imageUrl).expect(200);
      // Read first through every door, so whatever the doors cache (group heads, the public page) holds the post.
      for (const who of [world.cast.stranger, world.cast.member, world.cast.author]) expect(await doors(who)).to.deep.equal(shown);
      await hide(idOf(hiddenReply), world.cast.siteModerator).expect(200);
      await hide(idOf(post), world.cast.siteModerator).expect(200);

      const gone = { publicFeed: false, groupFeed: false, homeFeed: false, byId: 404, authorsPosts: false, likersLikes: false, replyAmongReplies: false, replyById: 404 };
      for (const who of [world.cast.stranger, world.cast.member, world.cast.author]) expect(await doors(who), who.user.name).to.deep.equal(gone);
      expect(await doors(null)).to.deep.equal({ publicFeed: false });
      // The long-lived public image URL handed out before stops working too.
      await world.forum.http.get(imageUrl).expect(404);
      // The thread is hidden as a whole: its other reply too (test/api/moderation/hidden-thread.test.ts).
      await world.forum.http.get(`/api/posts/${idOf(reply)}`).set(world.cast.member.auth).expect(404);

      for (const moderator of [world.cast.siteModerator, world.cast.groupModerator, world.cast.owner]) {
        const seen = await world.forum.http.get(`/api/posts/${idOf(post)}`).set(moderator.auth).expect(200);
        expect(seen.body.id).to.equal(idOf(post));
        await world.forum.http.get(seen.body.images[0].url).expect(200);
        await world.forum.http.get(`/api/posts/${idOf(hiddenReply)}`).set(moderator.auth).expect(200);
        await world.forum.http.get(`/api/posts/${idOf(reply)}`).set(moderator.auth).expect(200);
      }
    });

    it('restoring brings it back through every door', async () => {
      await hide(idOf(hiddenReply), world.cast.siteModerator).expect(200);
      await hide(idOf(post), world.cast.siteModerator).expect(200);
      await restore(idOf(post), world.cast.siteModerator).expect(200);
      await restore(idOf(hiddenReply), world.cast.groupModerator, { reason: 'on appeal' }).expect(200);
      expect(await doors(world.cast.stranger)).to.deep.equal(shown);
    });

    it('the hidden reply leaves the parent’s replyCount, by id and in the feeds, as soon as the hide is answered, and comes back on restore', async () => {
      const counts = async () => {
        const byId = await world.forum.http.get(`/api/posts/${idOf(post)}`).set(world.cast.member.auth).expect(200);
        const inList = async (url: string) =>
          ((await world.forum.http.get(url).set(world.cast.member.auth).expect(200)).body.items as Post[]).find((item) => item.id === idOf(post))!.replyCount;
        return [byId.body.replyCount as number, await inList('/api/feed'), await inList(`/api/groups/${idOf(world.cast.publicGroup)}/posts`)];
      };
      expect(await counts()).to.deep.equal([2, 2, 2]);
      await hide(idOf(hiddenReply), world.cast.siteModerator).expect(200);
      expect(await counts()).to.deep.equal([1, 1, 1]);
      await restore(idOf(hiddenReply), world.cast.siteModerator).expect(200);
      expect(await counts()).to.deep.equal([2, 2, 2]);
    });
  });

  describe('POST /api/mod/posts/:id/restore', () => {
    it('requires a token', async () => {
      await restore(idOf(await postIn(world.cast.publicGroup, world.cast.author)), null).expect(401);
    });

    it('a non-moderator cannot (and does not learn the hidden post exists)', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      await hide(idOf(post), world.cast.siteModerator).expect(200);
      await restore(idOf(post), world.cast.member).expect(404);
      await restore(idOf(post), world.cast.author).expect(404);
      expect((await PostModel.findById(post._id).lean())!.hiddenAt).to.be.instanceOf(Date);
    });

    it('409 when the post is not hidden; 400 for a reason of the wrong type', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      await restore(idOf(post), world.cast.siteModerator).expect(409);
      await hide(idOf(post), world.cast.siteModerator).expect(200);
      expect((await restore(idOf(post), world.cast.siteModerator, { reason: 7 }).expect(400)).body.error.field).to.equal('reason');
    });

    it('clears the moderation fields, tells the author, audits and publishes post.restored', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      await hide(idOf(post), world.cast.siteModerator).expect(200);
      const events: DomainEvent[] = [];
      const off = world.forum.ctx.events.on('post.restored', (event) => void events.push(event));
      let res;
      try {
        res = await restore(idOf(post), world.cast.siteModerator, { reason: 'appeal upheld' }).expect(200);
      } finally {
        off();
      }
      expect(res.body).to.deep.equal({ id: idOf(post), hidden: false, hiddenAt: null, hiddenReason: null });
      expect(events).to.have.length(1);
      const stored = await PostModel.findById(post._id).lean();
      expect(stored).to.include({ hiddenAt: null, hiddenBy: null, hiddenReason: null });
      expect((await messagesTo(world.cast.author.user._id)).map((message) => message.subject)).to.deep.equal([
        'A moderator hid your post',
        'Your post is visible again',
      ]);
      expect(await AuditEntry.findOne({ action: 'post.restore' }).lean()).to.include({ reason: 'appeal upheld' });
    });
  });

  it('ordinary members never see moderation metadata in a post', async () => {
    const post = await postIn(world.cast.publicGroup, world.cast.author);
    await world.forum.http.post(`/api/posts/${idOf(post)}/reports`).set(world.cast.member.auth).send({ reason: 'rude' }).expect(201);
    await hide(idOf(post), world.cast.siteModerator).expect(200);
    await restore(idOf(post), world.cast.siteModerator, { reason: 'fine after all' }).expect(200);
    const res = await world.forum.http.get(`/api/posts/${idOf(post)}`).set(world.cast.member.auth).expect(200);
    expect(res.body).to.have.all.keys('id', 'groupId', 'author', 'body', 'bodyText', 'parentId', 'images', 'likeCount', 'likedByMe', 'replyCount', 'createdAt', 'editedAt', 'can');
    // `can` names the actions (`report`, `hide`) as booleans only; everything else must not mention moderation.
    const { can, ...rest } = res.body;
    expect(Object.values(can).every((value) => typeof value === 'boolean')).to.equal(true);
    expect(JSON.stringify(rest)).not.to.match(/hidden|report|fine after all|rude/i);
  });
});
