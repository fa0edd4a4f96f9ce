// Every viewer × every door × public/closed group, each cell asserted. The table is the rule.
import { expect } from 'chai';
import type { Post } from '../../shared/api';
import { addMember, buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

type ViewerName = 'anonymous' | 'stranger' | 'pending' | 'member' | 'groupModerator' | 'siteModerator' | 'removed' | 'author';
type Visibility = 'public' | 'closed';
/** An HTTP status, or for list doors whether the post is in the list. */
type Outcome = number | 'listed' | 'unlisted';
type Row = Record<ViewerName, Outcome>;

const VIEWERS: Record<ViewerName, string> = {
  anonymous: 'an anonymous visitor',
  stranger: 'a signed-in non-member',
  pending: 'a pending member',
  member: 'a member',
  groupModerator: 'a group moderator',
  siteModerator: 'a site moderator',
  removed: 'a removed member',
  author: 'the author',
};

interface World {
  forum: TestForum;
  group: { id: string };
  post: { id: string };
  reply: { id: string };
  users: Record<Exclude<ViewerName, 'anonymous'>, BuiltUser> & { owner: BuiltUser; liker: BuiltUser };
  buildFreshPost(): Promise<string>;
}

interface Door {
  /** What the viewer tries, completing "as X I can/cannot …". */
  does: (visibility: Visibility) => string;
  expected: Record<Visibility, Row>;
  attempt: (world: World, viewer: BuiltUser | null) => Promise<Outcome>;
}

function as(world: World, viewer: BuiltUser | null, method: 'get' | 'put' | 'delete' | 'patch' | 'post', url: string) {
  const request = world.forum.http[method](url);
  if (!viewer) return request;
  request.set(viewer.auth);
  // A site moderator reading a closed group they are not in must say why (test/api/moderation/moderator-reads.test.ts).
  return viewer === world.users.siteModerator ? request.set('X-Moderation-Reason', 'visibility matrix review') : request;
}

async function listOutcome(world: World, viewer: BuiltUser | null, url: string, id: string): Promise<Outcome> {
  const res = await as(world, viewer, 'get', url);
  if (res.status !== 200) return res.status;
  return (res.body.items as Post[]).some((item) => item.id === id) ? 'listed' : 'unlisted';
}

const everyone = (outcome: Outcome): Row => ({
  anonymous: outcome,
  stranger: outcome,
  pending: outcome,
  member: outcome,
  groupModerator: outcome,
  siteModerator: outcome,
  removed: outcome,
  author: outcome,
});
const signedIn = (outcome: Outcome): Row => ({ ...everyone(outcome), anonymous: 401 });
/** Closed group: outsiders see nothing (404), readers get `outcome`, the site moderator `moderator`. */
const closed = (outcome: Outcome, moderator: Outcome = outcome, outsider: Outcome = 404): Row => ({
  anonymous: 401,
  stranger: outsider,
  pending: outsider,
  member: outcome,
  groupModerator: outcome,
  siteModerator: moderator,
  removed: outsider,
  author: outcome,
});

const DOORS: Door[] = [
  {
    does: (v) => `see the post in the ${v} group's feed`,
    expected: { public: signedIn('listed'), closed: closed('listed') },
    attempt: (w, viewer) => listOutcome(w, viewer, `/api/groups/${w.group.id}/posts`, w.post.id),
  },
  {
    does: (v) => `read the ${v} group's post by id`,
    expected: { public: signedIn(200), closed: closed(200) },
    attempt: async (w, viewer) => (await as(w, viewer, 'get', `/api/posts/${w.post.id}`)).status,
  },
  {
    does: (v) => `read the ${v} group's replies`,
    expected: { public: signedIn('listed'), closed: closed('listed') },
    attempt: (w, viewer) => listOutcome(w, viewer, `/api/posts/${w.post.id}/replies`, w.reply.id),
  },
  {
    does: (v) => `see the ${v} group's post in my home feed`,
    expected: { public: signedIn('listed'), closed: closed('listed', 'unlisted', 'unlisted') },
    attempt: (w, viewer) => listOutcome(w, viewer, '/api/feed', w.post.id),
  },
  {
    does: (v) => `see the ${v} group's post in the public feed`,
    expected: { public: everyone('listed'), closed: everyone('unlisted') },
    attempt: (w, viewer) => listOutcome(w, viewer, '/api/feed/public', w.post.id),
  },
  {
    does: (v) => `see the ${v} group's post among its author's posts`,
    expected: { public: signedIn('listed'), closed: closed('listed', 'unlisted', 'unlisted') },
    attempt: (w, viewer) => listOutcome(w, viewer, `/api/users/${idOf(w.users.author.user)}/posts`, w.post.id),
  },
  {
    does: (v) => `see the ${v} group's post among a liker's likes`,
    expected: { public: signedIn('listed'), closed: closed('listed', 'unlisted', 'unlisted') },
    attempt: (w, viewer) => listOutcome(w, viewer, `/api/users/${idOf(w.users.liker.user)}/likes`, w.post.id),
  },
  {
    does: (v) => `open the ${v} group's post image`,
    expected: { public: everyone(200), closed: { ...closed(200), anonymous: 404 } },
    attempt: async (w, viewer) => {
      let post: Post | undefined;
      if (viewer) {
        const res = await as(w, viewer, 'get', `/api/posts/${w.post.id}`);
        if (res.status !== 200) return res.status;
        post = res.body;
      } else {
        post = ((await w.forum.http.get('/api/feed/public').expect(200)).body.items as Post[]).find((item) => item.id === w.post.id);
        if (!post) return 404;
      }
      const image = await w.forum.http.get(post!.images[0]!.url);
      if (image.status === 200) expect(image.headers['content-type']).to.equal('image/webp');
      return image.status;
    },
  },
  {
    does: (v) => `like and unlike the ${v} group's post`,
    expected: { public: signedIn(200), closed: closed(200, 403) },
    attempt: async (w, viewer) => {
      const liked = await as(w, viewer, 'put', `/api/posts/${w.post.id}/like`);
      const unliked = await as(w, viewer, 'delete', `/api/posts/${w.post.id}/like`);
      expect(unliked.status, 'unlike answers like like').to.equal(liked.status);
      return liked.status;
    },
  },
  {
    does: (v) => `reply to the ${v} group's post`,
    expected: {
      public: { ...signedIn(403), member: 201, groupModerator: 201, author: 201 },
      closed: closed(201, 403),
    },
    attempt: async (w, viewer) =>
      (await as(w, viewer, 'post', `/api/groups/${w.group.id}/posts`).send({ body: '<p>a reply</p>', parentId: w.post.id })).status,
  },
  {
    does: (v) => `edit the ${v} group's post`,
    expected: { public: { ...signedIn(403), author: 200 }, closed: { ...closed(403), author: 200 } },
    attempt: async (w, viewer) => (await as(w, viewer, 'patch', `/api/posts/${w.post.id}`).send({ body: '<p>edited</p>' })).status,
  },
  {
    does: (v) => `delete the ${v} group's post`,
    expected: {
      public: { ...signedIn(403), groupModerator: 204, siteModerator: 204, author: 204 },
      closed: { ...closed(403, 204), groupModerator: 204, author: 204 },
    },
    attempt: async (w, viewer) => (await as(w, viewer, 'delete', `/api/posts/${await w.buildFreshPost()}`)).status,
  },
];

function isAllowed(outcome: Outcome): boolean {
  return outcome === 'listed' || (typeof outcome === 'number' && outcome < 300);
}

async function buildWorld(forum: TestForum, visibility: Visibility): Promise<World> {
  const [owner, groupModerator, member, author, pending, removed, stranger, siteModerator] = await Promise.all([
    buildUser(),
    buildUser(),
    buildUser(),
    buildUser(),
    buildUser(),
    buildUser(),
    buildUser(),
    buildUser({ roles: ['moderator'] }),
  ]);
  const group = await buildGroup({ owner, visibility });
  await addMember(group, groupModerator, 'member', 'moderator');
  await addMember(group, member);
  await addMember(group, author);
  await addMember(group, pending, 'pending');
  await addMember(group, removed);
  // Removal goes through the route, so the removed member is one whose access was really taken away.
  await forum.http.delete(`/api/groups/${idOf(group)}/members/${idOf(removed.user)}`).set(owner.auth).expect(204);
  const post = await buildPost({ group, author, images: { count: 1, ctx: forum.ctx } });
  const reply = await buildPost({ group, author: member, parent: post });
  await forum.http.put(`/api/posts/${idOf(post)}/like`).set(member.auth).expect(200);
  return {
    forum,
    group: { id: idOf(group) },
    post: { id: idOf(post) },
    reply: { id: idOf(reply) },
    users: { owner, groupModerator, member, author, pending, removed, stranger, siteModerator, liker: member },
    buildFreshPost: async () => idOf(await buildPost({ group, author })),
  };
}

describe('visibility matrix: viewer × door × group visibility', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  for (const visibility of ['public', 'closed'] as const) {
    describe(`${visibility} group`, () => {
      let world: World;
      before(async () => {
        world = await buildWorld(forum, visibility);
      });

      for (const door of DOORS) {
        for (const [name, label] of Object.entries(VIEWERS) as [ViewerName, string][]) {
          const expected = door.expected[visibility][name];
          it(`as ${label} I ${isAllowed(expected) ? 'can' : 'cannot'} ${door.does(visibility)} (${expected})`, async () => {
            const viewer = name === 'anonymous' ? null : world.users[name];
            expect(await door.attempt(world, viewer)).to.equal(expected);
          });
        }
      }
    });
  }
});
