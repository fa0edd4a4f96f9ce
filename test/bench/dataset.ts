// The bench data set: a forum shaped like a real one (long tails, recent activity, closed groups), written
// through the raw driver in batches into the collections and indexes the mongoose models define.
import { randomBytes } from 'node:crypto';
import { ObjectId, type Collection, type Db, type Document } from 'mongodb';
import type { Model } from 'mongoose';
import { Group } from '../../server/models/group';
import { Like } from '../../server/models/like';
import { Membership } from '../../server/models/membership';
import { Post } from '../../server/models/post';
import { Token } from '../../server/models/token';
import { User } from '../../server/models/user';
import { hashPassword } from '../../server/services/passwords';
import { sanitizeBody } from '../../server/services/post-body';
import { hashToken, TOKEN_LIFETIME_MS } from '../../server/services/tokens';
import { Random } from './random';

export interface DatasetSize {
  users: number;
  groups: number;
  posts: number;
  likes: number;
}

export const SCALES = {
  small: { users: 1_000, groups: 40, posts: 20_000, likes: 100_000 },
  full: { users: 10_000, groups: 200, posts: 200_000, likes: 1_000_000 },
} as const satisfies Record<string, DatasetSize>;
export type ScaleName = keyof typeof SCALES;

/** What the bench needs to know about a seeded data set: who to sign in as and where to write. */
export interface Manifest {
  size: DatasetSize;
  seededAt: string;
  /** The signed-in reader of the feed benchmarks: a member of PERSONA_GROUPS groups, some closed. */
  persona: { userId: string; token: string; groupIds: string[]; closedGroupId: string; writeGroupId: string };
  /** Users with a bearer token, for sockets and likers (the persona is not among them). */
  tokens: { userId: string; token: string }[];
  /** Recent top-level posts of public groups, for like traffic. */
  likeTargets: string[];
  counts: Record<string, number>;
  seconds: number;
}

export const BENCH_PASSWORD = 'bench-password-not-secret';
export const PERSONA_GROUPS = 30;
const CLOSED_SHARE = 0.2;
const REPLY_SHARE = 0.3;
const IMAGE_SHARE = 0.05;
const MAX_TOKENS = 6_000;
const DAY = 86_400_000;
const BATCH = 2_000;
const IN_FLIGHT = 3;

const FIRST = ['Amina', 'Jonas', 'Priya', 'Mateo', 'Chen', 'Fatima', 'Lars', 'Sofia', 'Kwame', 'Elena', 'Yuki', 'Omar'];
const LAST = ['Okafor', 'Berg', 'Sharma', 'Garcia', 'Wei', 'Haddad', 'Nilsson', 'Rossi', 'Mensah', 'Ivanova', 'Sato', 'Khan'];
const WORDS = (
  'clinic field team report supply route vaccine volunteer shift training meeting update water camp ' +
  'transport night triage partner logistics budget review patient protocol session workshop regional ' +
  'mission planning cold chain district coordinator evaluation handover checklist follow up'
).split(' ');

/** Ids in creation order: 4 bytes of time, then a run-unique prefix and a counter, so _id order is time order. */
class IdMaker {
  private counter = 0;
  private readonly prefix = randomBytes(4);

  at(ms: number): ObjectId {
    const bytes = Buffer.alloc(12);
    bytes.writeUInt32BE(Math.floor(ms / 1000), 0);
    this.prefix.copy(bytes, 4);
    bytes.writeUInt32BE(this.counter++ >>> 0, 8);
    return new ObjectId(bytes);
  }
}

/** Any of the forum's models: the seed handles them alike (their collection, schema and indexes). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyModel = Model<any>;

/** The collection behind a model: the seed writes where the server reads, under the schema's own name. */
function collectionOf(db: Db, model: AnyModel): Collection {
  return db.collection(model.collection.collectionName);
}

/** Fails the seed if a raw document has a field the schema lacks, lacks one it has, or fails validation. */
function assertMatchesSchema(model: AnyModel, raw: Document): void {
  const doc = new model(raw);
  const error = doc.validateSync();
  if (error) throw new Error(`seed document for ${model.modelName} fails the schema: ${error.message}`);
  const expected = Object.keys(doc.toObject({ versionKey: false })).sort();
  const actual = Object.keys(raw).sort();
  if (expected.join() !== actual.join()) {
    throw new Error(`seed document for ${model.modelName} has fields [${actual}] but the schema has [${expected}]`);
  }
}

/** Fails the seed unless every index a schema declares exists, so a bench never runs on an unindexed copy. */
async function assertIndexes(db: Db, models: AnyModel[]): Promise<void> {
  for (const model of models) {
    const listed = await collectionOf(db, model).listIndexes().toArray();
    const have = new Set([...listed.map((index) => JSON.stringify(index.key)), ...listed.map((index) => `name:${String(index.name)}`)]);
    for (const [key, options] of model.schema.indexes()) {
      // Text indexes are listed under MongoDB's normalised key ({_fts, _ftsx, ...}), so they are found by name.
      if (!have.has(JSON.stringify(key)) && !(options.name && have.has(`name:${options.name}`))) throw new Error(`index ${JSON.stringify(key)} of ${model.modelName} is missing after createIndexes`);
    }
  }
}

/** Inserts a stream of documents in unordered batches, a few in flight, and counts them. */
async function insertAll(collection: Collection, docs: Iterable<Document>): Promise<number> {
  const pending = new Set<Promise<unknown>>();
  let batch: Document[] = [];
  let count = 0;
  const flush = async (): Promise<void> => {
    const sent = collection.insertMany(batch, { ordered: false });
    count += batch.length;
    batch = [];
    const tracked: Promise<unknown> = sent.finally(() => pending.delete(tracked));
    pending.add(tracked);
    if (pending.size >= IN_FLIGHT) await Promise.race(pending);
  };
  for (const doc of docs) {
    batch.push(doc);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length) await flush();
  await Promise.all(pending);
  return count;
}

function sentence(random: Random, words: number): string {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(random.pick(WORDS));
  const text = out.join(' ');
  return text[0]!.toUpperCase() + text.slice(1) + '.';
}

/** A pool of sanitised bodies (sanitising 200k posts one by one would dominate the seed for no realism). */
function bodyPool(random: Random): { body: string; bodyText: string }[] {
  return Array.from({ length: 400 }, () => {
    const paragraphs = 1 + random.skewed(4, 2);
    const html = Array.from({ length: paragraphs }, () => `<p>${sentence(random, 8 + random.below(40))}</p>`).join('');
    const withLink = random.next() < 0.1 ? `${html}<p>See <a href="https://example.org/r/${random.below(1e6)}">the notes</a>.</p>` : html;
    return sanitizeBody(withLink);
  });
}

export interface SeedReport {
  manifest: Manifest;
  rates: { collection: string; documents: number; seconds: number; perSecond: number }[];
}

/** Drops the database and writes a fresh data set of this size; `log` receives progress lines. */
export async function seedDataset(db: Db, size: DatasetSize, log: (line: string) => void, seed = 20240611): Promise<SeedReport> {
  if (size.users < 2 || size.groups < 2 || size.posts < size.groups || size.likes < 0) {
    throw new Error('the data set needs at least 2 users, 2 groups and one post per group');
  }
  const started = Date.now();
  const random = new Random(seed);
  const ids = new IdMaker();
  const now = Date.now();
  const rates: SeedReport['rates'] = [];
  const timed = async (model: AnyModel, docs: Iterable<Document>): Promise<number> => {
    const t0 = Date.now();
    const n = await insertAll(collectionOf(db, model), docs);
    const seconds = (Date.now() - t0) / 1000;
    rates.push({ collection: model.collection.collectionName, documents: n, seconds, perSecond: n / Math.max(seconds, 1e-3) });
    log(`  ${model.collection.collectionName}: ${n} documents in ${seconds.toFixed(1)} s (${Math.round(n / Math.max(seconds, 1e-3))}/s)`);
    return n;
  };

  // Users: index 0 is the persona; a lower index means a more active poster.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const userTimes = Array.from({ length: size.users }, () => now - 400 * DAY - random.below(300 * DAY));
  const userIds = userTimes.map((t) => ids.at(t));
  const userDoc = (i: number): Document => {
    const first = random.pick(FIRST);
    const last = random.pick(LAST);
    const createdAt = new Date(userTimes[i]!);
    return {
      _id: userIds[i],
      email: `bench-user-${i}@example.org`,
      passwordHash,
      name: `${first} ${last}`,
      displayName: i === 0 ? 'Bench Persona' : `${first} ${last[0]}.`,
      bio: random.next() < 0.4 ? sentence(random, 6 + random.below(12)) : '',
      dateOfBirth: `${1950 + random.below(55)}-0${1 + random.below(9)}-1${random.below(9)}`,
      avatarKey: null,
      roles: [],
      isMember: random.next() < 0.5,
      status: 'active',
      awaitingApproval: false,
      suspendedAt: null,
      suspendedBy: null,
      suspensionReason: null,
      emailVerified: true,
      language: 'en',
      parentEmail: null,
      preferences: { email: false, sms: false, whatsapp: false, phone: false, post: false },
      restricted: false,
      passwordChangedAt: null,
      createdAt,
      updatedAt: createdAt,
    };
  };

  // Groups: a fifth closed; members per group follow a long tail (size ∝ rank^-0.8), ranks shuffled so
  // that closed and public groups both have big and small ones.
  const groupCount = size.groups;
  const closed = random.shuffle(Array.from({ length: groupCount }, (_, i) => i < Math.max(1, Math.round(groupCount * CLOSED_SHARE))));
  const largest = Math.max(3, Math.floor(size.users * 0.6));
  const members: number[][] = [];
  for (let g = 0; g < groupCount; g++) {
    const rank = g;
    const count = Math.min(size.users - 1, Math.max(3, Math.floor(largest / (rank + 1) ** 0.8)));
    // The persona (user 0) is added below, on purpose, so it is left out of the random draw here.
    members.push(random.distinct(size.users - 1, count).map((u) => u + 1));
  }
  // The persona: a member of the largest closed groups (up to a third of its groups) and the largest public ones.
  const byRank = Array.from({ length: groupCount }, (_, g) => g);
  const closedRanks = byRank.filter((g) => closed[g]);
  const personaGroupCount = Math.min(PERSONA_GROUPS, groupCount);
  const personaClosed = closedRanks.slice(0, Math.max(1, Math.min(closedRanks.length, Math.floor(personaGroupCount / 3))));
  const personaPublic = byRank.filter((g) => !closed[g]).slice(0, personaGroupCount - personaClosed.length);
  const personaGroups = [...personaClosed, ...personaPublic];
  if (!personaPublic.length) throw new Error('the data set needs at least one public group');
  for (const g of personaGroups) members[g]!.push(0);
  for (const list of members) list.sort((a, b) => a - b);

  const groupTimes = Array.from({ length: groupCount }, () => now - 380 * DAY - random.below(20 * DAY));
  const groupIds = groupTimes.map((t) => ids.at(t));
  const owners = members.map((list) => list[random.below(list.length)]!);

  // Posts in time order, denser towards now. Group chosen by size (big groups are busier), author skewed to
  // the group's most active members, replies to recent top-level posts of the same group.
  const groupWeights = members.map((list) => list.length);
  const totalWeight = groupWeights.reduce((a, b) => a + b, 0);
  const cumulative = groupWeights.map(((sum) => (w: number) => (sum += w))(0));
  const pickGroup = (): number => {
    const target = random.next() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! > target) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  const P = size.posts;
  const postGroup = new Int32Array(P);
  const postAuthor = new Int32Array(P);
  const postParent = new Int32Array(P).fill(-1);
  const postTime = new Float64Array(P);
  const replyCount = new Int32Array(P);
  const likeCount = new Int32Array(P);
  const topLevel: number[][] = members.map(() => []);
  for (let i = 0; i < P; i++) {
    // Each group opens with one top-level post, so no group is empty and replies always have a parent.
    const g = i < groupCount ? i : pickGroup();
    postGroup[i] = g;
    const list = members[g]!;
    postAuthor[i] = list[random.skewed(list.length, 3)]!;
    postTime[i] = now - 365 * DAY * (1 - i / P) ** 2;
    const tops = topLevel[g]!;
    if (i >= groupCount && tops.length && random.next() < REPLY_SHARE) {
      const parent = tops[tops.length - 1 - random.skewed(tops.length, 4)]!;
      postParent[i] = parent;
      replyCount[parent]!++;
    } else {
      tops.push(i);
    }
  }
  const postIds = Array.from(postTime, (t) => ids.at(t));

  // Likes: skewed to recent posts; a closed group's posts are liked by its members only; one per user and post.
  const likePost = new Int32Array(size.likes);
  const likeUser = new Int32Array(size.likes);
  const taken = new Set<number>();
  let likes = 0;
  for (let attempts = 0; likes < size.likes && attempts < size.likes * 4; attempts++) {
    const post = P - 1 - random.skewed(P, 3);
    const g = postGroup[post]!;
    const user = closed[g] ? random.pick(members[g]!) : random.below(size.users);
    const key = post * size.users + user;
    if (taken.has(key)) continue;
    taken.add(key);
    likePost[likes] = post;
    likeUser[likes] = user;
    likeCount[post]!++;
    likes++;
  }
  taken.clear();

  const bodies = bodyPool(random);
  const postDoc = (i: number): Document => {
    const createdAt = new Date(postTime[i]!);
    const withImage = random.next() < IMAGE_SHARE;
    return {
      _id: postIds[i],
      groupId: groupIds[postGroup[i]!],
      authorId: userIds[postAuthor[i]!],
      parentId: postParent[i]! >= 0 ? postIds[postParent[i]!] : null,
      ...random.pick(bodies),
      images: withImage ? [{ key: randomBytes(16).toString('hex'), width: 1280, height: 960 }] : [],
      likeCount: likeCount[i],
      replyCount: replyCount[i],
      membersOnly: false,
      editedAt: null,
      deletedAt: null,
      hiddenAt: null,
      hiddenBy: null,
      hiddenReason: null,
      parentHiddenAt: null,
      createdAt,
      updatedAt: createdAt,
    };
  };
  const groupDoc = (g: number): Document => {
    const createdAt = new Date(groupTimes[g]!);
    return {
      _id: groupIds[g],
      name: `${closed[g] ? 'Closed' : 'Open'} ${random.pick(WORDS)} group ${g}`,
      slug: `bench-group-${g}`,
      description: sentence(random, 10),
      rules: '',
      visibility: closed[g] ? 'closed' : 'public',
      joinPolicy: closed[g] ? 'request' : 'open',
      ownerId: userIds[owners[g]!],
      memberCount: members[g]!.length,
      closedAt: closed[g] ? createdAt : null,
      createdAt,
      updatedAt: createdAt,
    };
  };
  function* membershipDocs(): Generator<Document> {
    for (let g = 0; g < groupCount; g++) {
      const moderator = members[g]![random.below(members[g]!.length)];
      for (const u of members[g]!) {
        const createdAt = new Date(groupTimes[g]! + random.below(30 * DAY));
        yield {
          _id: ids.at(createdAt.getTime()),
          groupId: groupIds[g],
          userId: userIds[u],
          status: 'member',
          role: u === owners[g] ? 'owner' : u === moderator ? 'moderator' : 'member',
          invitedBy: null,
          createdAt,
          updatedAt: createdAt,
        };
      }
    }
  }
  function* likeDocs(): Generator<Document> {
    for (let i = 0; i < likes; i++) {
      const post = likePost[i]!;
      const createdAt = new Date(postTime[post]! + random.next() * (now - postTime[post]!));
      yield { _id: ids.at(createdAt.getTime()), postId: postIds[post], userId: userIds[likeUser[i]!], groupId: groupIds[postGroup[post]!], createdAt };
    }
  }
  const tokens: Manifest['tokens'] = [];
  const tokenFor = (u: number): { token: string; doc: Document } => {
    const token = randomBytes(32).toString('base64url');
    return {
      token,
      doc: {
        _id: ids.at(now),
        tokenHash: hashToken(token),
        userId: userIds[u],
        createdAt: new Date(now),
        lastUsedAt: new Date(now),
        expiresAt: new Date(now + TOKEN_LIFETIME_MS),
      },
    };
  };
  const persona = tokenFor(0);
  const tokenDocs = [persona.doc];
  for (let u = 1; u < Math.min(size.users, MAX_TOKENS + 1); u++) {
    const issued = tokenFor(u);
    tokens.push({ userId: String(userIds[u]), token: issued.token });
    tokenDocs.push(issued.doc);
  }

  for (const [model, doc] of [
    [User, userDoc(0)],
    [Group, groupDoc(0)],
    [Membership, membershipDocs().next().value as Document],
    [Post, postDoc(P - 1)],
    [Like, { _id: ids.at(now), postId: postIds[0], userId: userIds[0], groupId: groupIds[0], createdAt: new Date(now) }],
    [Token, tokenDocs[0]!],
  ] as [AnyModel, Document][]) {
    assertMatchesSchema(model, doc);
  }

  log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s; writing`);
  await db.dropDatabase();
  // Not init(): mongoose already ran it on connect (before the drop) and would not run it again.
  const models: AnyModel[] = [User, Group, Membership, Post, Like, Token];
  for (const model of models) await model.createIndexes();
  await assertIndexes(db, models);
  const counts: Record<string, number> = {};
  counts.users = await timed(User, (function* () {
    for (let i = 0; i < size.users; i++) yield userDoc(i);
  })());
  counts.groups = await timed(Group, (function* () {
    for (let g = 0; g < groupCount; g++) yield groupDoc(g);
  })());
  counts.memberships = await timed(Membership, membershipDocs());
  counts.posts = await timed(Post, (function* () {
    for (let i = 0; i < P; i++) yield postDoc(i);
  })());
  counts.likes = await timed(Like, likeDocs());
  counts.tokens = await timed(Token, tokenDocs);

  const publicWrite = personaPublic[0]!;
  const likeTargets: string[] = [];
  for (let i = P - 1; i >= 0 && likeTargets.length < 2_000; i--) {
    if (postParent[i] === -1 && !closed[postGroup[i]!]) likeTargets.push(String(postIds[i]));
  }
  const manifest: Manifest = {
    size,
    seededAt: new Date(now).toISOString(),
    persona: {
      userId: String(userIds[0]),
      token: persona.token,
      groupIds: personaGroups.map((g) => String(groupIds[g])),
      closedGroupId: String(groupIds[personaClosed[0]!]),
      writeGroupId: String(groupIds[publicWrite]),
    },
    tokens,
    likeTargets,
    counts,
    seconds: (Date.now() - started) / 1000,
  };
  return { manifest, rates };
}
