// Feeds' pages from the groups' cached heads: every answer equals the database's, first pages are always
// answered, deeper ones only when the heads reach, and a group's head follows the events about its posts.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { MAX_ENTRY_AGE_MS } from '../../server/db/droppable-cache';
import { readCache } from '../../server/services/read-cache';
import { Post } from '../../server/models/post';
import { FEED_HEAD_CHARS, FEED_HEAD_SIZE, newestFromHeads } from '../../server/services/feed-heads';
import { MAX_PAGE_SIZE } from '../../server/services/pagination';
import { resetDatabase } from '../support/database';
import { Random } from '../bench/random';

const authorId = new Types.ObjectId();

/** The database's answer: what the feeds asked before heads existed. */
async function fromDatabase(groupIds: Types.ObjectId[], after: Types.ObjectId | null, count: number): Promise<string[]> {
  const rows = await Post.find({ groupId: { $in: groupIds }, parentId: null, hiddenAt: null, deletedAt: null, ...(after ? { _id: { $lt: after } } : {}) }, { _id: 1 })
    .sort({ _id: -1 })
    .limit(count)
    .lean<{ _id: Types.ObjectId }[]>();
  return rows.map((row) => String(row._id));
}

async function fromHeads(groupIds: Types.ObjectId[], after: Types.ObjectId | null, count: number): Promise<string[] | null> {
  const rows = await newestFromHeads(groupIds, after, count);
  return rows && rows.map((row) => String(row._id));
}

describe('feed heads', () => {
  beforeEach(resetDatabase);
  after(resetDatabase);

  describe('on groups of every size, with replies, hidden and deleted posts among them', () => {
    const sizes = [0, 2, FEED_HEAD_SIZE - 1, FEED_HEAD_SIZE, FEED_HEAD_SIZE + 1, 3 * FEED_HEAD_SIZE];
    let groupIds: Types.ObjectId[];
    let allIds: Types.ObjectId[];

    beforeEach(async () => {
      groupIds = sizes.map(() => new Types.ObjectId());
      const random = new Random(7);
      // Interleaved in time across groups, as real posting is; ids grow in insertion order.
      const remaining = [...sizes];
      const docs: Record<string, unknown>[] = [];
      const tops: Types.ObjectId[] = [];
      while (remaining.some((left) => left > 0)) {
        const group = random.below(sizes.length);
        if (remaining[group] === 0) continue;
        remaining[group]!--;
        const _id = new Types.ObjectId();
        const roll = random.below(10);
        const state = roll === 0 ? { hiddenAt: new Date() } : roll === 1 ? { deletedAt: new Date(), body: '', bodyText: '' } : {};
        docs.push({ _id, groupId: groupIds[group], authorId, parentId: null, body: '<p>x</p>', bodyText: 'x', ...state });
        tops.push(_id);
        // Replies never show in feeds, and are newer than what they answer.
        if (roll === 2) docs.push({ _id: new Types.ObjectId(), groupId: groupIds[group], authorId, parentId: _id, body: '<p>re</p>', bodyText: 're' });
      }
      await Post.insertMany(docs);
      allIds = tops;
    });

    it('answers every first page from memory, exactly as the database does', async () => {
      for (const chosen of [groupIds, groupIds.slice(0, 1), groupIds.slice(-1), groupIds.slice(1, 4)]) {
        for (const count of [1, 2, 20, MAX_PAGE_SIZE, FEED_HEAD_SIZE]) {
          expect(await fromHeads(chosen, null, count), `count ${count}`).to.deep.equal(await fromDatabase(chosen, null, count));
        }
      }
    });

    it('answers a deeper page exactly or not at all, and answers most of the pages a reader turns to', async () => {
      const random = new Random(11);
      let answered = 0;
      for (let i = 0; i < 200; i++) {
        const chosen = groupIds.filter(() => random.below(3) > 0);
        const after = allIds[random.below(allIds.length)]!;
        const count = 1 + random.below(MAX_PAGE_SIZE + 1);
        const heads = await fromHeads(chosen, after, count);
        if (heads === null) continue;
        answered++;
        expect(heads, `after ${String(after)}, count ${count}`).to.deep.equal(await fromDatabase(chosen, after, count));
      }
      expect(answered).to.be.greaterThan(50);
      // Turning pages of 20 through every group: the second page still comes from memory.
      const first = (await fromHeads(groupIds, null, 20))!;
      const second = await fromHeads(groupIds, new Types.ObjectId(first[first.length - 1]), 21);
      expect(second).to.deep.equal(await fromDatabase(groupIds, new Types.ObjectId(first[first.length - 1]), 21));
    });

    it('cannot answer past the end of a group whose head is not all of it', async () => {
      const big = groupIds[groupIds.length - 1]!;
      const oldest = (await fromDatabase([big], null, 1000)).at(-1)!;
      expect(await fromHeads([big], new Types.ObjectId(oldest), 5)).to.equal(null);
      // A group whose head is all of it answers any page, even an empty one.
      const small = groupIds[1]!;
      expect(await fromHeads([small], new Types.ObjectId(oldest), 5)).to.deep.equal([]);
    });
  });

  it('keeps a shorter head for long posts, and is still exact', async () => {
    const groupId = new Types.ObjectId();
    const text = 'x'.repeat(20_000);
    const perPost = 2 * text.length;
    await Post.insertMany(Array.from({ length: 8 }, () => ({ _id: new Types.ObjectId(), groupId, authorId, parentId: null, body: text, bodyText: text })));
    const held = Math.floor(FEED_HEAD_CHARS / perPost);
    expect(held).to.be.lessThan(8);
    expect(await fromHeads([groupId], null, held)).to.deep.equal(await fromDatabase([groupId], null, held));
    expect(await fromHeads([groupId], null, held + 1)).to.equal(null);
  });

  it('serves from memory until an event about the group’s posts drops its head; other groups keep theirs', async () => {
    const [a, b] = [new Types.ObjectId(), new Types.ObjectId()];
    const write = async (groupId: Types.ObjectId) => (await Post.create({ groupId, authorId, body: '<p>x</p>', bodyText: 'x' }))._id;
    const firstA = await write(a);
    const firstB = await write(b);
    expect(await fromHeads([a, b], null, 5)).to.deep.equal([String(firstB), String(firstA)]);
    // Written behind the cache's back: no event yet, so the heads still answer what they hold.
    const laterA = await write(a);
    const laterB = await write(b);
    expect(await fromHeads([a, b], null, 5)).to.deep.equal([String(firstB), String(firstA)]);
    for (const type of ['post.created', 'post.updated', 'post.deleted', 'post.hidden', 'post.restored'] as const) {
      readCache.apply({ type, postId: String(laterA), groupId: String(a), parentId: null });
      expect(await fromHeads([a, b], null, 5), type).to.deep.equal([String(laterA), String(firstB), String(firstA)]);
      await Post.updateOne({ _id: laterA }, { $set: { hiddenAt: new Date() } });
      readCache.apply({ type: 'like.changed', postId: String(laterA), groupId: String(a), likeCount: 0, userId: null });
      expect(await fromHeads([a, b], null, 5)).to.deep.equal([String(firstB), String(firstA)]);
      await Post.updateOne({ _id: laterA }, { $set: { hiddenAt: null } });
    }
    readCache.apply({ type: 'group.changed', groupId: String(b) });
    expect(await fromHeads([a, b], null, 5)).to.deep.equal([String(laterB), String(firstB), String(firstA)]);
  });

  describe('for a frozen list of groups (a viewer’s readable groups), whose merged first pages are kept', () => {
    it('answers exactly as the database does through random writes and their events, again and again', async () => {
      const random = new Random(29);
      const groupIds = Array.from({ length: 8 }, () => new Types.ObjectId());
      const lists = [Object.freeze([...groupIds]), Object.freeze(groupIds.slice(0, 3)), Object.freeze(groupIds.slice(5))];
      const posts: { _id: Types.ObjectId; groupId: Types.ObjectId }[] = [];
      const write = async (groupId: Types.ObjectId, membersOnly: boolean) => {
        const post = await Post.create({ groupId, authorId, body: '<p>x</p>', bodyText: 'x', ...(membersOnly ? { membersOnly: true } : {}) });
        posts.push({ _id: post._id, groupId });
        return post;
      };
      for (let i = 0; i < 3 * FEED_HEAD_SIZE; i++) await write(random.pick(groupIds), random.below(8) === 0);
      const check = async (label: string) => {
        for (const list of lists) {
          for (const count of [1, 21, FEED_HEAD_SIZE]) {
            for (let twice = 0; twice < 2; twice++) {
              const rows = await newestFromHeads(list, null, count);
              // Members-only posts are left out, as the home feed asks (the database query here does not know them).
              const expected = (await fromDatabase([...list], null, count + 20)).filter((id) => !membersOnlyIds.has(id)).slice(0, count);
              // Every group's head holds all of it here, so every first page is answered from memory.
              expect(rows, label).not.to.equal(null);
              expect(rows!.map((row) => String(row._id)), `${label}, count ${count}`).to.deep.equal(expected);
            }
          }
        }
      };
      const membersOnlyIds = new Set((await Post.find({ membersOnly: true }, { _id: 1 }).lean()).map((row) => String(row._id)));
      await check('at first');
      for (let step = 0; step < 30; step++) {
        const roll = random.below(4);
        const groupId = random.pick(groupIds);
        if (roll === 0) {
          const post = await write(groupId, false);
          readCache.apply({ type: 'post.created', postId: String(post._id), groupId: String(groupId), parentId: null });
        } else if (roll === 1) {
          const target = random.pick(posts);
          await Post.updateOne({ _id: target._id }, { $set: { hiddenAt: new Date() } });
          readCache.apply({ type: 'post.hidden', postId: String(target._id), groupId: String(target.groupId), parentId: null });
        } else if (roll === 2) {
          const target = random.pick(posts);
          await Post.updateOne({ _id: target._id }, { $inc: { likeCount: 1 } });
          readCache.apply({ type: 'like.changed', postId: String(target._id), groupId: String(target.groupId), likeCount: 1, userId: null });
        } else readCache.apply({ type: 'group.changed', groupId: String(groupId) });
        await check(`after step ${step}`);
        // The counts the head shows follow too.
        const first = await newestFromHeads(lists[0]!, null, FEED_HEAD_SIZE);
        const counts = await Post.find({ _id: { $in: first!.map((row) => row._id) } }, { likeCount: 1 }).lean<{ _id: Types.ObjectId; likeCount?: number }[]>();
        const byId = new Map(counts.map((row) => [String(row._id), row.likeCount ?? 0]));
        for (const row of first!) expect(row.likeCount ?? 0, String(row._id)).to.equal(byId.get(String(row._id)));
      }
    });

    it('reads a head again once it reaches the cache’s maximum age, even when nothing else changed', async () => {
      const groupId = new Types.ObjectId();
      const list = Object.freeze([groupId]);
      const first = await Post.create({ groupId, authorId, body: '<p>x</p>', bodyText: 'x' });
      expect((await newestFromHeads(list, null, 5))!.map((row) => String(row._id))).to.deep.equal([String(first._id)]);
      expect((await newestFromHeads(list, null, 5))!.map((row) => String(row._id))).to.deep.equal([String(first._id)]);
      // Written behind the cache's back: only the age bound brings it.
      const later = await Post.create({ groupId, authorId, body: '<p>x</p>', bodyText: 'x' });
      const realNow = Date.now;
      try {
        Date.now = () => realNow() + MAX_ENTRY_AGE_MS;
        expect((await newestFromHeads(list, null, 5))!.map((row) => String(row._id))).to.deep.equal([String(later._id), String(first._id)]);
      } finally {
        Date.now = realNow;
      }
    });
  });

  it('holds nothing while the read cache is suspended, and leaves the page to the database (one query, not one per group)', async () => {
    const groupId = new Types.ObjectId();
    await fromHeads([groupId], null, 5);
    readCache.suspend();
    try {
      const id = (await Post.create({ groupId, authorId, body: '<p>x</p>', bodyText: 'x' }))._id;
      expect(await fromHeads([groupId], null, 5)).to.equal(null);
      expect(readCache.feedHeads.size).to.equal(0);
      expect(await fromDatabase([groupId], null, 5)).to.deep.equal([String(id)]);
    } finally {
      readCache.resume();
    }
  });
});
