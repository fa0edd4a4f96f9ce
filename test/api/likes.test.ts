// Likes: idempotent, one per user per post, exact counts under concurrency.
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { GroupFields } from '../../server/models/group';
import { MAX_CACHED_LIKES } from '../../server/services/read-cache';
import { Like } from '../../server/models/like';
import { Post } from '../../server/models/post';
import { buildContentCast, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('PUT/DELETE /api/posts/:id/like', () => {
  let forum: TestForum;
  let owner: BuiltUser, member: BuiltUser, stranger: BuiltUser;
  let open: GroupFields, closed: GroupFields;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    ({ owner, member, stranger, open, closed } = await buildContentCast());
  });
  after(() => forum.close());

  it('requires a token', async () => {
    const post = await buildPost({ group: open, author: owner });
    await forum.http.put(`/api/posts/${idOf(post)}/like`).expect(401);
    await forum.http.delete(`/api/posts/${idOf(post)}/like`).expect(401);
  });

  it('a stranger cannot like a closed group’s post and learns nothing (404)', async () => {
    const post = await buildPost({ group: closed, author: member });
    const res = await forum.http.put(`/api/posts/${idOf(post)}/like`).set(stranger.auth).expect(404);
    expect(res.body.error.message).not.to.match(/closed|member/i);
    expect(await Like.countDocuments({ postId: post._id })).to.equal(0);
  });

  it('is idempotent both ways and tells likedByMe', async () => {
    const post = await buildPost({ group: open, author: owner });
    const url = `/api/posts/${idOf(post)}/like`;
    expect((await forum.http.put(url).set(member.auth).expect(200)).body).to.deep.equal({ likeCount: 1, likedByMe: true });
    expect((await forum.http.put(url).set(member.auth).expect(200)).body).to.deep.equal({ likeCount: 1, likedByMe: true });
    const seen = await forum.http.get(`/api/posts/${idOf(post)}`).set(member.auth).expect(200);
    expect(seen.body).to.deep.include({ likeCount: 1, likedByMe: true });
    const other = await forum.http.get(`/api/posts/${idOf(post)}`).set(stranger.auth).expect(200);
    expect(other.body).to.deep.include({ likeCount: 1, likedByMe: false });
    expect((await forum.http.delete(url).set(member.auth).expect(200)).body).to.deep.equal({ likeCount: 0, likedByMe: false });
    expect((await forum.http.delete(url).set(member.auth).expect(200)).body).to.deep.equal({ likeCount: 0, likedByMe: false });
  });

  it('likedByMe follows my likes at once in every list that shows the post, and only mine', async () => {
    const post = await buildPost({ group: open, author: owner });
    const url = `/api/posts/${idOf(post)}/like`;
    const likedIn = async (who: BuiltUser) =>
      Promise.all(
        ['/api/feed', `/api/groups/${idOf(open)}/posts`, `/api/posts/${idOf(post)}`].map(async (path) => {
          const body = (await forum.http.get(path).set(who.auth).expect(200)).body;
          return ((body.items ?? [body]) as { id: string; likedByMe: boolean }[]).find((item) => item.id === idOf(post))!.likedByMe;
        }),
      );
    expect(await likedIn(member)).to.deep.equal([false, false, false]);
    await forum.http.put(url).set(member.auth).expect(200);
    expect(await likedIn(member)).to.deep.equal([true, true, true]);
    expect(await likedIn(stranger)).to.deep.equal([false, false, false]);
    await forum.http.put(url).set(stranger.auth).expect(200);
    await forum.http.delete(url).set(member.auth).expect(200);
    expect(await likedIn(member)).to.deep.equal([false, false, false]);
    expect(await likedIn(stranger)).to.deep.equal([true, true, true]);
  });

  it('tells likedByMe right for someone who likes more posts than are kept in memory', async () => {
    const { user, auth } = await buildUser();
    const liked = await buildPost({ group: open, author: owner });
    const notLiked = await buildPost({ group: open, author: owner });
    await Like.insertMany([
      { postId: liked._id, userId: user._id, groupId: open._id },
      ...Array.from({ length: MAX_CACHED_LIKES }, () => ({ postId: new Types.ObjectId(), userId: user._id, groupId: open._id })),
    ]);
    const items = (await forum.http.get(`/api/groups/${idOf(open)}/posts`).set(auth).expect(200)).body.items as { id: string; likedByMe: boolean }[];
    expect(items.filter((item) => [idOf(liked), idOf(notLiked)].includes(item.id)).map((item) => [item.id, item.likedByMe])).to.deep.equal([
      [idOf(notLiked), false],
      [idOf(liked), true],
    ]);
  });

  it('publishes like.changed only when a like really changed', async () => {
    const post = await buildPost({ group: open, author: owner });
    const counts: number[] = [];
    const off = forum.ctx.events.on('like.changed', (event) => counts.push(event.likeCount));
    const url = `/api/posts/${idOf(post)}/like`;
    await forum.http.put(url).set(member.auth).expect(200);
    await forum.http.put(url).set(member.auth).expect(200);
    await forum.http.delete(url).set(member.auth).expect(200);
    await forum.http.delete(url).set(member.auth).expect(200);
    off();
    expect(counts).to.deep.equal([1, 0]);
  });

  it('counts exactly 50 when 50 users like at once (and 50 more repeats change nothing)', async function () {
    this.timeout(60_000);
    const post = await buildPost({ group: open, author: owner });
    const users = await Promise.all(Array.from({ length: 50 }, () => buildUser()));
    const url = `/api/posts/${idOf(post)}/like`;
    const results = await Promise.all([...users, ...users].map((user) => forum.http.put(url).set(user.auth)));
    expect(results.map((res) => res.status)).to.deep.equal(Array(100).fill(200));
    expect((await Post.findById(post._id).lean())!.likeCount).to.equal(50);
    expect(await Like.countDocuments({ postId: post._id })).to.equal(50);
    await Promise.all(users.slice(0, 20).map((user) => forum.http.delete(url).set(user.auth).expect(200)));
    expect((await Post.findById(post._id).lean())!.likeCount).to.equal(30);
  });

  it('answers 404 for a non-id and an unknown post', async () => {
    await forum.http.put('/api/posts/nope/like').set(member.auth).expect(404);
    await forum.http.put(`/api/posts/${new Types.ObjectId()}/like`).set(member.auth).expect(404);
  });
});
