// The unread count is answered from memory (server/services/read-cache.ts) once judged: under random sequences
// of what changes it (mentions, replies, likes, marking read, leaving and removal from a closed group, closing and
// opening a group, hiding, restoring and deleting posts, site roles), every count each person reads equals what
// the list shows them as unread at that moment, read from the database.
import { expect } from 'chai';
import { Random } from '../bench/random';
import { readCache } from '../../server/services/read-cache';
import { addMember, buildGroup, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

const STEPS = 120;

describe('notifications: the unread count from memory', function () {
  this.timeout(300_000);
  let forum: TestForum;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  async function call(user: BuiltUser, method: 'get' | 'post' | 'put' | 'patch' | 'delete', path: string, body?: object): Promise<{ status: number; body: any }> {
    const req = forum.http[method](path).set(user.auth);
    const res = body ? await req.send(body) : await req;
    // Random steps may ask for what the rules refuse (a reply under a hidden post); never for a server error.
    expect(res.status, `${method} ${path}: ${res.text}`).to.be.below(500);
    return res;
  }

  async function count(user: BuiltUser): Promise<number> {
    const res = await call(user, 'get', '/api/notifications/unread-count');
    expect(res.status).to.equal(200);
    return res.body.count as number;
  }

  /** Every unread notification the list shows, page after page. */
  async function listedUnread(user: BuiltUser): Promise<string[]> {
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(user, 'get', `/api/notifications?unread=true&limit=50${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).to.equal(200);
      ids.push(...(res.body.items as { id: string }[]).map((item) => item.id));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    return ids;
  }

  it('equals the unread list after every step of random sequences, across users whose counts are held in memory', async () => {
    const random = new Random(20);
    const [owner, admin] = [await buildUser({ displayName: 'owner' }), await buildUser({ roles: ['admin', 'moderator'] })];
    const people = await Promise.all(Array.from({ length: 5 }, (_, i) => buildUser({ displayName: `person ${i}` })));
    const groups = [await buildGroup({ owner, visibility: 'closed' }), await buildGroup({ owner, visibility: 'public' })];
    for (const group of groups) for (const person of people) await addMember(group, person);
    const everyone = [owner, ...people];
    const posts: { id: string; groupId: string; author: BuiltUser; parentId: string | null }[] = [];
    const mention = (user: BuiltUser) => `<a data-mention="${String(user.user._id)}">@someone</a>`;
    const groupId = () => idOf(random.pick(groups));
    const done = new Map<string, number>();
    const step = (name: string) => done.set(name, (done.get(name) ?? 0) + 1);
    let nonZero = 0;

    for (let i = 0; i < STEPS; i++) {
      const actor = random.pick(everyone);
      const roll = random.below(20);
      if (roll < 6 || posts.length === 0) {
        // A post or reply mentioning a few people, some of whom may not be able to read it.
        const threads = posts.filter((post) => !post.parentId);
        const parent = threads.length && random.below(2) ? random.pick(threads) : null;
        const mentioned = everyone.filter(() => random.below(3) === 0).map(mention).join(' ');
        const res = await call(actor, 'post', `/api/groups/${parent ? parent.groupId : groupId()}/posts`, {
          body: `<p>step ${i} ${mentioned}</p>`,
          ...(parent ? { parentId: parent.id } : {}),
        });
        if (res.status === 201) posts.push({ id: res.body.id, groupId: res.body.groupId, author: actor, parentId: res.body.parentId });
        step('post');
      } else if (roll < 8) {
        await call(actor, 'put', `/api/posts/${random.pick(posts).id}/like`);
        step('like');
      } else if (roll < 10) {
        const listed = await listedUnread(actor);
        const some = listed.filter(() => random.below(2) === 0);
        await call(actor, 'post', '/api/notifications/read', random.below(3) === 0 || !some.length ? { all: true } : { ids: some });
        step('read');
      } else if (roll < 12) {
        // Leaving (or being removed from) the closed group, or joining it again through the owner's approval.
        const person = random.pick(people);
        const closed = idOf(groups[0]!);
        const left = await call(person, 'delete', `/api/groups/${closed}/members/${String(person.user._id)}`);
        if (left.status !== 204) {
          const joined = await call(person, 'post', `/api/groups/${closed}/join`);
          if (joined.body?.myStatus === 'pending') await call(owner, 'post', `/api/groups/${closed}/members/${String(person.user._id)}/approve`);
        }
        step('leave or join');
      } else if (roll < 13) {
        const person = random.pick(people);
        await call(owner, 'delete', `/api/groups/${groupId()}/members/${String(person.user._id)}`);
        step('remove');
      } else if (roll < 15) {
        const post = random.pick(posts);
        const hide = random.below(2) === 0;
        await call(owner, 'post', `/api/mod/posts/${post.id}/${hide ? 'hide' : 'restore'}`, { reason: 'step' });
        step(hide ? 'hide' : 'restore');
      } else if (roll < 17) {
        const post = random.pick(posts);
        const res = await call(random.below(2) ? post.author : owner, 'delete', `/api/posts/${post.id}`);
        if (res.status === 204) posts.splice(posts.indexOf(post), 1);
        step('delete');
      } else if (roll < 18) {
        const group = random.pick(groups);
        const res = await call(owner, 'get', `/api/groups/${idOf(group)}`);
        await call(owner, 'patch', `/api/groups/${idOf(group)}`, { visibility: res.body.visibility === 'closed' ? 'public' : 'closed' });
        step('open or close a group');
      } else {
        const person = random.pick(people);
        await call(admin, 'put', `/api/admin/users/${String(person.user._id)}/roles`, { roles: random.below(2) ? ['moderator'] : [] });
        step('site roles');
      }

      for (const person of everyone) {
        // The first read may judge from the database; the second is answered from memory.
        const [first, second] = [await count(person), await count(person)];
        const listed = (await listedUnread(person)).length;
        expect([first, second], `step ${i} (${[...done.keys()].at(-1)}), ${person.user.displayName}`).to.deep.equal([listed, listed]);
        if (listed > 0) nonZero++;
      }
    }
    // The sequence did what it is about: every kind of step, and counts that were not all zero.
    expect([...done.keys()].sort()).to.deep.equal(
      ['delete', 'hide', 'leave or join', 'like', 'open or close a group', 'post', 'read', 'remove', 'restore', 'site roles'].sort(),
    );
    expect(nonZero).to.be.greaterThan(STEPS);
    expect(readCache.unreadCounts.size).to.be.greaterThan(0);
  });

  it('drops to zero when a thread is deleted with its author’s own reply that mentioned the person (no event of its own)', async () => {
    const [author, mentioned] = [await buildUser(), await buildUser()];
    const group = await buildGroup({ owner: author, visibility: 'public' });
    await addMember(group, mentioned);
    const thread = await call(author, 'post', `/api/groups/${idOf(group)}/posts`, { body: '<p>thread</p>' });
    await call(author, 'post', `/api/groups/${idOf(group)}/posts`, { body: `<p>my own reply to <a data-mention="${String(mentioned.user._id)}">@you</a></p>`, parentId: thread.body.id });
    expect([await count(mentioned), await count(mentioned)]).to.deep.equal([1, 1]);
    await call(author, 'delete', `/api/posts/${thread.body.id}`);
    expect([await count(mentioned), (await listedUnread(mentioned)).length]).to.deep.equal([0, 0]);
  });
});
