// Feed pages are written as UTF-8 JSON spliced from per-post pieces kept per row (server/presenters/post.ts).
// Every text must be exactly what JSON.stringify writes for the presented object, for every viewer, and stay so when
// the same rows are shown again to others, after an author changes their profile, or to a visitor.
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { PresentablePost } from '../../server/models/post';
import type { PublicUserFields } from '../../server/models/user';
import { UrlSigner } from '../../server/media/signed-urls';
import type { GroupAccess, Viewer } from '../../server/policy';
import { presentPosts, presentPostsJson, type PostViewFacts } from '../../server/presenters/post';
import { forgetFeedPages, keptPageJson } from '../../server/services/feed-pages';
import { toPage, writePageJson } from '../../server/services/pagination';
import { Random } from '../bench/random';

const signer = new UrlSigner('post-json test secret');
const NOW = 1_800_000_000;
/** Texts JSON must escape: quotes, backslashes, control characters, line separators, a lone surrogate, emoji. */
const AWKWARD = ['"', '\\', '\n', '\u0000', '\u001f', '\u2028', '\ud800', '😀', '</script>', 'é', '{"likedByMe":true}'];

function text(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += random.below(4) === 0 ? random.pick(AWKWARD) : String.fromCharCode(97 + random.below(26));
  return out;
}

function date(random: Random): Date {
  return new Date(Date.UTC(2020, 0, 1) + random.below(1e9) * 1000 + random.below(1000));
}

interface World {
  groups: Types.ObjectId[];
  authors: Map<string, PublicUserFields | null>;
  authorIds: Types.ObjectId[];
  viewers: Viewer[];
}

function world(random: Random): World {
  const authorIds = Array.from({ length: 6 }, () => new Types.ObjectId());
  const authors = new Map<string, PublicUserFields | null>();
  // One author erased (null), one not loaded at all (missing), the others with or without avatar and bio.
  authorIds.forEach((id, i) => {
    if (i === 0) authors.set(String(id), null);
    else if (i > 1) authors.set(String(id), author(random, id));
  });
  const viewers: Viewer[] = [
    { id: String(authorIds[2]), _id: authorIds[2]!, roles: [] },
    { id: String(authorIds[3]), _id: authorIds[3]!, roles: ['moderator'] },
    ...[[], ['admin'], ['moderator']].map((roles) => {
      const _id = new Types.ObjectId();
      return { id: String(_id), _id, roles } as Viewer;
    }),
  ];
  return { groups: Array.from({ length: 4 }, () => new Types.ObjectId()), authors, authorIds, viewers };
}

function author(random: Random, _id: Types.ObjectId): PublicUserFields {
  return {
    _id,
    displayName: text(random, 1 + random.below(12)),
    avatarKey: random.below(2) ? 'a'.repeat(32) : null,
    bio: random.below(2) ? text(random, random.below(30)) : '',
    createdAt: date(random),
  } as PublicUserFields;
}

function row(random: Random, w: World): PresentablePost {
  const state = random.below(8);
  return {
    _id: new Types.ObjectId(),
    groupId: random.pick(w.groups),
    authorId: random.below(8) ? random.pick(w.authorIds) : null,
    parentId: random.below(4) ? null : new Types.ObjectId(),
    body: random.below(10) ? `<p>${text(random, random.below(200))}</p>` : undefined,
    bodyText: random.below(10) ? text(random, random.below(200)) : undefined,
    images: Array.from({ length: random.below(3) }, () => ({ key: random.pick(['b', 'c', 'd']).repeat(32), width: 1 + random.below(1280), height: 1 + random.below(1280) })),
    likeCount: random.below(5) ? random.below(1000) : undefined,
    replyCount: random.below(5) ? random.below(100) : undefined,
    hiddenAt: state === 0 ? date(random) : null,
    deletedAt: state === 1 ? date(random) : null,
    createdAt: date(random),
    editedAt: random.below(3) ? null : date(random),
    membersOnly: random.below(6) === 0 ? true : null,
  } as PresentablePost;
}

/** The facts one viewer (or a visitor) would have about these rows: what they are to each group, what they like. */
function facts(random: Random, w: World, rows: readonly PresentablePost[], signedIn: boolean): PostViewFacts {
  const viewer = signedIn ? random.pick(w.viewers) : null;
  const access = new Map<string, GroupAccess>();
  // One group is left out, as for a group that is gone (its posts get no `can`).
  for (const groupId of w.groups.slice(random.below(2))) {
    const status = signedIn ? random.pick(['member', 'pending', 'invited', 'none'] as const) : 'none';
    access.set(String(groupId), {
      viewer,
      groupId,
      visibility: random.pick(['public', 'closed'] as const),
      status,
      role: status === 'member' ? random.pick(['member', 'moderator', 'owner'] as const) : null,
      siteModerator: viewer !== null && viewer.roles.length > 0,
    } as GroupAccess);
  }
  const liked = new Set(rows.filter(() => signedIn && random.below(3) === 0).map((r) => r._id.toHexString()));
  return { authors: w.authors, liked, access, signedIn };
}

function expectSameAsStringify(rows: readonly PresentablePost[], f: PostViewFacts, label: string): void {
  const texts = presentPostsJson(rows, f, signer, NOW).map((chunks) => String(Buffer.concat(chunks)));
  const objects = presentPosts(rows, f, signer, NOW);
  expect(texts.length, label).to.equal(rows.length);
  texts.forEach((t, i) => expect(t, `${label}, row ${i}`).to.equal(JSON.stringify(objects[i])));
}

describe('post presenter: JSON spliced from per-row pieces', () => {
  it('writes exactly what JSON.stringify writes, for random rows, viewers and visitors, again and again', () => {
    const random = new Random(23);
    for (let round = 0; round < 40; round++) {
      const w = world(random);
      const rows = Array.from({ length: 1 + random.below(25) }, () => row(random, w));
      // The same row objects shown to several viewers in turn, as feed heads hand them to every request.
      for (let turn = 0; turn < 6; turn++) expectSameAsStringify(rows, facts(random, w, rows, random.below(3) > 0), `round ${round}, turn ${turn}`);
    }
  });

  it('shows an author’s changed profile at once (the read cache replaces the author object)', () => {
    const random = new Random(5);
    const w = world(random);
    const writer = w.authorIds[2]!;
    const rows = [row(random, w), row(random, w)].map((r) => ({ ...r, authorId: writer }));
    const before = presentPostsJson(rows, facts(random, w, rows, true), signer, NOW).map((chunks) => String(Buffer.concat(chunks)));
    w.authors.set(String(writer), { ...w.authors.get(String(writer))!, displayName: 'Renamed "Writer"' });
    const f = facts(random, w, rows, true);
    expectSameAsStringify(rows, f, 'after the rename');
    const after = presentPostsJson(rows, f, signer, NOW).map((chunks) => String(Buffer.concat(chunks)));
    expect(after[0]).to.include('Renamed \\"Writer\\"');
    expect(before[0]).not.to.include('Renamed');
    // Erased since: no author at all.
    w.authors.set(String(writer), null);
    expectSameAsStringify(rows, facts(random, w, rows, true), 'after erasure');
  });

  it('never shows a visitor the signed-in author card, nor the reverse, for the same row', () => {
    const random = new Random(9);
    const w = world(random);
    const rows = Array.from({ length: 10 }, () => row(random, w)).filter((r) => r.authorId && w.authors.get(String(r.authorId)));
    expect(rows.length).to.be.greaterThan(0);
    for (const signedIn of [true, false, true, false]) {
      const f = facts(random, w, rows, signedIn);
      expectSameAsStringify(rows, f, signedIn ? 'signed in' : 'visitor');
      for (const t of presentPostsJson(rows, f, signer, NOW)) expect('bio' in (JSON.parse(String(Buffer.concat(t))) as { author: object }).author).to.equal(signedIn);
    }
  });

  it('pages as JSON.stringify writes toPage’s page, with and without a next page', async () => {
    const random = new Random(3);
    const w = world(random);
    const rows = Array.from({ length: 6 }, () => row(random, w));
    const f = facts(random, w, rows, true);
    for (const limit of [3, 5, 6, 10]) {
      const expected = await toPage(rows, { limit }, (kept) => presentPosts(kept, f, signer, NOW));
      expect(String(writePageJson(rows, { limit }, presentPostsJson(rows.slice(0, limit), f, signer, NOW))), `limit ${limit}`).to.equal(JSON.stringify(expected));
    }
    expect(String(writePageJson([], { limit: 5 }, []))).to.equal(JSON.stringify({ items: [], nextCursor: null }));
  });
});

describe('feed pages kept per viewer (server/services/feed-pages.ts)', () => {
  const LIMIT = 5;
  type Membership = { status: GroupAccess['status']; role: GroupAccess['role'] };

  /** What the read cache would hand one request: new access objects each time, the cached rows and authors as they are. */
  function requestFacts(viewer: Viewer, w: World, visibility: Map<string, GroupAccess['visibility']>, memberships: Map<string, Membership>, liked: ReadonlySet<string>): PostViewFacts {
    const access = new Map<string, GroupAccess>();
    for (const groupId of w.groups) {
      const key = String(groupId);
      const membership = memberships.get(key) ?? { status: 'none', role: null };
      if (visibility.has(key)) access.set(key, { viewer, groupId, visibility: visibility.get(key)!, ...membership, siteModerator: viewer.roles.length > 0 });
    }
    return { authors: w.authors, liked: new Set(liked), access, signedIn: true };
  }

  beforeEach(() => forgetFeedPages());
  after(() => forgetFeedPages());

  it('answers exactly what a page written afresh says, through random changes of everything the page is made of, and keeps it while nothing changed', () => {
    const random = new Random(31);
    const w = world(random);
    let rows = Array.from({ length: 8 }, () => row(random, w));
    const visibility = new Map(w.groups.map((id) => [String(id), random.pick(['public', 'closed'] as const)]));
    const memberships = new Map<string, Membership>();
    let liked = new Set<string>();
    let viewer = w.viewers[0]!;
    let now = NOW;
    let kept = 0;
    let previous = null as { viewer: Viewer; body: Buffer } | null;
    const changes: (() => void)[] = [
      () => undefined,
      () => undefined,
      // A profile changed or erased: the read cache replaces the author object.
      () => {
        const id = String(random.pick(w.authorIds));
        const old = w.authors.get(id);
        w.authors.set(id, old && random.below(3) ? { ...old, displayName: `Renamed ${random.below(100)}` } : random.below(2) ? null : author(random, new Types.ObjectId(id)));
      },
      () => {
        const id = random.pick(rows)._id.toHexString();
        liked = new Set(liked);
        if (!liked.delete(id)) liked.add(id);
      },
      () => {
        const key = String(random.pick(w.groups));
        const status = random.pick(['member', 'pending', 'invited', 'removed', 'none'] as const);
        memberships.set(key, { status, role: status === 'member' ? random.pick(['member', 'moderator', 'owner'] as const) : null });
      },
      () => {
        const key = String(random.pick(w.groups));
        if (random.below(4) === 0) visibility.delete(key);
        else visibility.set(key, random.pick(['public', 'closed'] as const));
      },
      // A head replaced: a post's counts, hiding or deletion change, or a new post comes first.
      () => {
        const i = random.below(rows.length);
        rows = rows.map((r, j) => (j === i ? { ...r, likeCount: random.below(50), hiddenAt: random.below(3) ? null : date(random) } : r));
      },
      () => (rows = [row(random, w), ...rows].slice(0, 4 + random.below(6))),
      () => (viewer = { ...viewer, roles: random.pick([[], ['moderator'], ['admin']] as const) }),
      () => (viewer = random.pick(w.viewers)),
      // Image URLs are signed until the end of a window; seconds inside the window change nothing.
      () => (now += random.pick([1, 59, 300, 3600])),
    ];
    for (let step = 0; step < 600; step++) {
      random.pick(changes)();
      const f = requestFacts(viewer, w, visibility, memberships, liked);
      const body = keptPageJson(`${viewer.id} home`, rows, { limit: LIMIT }, viewer, f, signer, now);
      const fresh = writePageJson(rows, { limit: LIMIT }, presentPostsJson(rows.slice(0, LIMIT), f, signer, now));
      expect(String(body), `step ${step}`).to.equal(String(fresh));
      if (previous?.viewer === viewer && previous.body === body) kept++;
      previous = { viewer, body };
    }
    // Two of the eleven changes change nothing, and a second in the same window neither.
    expect(kept).to.be.greaterThan(60);
  });

  it('keeps pages per key: one viewer’s page is never another’s', () => {
    const random = new Random(37);
    const w = world(random);
    const rows = Array.from({ length: 6 }, () => row(random, w)).map((r) => ({ ...r, groupId: w.groups[0]! }));
    const visibility = new Map([[String(w.groups[0]), 'closed' as const]]);
    const [a, b] = [w.viewers[2]!, w.viewers[4]!];
    const pageOf = (viewer: Viewer, memberships: Map<string, Membership>) =>
      String(keptPageJson(`${viewer.id} home`, rows, { limit: LIMIT }, viewer, requestFacts(viewer, w, visibility, memberships, new Set()), signer, NOW));
    const owner = pageOf(a, new Map([[String(w.groups[0]), { status: 'member', role: 'owner' }]]));
    const outsider = pageOf(b, new Map());
    expect(owner).not.to.equal(outsider);
    expect(pageOf(b, new Map())).to.equal(outsider);
    expect(pageOf(a, new Map([[String(w.groups[0]), { status: 'member', role: 'owner' }]]))).to.equal(owner);
  });
});
