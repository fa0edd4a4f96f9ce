import { expect } from 'chai';
import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import { serverError } from './support';
import { startTarget, uniqueDbName, type Target } from './target';

/** Views as mongod 7.0 has them; written to pass against a real MongoDB too (MONGODB_URI). */
describe('embedded-mongo views', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const coll = (name: string): Collection<any> => db.collection(name);

  const people = [
    { _id: 1, name: 'Ada', n: 1, group: 'a' },
    { _id: 2, name: 'Grace', n: 2, group: 'a' },
    { _id: 3, name: 'Edsger', n: 3, group: 'b' },
    { _id: 4, name: 'Barbara', n: 4, group: 'b' },
  ];

  before(async () => {
    target = await startTarget();
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(uniqueDbName('views'));
    await coll('people').insertMany(people.map((p) => ({ ...p })));
    // Leaves out Ada (n 1) and hides `group`: what a reader of the view may see.
    await db.command({ create: 'seniors', viewOn: 'people', pipeline: [{ $match: { n: { $gte: 2 } } }, { $project: { name: 1, n: 1 } }] });
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  describe('reading', () => {
    it('find returns the pipeline results', async () => {
      expect(await coll('seniors').find({}, { sort: { _id: 1 } }).toArray()).to.deep.equal([
        { _id: 2, name: 'Grace', n: 2 },
        { _id: 3, name: 'Edsger', n: 3 },
        { _id: 4, name: 'Barbara', n: 4 },
      ]);
    });

    it("find's filter, sort, skip, limit and projection apply after the view's pipeline", async () => {
      const got = await coll('seniors').find({ n: { $lte: 4 } }, { sort: { name: 1 }, skip: 1, limit: 2, projection: { _id: 0, name: 1 } }).toArray();
      expect(got).to.deep.equal([{ name: 'Edsger' }, { name: 'Grace' }]);
    });

    it('a filter on a field the view hides matches nothing, though the collection has it', async () => {
      expect(await coll('people').countDocuments({ group: 'a' })).to.equal(2);
      expect(await coll('seniors').find({ group: 'a' }).toArray()).to.deep.equal([]);
    });

    it('a filter cannot reach documents the view leaves out', async () => {
      expect(await coll('seniors').find({ _id: 1 }).toArray()).to.deep.equal([]);
      expect(await coll('seniors').findOne({ name: 'Ada' })).to.equal(null);
    });

    it('aggregate runs its stages after the view pipeline', async () => {
      const got = await coll('seniors').aggregate([{ $group: { _id: null, total: { $sum: '$n' } } }]).toArray();
      expect(got).to.deep.equal([{ _id: null, total: 9 }]);
    });

    it('count, countDocuments and distinct see only the view', async () => {
      expect((await db.command({ count: 'seniors' })).n).to.equal(3);
      expect((await db.command({ count: 'seniors', query: { n: { $gt: 2 } } })).n).to.equal(2);
      expect(await coll('seniors').countDocuments({ n: { $lt: 4 } })).to.equal(2);
      expect(await coll('seniors').distinct('name')).to.deep.equal(['Barbara', 'Edsger', 'Grace']);
      expect(await coll('seniors').distinct('group')).to.deep.equal([]);
    });

    it('a cursor over a view pages with getMore under the view name', async () => {
      const got = await coll('seniors').find({}, { batchSize: 1, sort: { _id: -1 } }).toArray();
      expect(got.map((d) => d._id)).to.deep.equal([4, 3, 2]);
    });

    it('shows later writes to the collection it reads', async () => {
      await coll('people').insertOne({ _id: 5, name: 'Donald', n: 5, group: 'c' });
      try {
        expect(await coll('seniors').countDocuments()).to.equal(4);
      } finally {
        await coll('people').deleteOne({ _id: 5 });
      }
    });

    it('a view on a view runs both pipelines, innermost first', async () => {
      await db.command({ create: 'topSeniors', viewOn: 'seniors', pipeline: [{ $match: { n: { $gte: 3 } } }, { $project: { n: 0 } }] });
      expect(await coll('topSeniors').find({}, { sort: { _id: 1 } }).toArray()).to.deep.equal([
        { _id: 3, name: 'Edsger' },
        { _id: 4, name: 'Barbara' },
      ]);
    });

    it('$lookup from a view joins the view, not the collection behind it', async () => {
      const got = await db
        .collection('people')
        .aggregate([{ $match: { _id: { $in: [1, 2] } } }, { $lookup: { from: 'seniors', localField: '_id', foreignField: '_id', as: 'senior' } }, { $project: { senior: 1 } }, { $sort: { _id: 1 } }])
        .toArray();
      expect(got).to.deep.equal([
        { _id: 1, senior: [] },
        { _id: 2, senior: [{ _id: 2, name: 'Grace', n: 2 }] },
      ]);
    });

    it('listCollections lists it with type "view" and its definition', async () => {
      const [info] = (await db.listCollections({ name: 'seniors' }).toArray()) as Document[];
      expect(info.type).to.equal('view');
      expect(info.options).to.deep.equal({ viewOn: 'people', pipeline: [{ $match: { n: { $gte: 2 } } }, { $project: { name: 1, n: 1 } }] });
      expect(info.info?.readOnly).to.equal(true);
      const byType = await db.listCollections({ type: 'collection' }, { nameOnly: true }).toArray();
      expect(byType.map((c) => c.name)).to.deep.equal(['people']);
    });
  });

  describe('writes are refused with 166 CommandNotSupportedOnView and change nothing', () => {
    const seniors = (): ReturnType<typeof coll> => coll('seniors');
    for (const [label, run] of [
      ['insertOne', () => seniors().insertOne({ _id: 9, name: 'Intruder', n: 9 })],
      ['updateOne', () => seniors().updateOne({ _id: 2 }, { $set: { n: 20 } })],
      ['updateMany with upsert', () => seniors().updateMany({ _id: 9 }, { $set: { n: 20 } }, { upsert: true })],
      ['deleteMany', () => seniors().deleteMany({})],
      ['findOneAndUpdate', () => seniors().findOneAndUpdate({ _id: 2 }, { $set: { n: 20 } })],
      ['findOneAndDelete', () => seniors().findOneAndDelete({ _id: 2 })],
      ['createIndex', () => seniors().createIndex({ name: 1 })],
      ['$out into the view', () => coll('people').aggregate([{ $out: 'seniors' }]).toArray()],
      ['$merge into the view', () => coll('people').aggregate([{ $merge: { into: 'seniors' } }]).toArray()],
    ] as const) {
      it(label, async () => {
        const err = await serverError(run());
        expect([err.code, err.codeName]).to.deep.equal([166, 'CommandNotSupportedOnView']);
      });
    }

    it('and the collection behind the view is as it was', async () => {
      expect(await coll('people').find({}, { sort: { _id: 1 } }).toArray()).to.deep.equal(people);
      const [info] = (await db.listCollections({ name: 'seniors' }).toArray()) as Document[];
      expect(info.type).to.equal('view');
    });
  });

  describe('definitions', () => {
    it('create of an existing name is 48 NamespaceExists', async () => {
      const err = await serverError(db.command({ create: 'seniors', viewOn: 'people', pipeline: [] }));
      expect(err.code).to.equal(48);
    });

    it('a pipeline that writes ($out) is 167 OptionNotSupportedOnView, and no view is made', async () => {
      const err = await serverError(db.command({ create: 'writer', viewOn: 'people', pipeline: [{ $out: 'elsewhere' }] }));
      expect([err.code, err.codeName]).to.deep.equal([167, 'OptionNotSupportedOnView']);
      expect(await db.listCollections({ name: 'writer' }).toArray()).to.deep.equal([]);
    });

    it('a view on itself is 5 GraphContainsCycle', async () => {
      const err = await serverError(db.command({ create: 'loop', viewOn: 'loop', pipeline: [] }));
      expect([err.code, err.codeName]).to.deep.equal([5, 'GraphContainsCycle']);
    });

    it('a pipeline that is not an array of stages is 14 TypeMismatch', async () => {
      const err = await serverError(db.command({ create: 'bad', viewOn: 'people', pipeline: { $match: {} } }));
      expect(err.code).to.equal(14);
    });

    it('returnKey and showRecordId on a view are 167 OptionNotSupportedOnView', async () => {
      for (const option of ['returnKey', 'showRecordId']) {
        const err = await serverError(db.command({ find: 'seniors', [option]: true }));
        expect([err.code, err.codeName]).to.deep.equal([167, 'OptionNotSupportedOnView']);
      }
    });

    it('a view on a missing collection reads as empty', async () => {
      await db.command({ create: 'ghosts', viewOn: 'nobody', pipeline: [] });
      expect(await coll('ghosts').find().toArray()).to.deep.equal([]);
    });

    it('drop removes the view and leaves the collection', async () => {
      await db.command({ create: 'temporary', viewOn: 'people', pipeline: [] });
      expect(await coll('temporary').countDocuments()).to.equal(4);
      await coll('temporary').drop();
      expect(await db.listCollections({ name: 'temporary' }).toArray()).to.deep.equal([]);
      expect(await coll('people').countDocuments()).to.equal(4);
    });
  });
});
