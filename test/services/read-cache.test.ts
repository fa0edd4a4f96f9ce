// The read cache's own guarantees: a load that raced a change is not kept, concurrent reads share a load,
// unknown values are not kept, a suspended cache answers from the database, entries age out, and each event
// drops what it changes.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { DroppableCache, kept, MAX_ENTRY_AGE_MS } from '../../server/db/droppable-cache';
import type { PresentablePost } from '../../server/models/post';
import { readCache } from '../../server/services/read-cache';
import type { DomainEvent } from '../../server/services/events';

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('read cache', () => {
  let enabled = true;
  let cache: DroppableCache<string>;
  let loads: number;
  const load = (value: string) => async () => {
    loads++;
    return value;
  };

  beforeEach(() => {
    enabled = true;
    cache = new DroppableCache<string>(() => enabled);
    loads = 0;
  });
  after(() => readCache.clear());

  it('loads once and answers later reads from memory', async () => {
    expect(await cache.get('k', load('v1'))).to.equal('v1');
    expect(await cache.get('k', load('v2'))).to.equal('v1');
    expect(loads).to.equal(1);
  });

  it('does not keep a load that was running when the key was dropped (it may have read the old value)', async () => {
    const slow = deferred<string>();
    const racing = cache.get('k', () => slow.promise);
    cache.drop('k');
    slow.resolve('old');
    expect(await racing).to.equal('old');
    expect(await cache.get('k', load('new'))).to.equal('new');
  });

  it('does not keep a batch load that raced a drop either', async () => {
    const slow = deferred<Map<string, string>>();
    const racing = cache.getMany(['a', 'b'], () => slow.promise);
    cache.dropWhere(() => true);
    slow.resolve(new Map([['a', 'old a'], ['b', 'old b']]));
    expect([...(await racing).values()]).to.deep.equal(['old a', 'old b']);
    const fresh = await cache.getMany(['a', 'b'], async (missing) => new Map(missing.map((key) => [key, `new ${key}`])));
    expect([...fresh.values()]).to.deep.equal(['new a', 'new b']);
  });

  it('shares one load among concurrent reads of a key, batch reads too', async () => {
    const slow = deferred<string>();
    let started = 0;
    const first = cache.get('k', () => {
      started++;
      return slow.promise;
    });
    const second = cache.get('k', load('second'));
    const batch = cache.getMany(['k', 'j'], async (missing) => new Map(missing.map((key) => [key, `batch ${key}`])));
    slow.resolve('shared');
    expect([await first, await second, Object.fromEntries(await batch)]).to.deep.equal(['shared', 'shared', { k: 'shared', j: 'batch j' }]);
    expect([started, loads]).to.deep.equal([1, 0]);
  });

  it('a drop spoils the running load of that key only, and a read after the drop does not join it', async () => {
    const slowA = deferred<string>();
    const slowB = deferred<string>();
    const racingA = cache.get('a', () => slowA.promise);
    const racingB = cache.get('b', () => slowB.promise);
    cache.drop('a');
    const afterDrop = cache.get('a', load('new a'));
    slowA.resolve('old a');
    slowB.resolve('b');
    expect([await racingA, await racingB, await afterDrop]).to.deep.equal(['old a', 'b', 'new a']);
    expect(await cache.get('a', load('unused'))).to.equal('new a');
    expect(await cache.get('b', load('unused'))).to.equal('b');
    expect(loads).to.equal(1);
  });

  it('runs a load that is a thenable (a mongoose query runs again on every then) once', async () => {
    let runs = 0;
    const query = { then: (resolve: (value: string) => void) => resolve(`run ${++runs}`) } as unknown as Promise<string>;
    expect(await cache.get('k', () => query)).to.equal('run 1');
    expect(runs).to.equal(1);
  });

  it('a failed load is its caller’s error and leaves nothing behind', async () => {
    let failed: unknown = null;
    await cache.get('k', () => Promise.reject(new Error('down'))).catch((error: unknown) => (failed = error));
    expect((failed as Error).message).to.equal('down');
    expect(await cache.get('k', load('v'))).to.equal('v');
  });

  it('loads only the missing keys of a batch', async () => {
    await cache.get('a', load('cached a'));
    let asked: string[] = [];
    const found = await cache.getMany(['a', 'b'], async (missing) => {
      asked = missing;
      return new Map(missing.map((key) => [key, `loaded ${key}`]));
    });
    expect(asked).to.deep.equal(['b']);
    expect(Object.fromEntries(found)).to.deep.equal({ a: 'cached a', b: 'loaded b' });
  });

  it('passes an undefined load on without keeping it (unknown tokens never fill the cache)', async () => {
    const uncached = new DroppableCache<string>(() => true);
    expect(await uncached.get('guess', async () => undefined)).to.equal(undefined);
    expect(uncached.size).to.equal(0);
  });

  it('while suspended, every read goes to the database and nothing is kept', async () => {
    enabled = false;
    await cache.get('k', load('v1'));
    await cache.get('k', load('v2'));
    expect(loads).to.equal(2);
    expect(cache.size).to.equal(0);
  });

  it('reloads an entry past its maximum age', async () => {
    const start = Date.now();
    await cache.get('k', load('v1'), start);
    expect(await cache.get('k', load('v2'), start + MAX_ENTRY_AGE_MS - 1)).to.equal('v1');
    expect(await cache.get('k', load('v3'), start + MAX_ENTRY_AGE_MS)).to.equal('v3');
  });

  it('lets go of entries past their maximum age when swept, keeps fresh ones, and changes its version only then', async () => {
    const start = Date.now();
    await cache.get('old', load('o'), start);
    await cache.get('young', load('y'), start + 10);
    const before = cache.version;
    cache.sweep(start + MAX_ENTRY_AGE_MS - 1);
    expect([cache.size, cache.version]).to.deep.equal([2, before]);
    cache.sweep(start + MAX_ENTRY_AGE_MS);
    expect(cache.size).to.equal(1);
    expect(cache.version).not.to.equal(before);
    expect(cache.oldestAt(['old', 'young'])).to.equal(start + 10);
    expect(await cache.get('young', load('y2'), start + MAX_ENTRY_AGE_MS + 5)).to.equal('y');
    cache.sweep(start + 10 + MAX_ENTRY_AGE_MS);
    expect(cache.size).to.equal(0);
    expect(loads).to.equal(2);
  });

  it('changes its version whenever an entry is stored, dropped or cleared, never on a hit; tells the oldest entry’s time', async () => {
    const start = Date.now();
    const seen = [cache.version];
    const changed = () => {
      expect(cache.version, `after step ${seen.length}`).not.to.be.oneOf(seen);
      seen.push(cache.version);
    };
    await cache.get('a', load('1'), start);
    changed();
    await cache.getMany(['a', 'b'], async () => new Map([['b', '2']]), start + 5);
    changed();
    await cache.get('a', load('x'), start + 6);
    await cache.getMany(['a', 'b'], async () => new Map());
    expect(cache.version).to.equal(seen.at(-1));
    expect(cache.oldestAt(['a', 'b'])).to.equal(start);
    expect(cache.oldestAt(['b', 'unknown'])).to.equal(start + 5);
    expect(cache.oldestAt(['unknown'])).to.equal(Infinity);
    cache.drop('a');
    changed();
    cache.dropWhere(() => false);
    changed();
    cache.clear();
    changed();
  });

  it('keeps copies of ObjectIds that own their bytes, not views into the shared buffer pool', async () => {
    const pooled = new Types.ObjectId(Buffer.from(new Types.ObjectId().toHexString(), 'hex'));
    expect(pooled.id.buffer.byteLength).to.be.greaterThan(12);
    const ids = new DroppableCache<{ id: Types.ObjectId; list: Types.ObjectId[]; byGroup: Map<string, { groupId: Types.ObjectId }> }>(() => true);
    await ids.get('k', async () => ({ id: pooled, list: [pooled], byGroup: new Map([['g', { groupId: pooled }]]) }));
    const kept = await ids.get('k', async () => {
      throw new Error('not cached');
    });
    for (const id of [kept.id, kept.list[0]!, kept.byGroup.get('g')!.groupId]) {
      expect(id.equals(pooled)).to.equal(true);
      expect(id.id.buffer.byteLength).to.equal(12);
    }
  });

  it('stores a value marked kept as it is, inside an entry too, and copies the rest', async () => {
    const shared = kept(new Set(['g1', 'g2']));
    const own = new Set(['g3']);
    const pages = new DroppableCache<{ groupIds: ReadonlySet<string>; other: ReadonlySet<string> }>(() => true);
    await pages.get('k', async () => ({ groupIds: shared, other: own }));
    const stored = await pages.get('k', async () => {
      throw new Error('not cached');
    });
    expect(stored.groupIds).to.equal(shared);
    expect(stored.other).to.not.equal(own);
    expect([...stored.other]).to.deep.equal(['g3']);
  });

  it('update replaces only an entry that is cached', async () => {
    cache.update('k', 'v0');
    expect(cache.size).to.equal(0);
    await cache.get('k', load('v1'));
    cache.update('k', 'v2');
    expect(await cache.get('k', load('v3'))).to.equal('v2');
  });

  describe('domain events drop what they change', () => {
    const userId = new Types.ObjectId();
    const otherId = new Types.ObjectId();
    const groupId = new Types.ObjectId();
    const session = (owner: Types.ObjectId) => async () => ({ userId: owner, expiresAt: new Date(Date.now() + 60_000), lastUsedAt: new Date() });

    beforeEach(async () => {
      readCache.resume();
      await readCache.sessions.get('token-a', session(userId));
      await readCache.sessions.get('token-b', session(userId));
      await readCache.sessions.get('token-c', session(otherId));
      await readCache.identities.get(String(userId), async () => ({ _id: userId, roles: [], status: 'active' }));
      await readCache.authors.get(String(userId), async () => null);
      await readCache.memberships.get(String(userId), async () => new Map());
      await readCache.groups.get(String(groupId), async () => ({ _id: groupId, visibility: 'public' }));
      await readCache.publicGroups.get('all', async () => [groupId]);
      for (const id of [groupId, otherId]) await readCache.feedHeads.get(String(id), async () => ({ rows: [], ids: [], complete: true }));
      for (const id of [userId, otherId]) await readCache.likedPosts.get(String(id), async () => new Set(['a']));
    });

    it('session.revoked with a token drops that session only', () => {
      readCache.apply({ type: 'session.revoked', userId: String(userId), tokenHash: 'token-a' });
      expect(readCache.sessions.size).to.equal(2);
    });

    it('session.revoked for every token drops all of that user’s sessions', () => {
      readCache.apply({ type: 'session.revoked', userId: String(userId), tokenHash: null });
      expect(readCache.sessions.size).to.equal(1);
    });

    it('user.changed drops identity and author card; user.erased drops sessions and memberships too', () => {
      readCache.apply({ type: 'user.changed', userId: String(userId), change: { kind: 'profile' } });
      expect([readCache.identities.size, readCache.authors.size, readCache.sessions.size]).to.deep.equal([0, 0, 3]);
      readCache.apply({ type: 'user.erased', userId: String(userId) });
      expect([readCache.sessions.size, readCache.memberships.size]).to.deep.equal([1, 0]);
    });

    it('membership.changed drops the member’s memberships; group.changed the group and the public list', () => {
      readCache.apply({ type: 'membership.changed', userId: String(userId), groupId: String(groupId) });
      expect(readCache.memberships.size).to.equal(0);
      readCache.apply({ type: 'group.changed', groupId: String(groupId) });
      expect([readCache.groups.size, readCache.publicGroups.size]).to.deep.equal([0, 0]);
    });

    it('every post and like event drops the head of its group only (replies move their parent’s count); group.changed too', async () => {
      const postEvents = ['post.created', 'post.updated', 'post.deleted', 'post.hidden', 'post.restored'] as const;
      for (const type of postEvents) {
        readCache.apply({ type, postId: String(new Types.ObjectId()), groupId: String(groupId), parentId: String(new Types.ObjectId()) });
        expect(readCache.feedHeads.size, type).to.equal(1);
        await readCache.feedHeads.get(String(groupId), async () => ({ rows: [], ids: [], complete: true }));
      }
      readCache.apply({ type: 'like.changed', postId: String(new Types.ObjectId()), groupId: String(otherId), likeCount: 3, userId: String(userId) });
      expect(readCache.feedHeads.size).to.equal(1);
      readCache.apply({ type: 'group.changed', groupId: String(groupId) });
      expect(readCache.feedHeads.size).to.equal(0);
    });

    it('post rows: every event about a post drops it and its parent; a like only the post; group.changed its group’s; erasure all', async () => {
      const [a, b, parent, reply, other] = Array.from({ length: 5 }, () => String(new Types.ObjectId()));
      const row = (id: string, group: Types.ObjectId) => async () => ({ _id: new Types.ObjectId(id), groupId: group }) as unknown as PresentablePost;
      const fill = async () => {
        readCache.postRows.clear();
        for (const id of [a, b, parent, reply]) await readCache.postRows.get(id, row(id, groupId));
        await readCache.postRows.get(other, row(other, otherId));
      };
      const left = () => [a, b, parent, reply, other].filter((id) => readCache.postRows.oldestAt([id]) !== Infinity);
      for (const type of ['post.created', 'post.updated', 'post.deleted', 'post.hidden', 'post.restored'] as const) {
        await fill();
        readCache.apply({ type, postId: a, groupId: String(groupId), parentId: parent });
        expect(left(), type).to.deep.equal([b, reply, other]);
      }
      await fill();
      readCache.apply({ type: 'post.deleted', postId: parent, groupId: String(groupId), parentId: null, repliesRemoved: [reply] });
      expect(left()).to.deep.equal([a, b, other]);
      await fill();
      readCache.apply({ type: 'like.changed', postId: b, groupId: String(groupId), likeCount: 2, userId: String(userId) });
      expect(left()).to.deep.equal([a, parent, reply, other]);
      await fill();
      readCache.apply({ type: 'group.changed', groupId: String(groupId) });
      expect(left()).to.deep.equal([other]);
      await fill();
      readCache.apply({ type: 'user.erased', userId: String(userId) });
      expect(left()).to.deep.equal([]);
    });

    it('search pages: dropped by post events in their groups, not by likes (they hold ids ranked by text alone)', async () => {
      const page = (groups: string[]) => async () => ({ groupIds: new Set(groups), ids: [] });
      await readCache.searches.get('mine', page([String(groupId)]));
      await readCache.searches.get('theirs', page([String(otherId)]));
      readCache.apply({ type: 'like.changed', postId: 'p', groupId: String(groupId), likeCount: 1, userId: String(userId) });
      expect(readCache.searches.size).to.equal(2);
      readCache.apply({ type: 'post.updated', postId: 'p', groupId: String(groupId), parentId: null });
      expect(readCache.searches.size).to.equal(1);
      readCache.apply({ type: 'group.changed', groupId: String(otherId) });
      expect(readCache.searches.size).to.equal(0);
    });

    it('like.changed drops the liker’s likes, or everyone’s when the liker is not known; user.erased the user’s', () => {
      readCache.apply({ type: 'like.changed', postId: 'p', groupId: String(groupId), likeCount: 1, userId: String(otherId) });
      expect(readCache.likedPosts.size).to.equal(1);
      readCache.apply({ type: 'user.erased', userId: String(userId) });
      expect(readCache.likedPosts.size).to.equal(0);
    });

    it('like.changed without a liker (a recount) drops every user’s likes', () => {
      readCache.apply({ type: 'like.changed', postId: 'p', groupId: String(groupId), likeCount: 1, userId: null });
      expect(readCache.likedPosts.size).to.equal(0);
    });

    it('unread counts: dropped for their user by notification, membership and user events; for everyone they depend on by post and group events', async () => {
      const counted = (postIds: string[], groupIds: string[]) => async () => ({ count: 1, roles: '', postIds: new Set(postIds), groupIds: new Set(groupIds) });
      const fill = async () => {
        await readCache.unreadCounts.get(String(userId), counted(['p1'], [String(groupId)]));
        await readCache.unreadCounts.get(String(otherId), counted(['p2'], ['g2']));
      };
      const events: DomainEvent[] = [
        { type: 'notification.changed', userId: String(userId), notificationId: null },
        { type: 'membership.changed', userId: String(userId), groupId: 'g2' },
        { type: 'user.changed', userId: String(userId), change: { kind: 'roles', actorId: 'a', before: [], after: ['moderator'] } },
        { type: 'user.erased', userId: String(userId) },
        { type: 'group.changed', groupId: String(groupId) },
        ...(['post.deleted', 'post.hidden', 'post.restored'] as const).map((type) => ({ type, postId: 'p1', groupId: 'g2', parentId: null })),
      ];
      for (const event of events) {
        await fill();
        readCache.apply(event);
        expect(readCache.unreadCounts.size, event.type).to.equal(1);
      }
      await fill();
      readCache.apply({ type: 'post.updated', postId: 'p1', groupId: String(groupId), parentId: null });
      readCache.apply({ type: 'like.changed', postId: 'p1', groupId: String(groupId), likeCount: 2, userId: String(userId) });
      expect(readCache.unreadCounts.size).to.equal(2);
    });

    it('suspend empties every cache', () => {
      readCache.suspend();
      expect([readCache.sessions.size, readCache.identities.size, readCache.groups.size, readCache.feedHeads.size]).to.deep.equal([0, 0, 0, 0]);
      readCache.resume();
    });
  });
});
