import { expect } from 'chai';
import { Types } from 'mongoose';
import { Group } from '../../server/models/group';
import { Post } from '../../server/models/post';
import { PUBLIC_FEED_TTL_MS, PublicFeedCache } from '../../server/services/public-feed-cache';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('public feed cache', () => {
  let forum: TestForum;
  let cache: PublicFeedCache;
  let groupId: Types.ObjectId;
  let authorId: Types.ObjectId;

  const postBodies = async (now: number): Promise<string[]> =>
    (JSON.parse((await cache.get(now)).json.toString('utf8')) as { items: { bodyText: string }[] }).items.map((item) => item.bodyText);
  const writePost = (text: string) => Post.create({ groupId, authorId, body: `<p>${text}</p>`, bodyText: text });

  beforeEach(async () => {
    await resetDatabase();
    forum = await startTestForum();
    cache = new PublicFeedCache(forum.ctx);
    const { user } = await buildUser();
    authorId = user._id;
    groupId = (await Group.create({ name: 'Open', slug: 'open', visibility: 'public', joinPolicy: 'open', ownerId: authorId }))._id;
    await writePost('first');
  });

  afterEach(async () => {
    cache.close();
    await forum.close();
  });

  it('past the TTL serves the old page at once and the rebuilt one after', async () => {
    const t0 = Date.now();
    expect(await postBodies(t0)).to.deep.equal(['first']);
    await writePost('second'); // written behind the cache's back, as another process would
    expect(await postBodies(t0 + PUBLIC_FEED_TTL_MS + 1)).to.deep.equal(['first']);
    // The rebuild started by that request is awaited by the next one only if still running; give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await postBodies(t0 + PUBLIC_FEED_TTL_MS + 2)).to.deep.equal(['second', 'first']);
  });

  it('after a change in this process never serves the old page', async () => {
    const t0 = Date.now();
    expect(await postBodies(t0)).to.deep.equal(['first']);
    const second = await writePost('second');
    forum.ctx.events.publish({ type: 'post.created', postId: String(second._id), groupId: String(groupId), parentId: null });
    expect(await postBodies(t0 + 1)).to.deep.equal(['second', 'first']);
  });
});
