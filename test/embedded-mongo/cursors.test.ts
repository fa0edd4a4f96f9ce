import { expect } from 'chai';
import { Long, MongoClient, MongoServerError, type CommandStartedEvent, type Db, type Document } from 'mongodb';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';

describe('embedded-mongo cursors', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;
  const started: CommandStartedEvent[] = [];
  const dbName = uniqueDbName('cursors');

  before(async () => {
    target = await startTarget();
    client = await MongoClient.connect(target.uri, { monitorCommands: true, serverSelectionTimeoutMS: 5000 });
    client.on('commandStarted', (e) => started.push(e));
    db = client.db(dbName);
    await db.collection('items').insertMany(Array.from({ length: 1000 }, (_, i) => ({ i, pad: 'x'.repeat(50) })));
    await db.collection('items').createIndex({ i: -1 });
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  beforeEach(() => {
    started.length = 0;
  });

  const getMores = (): number => started.filter((e) => e.commandName === 'getMore').length;

  it('returns 101 documents in a default first batch and the rest through getMore until exhausted', async () => {
    const first = await db.command({ find: 'items', filter: {}, sort: { i: 1 } });
    expect(first.cursor.firstBatch).to.have.length(101);
    let id = Long.fromValue(first.cursor.id);
    expect(id.isZero()).to.equal(false);
    const seen: number[] = first.cursor.firstBatch.map((d: Document) => d.i);
    while (!id.isZero()) {
      const more = await db.command({ getMore: id, collection: 'items', batchSize: 150 });
      expect(more.cursor.nextBatch.length).to.be.at.most(150);
      seen.push(...more.cursor.nextBatch.map((d: Document) => d.i));
      id = Long.fromValue(more.cursor.id);
    }
    expect(seen).to.deep.equal(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('honours batchSize across many getMores', async () => {
    const docs = await db.collection('items').find({ i: { $gte: 100 } }).sort({ i: -1 }).batchSize(7).toArray();
    expect(docs).to.have.length(900);
    expect(docs[0].i).to.equal(999);
    expect(docs[899].i).to.equal(100);
    expect(new Set(docs.map((d) => d.i)).size).to.equal(900);
    expect(getMores()).to.be.at.least(Math.floor(900 / 7) - 1);
  });

  it('closes the cursor once the limit is reached', async () => {
    const first = await db.command({ find: 'items', filter: {}, sort: { i: 1 }, limit: 25, batchSize: 10 });
    expect(first.cursor.firstBatch).to.have.length(10);
    const id = Long.fromValue(first.cursor.id);
    const second = await db.command({ getMore: id, collection: 'items', batchSize: 10 });
    const third = await db.command({ getMore: id, collection: 'items', batchSize: 10 });
    expect(second.cursor.nextBatch).to.have.length(10);
    expect(third.cursor.nextBatch).to.have.length(5);
    expect(Long.fromValue(third.cursor.id).isZero()).to.equal(true);
  });

  it('reports an exhausted first batch with cursor id 0 and honours singleBatch', async () => {
    const all = await db.command({ find: 'items', filter: { i: { $lt: 5 } } });
    expect(all.cursor.firstBatch).to.have.length(5);
    expect(Long.fromValue(all.cursor.id).isZero()).to.equal(true);
    const single = await db.command({ find: 'items', filter: {}, batchSize: 3, singleBatch: true });
    expect(single.cursor.firstBatch).to.have.length(3);
    expect(Long.fromValue(single.cursor.id).isZero()).to.equal(true);
  });

  it('keeps a cursor consistent while documents are written between batches', async () => {
    const c = db.collection('moving');
    await c.createIndex({ n: 1 });
    await c.insertMany(Array.from({ length: 300 }, (_, n) => ({ n })));
    const cursor = c.find({}).sort({ n: 1 }).batchSize(50);
    const seen: number[] = [];
    for await (const doc of cursor) {
      seen.push(doc.n);
      if (doc.n === 60) {
        await c.deleteMany({ n: { $gte: 200, $lt: 250 } });
        await c.insertMany([{ n: 1000 }, { n: -5 }]);
        await c.updateMany({ n: { $lt: 30 } }, { $set: { touched: true } });
      }
    }
    expect(new Set(seen).size).to.equal(seen.length);
    expect(seen).to.include(1000);
    expect(seen).to.not.include(-5);
    expect(seen.filter((n) => n >= 200 && n < 250)).to.deep.equal([]);
    expect(seen.length).to.equal(300 - 50 + 1);
  });

  it('expires idle cursors (error 43 afterwards)', async function () {
    if (!isEmbedded) this.skip();
    const quick = await startTarget({ cursorTimeoutMs: 100 });
    const c2 = await MongoClient.connect(quick.uri);
    try {
      const d = c2.db('expiry');
      await d.collection('x').insertMany(Array.from({ length: 20 }, (_, i) => ({ i })));
      const first = await d.command({ find: 'x', batchSize: 2 });
      await new Promise((r) => setTimeout(r, 400));
      const err = await d.command({ getMore: first.cursor.id, collection: 'x' }).catch((e: unknown) => e);
      expect(err).to.be.instanceOf(MongoServerError);
      expect((err as MongoServerError).code).to.equal(43);
    } finally {
      await c2.close();
      await quick.stop();
    }
  });
});
