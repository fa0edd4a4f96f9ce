// Feeds and profile lists: scope, order, pagination stability, the cached public feed, access ending at once.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { Post as PostShape } from '../../shared/api';
import type { GroupFields } from '../../server/models/group';
import { readCache } from '../../server/services/read-cache';
import { Like } from '../../server/models/like';
import { Post } from '../../server/models/post';
import { PUBLIC_FEED_TTL_MS } from '../../server/services/public-feed-cache';
import { buildContentCast, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import type { BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

const idsOf = (items: PostShape[]) => items.map((item) => item.id);

describe('feeds', () => {
  let forum: TestForum;
  let owner: BuiltUser, member: BuiltUser, stranger: BuiltUser;
  let open: GroupFields, closed: GroupFields;

  beforeEach(async () => {
    await resetDatabase();
    ({ owner, member, stranger, open, closed } = await buildContentCast());
  });
  before(async () => {
    forum = await startTestForum();
  });
  after(() => forum.close());

  describe('GET /api/feed', () => {
    it('requires a token', async () => {
      await forum.http.get('/api/feed').expect(401);
    });

    it('shows top-level posts of public groups and the viewer’s groups, newest first, no replies', async () => {
      const a = await buildPost({ group: open, author: owner });
      const b = await buildPost({ group: closed, author: member });
      await buildPost({ group: open, author: member, parent: a });
      const c = await buildPost({ group: open, author: owner });
      expect(idsOf((await forum.http.get('/api/feed').set(member.auth).expect(200)).body.items)).to.deep.equal([idOf(c), idOf(b), idOf(a)]);
      expect(idsOf((await forum.http.get('/api/feed').set(stranger.auth).expect(200)).body.items)).to.deep.equal([idOf(c), idOf(a)]);
    });

    it('as a non-member I never see a closed group’s posts, even once a member’s reads keep them in memory', async () => {
      const secret = await buildPost({ group: closed, author: member });
      const shared = await buildPost({ group: open, author: owner });
      for (let i = 0; i < 2; i++) {
        expect(idsOf((await forum.http.get('/api/feed').set(member.auth).expect(200)).body.items)).to.deep.equal([idOf(shared), idOf(secret)]);
        await forum.http.get(`/api/groups/${idOf(closed)}/posts`).set(member.auth).expect(200);
      }
      expect(idsOf((await forum.http.get('/api/feed').set(stranger.auth).expect(200)).body.items)).to.deep.equal([idOf(shared)]);
      await forum.http.get(`/api/groups/${idOf(closed)}/posts`).set(stranger.auth).expect(404);
      expect(idsOf((await forum.http.get(`/api/feed?cursor=${idOf(shared)}`).set(stranger.auth).expect(200)).body.items)).to.deep.equal([]);
    });

    it('while the read cache is suspended, answers posts and likes fresh from the database', async () => {
      const shown = await buildPost({ group: open, author: owner });
      expect(idsOf((await forum.http.get('/api/feed').set(member.auth).expect(200)).body.items)).to.deep.equal([idOf(shown)]);
      readCache.suspend();
      try {
        // Written behind every cache's back, as while the relay is down another process would.
        const later = await Post.create({ groupId: open._id, authorId: owner.user._id, body: '<p>later</p>', bodyText: 'later' });
        await Like.create({ postId: shown._id, userId: member.user._id, groupId: open._id });
        const items = (await forum.http.get('/api/feed').set(member.auth).expect(200)).body.items as PostShape[];
        expect(items.map((item) => [item.id, item.likedByMe])).to.deep.equal([
          [idOf(later), false],
          [idOf(shown), true],
        ]);
      } finally {
        readCache.resume();
      }
    });

    it('pages without duplicates or gaps while new posts arrive', async () => {
      const original: string[] = [];
      for (let i = 0; i < 25; i++) original.unshift(idOf(await buildPost({ group: open, author: owner })));
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const res: { body: { items: PostShape[]; nextCursor: string | null } } = await forum.http.get(`/api/feed?limit=10${cursor ? `&cursor=${cursor}` : ''}`).set(member.auth).expect(200);
        seen.push(...idsOf(res.body.items));
        cursor = res.body.nextCursor;
        pages++;
        // Others keep posting between page requests.
        await Promise.all([buildPost({ group: open, author: owner }), buildPost({ group: closed, author: member })]);
      } while (cursor);
      expect(pages).to.equal(3);
      expect(seen).to.deep.equal(original);
    });

    it('refuses a bad limit or cursor with 400', async () => {
      expect((await forum.http.get('/api/feed?limit=0').set(member.auth).expect(400)).body.error.field).to.equal('limit');
      await forum.http.get('/api/feed?limit=51').set(member.auth).expect(400);
      expect((await forum.http.get('/api/feed?cursor=zzz').set(member.auth).expect(400)).body.error.field).to.equal('cursor');
    });
  });

  describe('GET /api/groups/:id/posts', () => {
    it('lists top-level posts of a group the viewer may read, and 404 for a closed group they are not in', async () => {
      const post = await buildPost({ group: closed, author: member });
      await buildPost({ group: closed, author: member, parent: post });
      expect(idsOf((await forum.http.get(`/api/groups/${idOf(closed)}/posts`).set(member.auth).expect(200)).body.items)).to.deep.equal([idOf(post)]);
      await forum.http.get(`/api/groups/${idOf(closed)}/posts`).set(stranger.auth).expect(404);
      await forum.http.get(`/api/groups/${new Types.ObjectId()}/posts`).set(stranger.auth).expect(404);
    });
  });

  describe('GET /api/feed/public', () => {
    it('needs no token and shows only public groups’ top-level posts, at most 50, without a cursor', async () => {
      for (let i = 0; i < 52; i++) await buildPost({ group: open, author: owner });
      const hiddenOne = await buildPost({ group: open, author: owner, hiddenAt: new Date() });
      const closedOne = await buildPost({ group: closed, author: member });
      forum.ctx.events.publish({ type: 'group.changed', groupId: idOf(open) });
      const res = await forum.http.get('/api/feed/public').expect(200);
      expect(res.headers['content-type']).to.match(/application\/json/);
      expect(res.headers['set-cookie']).to.equal(undefined);
      expect(res.body.items).to.have.length(50);
      expect(res.body.nextCursor).to.equal(null);
      expect(idsOf(res.body.items)).not.to.include.members([idOf(hiddenOne), idOf(closedOne)]);
      expect(res.body.items.every((item: PostShape) => item.likedByMe === false && item.parentId === null)).to.equal(true);
    });

    it('is the same bytes for everyone, token or not (even a stale token)', async () => {
      await buildPost({ group: open, author: owner });
      forum.ctx.events.publish({ type: 'group.changed', groupId: idOf(open) });
      const anonymous = await forum.http.get('/api/feed/public').expect(200);
      const withToken = await forum.http.get('/api/feed/public').set(member.auth).expect(200);
      const stale = await forum.http.get('/api/feed/public').set('Authorization', 'Bearer nonsense').expect(200);
      expect(withToken.text).to.equal(anonymous.text);
      expect(stale.text).to.equal(anonymous.text);
    });

    it('is sent gzipped to clients that accept gzip and plain to the others, the same JSON either way', async () => {
      await buildPost({ group: open, author: owner });
      forum.ctx.events.publish({ type: 'group.changed', groupId: idOf(open) });
      // Raw bytes over node:http: supertest and fetch would unzip before we could look.
      const base = forum.url || (await forum.startListening());
      const raw = (accept: string) =>
        new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
          http.get(`${base}/api/feed/public`, { headers: { 'accept-encoding': accept } }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (chunk: Buffer) => chunks.push(chunk));
            res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(chunks) }));
          }).on('error', reject);
        });
      const zipped = await raw('gzip, deflate, br');
      const plain = await raw('identity');
      expect(zipped.headers['content-encoding']).to.equal('gzip');
      expect(plain.headers['content-encoding']).to.equal(undefined);
      for (const res of [zipped, plain]) expect(res.headers.vary).to.match(/Accept-Encoding/i);
      const unzipped = gunzipSync(zipped.body);
      expect(unzipped.equals(plain.body)).to.equal(true);
      expect(zipped.body.length).to.be.lessThan(plain.body.length);
      expect(JSON.parse(unzipped.toString('utf8')).items.length).to.be.greaterThan(0);
    });

    it('shows a change made in this process at once (events invalidate the cache)', async () => {
      await forum.http.get('/api/feed/public').expect(200);
      const res = await forum.http.post(`/api/groups/${idOf(open)}/posts`).set(owner.auth).send({ body: 'fresh' }).expect(201);
      expect(idsOf((await forum.http.get('/api/feed/public').expect(200)).body.items)[0]).to.equal(res.body.id);
      await forum.http.put(`/api/posts/${res.body.id}/like`).set(member.auth).expect(200);
      expect((await forum.http.get('/api/feed/public').expect(200)).body.items[0].likeCount).to.equal(1);
      await forum.http.patch(`/api/groups/${idOf(open)}`).set(owner.auth).send({ visibility: 'closed' }).expect(200);
      expect((await forum.http.get('/api/feed/public').expect(200)).body.items).to.deep.equal([]);
    });

    it(`shows a change made by another process within the ${PUBLIC_FEED_TTL_MS} ms TTL`, async function () {
      this.timeout(10_000);
      forum.ctx.events.publish({ type: 'group.changed', groupId: idOf(open) });
      expect((await forum.http.get('/api/feed/public').expect(200)).body.items).to.deep.equal([]);
      // Written straight to the database: no event reaches this process.
      const post = await Post.create({ groupId: open._id, authorId: owner.user._id, body: '<p>elsewhere</p>', bodyText: 'elsewhere' });
      expect((await forum.http.get('/api/feed/public').expect(200)).body.items).to.deep.equal([]);
      await new Promise((resolve) => setTimeout(resolve, PUBLIC_FEED_TTL_MS + 50));
      // Past the TTL the first visitor still gets the old page and starts one rebuild; the next gets the new one.
      await forum.http.get('/api/feed/public').expect(200);
      let seen: string[] = [];
      for (let attempt = 0; attempt < 50 && seen.length === 0; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen = idsOf((await forum.http.get('/api/feed/public').expect(200)).body.items);
      }
      expect(seen).to.deep.equal([idOf(post)]);
    });
  });

  describe('access ends at once', () => {
    it('a member who leaves a closed group loses its feed, posts, replies and list entries immediately', async () => {
      const post = await buildPost({ group: closed, author: owner });
      await buildPost({ group: closed, author: owner, parent: post });
      await forum.http.put(`/api/posts/${idOf(post)}/like`).set(member.auth).expect(200);
      await forum.http.get(`/api/posts/${idOf(post)}`).set(member.auth).expect(200);
      expect(idsOf((await forum.http.get('/api/feed').set(member.auth).expect(200)).body.items)).to.include(idOf(post));
      const changes: string[] = [];
      const off = forum.ctx.events.on('membership.changed', (event) => changes.push(event.userId));
      await forum.http.delete(`/api/groups/${idOf(closed)}/members/${idOf(member.user)}`).set(member.auth).expect(204);
      off();
      expect(changes).to.deep.equal([idOf(member.user)]);
      await forum.http.get(`/api/groups/${idOf(closed)}/posts`).set(member.auth).expect(404);
      await forum.http.get(`/api/posts/${idOf(post)}`).set(member.auth).expect(404);
      await forum.http.get(`/api/posts/${idOf(post)}/replies`).set(member.auth).expect(404);
      expect(idsOf((await forum.http.get('/api/feed').set(member.auth).expect(200)).body.items)).not.to.include(idOf(post));
      expect((await forum.http.get(`/api/users/${idOf(member.user)}/likes`).set(member.auth).expect(200)).body.items).to.deep.equal([]);
    });

    it('closing a public group cuts non-members off everywhere at once', async () => {
      const post = await buildPost({ group: open, author: owner });
      await forum.http.get(`/api/posts/${idOf(post)}`).set(stranger.auth).expect(200);
      expect(idsOf((await forum.http.get('/api/feed').set(stranger.auth).expect(200)).body.items)).to.deep.equal([idOf(post)]);
      const events: string[] = [];
      const off = forum.ctx.events.on('group.changed', (event) => events.push(event.groupId));
      await forum.http.patch(`/api/groups/${idOf(open)}`).set(owner.auth).send({ visibility: 'closed' }).expect(200);
      off();
      expect(events).to.deep.equal([idOf(open)]);
      await forum.http.get(`/api/posts/${idOf(post)}`).set(stranger.auth).expect(404);
      await forum.http.get(`/api/groups/${idOf(open)}/posts`).set(stranger.auth).expect(404);
      expect((await forum.http.get('/api/feed').set(stranger.auth).expect(200)).body.items).to.deep.equal([]);
      expect((await forum.http.get(`/api/users/${idOf(owner.user)}/posts`).set(stranger.auth).expect(200)).body.items).to.deep.equal([]);
      expect((await forum.http.get('/api/feed/public').expect(200)).body.items).to.deep.equal([]);
    });
  });

  describe('profile lists', () => {
    it('require a token and answer 404 for a non-id or unknown user', async () => {
      await forum.http.get(`/api/users/${idOf(owner.user)}/posts`).expect(401);
      await forum.http.get(`/api/users/${idOf(owner.user)}/likes`).expect(401);
      await forum.http.get('/api/users/nope/posts').set(member.auth).expect(404);
      await forum.http.get(`/api/users/${new Types.ObjectId()}/likes`).set(member.auth).expect(404);
    });

    it('list a user’s posts and replies that the viewer may see, newest first', async () => {
      const top = await buildPost({ group: open, author: member });
      const reply = await buildPost({ group: open, author: member, parent: top });
      const secret = await buildPost({ group: closed, author: member });
      const url = `/api/users/${idOf(member.user)}/posts`;
      expect(idsOf((await forum.http.get(url).set(member.auth).expect(200)).body.items)).to.deep.equal([idOf(secret), idOf(reply), idOf(top)]);
      expect(idsOf((await forum.http.get(url).set(stranger.auth).expect(200)).body.items)).to.deep.equal([idOf(reply), idOf(top)]);
    });

    it('page a liker’s likes by like, newest like first, with full pages around posts hidden since', async () => {
      const posts: Awaited<ReturnType<typeof buildPost>>[] = [];
      for (let i = 0; i < 7; i++) posts.push(await buildPost({ group: open, author: owner }));
      for (const post of posts) await forum.http.put(`/api/posts/${idOf(post)}/like`).set(member.auth).expect(200);
      await Post.updateMany({ _id: { $in: [posts[5]!._id, posts[4]!._id] } }, { $set: { hiddenAt: new Date() } });
      const url = `/api/users/${idOf(member.user)}/likes?limit=2`;
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: PostShape[]; nextCursor: string | null } } = await forum.http.get(`${url}${cursor ? `&cursor=${cursor}` : ''}`).set(stranger.auth).expect(200);
        if (res.body.nextCursor) expect(res.body.items).to.have.length(2);
        seen.push(...idsOf(res.body.items));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).to.deep.equal([6, 3, 2, 1, 0].map((i) => idOf(posts[i]!)));
    });
  });
});
