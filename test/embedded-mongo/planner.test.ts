import { expect } from 'chai';
import { MongoClient, ObjectId, type Collection, type Db, type Document } from 'mongodb';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';

interface Post {
  _id: ObjectId;
  groupId: ObjectId;
  authorId: ObjectId;
  parentId: ObjectId | null;
  createdAt: Date;
  email?: string;
}

interface Explained {
  queryPlanner: { winningPlan: Document };
  executionStats: { nReturned: number; totalDocsExamined: number; totalKeysExamined: number; executionTimeMillis: number };
}

function stages(plan: Document): string[] {
  const out: string[] = [plan.stage];
  if (plan.inputStage) out.push(...stages(plan.inputStage));
  for (const s of plan.inputStages ?? []) out.push(...stages(s));
  return out;
}

function indexNames(plan: Document): string[] {
  const out: string[] = plan.indexName ? [plan.indexName] : [];
  if (plan.inputStage) out.push(...indexNames(plan.inputStage));
  for (const s of plan.inputStages ?? []) out.push(...indexNames(s));
  return [...new Set(out)];
}

const GROUPS = 60;
const POSTS_PER_GROUP = 80;
const T0 = Date.UTC(2024, 0, 1);

/** Posts spread over groups and authors; every fourth one is a reply (parentId set). */
function buildPosts(): Post[] {
  const groups = Array.from({ length: GROUPS }, () => new ObjectId());
  const authors = Array.from({ length: 40 }, () => new ObjectId());
  const posts: Post[] = [];
  for (let i = 0; i < GROUPS * POSTS_PER_GROUP; i++) {
    posts.push({
      _id: new ObjectId(),
      groupId: groups[(i * 7) % GROUPS],
      authorId: authors[i % authors.length],
      parentId: i % 4 === 3 ? new ObjectId() : null,
      // Pairs of posts share a timestamp so the _id tie-breaker matters.
      createdAt: new Date(T0 + Math.floor(i / 2) * 1000),
      email: `user${i}@example.org`,
    });
  }
  return posts;
}

function newestFirst(a: Post, b: Post): number {
  return b.createdAt.getTime() - a.createdAt.getTime() || b._id.toHexString().localeCompare(a._id.toHexString());
}

describe('embedded-mongo query planner', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;
  let posts: Post[];
  let full: Collection<Post>;
  let short: Collection<Post>;
  const dbName = uniqueDbName('planner');

  before(async () => {
    target = await startTarget();
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(dbName);
    posts = buildPosts();
    full = db.collection<Post>('posts');
    await full.createIndex({ groupId: 1, parentId: 1, createdAt: -1, _id: -1 });
    await full.createIndex({ authorId: 1, createdAt: -1 });
    await full.createIndex({ createdAt: -1 });
    await full.createIndex({ email: 1 }, { unique: true });
    await full.insertMany(posts);
    short = db.collection<Post>('posts_short_index');
    await short.createIndex({ groupId: 1, createdAt: -1 });
    await short.insertMany(posts);
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  const someGroups = (): ObjectId[] => [...new Set(posts.map((p) => p.groupId.toHexString()))].slice(0, 30).map((h) => new ObjectId(h));

  async function explain(cursor: { explain(v: 'executionStats'): Promise<Document> }): Promise<Explained> {
    return (await cursor.explain('executionStats')) as Explained;
  }

  it('answers "newest 20 top-level posts of 30 groups" from the full index, examining only what it returns', async () => {
    const groups = someGroups();
    const filter = { groupId: { $in: groups }, parentId: null };
    const got = await full.find(filter).sort({ createdAt: -1, _id: -1 }).limit(20).toArray();
    const groupSet = new Set(groups.map((g) => g.toHexString()));
    const expected = posts.filter((p) => groupSet.has(p.groupId.toHexString()) && p.parentId === null).sort(newestFirst).slice(0, 20);
    expect(got.map((p) => p._id.toHexString())).to.deep.equal(expected.map((p) => p._id.toHexString()));
    if (!isEmbedded) return;
    const ex = await explain(full.find(filter).sort({ createdAt: -1, _id: -1 }).limit(20));
    expect(stages(ex.queryPlanner.winningPlan)).to.include.members(['SORT_MERGE', 'IXSCAN']);
    expect(stages(ex.queryPlanner.winningPlan)).to.not.include('SORT');
    expect(indexNames(ex.queryPlanner.winningPlan)).to.deep.equal(['groupId_1_parentId_1_createdAt_-1__id_-1']);
    expect(ex.executionStats.nReturned).to.equal(20);
    expect(ex.executionStats.totalDocsExamined).to.equal(20);
    // Each of the 30 merged ranges reads at most one key beyond what it contributes.
    expect(ex.executionStats.totalKeysExamined).to.be.at.most(20 + 30);
  });

  it('merges $in ranges in BSON order when the sort values mix types, some without a string encoding', async () => {
    const mixed = db.collection(`mixed_${Date.now()}`);
    await mixed.createIndex({ g: 1, v: -1 });
    const values: unknown[] = [3, 'b', null, new Date(5), { x: 1 }, { x: 0, y: 2 }, true, 2.5, 'a', new ObjectId(), /re/, { x: 1, z: 0 }];
    await mixed.insertMany(values.flatMap((v, i) => [1, 2, 3].map((g) => ({ g, v, i }))));
    const merged = await mixed.find({ g: { $in: [1, 2, 3] } }).sort({ v: -1 }).project({ _id: 0, g: 1, i: 1 }).toArray();
    const sorted = await mixed.find({ g: { $in: [1, 2, 3] } }).sort({ v: -1 }).hint({ $natural: 1 }).project({ _id: 0, g: 1, i: 1 }).toArray();
    expect(merged.map((d) => d.i)).to.deep.equal(sorted.map((d) => d.i));
    if (!isEmbedded) return;
    const ex = await explain(mixed.find({ g: { $in: [1, 2, 3] } }).sort({ v: -1 }));
    expect(stages(ex.queryPlanner.winningPlan)).to.include('SORT_MERGE');
  });

  it('skips an index field pinned to one value when matching the sort (group, then newest)', async function () {
    const groups = someGroups().slice(0, 3);
    const filter = { groupId: { $in: groups }, parentId: null };
    const got = await full.find(filter).sort({ groupId: 1, createdAt: -1 }).limit(15).toArray();
    expect(got).to.have.length(15);
    for (let i = 1; i < got.length; i++) {
      const c = got[i - 1].groupId.toHexString().localeCompare(got[i].groupId.toHexString());
      expect(c < 0 || (c === 0 && got[i - 1].createdAt >= got[i].createdAt)).to.equal(true);
    }
    if (!isEmbedded) this.skip();
    const ex = await explain(full.find(filter).sort({ groupId: 1, createdAt: -1 }).limit(15));
    expect(stages(ex.queryPlanner.winningPlan)).to.not.include('SORT');
    expect(stages(ex.queryPlanner.winningPlan)).to.not.include('SORT_MERGE');
    expect(ex.executionStats.totalDocsExamined).to.equal(15);
  });

  it('answers the same query from {groupId, createdAt}, examining returned documents plus rejected replies', async () => {
    const groups = someGroups();
    const filter = { groupId: { $in: groups }, parentId: null };
    const got = await short.find(filter).sort({ createdAt: -1, _id: -1 }).limit(20).toArray();
    const groupSet = new Set(groups.map((g) => g.toHexString()));
    const expected = posts.filter((p) => groupSet.has(p.groupId.toHexString()) && p.parentId === null).sort(newestFirst).slice(0, 20);
    expect(got.map((p) => p._id.toHexString())).to.deep.equal(expected.map((p) => p._id.toHexString()));
    if (!isEmbedded) return;
    const ex = await explain(short.find(filter).sort({ createdAt: -1, _id: -1 }).limit(20));
    expect(stages(ex.queryPlanner.winningPlan)).to.include.members(['SORT_MERGE', 'IXSCAN']);
    expect(indexNames(ex.queryPlanner.winningPlan)).to.deep.equal(['groupId_1_createdAt_-1']);
    expect(ex.executionStats.nReturned).to.equal(20);
    // One post in four is a reply: about 27 fetched, plus the tie group read past the limit.
    expect(ex.executionStats.totalDocsExamined).to.be.within(20, 32);
  });

  it('serves an author timeline, _id $in and unique equality lookups straight from indexes', async function () {
    const author = posts[5].authorId;
    const timeline = await full.find({ authorId: author }).sort({ createdAt: -1 }).limit(10).toArray();
    expect(timeline.map((p) => p._id.toHexString())).to.deep.equal(
      posts.filter((p) => p.authorId.equals(author)).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || 0).slice(0, 10).map((p) => p._id.toHexString()),
    );
    const ids = posts.slice(100, 112).map((p) => p._id);
    expect(await full.countDocuments({ _id: { $in: ids } })).to.equal(12);
    expect((await full.findOne({ email: 'user77@example.org' }))?._id.toHexString()).to.equal(posts[77]._id.toHexString());
    if (!isEmbedded) this.skip();

    const a = await explain(full.find({ authorId: author }).sort({ createdAt: -1 }).limit(10));
    expect(indexNames(a.queryPlanner.winningPlan)).to.deep.equal(['authorId_1_createdAt_-1']);
    expect(a.executionStats.totalDocsExamined).to.equal(10);
    expect(stages(a.queryPlanner.winningPlan)).to.not.include('SORT');

    const b = await explain(full.find({ _id: { $in: ids } }));
    expect(indexNames(b.queryPlanner.winningPlan)).to.deep.equal(['_id_']);
    expect(b.executionStats.totalDocsExamined).to.equal(12);
    expect(b.executionStats.nReturned).to.equal(12);

    const c = await explain(full.find({ email: 'user77@example.org' }));
    expect(indexNames(c.queryPlanner.winningPlan)).to.deep.equal(['email_1']);
    expect(c.executionStats.totalDocsExamined).to.equal(1);
    expect(c.executionStats.totalKeysExamined).to.equal(1);
  });

  it('pages a range+sort cursor ({createdAt: {$lt: T}} newest first) examining one page per page', async function () {
    let before = new Date(T0 + 1_000_000_000);
    const pages: Post[][] = [];
    for (let i = 0; i < 3; i++) {
      const page = await full.find({ createdAt: { $lt: before } }).sort({ createdAt: -1 }).limit(20).toArray();
      pages.push(page);
      before = page[page.length - 1].createdAt;
    }
    const flat = pages.flat();
    expect(flat).to.have.length(60);
    for (let i = 1; i < flat.length; i++) expect(flat[i - 1].createdAt.getTime()).to.be.at.least(flat[i].createdAt.getTime());
    if (!isEmbedded) this.skip();
    const ex = await explain(full.find({ createdAt: { $lt: pages[1][19].createdAt } }).sort({ createdAt: -1 }).limit(20));
    expect(indexNames(ex.queryPlanner.winningPlan)).to.deep.equal(['createdAt_-1']);
    expect(ex.executionStats.totalDocsExamined).to.equal(20);
  });

  it('falls back to a collection scan (and says so) when no index applies', async function () {
    if (!isEmbedded) this.skip();
    const ex = await explain(full.find({ 'nothing.indexed': 1 }));
    expect(stages(ex.queryPlanner.winningPlan)).to.deep.equal(['COLLSCAN']);
    expect(ex.executionStats.totalDocsExamined).to.equal(posts.length);
    expect(ex.executionStats.nReturned).to.equal(0);
  });

  it('reports examined counts through the explain command and aggregate explain too', async function () {
    if (!isEmbedded) this.skip();
    const res = await db.command({ explain: { count: 'posts', query: { authorId: posts[0].authorId } }, verbosity: 'executionStats' });
    expect(res.executionStats.totalDocsExamined).to.equal(posts.filter((p) => p.authorId.equals(posts[0].authorId)).length);
    const agg = await db.command({
      aggregate: 'posts',
      pipeline: [{ $match: { email: 'user3@example.org' } }, { $project: { _id: 1 } }],
      explain: true,
    });
    expect(agg.stages[0].$cursor.queryPlanner.winningPlan.inputStage.indexName).to.equal('email_1');
  });
});
