// GET /api/search: the outsider matrix (no word of a closed group ever finds it), what is gone is gone at
// once, ranking, highlighting, paging, and bad input.
import { expect } from 'chai';
import type { Group, PostSearchHit, PublicUser } from '../../shared/api';
import type { GroupFields } from '../../server/models/group';
import type { PostFields } from '../../server/models/post';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { waitForErasure } from '../support/erasure';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { hideViaRoute } from '../support/moderation';

type Item = PostSearchHit | Group | PublicUser;

describe('search', () => {
  let forum: TestForum;

  before(async () => {
    forum = await startTestForum();
  });
  after(() => forum.close());
  beforeEach(() => resetDatabase());

  async function found(viewer: BuiltUser, q: string, type = 'posts'): Promise<Item[]> {
    const res = await forum.http.get('/api/search').query({ q, type }).set(viewer.auth).expect(200);
    return res.body.items as Item[];
  }

  async function foundIds(viewer: BuiltUser, q: string, type = 'posts'): Promise<string[]> {
    return (await found(viewer, q, type)).map((item) => item.id);
  }

  it('requires a token', async () => {
    await forum.http.get('/api/search').query({ q: 'anything' }).expect(401);
  });

  describe('the outsider matrix', () => {
    let owner: BuiltUser, member: BuiltUser, stranger: BuiltUser, removed: BuiltUser, otherModerator: BuiltUser;
    let closed: GroupFields;
    let post: PostFields, reply: PostFields, edited: PostFields, withImage: PostFields;

    beforeEach(async () => {
      [owner, member, stranger, removed, otherModerator] = await Promise.all([
        buildUser({ displayName: 'Olive Owner' }),
        buildUser({ displayName: 'Mina Member' }),
        buildUser(),
        buildUser(),
        buildUser(),
      ]);
      closed = await buildGroup({ owner, visibility: 'closed', name: 'Zymurgy circle', description: 'Brewing zymurgy notes' });
      await addMember(closed, member);
      await addMember(closed, removed);
      const other = await buildGroup({ owner: otherModerator, visibility: 'closed', name: 'Elsewhere' });
      await addMember(other, member);
      post = await buildPost({ group: closed, author: member, body: '<p>The quokka case from last spring</p>' });
      reply = await buildPost({ group: closed, author: owner, parent: post, body: '<p>A wombat reply</p>' });
      withImage = await buildPost({ group: closed, author: member, body: '<p>Scan attached <img src="x.png" alt="axolotl"></p>' });
      edited = await buildPost({ group: closed, author: member, body: '<p>narwhal draft</p>' });
      await forum.http.patch(`/api/posts/${idOf(edited)}`).set(member.auth).send({ body: '<p>final pangolin text</p>' }).expect(200);
      await forum.http.delete(`/api/groups/${idOf(closed)}/members/${idOf(removed.user)}`).set(owner.auth).expect(204);
    });

    it('a member finds the closed group’s posts, replies and the group, by their current words only', async () => {
      expect(await foundIds(member, 'quokka')).to.deep.equal([idOf(post)]);
      expect(await foundIds(member, 'wombat')).to.deep.equal([idOf(reply)]);
      expect(await foundIds(member, 'pangolin')).to.deep.equal([idOf(edited)]);
      expect(await foundIds(member, 'zymurgy', 'groups')).to.deep.equal([idOf(closed)]);
      // An old revision and an image's alt text are not post text: nobody finds them.
      expect(await foundIds(member, 'narwhal')).to.deep.equal([]);
      expect(await foundIds(member, 'axolotl')).to.deep.equal([]);
      expect(idOf(withImage)).to.be.a('string');
    });

    for (const who of ['a non-member', 'a removed member', 'another group’s moderator'] as const) {
      it(`as ${who} I never find the closed group’s post, reply, group or members by any word of them`, async () => {
        const viewer = who === 'a non-member' ? stranger : who === 'a removed member' ? removed : otherModerator;
        const words = ['quokka', 'spring', 'wombat', 'reply', 'pangolin', 'narwhal', 'axolotl', 'zymurgy', 'circle', 'brewing', `"quokka case"`, `quokka in:${closed.slug}`];
        for (const q of words) {
          for (const type of ['posts', 'groups', 'people']) {
            if (q.includes('in:') && type !== 'posts') continue;
            expect(await foundIds(viewer, q, type), `${type}: ${q}`).to.deep.equal([]);
          }
        }
        expect(await foundIds(viewer, `in:${closed.slug} quokka`)).to.deep.equal([]);
        expect(await foundIds(viewer, `quokka from:${idOf(member.user)}`)).to.deep.equal([]);
      });
    }
  });

  it('a group that opens keeps what was written while it was closed to its members: others never find it', async () => {
    const [owner, member, stranger] = await Promise.all([buildUser(), buildUser(), buildUser()]);
    const group = await buildGroup({ owner, visibility: 'closed', name: 'Opening soon' });
    await addMember(group, member);
    const before = await forum.http.post(`/api/groups/${idOf(group)}/posts`).set(member.auth).send({ body: '<p>okapi sighting, members only</p>' }).expect(201);
    await forum.http.patch(`/api/groups/${idOf(group)}`).set(owner.auth).send({ visibility: 'public' }).expect(200);
    const after = await forum.http.post(`/api/groups/${idOf(group)}/posts`).set(member.auth).send({ body: '<p>okapi sighting, for everyone</p>' }).expect(201);
    expect(await foundIds(member, 'okapi')).to.have.members([before.body.id, after.body.id]);
    expect(await foundIds(stranger, 'okapi')).to.deep.equal([after.body.id]);
    expect(await foundIds(stranger, `okapi in:${group.slug}`)).to.deep.equal([after.body.id]);
  });

  describe('what is gone is gone at once', () => {
    let author: BuiltUser, reader: BuiltUser, moderator: BuiltUser;
    let open: GroupFields;

    beforeEach(async () => {
      [author, reader, moderator] = await Promise.all([buildUser(), buildUser(), buildUser({ roles: ['moderator'] })]);
      open = await buildGroup({ owner: author, visibility: 'public' });
    });

    it('hidden, deleted and erased posts are never found, not even by moderators', async () => {
      const hidden = await buildPost({ group: open, author, body: '<p>pelican sighting</p>' });
      const deleted = await buildPost({ group: open, author, body: '<p>flamingo sighting</p>' });
      const kept = await buildPost({ group: open, author: reader, body: '<p>heron and pelican and flamingo</p>' });
      expect(await foundIds(reader, 'pelican')).to.have.members([idOf(hidden), idOf(kept)]);
      await hideViaRoute(forum, moderator, idOf(hidden));
      expect(await foundIds(reader, 'pelican')).to.deep.equal([idOf(kept)]);
      expect(await foundIds(moderator, 'pelican')).to.deep.equal([idOf(kept)]);
      await forum.http.delete(`/api/posts/${idOf(deleted)}`).set(author.auth).expect(204);
      expect(await foundIds(reader, 'flamingo')).to.deep.equal([idOf(kept)]);
      const erased = await buildPost({ group: open, author, body: '<p>heron nest</p>' });
      expect(await foundIds(reader, 'heron')).to.have.members([idOf(erased), idOf(kept)]);
      await forum.http.delete('/api/me').set(author.auth).send({ password: author.password }).expect(202);
      await waitForErasure(author.user._id);
      expect(await foundIds(reader, 'heron')).to.deep.equal([idOf(kept)]);
    });

    it('people are found by display name only, never by e-mail, and not once erased', async () => {
      const named = await buildUser({ displayName: 'Quentin Quibble', name: 'Private Realname', email: 'zebedee-secret@example.org' });
      expect(await foundIds(reader, 'quibble', 'people')).to.deep.equal([idOf(named.user)]);
      for (const q of ['zebedee', 'zebedee-secret@example.org', 'realname']) expect(await foundIds(reader, q, 'people'), q).to.deep.equal([]);
      const person = (await found(reader, 'quibble', 'people'))[0]!;
      expect(Object.keys(person).sort()).to.deep.equal(['avatarUrl', 'bio', 'displayName', 'id', 'joinedAt']);
      await forum.http.delete('/api/me').set(named.auth).send({ password: named.password }).expect(202);
      expect(await foundIds(reader, 'quibble', 'people')).to.deep.equal([]);
    });
  });

  describe('ranking, filters, paging and highlighting', () => {
    let author: BuiltUser, other: BuiltUser, reader: BuiltUser;
    let open: GroupFields;

    beforeEach(async () => {
      [author, other, reader] = await Promise.all([buildUser(), buildUser(), buildUser()]);
      open = await buildGroup({ owner: author, visibility: 'public', name: 'Ethics forum' });
    });

    it('a title-like exact phrase beats the same words scattered in a longer, newer post', async () => {
      const exact = await buildPost({ group: open, author, body: '<p>Ethics committee minutes</p>' });
      const scattered = await buildPost({
        group: open,
        author,
        body: '<p>The committee met on Tuesday and after a long day discussed the ethics of research funding and travel</p>',
      });
      expect(await foundIds(reader, 'ethics committee')).to.deep.equal([idOf(exact), idOf(scattered)]);
      expect(await foundIds(reader, '"ethics committee"')).to.deep.equal([idOf(exact)]);
    });

    it('newer beats older at equal score', async () => {
      const older = await buildPost({ group: open, author, body: '<p>Budget review</p>' });
      const newer = await buildPost({ group: open, author, body: '<p>Budget review</p>' });
      expect(await foundIds(reader, 'budget')).to.deep.equal([idOf(newer), idOf(older)]);
    });

    it('excludes words, narrows to a group with in: and to an author with from:', async () => {
      const second = await buildGroup({ owner: other, visibility: 'public', name: 'Second' });
      const a = await buildPost({ group: open, author, body: '<p>congress in Lisbon</p>' });
      const b = await buildPost({ group: second, author: other, body: '<p>congress in Porto</p>' });
      expect(await foundIds(reader, 'congress -porto')).to.deep.equal([idOf(a)]);
      expect(await foundIds(reader, `congress in:${second.slug}`)).to.deep.equal([idOf(b)]);
      expect(await foundIds(reader, `congress from:${idOf(author.user)}`)).to.deep.equal([idOf(a)]);
      expect(await foundIds(reader, 'congress in:no-such-group')).to.deep.equal([]);
    });

    it('pages through every hit once, with full pages', async () => {
      const posts: PostFields[] = [];
      for (let i = 0; i < 5; i++) posts.push(await buildPost({ group: open, author, body: `<p>harvest report ${i}</p>` }));
      const first = await forum.http.get('/api/search').query({ q: 'harvest', limit: 2 }).set(reader.auth).expect(200);
      expect(first.body.items).to.have.length(2);
      const seen = first.body.items.map((item: Item) => item.id);
      let cursor = first.body.nextCursor as string | null;
      while (cursor) {
        const next = await forum.http.get('/api/search').query({ q: 'harvest', limit: 2, cursor }).set(reader.auth).expect(200);
        seen.push(...next.body.items.map((item: Item) => item.id));
        cursor = next.body.nextCursor;
      }
      expect(seen).to.deep.equal(posts.map(idOf).reverse());
    });

    it('highlights matched words in an escaped excerpt, with <mark> as the only markup', async () => {
      await buildPost({ group: open, author, body: '<p>Is 3 &lt; 4 &amp; &lt;script&gt;alert(1)&lt;/script&gt; about the discussions?</p>' });
      const [hit] = (await found(reader, 'discussion script')) as PostSearchHit[];
      expect(hit!.highlight).to.contain('<mark>discussions</mark>').and.contain('&lt;<mark>script</mark>&gt;');
      expect(hit!.highlight.replace(/<\/?mark>/g, '')).not.to.match(/[<>]/);
      expect(hit).to.include.keys('id', 'groupId', 'author', 'body', 'bodyText', 'likeCount', 'likedByMe', 'createdAt');
    });
  });

  describe('bad input', () => {
    it('answers 400 naming the problem for empty, huge or malformed queries, types, cursors and limits', async () => {
      const reader = await buildUser();
      const bad: Record<string, string | number>[] = [
        {},
        { q: '' },
        { q: '   ' },
        { q: '-only -negations' },
        { q: 'x'.repeat(201) },
        { q: 'ok', type: 'everything' },
        { q: 'ok', cursor: 'abc' },
        { q: 'ok', cursor: '99999' },
        { q: 'ok', limit: 0 },
        { q: 'ok', limit: 51 },
        { q: 'ok from:someone' },
        { q: 'ok in:Bad_Slug' },
        { q: 'ok in:some-group', type: 'people' },
      ];
      for (const query of bad) {
        const res = await forum.http.get('/api/search').query(query).set(reader.auth);
        expect(res.status, JSON.stringify(query)).to.equal(400);
        expect(res.body.error.message, JSON.stringify(query)).to.be.a('string').and.not.be.empty;
      }
      const twice = await forum.http.get('/api/search?q=a&q=b').set(reader.auth);
      expect(twice.status).to.equal(400);
    });
  });
});
