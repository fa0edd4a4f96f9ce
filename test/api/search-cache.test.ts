// Search pages (the ranked ids) and the posts they show are kept in the read cache and dropped by the events
// of what they show. Property: after any mix
// of writes through the API (posts, replies, edits, deletions, hiding and restoring, likes, membership, a group
// opening and closing), every viewer's search answered with the cache equals the same search answered by the
// database alone. So the cache can never show what the viewer may not see now: the outsider matrix of
// search.test.ts holds for cached pages too.
import { expect } from 'chai';
import type { GroupFields } from '../../server/models/group';
import { readCache } from '../../server/services/read-cache';
import { Random } from '../bench/random';
import { addMember, buildGroup, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { hideViaRoute } from '../support/moderation';

const WORDS = ['quokka', 'wombat', 'okapi', 'numbat'];
const STEPS = 20;

describe('search: cached pages equal the database’s answer through any writes', () => {
  let forum: TestForum;

  before(async () => {
    forum = await startTestForum();
  });
  after(() => forum.close());
  beforeEach(() => resetDatabase());

  for (const seed of [1, 2]) {
    it(`after each random write, every viewer’s searches agree with and without the cache (seed ${seed})`, async function () {
      // About a thousand requests: seconds on a quiet machine, minutes on a loaded one; the cap only stops a hang.
      this.timeout(900_000);
      const random = new Random(seed);
      const [owner, member, leaver, stranger, moderator] = await Promise.all([
        buildUser(),
        buildUser(),
        buildUser(),
        buildUser(),
        buildUser({ roles: ['moderator'] }),
      ]);
      const closed = await buildGroup({ owner, visibility: 'closed', name: 'Closed burrow' });
      const open = await buildGroup({ owner, visibility: 'public', name: 'Open burrow' });
      for (const group of [closed, open]) for (const who of [member, leaver]) await addMember(group, who);
      const writers = [owner, member, leaver];
      const viewers = [owner, leaver, stranger, moderator];
      const queries = ['quokka', 'wombat okapi', '"quokka wombat"', 'numbat -wombat', `okapi in:${open.slug}`, `quokka in:${closed.slug}`];
      const posts: { id: string; author: BuiltUser; group: GroupFields }[] = [];
      let closedIsOpen = false;
      let leaverIn = true;

      const words = (): string => Array.from({ length: 1 + random.below(3) }, () => random.pick(WORDS)).join(' ');
      const writeStep = async (): Promise<void> => {
        const kind = posts.length < 3 ? 0 : random.below(9);
        const target = posts.length ? random.pick(posts) : null;
        if (kind <= 1 || !target) {
          const group = random.pick([closed, open]);
          const author = random.pick(leaverIn ? writers : [owner, member]);
          const reply = kind === 1 && target !== null && target.group === group;
          const body = { body: `<p>${words()}</p>`, ...(reply ? { parentId: target.id } : {}) };
          const res = await forum.http.post(`/api/groups/${idOf(group)}/posts`).set(author.auth).send(body);
          if (res.status === 201) posts.push({ id: res.body.id, author, group });
        } else if (kind === 2) {
          await forum.http.patch(`/api/posts/${target.id}`).set(target.author.auth).send({ body: `<p>${words()}</p>` });
        } else if (kind === 3) {
          await forum.http.delete(`/api/posts/${target.id}`).set(target.author.auth);
        } else if (kind === 4) {
          await hideViaRoute(forum, moderator, target.id).catch(() => undefined);
        } else if (kind === 5) {
          await forum.http.post(`/api/mod/posts/${target.id}/restore`).set(moderator.auth).send({});
        } else if (kind === 6) {
          const liker = random.pick([owner, member]);
          await forum.http[random.below(2) ? 'put' : 'delete'](`/api/posts/${target.id}/like`).set(liker.auth);
        } else if (kind === 7) {
          // Removed from the closed group once; after that, leaving and joining the open one.
          if (leaverIn) await forum.http.delete(`/api/groups/${idOf(closed)}/members/${idOf(leaver.user)}`).set(owner.auth).expect(204);
          else if (random.below(2)) await forum.http.delete(`/api/groups/${idOf(open)}/members/${idOf(leaver.user)}`).set(leaver.auth);
          else await forum.http.post(`/api/groups/${idOf(open)}/join`).set(leaver.auth);
          leaverIn = false;
        } else {
          closedIsOpen = !closedIsOpen;
          await forum.http.patch(`/api/groups/${idOf(closed)}`).set(owner.auth).send({ visibility: closedIsOpen ? 'public' : 'closed' }).expect(200);
        }
      };
      const answers = async (): Promise<string[]> => {
        const out: string[] = [];
        for (const viewer of viewers) {
          for (const q of queries) {
            const res = await forum.http.get('/api/search').query({ q, limit: 3 }).set(viewer.auth).expect(200);
            out.push(`${idOf(viewer.user)} ${q}: ${JSON.stringify(res.body)}`);
          }
        }
        return out;
      };

      let hits = 0;
      for (let step = 0; step < STEPS; step++) {
        await writeStep();
        const cached = await answers();
        hits += readCache.searches.size;
        readCache.searches.clear();
        readCache.postRows.clear();
        expect(cached, `after step ${step}`).to.deep.equal(await answers());
      }
      // The comparison means something only if pages were kept between the steps.
      expect(hits).to.be.above(STEPS * 5);
    });
  }
});
