import { expect } from 'chai';
import { MongoClient, type Collection, type Db } from 'mongodb';
import { serverError } from './support';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';

/** Where the engine and mongod 7.0 used to differ silently: each case either agrees or is refused loudly. */
describe('embedded-mongo answers as mongod does where it used to stay silent', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let people: Collection<any>;

  before(async () => {
    target = await startTarget();
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(uniqueDbName('conformance'));
    people = db.collection('people');
    await people.insertMany([
      { _id: 1, name: 'Ada', n: 1 },
      { _id: 2, name: 'Grace', n: 2 },
      { _id: 3, name: 'Edsger', n: 3 },
    ]);
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  describe('unknown command fields are rejected, not ignored', () => {
    for (const [label, command, field] of [
      ['find', { find: 'people', filter: {}, fooBar: 1 }, 'find.fooBar'],
      ['insert', { insert: 'people', documents: [{ _id: 9 }], fooBar: 1 }, 'insert.fooBar'],
      ['count', { count: 'people', fooBar: 1 }, 'count.fooBar'],
      ['aggregate', { aggregate: 'people', pipeline: [], cursor: {}, fooBar: 1 }, 'aggregate.fooBar'],
      ['an update statement', { update: 'people', updates: [{ q: { _id: 1 }, u: { $set: { n: 5 } }, fooBar: 1 }] }, 'update.updates.fooBar'],
      ['a delete statement', { delete: 'people', deletes: [{ q: { _id: 1 }, limit: 1, fooBar: 1 }] }, 'delete.deletes.fooBar'],
    ] as const) {
      it(`in ${label}: 40415 naming the field`, async () => {
        const err = await serverError(db.command(command));
        expect(err.code).to.equal(40415);
        expect(err.message).to.equal(`BSON field '${field}' is an unknown field.`);
      });
    }

    it('and the statement they were in changed nothing', async () => {
      expect(await people.countDocuments({ _id: 9 })).to.equal(0);
      expect((await people.findOne({ _id: 1 }))?.n).to.equal(1);
    });

    it('accepts the generic fields drivers send (comment, maxTimeMS 0, readConcern)', async () => {
      const r = await db.command({ find: 'people', filter: { _id: 2 }, comment: 'why this query runs', maxTimeMS: 0, readConcern: { level: 'local' } });
      expect(r.cursor.firstBatch).to.deep.equal([{ _id: 2, name: 'Grace', n: 2 }]);
    });
  });

  describe('update operators', () => {
    it('two operators on one path are 40 ConflictingUpdateOperators', async () => {
      const err = await serverError(people.updateOne({ _id: 1 }, { $set: { n: 1 }, $inc: { n: 1 } }));
      expect([err.code, err.codeName]).to.deep.equal([40, 'ConflictingUpdateOperators']);
    });

    it('a path and its parent are a conflict too, and nothing changes', async () => {
      const err = await serverError(people.updateOne({ _id: 1 }, { $set: { 'a.b': 1 }, $unset: { a: '' } }));
      expect(err.code).to.equal(40);
      expect(await people.findOne({ _id: 1 })).to.deep.equal({ _id: 1, name: 'Ada', n: 1 });
    });

    it('sibling paths do not conflict', async () => {
      await people.updateOne({ _id: 3 }, { $set: { 'a.b': 1 }, $inc: { 'a.c': 2 } });
      expect((await people.findOne({ _id: 3 }))?.a).to.deep.equal({ b: 1, c: 2 });
      await people.updateOne({ _id: 3 }, { $unset: { a: '' } });
    });
  });

  describe('options that change results', () => {
    it('a hint that names no index is 2 BadValue', async () => {
      const err = await serverError(people.find({}, { hint: 'no_such_index' }).toArray());
      expect(err.code).to.equal(2);
      expect(err.message).to.include('hint provided does not correspond to an existing index');
    });

    it('an aggregate hint that names no index is 2 BadValue too, and one that names an index is used', async () => {
      const err = await serverError(people.aggregate([{ $match: { n: { $gt: 1 } } }], { hint: 'no_such_index' }).toArray());
      expect(err.code).to.equal(2);
      expect(await people.aggregate([{ $match: { n: { $gt: 1 } } }, { $sort: { _id: 1 } }], { hint: { _id: 1 } }).toArray()).to.have.length(2);
    });

    it('a negative maxTimeMS is 2 BadValue', async () => {
      const err = await serverError(db.command({ find: 'people', filter: {}, maxTimeMS: -1 }));
      expect(err.code).to.equal(2);
    });

    it('let variables reach $expr in aggregate', async () => {
      const r = await people.aggregate([{ $match: { $expr: { $eq: ['$name', '$$who'] } } }, { $project: { _id: 1 } }], { let: { who: 'Grace' } }).toArray();
      expect(r).to.deep.equal([{ _id: 2 }]);
    });
  });

  describe('find returnKey and showRecordId', () => {
    it('returnKey returns the keys of the index the query scans', async () => {
      const r = await db.command({ find: 'people', filter: { _id: { $gte: 2 } }, hint: { _id: 1 }, returnKey: true });
      expect(r.cursor.firstBatch).to.deep.equal([{ _id: 2 }, { _id: 3 }]);
    });

    it('returnKey without an index returns empty documents, one per match', async () => {
      const r = await db.command({ find: 'people', filter: { n: { $gte: 2 } }, hint: { $natural: 1 }, returnKey: true });
      expect(r.cursor.firstBatch).to.deep.equal([{}, {}]);
    });

    it('showRecordId adds a distinct $recordId to each projected document', async () => {
      const docs = await people.find({}, { showRecordId: true, projection: { name: 1 }, sort: { _id: 1 } }).toArray();
      expect(docs.map((d) => d.name)).to.deep.equal(['Ada', 'Grace', 'Edsger']);
      expect(docs.every((d) => Object.keys(d).sort().join() === '$recordId,_id,name')).to.equal(true);
      expect(new Set(docs.map((d) => Number(d.$recordId))).size).to.equal(3);
    });
  });

  describe('let variables in find, update, delete and findAndModify', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let vars: Collection<any>;
    const byName = { $expr: { $eq: ['$name', '$$who'] } };

    beforeEach(async () => {
      vars = db.collection('vars');
      await vars.deleteMany({});
      await vars.insertMany([
        { _id: 1, name: 'Ada', n: 1 },
        { _id: 2, name: 'Grace', n: 2 },
        { _id: 3, name: 'Edsger', n: 3 },
      ]);
    });

    it('find: $$var in $expr selects only what the variable names', async () => {
      expect(await vars.find(byName, { let: { who: 'Grace' } }).toArray()).to.deep.equal([{ _id: 2, name: 'Grace', n: 2 }]);
    });

    it('find: a variable is an expression evaluated once, and combines with indexed conditions', async () => {
      const r = await vars.find({ _id: { $gte: 2 }, $expr: { $gte: ['$n', '$$lo'] } }, { let: { lo: { $add: [1, 2] } }, sort: { _id: 1 } }).toArray();
      expect(r.map((d) => d._id)).to.deep.equal([3]);
    });

    it('update: the filter and a pipeline update both read the variables', async () => {
      const r = await vars.updateMany(byName, [{ $set: { n: '$$value' } }], { let: { who: 'Ada', value: 42 } });
      expect([r.matchedCount, r.modifiedCount]).to.deep.equal([1, 1]);
      expect((await vars.find({}, { sort: { _id: 1 } }).toArray()).map((d) => d.n)).to.deep.equal([42, 2, 3]);
    });

    it('update: an upsert that matches nothing inserts what the pipeline computed from the variables', async () => {
      const r = await vars.updateOne(byName, [{ $set: { name: '$$who', n: '$$value' } }], { upsert: true, let: { who: 'Barbara', value: 7 } });
      expect(r.upsertedCount).to.equal(1);
      expect(await vars.findOne({ _id: r.upsertedId }, { projection: { _id: 0 } })).to.deep.equal({ name: 'Barbara', n: 7 });
    });

    it('delete: removes only what the variable names', async () => {
      const r = await vars.deleteMany(byName, { let: { who: 'Edsger' } });
      expect(r.deletedCount).to.equal(1);
      expect((await vars.find().toArray()).map((d) => d.name).sort()).to.deep.equal(['Ada', 'Grace']);
    });

    it('findAndModify: updates and returns the document the variable names', async () => {
      const after = await vars.findOneAndUpdate(byName, { $set: { seen: true } }, { let: { who: 'Grace' }, returnDocument: 'after' });
      expect(after).to.deep.equal({ _id: 2, name: 'Grace', n: 2, seen: true });
      expect(await vars.countDocuments({ seen: true })).to.equal(1);
      const removed = await vars.findOneAndDelete(byName, { let: { who: 'Ada' } });
      expect(removed?._id).to.equal(1);
      expect(await vars.countDocuments()).to.equal(2);
    });

    it("a variable name that starts with a capital is mongod's 16870", async () => {
      const err = await serverError(db.command({ find: 'vars', filter: { $expr: { $eq: ['$name', '$$Who'] } }, let: { Who: 'Ada' } }));
      expect(err.code).to.equal(16870);
    });

    it('let that is not a document is 14 TypeMismatch', async () => {
      const err = await serverError(db.command({ find: 'vars', filter: {}, let: 5 }));
      expect(err.code).to.equal(14);
    });
  });

  describe('collation', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let names: Collection<any>;
    const en = (strength: number, more: object = {}) => ({ locale: 'en', strength, ...more });
    const ids = (docs: { _id: unknown }[]) => docs.map((d) => d._id);

    beforeEach(async () => {
      names = db.collection('names');
      await names.deleteMany({});
      await names.insertMany([
        { _id: 1, name: 'ada' },
        { _id: 2, name: 'Ada' },
        { _id: 3, name: 'ádá' },
        { _id: 4, name: 'Bob' },
        { _id: 5, name: 'bob' },
        { _id: 6, name: 'Zoë' },
        { _id: 7, v: 'item10' },
        { _id: 8, v: 'item9' },
        { _id: 9, v: 'item2' },
      ]);
      // A binary-ordered index the planner would otherwise use for these filters and sorts.
      await names.createIndex({ name: 1 });
    });

    it('find: equality follows the strength (1 ignores case and accents, 2 only case, 3 neither)', async () => {
      expect(ids(await names.find({ name: 'ADA' }, { collation: en(1), sort: { _id: 1 } }).toArray())).to.deep.equal([1, 2, 3]);
      expect(ids(await names.find({ name: 'ADA' }, { collation: en(2), sort: { _id: 1 } }).toArray())).to.deep.equal([1, 2]);
      expect(ids(await names.find({ name: 'ADA' }, { collation: en(3) }).toArray())).to.deep.equal([]);
      expect(ids(await names.find({ name: 'ADA' }).toArray())).to.deep.equal([]);
    });

    it('find: caseLevel at strength 1 ignores accents but not case', async () => {
      expect(ids(await names.find({ name: 'ada' }, { collation: en(1, { caseLevel: true }), sort: { _id: 1 } }).toArray())).to.deep.equal([1, 3]);
    });

    it('find: $in and ranges compare with the collator', async () => {
      expect(ids(await names.find({ name: { $in: ['BOB', 'zoe'] } }, { collation: en(1), sort: { _id: 1 } }).toArray())).to.deep.equal([4, 5, 6]);
      expect(ids(await names.find({ name: { $gte: 'b', $lt: 'c' } }, { collation: en(2), sort: { _id: 1 } }).toArray())).to.deep.equal([4, 5]);
      expect(ids(await names.find({ name: { $gte: 'b', $lt: 'c' } }, { sort: { _id: 1 } }).toArray())).to.deep.equal([5]);
    });

    it('find: operators that ignore collation still apply, also under $not', async () => {
      expect(ids(await names.find({ name: { $not: /^a/i } }, { collation: en(2), sort: { _id: 1 } }).toArray())).to.deep.equal([3, 4, 5, 6, 7, 8, 9]);
      expect(ids(await names.find({ name: { $exists: true, $ne: 'BOB', $regex: /^[a-z]/ } }, { collation: en(2), sort: { _id: 1 } }).toArray())).to.deep.equal([1]);
      expect(ids(await names.find({ $or: [{ name: 'ZOE' }, { v: { $gt: 'item5' } }] }, { collation: en(1), sort: { _id: 1 } }).toArray())).to.deep.equal([6, 8]);
    });

    it("find: sort is the language's order, not binary, also past the index", async () => {
      const sorted = await names.find({ name: { $exists: true } }, { collation: en(3), sort: { name: 1 } }).toArray();
      expect(ids(sorted)).to.deep.equal([1, 2, 3, 5, 4, 6]);
      const page = await names.find({ name: { $exists: true } }, { collation: en(3), sort: { name: -1 }, skip: 1, limit: 2 }).toArray();
      expect(ids(page)).to.deep.equal([4, 5]);
    });

    it('find: numericOrdering sorts item2 < item9 < item10', async () => {
      const r = await names.find({ v: { $exists: true } }, { collation: en(3, { numericOrdering: true }), sort: { v: 1 } }).toArray();
      expect(ids(r)).to.deep.equal([9, 8, 7]);
    });

    it('update and delete match with the collation, and touch nothing else', async () => {
      const u = await names.updateMany({ name: 'ADA' }, { $set: { hit: true } }, { collation: en(2) });
      expect([u.matchedCount, u.modifiedCount]).to.deep.equal([2, 2]);
      expect(ids(await names.find({ hit: true }, { sort: { _id: 1 } }).toArray())).to.deep.equal([1, 2]);
      const d = await names.deleteMany({ name: 'BOB' }, { collation: en(2) });
      expect(d.deletedCount).to.equal(2);
      expect(await names.countDocuments()).to.equal(7);
    });

    it('findAndModify matches and sorts with the collation', async () => {
      // Binary order would match only 'ada' and 'Ada' (both < 'b') and return 'ada'.
      const r = await names.findOneAndUpdate({ name: { $lt: 'b' } }, { $set: { first: true } }, { collation: en(3), sort: { name: -1 }, returnDocument: 'after' });
      expect(r?._id).to.equal(3);
      expect(await names.countDocuments({ first: true })).to.equal(1);
    });

    it('aggregate, countDocuments and distinct honour it', async () => {
      const r = await names.aggregate([{ $match: { name: 'ada' } }, { $sort: { _id: 1 } }, { $project: { _id: 1 } }], { collation: en(1) }).toArray();
      expect(r).to.deep.equal([{ _id: 1 }, { _id: 2 }, { _id: 3 }]);
      expect(await names.countDocuments({ name: 'ADA' }, { collation: en(2) })).to.equal(2);
      const values = await names.distinct('name', {}, { collation: en(2) });
      expect(values).to.have.length(4);
      expect(new Set(values.map((v: string) => v.toLowerCase()))).to.deep.equal(new Set(['ada', 'ádá', 'bob', 'zoë']));
    });

    it('a locale nobody knows is 2 BadValue, and the update it came with changed nothing', async () => {
      const err = await serverError(names.find({ name: 'ada' }, { collation: { locale: 'zz' } }).toArray());
      expect(err.code).to.equal(2);
      const r = await db.command({ update: 'names', updates: [{ q: { name: 'ADA' }, u: { $set: { hit: true } }, multi: true, collation: { locale: 'zz' } }] });
      expect(r.writeErrors?.[0]?.code).to.equal(2);
      expect(await names.countDocuments({ hit: true })).to.equal(0);
    });
  });

  describe('$out and $merge as the final stage', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    let target: Collection<any>;
    const sorted = async () => target.find({}, { sort: { _id: 1 } }).toArray();

    beforeEach(async () => {
      target = db.collection('outputs');
      await target.drop().catch(() => undefined);
      await target.insertMany([
        { _id: 1, name: 'old Ada', extra: true },
        { _id: 99, name: 'someone else' },
      ]);
      await target.createIndex({ name: 1 }, { unique: true });
    });

    it('$out replaces the target with the results and keeps its indexes', async () => {
      const r = await people.aggregate([{ $match: { n: { $gte: 2 } } }, { $project: { name: 1 } }, { $out: 'outputs' }]).toArray();
      expect(r).to.deep.equal([]);
      expect(await sorted()).to.deep.equal([
        { _id: 2, name: 'Grace' },
        { _id: 3, name: 'Edsger' },
      ]);
      expect((await target.indexes()).map((i) => i.name).sort()).to.deep.equal(['_id_', 'name_1']);
    });

    it('$out that would break a unique index is 11000 and leaves the target as it was', async () => {
      const err = await serverError(people.aggregate([{ $project: { name: 'same' } }, { $out: 'outputs' }]).toArray());
      expect(err.code).to.equal(11000);
      expect(await sorted()).to.deep.equal([
        { _id: 1, name: 'old Ada', extra: true },
        { _id: 99, name: 'someone else' },
      ]);
    });

    it('$out creates a missing collection, also in another database', async () => {
      const other = client.db(uniqueDbName('conformance_out'));
      try {
        await people.aggregate([{ $match: { _id: 1 } }, { $out: { db: other.databaseName, coll: 'copy' } }]).toArray();
        expect(await other.collection('copy').find().toArray()).to.deep.equal([{ _id: 1, name: 'Ada', n: 1 }]);
      } finally {
        await other.dropDatabase();
      }
    });

    it('$merge by default merges matched documents field by field and inserts the others', async () => {
      await people.aggregate([{ $match: { _id: { $in: [1, 2] } } }, { $merge: 'outputs' }]).toArray();
      expect(await sorted()).to.deep.equal([
        { _id: 1, name: 'Ada', extra: true, n: 1 },
        { _id: 2, name: 'Grace', n: 2 },
        { _id: 99, name: 'someone else' },
      ]);
    });

    it('$merge whenMatched replace / keepExisting, whenNotMatched discard', async () => {
      await people.aggregate([{ $match: { _id: { $in: [1, 2] } } }, { $merge: { into: 'outputs', whenMatched: 'replace', whenNotMatched: 'discard' } }]).toArray();
      expect(await sorted()).to.deep.equal([
        { _id: 1, name: 'Ada', n: 1 },
        { _id: 99, name: 'someone else' },
      ]);
      await people.aggregate([{ $project: { name: { $concat: ['new ', '$name'] } } }, { $merge: { into: 'outputs', whenMatched: 'keepExisting' } }]).toArray();
      expect((await sorted()).map((d) => d.name)).to.deep.equal(['Ada', 'new Grace', 'new Edsger', 'someone else']);
    });

    it('$merge whenMatched fail is 11000, whenNotMatched fail is 13113', async () => {
      const dup = await serverError(people.aggregate([{ $match: { _id: 1 } }, { $merge: { into: 'outputs', whenMatched: 'fail' } }]).toArray());
      expect(dup.code).to.equal(11000);
      const missing = await serverError(people.aggregate([{ $match: { _id: 3 } }, { $merge: { into: 'outputs', whenNotMatched: 'fail' } }]).toArray());
      expect(missing.code).to.equal(13113);
      expect(await target.countDocuments()).to.equal(2);
    });

    it('$out or $merge before the last stage is 40601, and nothing is written', async () => {
      const err = await serverError(people.aggregate([{ $out: 'outputs' }, { $match: {} }]).toArray());
      expect(err.code).to.equal(40601);
      const twice = await serverError(people.aggregate([{ $merge: 'outputs' }, { $out: 'outputs' }]).toArray());
      expect(twice.code).to.equal(40601);
      expect(await target.countDocuments()).to.equal(2);
    });
  });

  describe('what the embedded engine does not do is refused with 238 NotImplemented', function () {
    before(function () {
      if (!isEmbedded) this.skip();
    });

    for (const [label, command] of [
      ['find min/max', { find: 'people', hint: { _id: 1 }, min: { _id: 2 } }],
      ['a JSON-schema keyword the engine does not check', { create: 'checked', validator: { $jsonSchema: { patternProperties: { '^x': { bsonType: 'int' } } } } }],
      ['a capped collection', { create: 'ring', capped: true, size: 4096 }],
      ['a collation with $group by a field', { aggregate: 'people', pipeline: [{ $group: { _id: '$name' } }], cursor: {}, collation: { locale: 'en', strength: 2 } }],
      ['collation strength 4', { find: 'people', filter: { name: 'ada' }, collation: { locale: 'en', strength: 4 } }],
      ['constants in a pipeline update', { update: 'people', updates: [{ q: { _id: 1 }, u: [{ $set: { n: '$$c' } }], c: { c: 7 } }] }],
    ] as const) {
      it(label, async () => {
        const err = await serverError(db.command(command));
        expect([err.code, err.codeName]).to.deep.equal([238, 'NotImplemented']);
      });
    }

    it('and nothing was deleted, changed or created by the refused commands', async () => {
      expect(await people.countDocuments()).to.equal(3);
      const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
      expect(names.filter((n) => ['recent', 'checked', 'ring'].includes(n))).to.deep.equal([]);
      expect((await people.findOne({ _id: 1 }))?.n).to.equal(1);
    });

    it('a read that took longer than its maxTimeMS answers 50 MaxTimeMSExpired', async () => {
      const big = db.collection('big');
      await big.insertMany(Array.from({ length: 20_000 }, (_, i) => ({ i, s: `item number ${i} of many` })));
      // Evaluating this expression on 20 000 documents takes well over a millisecond on any machine.
      const slow = { $expr: { $regexMatch: { input: { $concat: ['$s', '$s', '$s'] }, regex: 'z$' } } };
      const err = await serverError(big.find(slow, { maxTimeMS: 1 }).toArray());
      expect([err.code, err.codeName]).to.deep.equal([50, 'MaxTimeMSExpired']);
      expect(await big.countDocuments(slow, { maxTimeMS: 60_000 })).to.equal(0);
    });
  });
});
