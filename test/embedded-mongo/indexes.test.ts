import { expect } from 'chai';
import { MongoClient, MongoServerError, type Db } from 'mongodb';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';

async function duplicateError(p: Promise<unknown>): Promise<MongoServerError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected a duplicate key error').to.be.instanceOf(MongoServerError);
  expect((err as MongoServerError).code).to.equal(11000);
  return err as MongoServerError;
}

describe('embedded-mongo index kinds', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;
  const dbName = uniqueDbName('indexes');

  before(async () => {
    target = await startTarget({ ttlMonitorIntervalMs: 50 });
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(dbName);
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  it('_id is always unique', async () => {
    const c = db.collection<{ _id: string }>('ids');
    await c.insertOne({ _id: 'a' });
    const err = await duplicateError(c.insertOne({ _id: 'a' }));
    expect(err.keyPattern).to.deep.equal({ _id: 1 });
    expect(err.keyValue).to.deep.equal({ _id: 'a' });
  });

  it('a unique compound index rejects only the exact combination', async () => {
    const c = db.collection('likes');
    await c.createIndex({ postId: 1, userId: 1 }, { unique: true });
    await c.insertMany([
      { postId: 1, userId: 1 },
      { postId: 1, userId: 2 },
      { postId: 2, userId: 1 },
    ]);
    const err = await duplicateError(c.insertOne({ postId: 1, userId: 2 }));
    expect(err.keyPattern).to.deep.equal({ postId: 1, userId: 1 });
    expect(err.keyValue).to.deep.equal({ postId: 1, userId: 2 });
    await duplicateError(c.updateOne({ postId: 2, userId: 1 }, { $set: { postId: 1 } }));
    expect(await c.countDocuments({ postId: 2 })).to.equal(1);
  });

  it('a unique index counts a missing field as null', async () => {
    const c = db.collection('uniqnull');
    await c.createIndex({ email: 1 }, { unique: true });
    await c.insertOne({ name: 'no email' });
    const err = await duplicateError(c.insertOne({ name: 'also none' }));
    expect(err.keyValue).to.deep.equal({ email: null });
  });

  it('a sparse unique index ignores documents without the field', async () => {
    const c = db.collection('sparse');
    await c.createIndex({ handle: 1 }, { unique: true, sparse: true });
    await c.insertMany([{ n: 1 }, { n: 2 }, { handle: 'h' }]);
    await duplicateError(c.insertOne({ handle: 'h' }));
    expect(await c.countDocuments({})).to.equal(3);
    expect(await c.find({ handle: null }).toArray()).to.have.length(2);
  });

  it('a partial unique index only constrains documents matching its filter', async () => {
    const c = db.collection('partial');
    await c.createIndex({ slug: 1 }, { unique: true, partialFilterExpression: { status: 'active' } });
    await c.insertMany([
      { slug: 's', status: 'deleted' },
      { slug: 's', status: 'deleted' },
      { slug: 's', status: 'active' },
    ]);
    const err = await duplicateError(c.insertOne({ slug: 's', status: 'active' }));
    expect(err.keyValue).to.deep.equal({ slug: 's' });
    await duplicateError(c.updateOne({ status: 'deleted' }, { $set: { status: 'active' } }));
    expect(await c.countDocuments({ slug: 's', status: 'active' })).to.equal(1);
    expect(await c.countDocuments({ slug: 's' })).to.equal(3);
  });

  it('building a unique index over existing duplicates fails with 11000 and creates nothing', async () => {
    const c = db.collection('late');
    await c.insertMany([{ k: 1 }, { k: 1 }]);
    await duplicateError(c.createIndex({ k: 1 }, { unique: true }));
    expect((await c.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
  });

  it('a multikey index finds each document once', async () => {
    const c = db.collection('tags');
    await c.createIndex({ tags: 1 });
    await c.insertMany([{ tags: ['a', 'b', 'a'] }, { tags: ['b'] }, { tags: 'a' }, { tags: [] }]);
    expect(await c.countDocuments({ tags: 'a' })).to.equal(2);
    expect(await c.countDocuments({ tags: { $in: ['a', 'b'] } })).to.equal(3);
    expect(await c.find({ tags: 'b' }).sort({ _id: 1 }).toArray()).to.have.length(2);
  });

  it('a TTL index removes documents older than expireAfterSeconds', async function () {
    if (!isEmbedded) this.skip();
    const c = db.collection('sessions');
    await c.createIndex({ lastSeen: 1 }, { expireAfterSeconds: 60 });
    const now = Date.now();
    await c.insertMany([
      { k: 'old', lastSeen: new Date(now - 120_000) },
      { k: 'older-in-array', lastSeen: [new Date(now), new Date(now - 3_600_000)] },
      { k: 'fresh', lastSeen: new Date(now) },
      { k: 'not a date', lastSeen: 'yesterday' },
      { k: 'none' },
    ]);
    const deadline = Date.now() + 3000;
    while ((await c.countDocuments()) > 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    expect((await c.find({}, { sort: { k: 1 } }).toArray()).map((d) => d.k)).to.deep.equal(['fresh', 'none', 'not a date']);
    const ttl = (await c.listIndexes().toArray()).find((i) => i.name === 'lastSeen_1');
    expect(ttl?.expireAfterSeconds).to.equal(60);
  });
});
