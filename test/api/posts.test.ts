// Writing, reading, editing and deleting posts; bodies, images and signed image URLs.
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { Types } from 'mongoose';
import type { Post as PostShape } from '../../shared/api';
import { signPostImage } from '../../server/media/post-images';
import { Group, type GroupFields } from '../../server/models/group';
import { Like } from '../../server/models/like';
import { Post } from '../../server/models/post';
import { PostRevision } from '../../server/models/post-revision';
import { recountReplies } from '../../server/services/posts';
import { addMember, buildContentCast, buildGroup, buildPost, idOf, samplePng } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('posts', () => {
  let forum: TestForum;
  let owner: BuiltUser, member: BuiltUser, stranger: BuiltUser;
  let open: GroupFields, closed: GroupFields;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    ({ owner, member, stranger, open, closed } = await buildContentCast());
    await addMember(open, member);
  });
  after(() => forum.close());

  const write = (who: BuiltUser, group: { _id: Types.ObjectId }, body: unknown, parentId?: string) =>
    forum.http.post(`/api/groups/${idOf(group)}/posts`).set(who.auth).send({ body, ...(parentId ? { parentId } : {}) });

  describe('POST /api/groups/:id/posts', () => {
    it('requires a token', async () => {
      await forum.http.post(`/api/groups/${idOf(open)}/posts`).send({ body: 'hi' }).expect(401);
    });

    it('lets a member post and answers the Post shape', async () => {
      const res = await write(member, open, '<p>Hello <strong>world</strong></p>').expect(201);
      expect(res.body).to.have.keys('id', 'groupId', 'author', 'body', 'bodyText', 'parentId', 'images', 'likeCount', 'likedByMe', 'replyCount', 'createdAt', 'editedAt', 'can');
      expect(res.body).to.deep.include({ groupId: idOf(open), body: '<p>Hello <strong>world</strong></p>', bodyText: 'Hello world', parentId: null, likeCount: 0, likedByMe: false, replyCount: 0, editedAt: null });
      expect(res.body.author).to.have.keys('id', 'displayName', 'avatarUrl', 'bio', 'joinedAt');
    });

    it('refuses a signed-in non-member of a public group with 403 and of a closed group with 404', async () => {
      await write(stranger, open, 'hi').expect(403);
      await write(stranger, closed, 'hi').expect(404);
    });

    it('strips scripts, event handlers, javascript: links and styles; links get rel=nofollow noopener noreferrer', async () => {
      const res = await write(
        member,
        open,
        '<p onclick="steal()" style="color:red">Hi <a href="javascript:alert(1)">bad</a> <a href="https://example.org" target="_blank" rel="opener">ok</a></p>' +
          '<script>alert(1)</script><style>p{display:none}</style><img src=x onerror="alert(1)"><iframe src="https://evil"></iframe>' +
          '<a href="JaVaScRiPt:alert(1)">j</a><a href="data:text/html,x">d</a><a href="mailto:a@example.org">m</a>',
      ).expect(201);
      const body: string = res.body.body;
      expect(body).not.to.match(/script|onclick|onerror|style|javascript|data:|iframe|<img|target/i);
      expect(body).to.include('<a href="https://example.org" rel="nofollow noopener noreferrer">ok</a>');
      expect(body).to.include('<a href="mailto:a@example.org" rel="nofollow noopener noreferrer">m</a>');
      expect(body).to.include('<a rel="nofollow noopener noreferrer">bad</a>');
      expect(res.body.bodyText).to.equal('Hi bad ok\njdm');
      const stored = await Post.findById(res.body.id).lean();
      expect(stored!.body).to.equal(body);
    });

    it('derives bodyText with line breaks between blocks and decoded entities', async () => {
      const res = await write(member, open, '<p>A &amp; B &lt;c&gt;</p><ul><li>one</li><li>two</li></ul>').expect(201);
      expect(res.body.bodyText).to.equal('A & B <c>\none\ntwo');
    });

    it('refuses a body that is empty once sanitised (400 naming body)', async () => {
      const res = await write(member, open, '<script>alert(1)</script>  ').expect(400);
      expect(res.body.error.field).to.equal('body');
    });

    it('refuses a missing or non-string body (400 naming body)', async () => {
      expect((await write(member, open, undefined).expect(400)).body.error.field).to.equal('body');
      expect((await write(member, open, 42).expect(400)).body.error.field).to.equal('body');
    });

    it('refuses a body over 20,000 characters with 413 naming body', async () => {
      const res = await write(member, open, 'x'.repeat(20_001)).expect(413);
      expect(res.body.error).to.deep.include({ code: 'payload_too_large', field: 'body' });
      expect(res.body.error.message).to.match(/body/);
    });

    it('refuses a parentId that is not an id (400), an unknown parent (404) and a parent of another group (404)', async () => {
      expect((await write(member, open, 'x', 'nope').expect(400)).body.error.field).to.equal('parentId');
      await write(member, open, 'x', String(new Types.ObjectId())).expect(404);
      const elsewhere = await buildPost({ group: closed, author: member });
      await write(member, open, 'x', idOf(elsewhere)).expect(404);
    });

    it('threads one level only: replying to a reply is 403', async () => {
      const top = await buildPost({ group: open, author: member });
      const reply = await buildPost({ group: open, author: member, parent: top });
      await write(member, open, 'x', idOf(reply)).expect(403);
    });

    it('counts replies on the parent', async () => {
      const top = await buildPost({ group: open, author: member });
      await write(owner, open, 'one', idOf(top)).expect(201);
      await write(member, open, 'two', idOf(top)).expect(201);
      const res = await forum.http.get(`/api/posts/${idOf(top)}`).set(member.auth).expect(200);
      expect(res.body.replyCount).to.equal(2);
      const replies = await forum.http.get(`/api/posts/${idOf(top)}/replies`).set(member.auth).expect(200);
      expect(replies.body.items.map((item: PostShape) => item.bodyText)).to.deep.equal(['one', 'two']);
    });

    it('answers 404 for a non-id or unknown group', async () => {
      await forum.http.post('/api/groups/nope/posts').set(member.auth).send({ body: 'x' }).expect(404);
      await forum.http.post(`/api/groups/${new Types.ObjectId()}/posts`).set(member.auth).send({ body: 'x' }).expect(404);
    });
  });

  describe('images', () => {
    it('accepts up to 4 images through multipart and answers signed URLs', async () => {
      const res = await forum.http
        .post(`/api/groups/${idOf(closed)}/posts`)
        .set(member.auth)
        .field('body', '<p>pictures</p>')
        .attach('images', await samplePng(2000, 1000), 'a.png')
        .attach('images', await samplePng(), 'b.png')
        .expect(201);
      expect(res.body.images).to.have.length(2);
      const [large] = res.body.images;
      expect(large).to.include({ width: 1280, height: 640 });
      expect(large.url).to.match(/^\/media\/posts\/[a-f0-9]{32}-1280\.webp\?expires=\d+&signature=/);
      expect(large.thumbnailUrl).to.match(/-320\.webp\?expires=/);
      const image = await forum.http.get(large.url).expect(200);
      expect(image.headers['content-type']).to.equal('image/webp');
      await forum.http.get(large.thumbnailUrl).expect(200);
    });

    it('accepts a post of images only', async () => {
      await forum.http.post(`/api/groups/${idOf(open)}/posts`).set(member.auth).field('body', '').attach('images', await samplePng(), 'a.png').expect(201);
    });

    it('refuses a fifth image (400), a non-image (415) and leaves no post behind', async () => {
      const before = await Post.countDocuments();
      let request = forum.http.post(`/api/groups/${idOf(open)}/posts`).set(member.auth).field('body', 'five');
      for (let i = 0; i < 5; i++) request = request.attach('images', await samplePng(), `${i}.png`);
      expect((await request).status).to.equal(400);
      await forum.http
        .post(`/api/groups/${idOf(open)}/posts`)
        .set(member.auth)
        .field('body', 'not an image')
        .attach('images', Buffer.from('hello, not a picture'), 'x.png')
        .expect(415);
      expect(await Post.countDocuments()).to.equal(before);
    });

    it('serves closed-group images only with a valid signature that has not expired', async () => {
      const post = await buildPost({ group: closed, author: member, images: { count: 1, ctx: forum.ctx } });
      const key = post.images[0]!.key;
      const now = Math.floor(Date.now() / 1000);
      await forum.http.get(`/media/posts/${key}-1280.webp`).expect(404);
      await forum.http.get(signPostImage(forum.ctx.signer, key, '1280', false, now)).expect(200);
      // Minted an hour ago: expired a good while since.
      await forum.http.get(signPostImage(forum.ctx.signer, key, '1280', false, now - 3600)).expect(404);
      // Minted 15 minutes ago: its window has just closed.
      await forum.http.get(signPostImage(forum.ctx.signer, key, '1280', false, now - 15 * 60)).expect(404);
    });

    it('does not let a signature for one file open another', async () => {
      const a = await buildPost({ group: closed, author: member, images: { count: 1, ctx: forum.ctx } });
      const b = await buildPost({ group: closed, author: member, images: { count: 1, ctx: forum.ctx } });
      const signed = signPostImage(forum.ctx.signer, a.images[0]!.key, '1280', false);
      await forum.http.get(signed.replace(a.images[0]!.key, b.images[0]!.key)).expect(404);
      await forum.http.get(signed.replace('-1280.webp', '-320.webp')).expect(404);
      await forum.http.get(signed).expect(200);
    });

    it('mints long windows for public groups and short ones for closed groups', async () => {
      const pub = await buildPost({ group: open, author: member, images: { count: 1, ctx: forum.ctx } });
      const clo = await buildPost({ group: closed, author: member, images: { count: 1, ctx: forum.ctx } });
      const expiresIn = async (id: string) => {
        const res = await forum.http.get(`/api/posts/${id}`).set(member.auth).expect(200);
        return Number(/expires=(\d+)/.exec(res.body.images[0].url)![1]) - Math.floor(Date.now() / 1000);
      };
      expect(await expiresIn(idOf(pub))).to.be.within(2 * 3600, 3 * 3600);
      expect(await expiresIn(idOf(clo))).to.be.within(10 * 60, 15 * 60);
    });

    it('stops honouring a public group’s long-lived URL once the group is closed or the post hidden', async () => {
      const group = await buildGroup({ owner, visibility: 'public' });
      const post = await buildPost({ group, author: owner, images: { count: 1, ctx: forum.ctx } });
      const url = (await forum.http.get(`/api/posts/${idOf(post)}`).set(stranger.auth).expect(200)).body.images[0].url;
      await forum.http.get(url).expect(200);
      await forum.http.patch(`/api/groups/${idOf(group)}`).set(owner.auth).send({ visibility: 'closed' }).expect(200);
      await forum.http.get(url).expect(404);
      await forum.http.patch(`/api/groups/${idOf(group)}`).set(owner.auth).send({ visibility: 'public' }).expect(200);
      await forum.http.get(url).expect(200);
      await Post.updateOne({ _id: post._id }, { $set: { hiddenAt: new Date() } });
      await forum.http.get(url).expect(404);
    });
  });

  describe('PATCH /api/posts/:id', () => {
    it('lets the author edit, sanitises, sets editedAt and keeps the previous body as a revision', async () => {
      const post = await buildPost({ group: open, author: member, body: '<p>first</p>' });
      const res = await forum.http.patch(`/api/posts/${idOf(post)}`).set(member.auth).send({ body: '<p onclick="x()">second</p>' }).expect(200);
      expect(res.body.body).to.equal('<p>second</p>');
      expect(res.body.editedAt).to.be.a('string');
      await forum.http.patch(`/api/posts/${idOf(post)}`).set(member.auth).send({ body: '<p>third</p>' }).expect(200);
      const revisions = await PostRevision.find({ postId: post._id }).sort({ _id: 1 }).lean();
      expect(revisions.map((revision) => revision.body)).to.deep.equal(['<p>first</p>', '<p>second</p>']);
      expect(String(revisions[0]!.editorId)).to.equal(idOf(member.user));
      expect(revisions[0]!.replacedAt).to.be.instanceOf(Date);
    });

    it('refuses to edit someone else’s post: 403 where it is visible, 404 where it is not', async () => {
      const visible = await buildPost({ group: open, author: member });
      const invisible = await buildPost({ group: closed, author: member });
      await forum.http.patch(`/api/posts/${idOf(visible)}`).set(owner.auth).send({ body: 'mine now' }).expect(403);
      await forum.http.patch(`/api/posts/${idOf(visible)}`).set(stranger.auth).send({ body: 'mine now' }).expect(403);
      await forum.http.patch(`/api/posts/${idOf(invisible)}`).set(stranger.auth).send({ body: 'mine now' }).expect(404);
      expect((await Post.findById(visible._id).lean())!.bodyText).not.to.equal('mine now');
    });

    it('refuses an empty or oversized edit', async () => {
      const post = await buildPost({ group: open, author: member });
      expect((await forum.http.patch(`/api/posts/${idOf(post)}`).set(member.auth).send({ body: '<style>x</style>' }).expect(400)).body.error.field).to.equal('body');
      await forum.http.patch(`/api/posts/${idOf(post)}`).set(member.auth).send({ body: 'y'.repeat(20_001) }).expect(413);
      await forum.http.patch(`/api/posts/${idOf(post)}`).set(member.auth).send({}).expect(400);
    });
  });

  describe('DELETE /api/posts/:id', () => {
    it('removes a reply, its likes and revisions, and counts the parent down', async () => {
      const top = await buildPost({ group: open, author: owner });
      const reply = (await write(member, open, 'reply', idOf(top)).expect(201)).body as PostShape;
      await forum.http.put(`/api/posts/${reply.id}/like`).set(owner.auth).expect(200);
      await forum.http.delete(`/api/posts/${reply.id}`).set(member.auth).expect(204);
      expect(await Post.exists({ _id: reply.id })).to.equal(null);
      expect(await Like.countDocuments({ postId: reply.id })).to.equal(0);
      expect((await Post.findById(top._id).lean())!.replyCount).to.equal(0);
      await forum.http.get(`/api/posts/${reply.id}`).set(member.auth).expect(404);
    });

    it('removes a top-level post with only its author’s replies, image files included', async () => {
      const top = await buildPost({ group: open, author: member, images: { count: 1, ctx: forum.ctx } });
      const own = await buildPost({ group: open, author: member, parent: top });
      const file = forum.ctx.media.filePath('posts', top.images[0]!.key, '1280');
      expect(existsSync(file)).to.equal(true);
      await forum.http.delete(`/api/posts/${idOf(top)}`).set(member.auth).expect(204);
      expect(await Post.countDocuments({ _id: { $in: [top._id, own._id] } })).to.equal(0);
      expect(existsSync(file)).to.equal(false);
    });

    it('turns a top-level post with others’ replies into a placeholder that keeps the thread readable', async () => {
      const top = await buildPost({ group: open, author: member, body: '<p>secret thoughts</p>', images: { count: 1, ctx: forum.ctx } });
      const reply = await buildPost({ group: open, author: owner, parent: top });
      await forum.http.put(`/api/posts/${idOf(top)}/like`).set(owner.auth).expect(200);
      const events: string[] = [];
      const off = forum.ctx.events.on('post.deleted', (event) => events.push(event.postId));
      await forum.http.delete(`/api/posts/${idOf(top)}`).set(member.auth).expect(204);
      off();
      expect(events).to.deep.equal([idOf(top)]);
      const res = await forum.http.get(`/api/posts/${idOf(top)}`).set(stranger.auth).expect(200);
      expect(res.body).to.deep.include({ author: null, body: '', bodyText: '', images: [], likeCount: 0, replyCount: 1 });
      expect(existsSync(forum.ctx.media.filePath('posts', top.images[0]!.key, '1280'))).to.equal(false);
      const replies = await forum.http.get(`/api/posts/${idOf(top)}/replies`).set(stranger.auth).expect(200);
      expect(replies.body.items.map((item: PostShape) => item.id)).to.deep.equal([idOf(reply)]);
      const feed = await forum.http.get(`/api/groups/${idOf(open)}/posts?limit=50`).set(member.auth).expect(200);
      expect(feed.body.items.map((item: PostShape) => item.id)).not.to.include(idOf(top));
      const mine = await forum.http.get(`/api/users/${idOf(member.user)}/posts?limit=50`).set(member.auth).expect(200);
      expect(mine.body.items.map((item: PostShape) => item.id)).not.to.include(idOf(top));
      // A placeholder takes nothing new and cannot be deleted twice.
      await write(owner, open, 'late reply', idOf(top)).expect(404);
      await forum.http.put(`/api/posts/${idOf(top)}/like`).set(owner.auth).expect(404);
      await forum.http.delete(`/api/posts/${idOf(top)}`).set(owner.auth).expect(404);
    });

    it('lets the group owner delete a member’s post, not a member someone else’s', async () => {
      const post = await buildPost({ group: open, author: member });
      const other = await buildPost({ group: open, author: owner });
      await forum.http.delete(`/api/posts/${idOf(other)}`).set(member.auth).expect(403);
      await forum.http.delete(`/api/posts/${idOf(post)}`).set(owner.auth).expect(204);
    });

    it('answers 404 for a non-id and an unknown post', async () => {
      await forum.http.delete('/api/posts/nope').set(owner.auth).expect(404);
      await forum.http.delete(`/api/posts/${new Types.ObjectId()}`).set(owner.auth).expect(404);
    });
  });

  describe('hidden posts (moderation fields set directly)', () => {
    it('are 404 for the author, members and strangers, readable by the group owner and site moderators', async () => {
      const siteModerator = await buildUser({ roles: ['moderator'] });
      const post = await buildPost({ group: open, author: member, hiddenAt: new Date() });
      await forum.http.get(`/api/posts/${idOf(post)}`).set(member.auth).expect(404);
      await forum.http.get(`/api/posts/${idOf(post)}`).set(stranger.auth).expect(404);
      await forum.http.get(`/api/posts/${idOf(post)}/replies`).set(stranger.auth).expect(404);
      await forum.http.put(`/api/posts/${idOf(post)}/like`).set(stranger.auth).expect(404);
      await forum.http.patch(`/api/posts/${idOf(post)}`).set(member.auth).send({ body: 'x' }).expect(404);
      await forum.http.delete(`/api/posts/${idOf(post)}`).set(member.auth).expect(404);
      await forum.http.get(`/api/posts/${idOf(post)}`).set(owner.auth).expect(200);
      await forum.http.get(`/api/posts/${idOf(post)}`).set(siteModerator.auth).expect(200);
    });

    it('are left out of every list, for moderators too', async () => {
      const post = await buildPost({ group: open, author: member, hiddenAt: new Date() });
      await Like.create({ postId: post._id, userId: owner.user._id, groupId: open._id });
      for (const url of [`/api/groups/${idOf(open)}/posts?limit=50`, '/api/feed?limit=50', `/api/users/${idOf(member.user)}/posts?limit=50`, `/api/users/${idOf(owner.user)}/likes`]) {
        const res = await forum.http.get(url).set(owner.auth).expect(200);
        expect(res.body.items.map((item: PostShape) => item.id), url).not.to.include(idOf(post));
      }
      const res = await forum.http.get('/api/feed/public').expect(200);
      expect(res.body.items.map((item: PostShape) => item.id)).not.to.include(idOf(post));
    });

    it('do not count in replyCount, nor show among replies', async () => {
      const top = await buildPost({ group: open, author: owner });
      const shown = await buildPost({ group: open, author: member, parent: top });
      const hidden = await buildPost({ group: open, author: member, parent: top });
      await Post.updateOne({ _id: hidden._id }, { $set: { hiddenAt: new Date(), hiddenBy: owner.user._id, hiddenReason: 'spam' } });
      // What the hide service does before announcing the hidden reply.
      expect(await recountReplies(top._id)).to.equal(1);
      const res = await forum.http.get(`/api/posts/${idOf(top)}`).set(stranger.auth).expect(200);
      expect(res.body.replyCount).to.equal(1);
      const replies = await forum.http.get(`/api/posts/${idOf(top)}/replies`).set(owner.auth).expect(200);
      expect(replies.body.items.map((item: PostShape) => item.id)).to.deep.equal([idOf(shown)]);
    });
  });

  it('answers 404 for a post whose group is gone', async () => {
    const group = await buildGroup({ owner, visibility: 'public' });
    const post = await buildPost({ group, author: owner });
    await Group.deleteOne({ _id: group._id });
    await forum.http.get(`/api/posts/${idOf(post)}`).set(owner.auth).expect(404);
  });
});
