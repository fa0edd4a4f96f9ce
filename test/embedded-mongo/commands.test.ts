import { expect } from 'chai';
import { Long, MongoBulkWriteError, MongoClient, MongoServerError, ObjectId, type Collection, type Db } from 'mongodb';
import { serverError } from './support';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';

describe('embedded-mongo commands through the official driver', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;
  // The tests use numbers and strings as _id, which the driver's default typing does not expect.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const col = (name: string): Collection<any> => db.collection<any>(name);
  const dbName = uniqueDbName('commands');

  before(async () => {
    target = await startTarget();
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(dbName);
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  describe('databases and collections', () => {
    it('create, listCollections, listDatabases, drop and dropDatabase', async () => {
      const other = client.db(uniqueDbName('other'));
      await other.createCollection('alpha');
      await other.collection('beta').insertOne({ x: 1 });
      const names = (await other.listCollections().toArray()).map((c) => c.name).sort();
      expect(names).to.deep.equal(['alpha', 'beta']);
      const filtered = await other.listCollections({ name: 'beta' }, { nameOnly: true }).toArray();
      expect(filtered.map((c) => c.name)).to.deep.equal(['beta']);
      const full = await other.listCollections({ name: 'alpha' }).toArray();
      expect(full[0].type).to.equal('collection');
      expect((full[0] as { info?: { uuid?: unknown } }).info?.uuid).to.exist;

      const dbs = await client.db('admin').admin().listDatabases();
      expect(dbs.databases.map((d) => d.name)).to.include(other.databaseName);

      expect(await other.collection('alpha').drop()).to.equal(true);
      expect((await other.listCollections().toArray()).map((c) => c.name)).to.deep.equal(['beta']);
      expect(await other.dropDatabase()).to.equal(true);
      const after = await client.db('admin').admin().listDatabases({ nameOnly: true });
      expect(after.databases.map((d) => d.name)).to.not.include(other.databaseName);
    });

    it('create of an existing collection is error 48 NamespaceExists', async () => {
      await db.createCollection('exists');
      const err = await serverError(db.command({ create: 'exists' }));
      expect(err.code).to.equal(48);
      expect(err.codeName).to.equal('NamespaceExists');
    });

    it('dropping a missing collection succeeds as on MongoDB 7', async () => {
      const res = await db.command({ drop: 'never_created' }).catch((e: MongoServerError) => e);
      // MongoDB before 7.0 answered 26; 7.0 and later answer ok. Both are accepted by drivers.
      if (res instanceof MongoServerError) expect(res.code).to.equal(26);
      else expect(res.ok).to.equal(1);
    });

    it('rejects an invalid collection name with 73 InvalidNamespace', async () => {
      const err = await serverError(db.command({ create: 'bad$name' }));
      expect(err.code).to.equal(73);
    });
  });

  describe('insert', () => {
    it('assigns ObjectId _ids and stores every BSON type mongoose uses', async () => {
      const c = col('types');
      const when = new Date('2024-05-01T10:00:00Z');
      const ref = new ObjectId();
      const res = await c.insertOne({ s: 'text', n: 42, f: 1.5, b: true, d: when, ref, arr: [1, 'two'], sub: { k: null } });
      expect(res.insertedId).to.be.instanceOf(ObjectId);
      const doc = await c.findOne({ _id: res.insertedId });
      expect(doc).to.deep.equal({ _id: res.insertedId, s: 'text', n: 42, f: 1.5, b: true, d: when, ref, arr: [1, 'two'], sub: { k: null } });
    });

    it('ordered inserts stop at the first duplicate; unordered ones go on', async () => {
      const c = col('ordered');
      const ordered = await c.insertMany([{ _id: 1 }, { _id: 1 }, { _id: 2 }] ).catch((e: unknown) => e);
      expect(ordered).to.be.instanceOf(MongoBulkWriteError);
      expect(await c.countDocuments()).to.equal(1);
      const unordered = (await c.insertMany([{ _id: 3 }, { _id: 1 }, { _id: 4 }] , { ordered: false }).catch((e: unknown) => e)) as MongoBulkWriteError;
      expect(unordered).to.be.instanceOf(MongoBulkWriteError);
      expect(await c.countDocuments()).to.equal(3);
      expect(unordered.writeErrors).to.have.length(1);
      // The driver keeps only index/code/errmsg of bulk write errors; the raw reply carries the rest.
      const raw = await db.command({ insert: 'ordered', ordered: false, documents: [{ _id: 5 }, { _id: 3 }] });
      expect(raw.n).to.equal(1);
      expect(raw.writeErrors).to.have.length(1);
      expect(raw.writeErrors[0]).to.include({ index: 1, code: 11000 });
      expect(raw.writeErrors[0].errmsg).to.match(/E11000 duplicate key error/);
      expect(raw.writeErrors[0].keyPattern).to.deep.equal({ _id: 1 });
      expect(raw.writeErrors[0].keyValue).to.deep.equal({ _id: 3 });
    });

    it('processes unacknowledged (w:0, moreToCome) writes without replying', async () => {
      const c = col('w0');
      await c.insertOne({ a: 1 }, { writeConcern: { w: 0 } });
      await c.insertOne({ a: 2 }, { writeConcern: { w: 0 } });
      // Nothing acknowledges a w:0 write, so wait until both are visible.
      const deadline = Date.now() + 2000;
      while ((await c.countDocuments()) < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      expect(await c.countDocuments()).to.equal(2);
    });

    it("refuses an array _id with error 2 BadValue", async () => {
      const err = (await col('badid').insertOne({ _id: [1, 2] }).catch((e: unknown) => e)) as MongoServerError;
      expect(err.code).to.equal(2);
    });
  });

  describe('find, getMore, killCursors', () => {
    before(async () => {
      await col('people').insertMany(
        Array.from({ length: 250 }, (_, i) => ({ _id: i, name: `p${i}`, age: i % 50, city: i % 2 ? 'Oslo' : 'Lima', tags: i % 3 ? ['a'] : ['a', 'b'], nested: { rank: i } })),
      );
    });

    it('filters with query operators, sorts, skips, limits and projects', async () => {
      const c = col('people');
      const docs = await c
        .find({ age: { $gte: 40, $lt: 45 }, city: 'Oslo', tags: 'b' }, { projection: { name: 1, 'nested.rank': 1 } })
        .sort({ age: -1, _id: 1 })
        .skip(1)
        .limit(3)
        .toArray();
      // Matches are 93 and 243 (age 43) then 141 (age 41); the skip drops 93.
      expect(docs).to.deep.equal([
        { _id: 243, name: 'p243', nested: { rank: 243 } },
        { _id: 141, name: 'p141', nested: { rank: 141 } },
      ]);
      expect(await c.countDocuments({ $or: [{ age: 0 }, { name: /^p24\d$/ }] })).to.equal(15);
      expect(await c.findOne({ _id: 7 }, { projection: { _id: 0, name: 1 } })).to.deep.equal({ name: 'p7' });
      expect(await c.findOne({ 'nested.rank': { $in: [3, 4] } }, { sort: { _id: -1 } })).to.include({ _id: 4 });
      expect(await c.find({ missing: { $exists: true } }).toArray()).to.deep.equal([]);
      const [excluded] = await c.find({ _id: 7 }, { projection: { 'nested.rank': 0, tags: 0 } }).toArray();
      expect(excluded).to.deep.equal({ _id: 7, name: 'p7', age: 7, city: 'Oslo', nested: {} });
      expect((await c.findOne({ _id: 7 }))?.nested).to.deep.equal({ rank: 7 });
    });

    it('refuses server-side JavaScript ($where, $function) instead of running it in-process', async function () {
      if (!isEmbedded) this.skip();
      const where = await serverError(col('people').find({ $where: 'this.age > 1' }).toArray());
      expect(where.code).to.equal(2);
      const fn = await serverError(
        col('people').aggregate([{ $project: { x: { $function: { body: 'function() { return 1 }', args: [], lang: 'js' } } } }]).toArray(),
      );
      expect(fn.code).to.equal(2);
    });

    it('find on a missing collection returns an empty cursor', async () => {
      expect(await col('nothing_here').find({}).toArray()).to.deep.equal([]);
    });

    it('getMore on an unknown or killed cursor is error 43 CursorNotFound', async () => {
      const first = await db.command({ find: 'people', batchSize: 2 });
      const id = Long.fromValue(first.cursor.id);
      expect(id.isZero()).to.equal(false);
      const killed = await db.command({ killCursors: 'people', cursors: [id] });
      expect(killed.cursorsKilled).to.have.length(1);
      const err = await serverError(db.command({ getMore: id, collection: 'people' }));
      expect(err.code).to.equal(43);
      expect(err.codeName).to.equal('CursorNotFound');
      const unknown = await serverError(db.command({ getMore: Long.fromNumber(123456789), collection: 'people' }));
      expect(unknown.code).to.equal(43);
    });

    it('a malformed or unknown query operator is error 2 BadValue', async () => {
      const err = await serverError(col('people').find({ age: { $in: 5 } }).toArray());
      expect(err.code).to.equal(2);
      const op = await serverError(col('people').find({ age: { $frob: 1 } }).toArray());
      expect(op.code).to.equal(2);
    });
  });

  describe('update', () => {
    it('updates one or many with operators and reports matched and modified counts', async () => {
      const c = col('upd');
      await c.insertMany([{ _id: 1, n: 1, g: 'x' }, { _id: 2, n: 2, g: 'x' }, { _id: 3, n: 3, g: 'y' }]);
      const one = await c.updateOne({ g: 'x' }, { $inc: { n: 10 } });
      expect(one).to.include({ matchedCount: 1, modifiedCount: 1 });
      const many = await c.updateMany({ g: 'x' }, { $set: { flag: true }, $unset: { g: '' } });
      expect(many).to.include({ matchedCount: 2, modifiedCount: 2 });
      const noop = await c.updateOne({ _id: 3 }, { $set: { n: 3 } });
      expect(noop).to.include({ matchedCount: 1, modifiedCount: 0 });
      expect(await c.find({}, { sort: { _id: 1 } }).toArray()).to.deep.equal([
        { _id: 1, n: 11, flag: true },
        { _id: 2, n: 2, flag: true },
        { _id: 3, n: 3, g: 'y' },
      ]);
    });

    it('upserts from the equality fields of the query plus the update', async () => {
      const c = col('ups');
      const res = await c.updateOne({ email: 'a@b.c', 'profile.lang': 'fr', age: { $gt: 3 } }, { $set: { name: 'A' }, $setOnInsert: { created: 1 } }, { upsert: true });
      expect(res.upsertedCount).to.equal(1);
      const doc = await c.findOne({ _id: res.upsertedId! });
      expect(doc).to.deep.equal({ _id: res.upsertedId, email: 'a@b.c', profile: { lang: 'fr' }, name: 'A', created: 1 });
      const again = await c.updateOne({ email: 'a@b.c' }, { $set: { name: 'B' }, $setOnInsert: { created: 2 } }, { upsert: true });
      expect(again).to.include({ matchedCount: 1, modifiedCount: 1, upsertedCount: 0 });
      expect((await c.findOne({ email: 'a@b.c' }))?.created).to.equal(1);
      const withId = await c.updateOne({ _id: 'fixed' }, { $set: { v: 1 } }, { upsert: true });
      expect(withId.upsertedId).to.equal('fixed');
    });

    it('applies arrayFilters, positional updates, replacements and pipeline updates', async () => {
      const c = col('arr');
      await c.insertOne({ _id: 1, grades: [{ g: 80, n: 0 }, { g: 95, n: 0 }, { g: 99, n: 0 }], tags: ['a', 'b'] });
      await c.updateOne({ _id: 1 }, { $inc: { 'grades.$[hi].n': 1 } }, { arrayFilters: [{ 'hi.g': { $gte: 90 } }] });
      await c.updateOne({ _id: 1, tags: 'b' }, { $set: { 'tags.$': 'B' } });
      let doc = await c.findOne({ _id: 1 });
      expect(doc?.grades).to.deep.equal([{ g: 80, n: 0 }, { g: 95, n: 1 }, { g: 99, n: 1 }]);
      expect(doc?.tags).to.deep.equal(['a', 'B']);
      await c.replaceOne({ _id: 1 }, { only: 'this' });
      expect(await c.findOne({ _id: 1 })).to.deep.equal({ _id: 1, only: 'this' });
      await c.updateOne({ _id: 1 }, [{ $set: { shout: { $toUpper: '$only' } } }]);
      doc = await c.findOne({ _id: 1 });
      expect(doc).to.deep.equal({ _id: 1, only: 'this', shout: 'THIS' });
    });

    it('refuses to change _id (66) and unknown modifiers (9)', async () => {
      const c = col('imm');
      await c.insertOne({ _id: 1 });
      const err = await serverError(c.updateOne({ _id: 1 }, { $set: { _id: 2 } }));
      expect(err.code).to.equal(66);
      expect((await c.updateOne({ _id: 1 }, { $set: { _id: 1, same: true } })).modifiedCount).to.equal(1);
      const bad = await serverError(db.command({ update: 'imm', updates: [{ q: {}, u: { $frob: { a: 1 } } }] }).then((r) => {
        if (r.writeErrors) throw new MongoServerError(r.writeErrors[0]);
        return r;
      }));
      expect(bad.code).to.equal(9);
    });

    it('ordered:false keeps going after a duplicate and reports each writeError with its index', async () => {
      const c = col('updunique');
      await c.createIndex({ k: 1 }, { unique: true });
      await c.insertMany([{ _id: 1, k: 1 }, { _id: 2, k: 2 }, { _id: 3, k: 3 }]);
      const res = await db.command({
        update: 'updunique',
        ordered: false,
        updates: [
          { q: { _id: 1 }, u: { $set: { k: 2 } } },
          { q: { _id: 3 }, u: { $set: { k: 30 } } },
        ],
      });
      expect(res.n).to.equal(1);
      expect(res.nModified).to.equal(1);
      expect(res.writeErrors).to.have.length(1);
      expect(res.writeErrors[0]).to.include({ index: 0, code: 11000 });
      expect(res.writeErrors[0].keyPattern).to.deep.equal({ k: 1 });
      expect(res.writeErrors[0].keyValue).to.deep.equal({ k: 2 });
      expect((await c.findOne({ _id: 1 }))?.k).to.equal(1);
      expect((await c.findOne({ _id: 3 }))?.k).to.equal(30);
    });
  });

  describe('delete', () => {
    it('deletes one or many', async () => {
      const c = col('del');
      await c.insertMany([{ t: 1 }, { t: 1 }, { t: 1 }, { t: 2 }]);
      expect((await c.deleteOne({ t: 1 })).deletedCount).to.equal(1);
      expect((await c.deleteMany({ t: 1 })).deletedCount).to.equal(2);
      expect((await c.deleteMany({ t: 3 })).deletedCount).to.equal(0);
      expect(await c.countDocuments()).to.equal(1);
    });
  });

  describe('findAndModify', () => {
    it('returns the document before or after, sorts, projects, removes and upserts', async () => {
      const c = col('fam');
      await c.insertMany([{ _id: 1, q: 5, v: 'a' }, { _id: 2, q: 5, v: 'b' }]);
      const before = await c.findOneAndUpdate({ q: 5 }, { $set: { v: 'z' } }, { sort: { _id: -1 }, returnDocument: 'before' });
      expect(before).to.deep.equal({ _id: 2, q: 5, v: 'b' });
      const after = await c.findOneAndUpdate({ _id: 1 }, { $inc: { q: 1 } }, { returnDocument: 'after', projection: { q: 1 } });
      expect(after).to.deep.equal({ _id: 1, q: 6 });
      const upserted = await c.findOneAndUpdate({ _id: 9 }, { $set: { v: 'new' } }, { upsert: true, returnDocument: 'after', includeResultMetadata: true });
      expect(upserted.value).to.deep.equal({ _id: 9, v: 'new' });
      expect(upserted.lastErrorObject).to.deep.include({ n: 1, updatedExisting: false, upserted: 9 });
      const removed = await c.findOneAndDelete({ _id: 2 });
      expect(removed).to.deep.equal({ _id: 2, q: 5, v: 'z' });
      expect(await c.findOneAndUpdate({ _id: 404 }, { $set: { v: 1 } })).to.equal(null);
      const replaced = await c.findOneAndReplace({ _id: 1 }, { only: true }, { returnDocument: 'after' });
      expect(replaced).to.deep.equal({ _id: 1, only: true });
    });

    it('applies arrayFilters', async () => {
      const c = col('famarr');
      await c.insertOne({ _id: 1, xs: [1, 5, 9] });
      const doc = await c.findOneAndUpdate({ _id: 1 }, { $set: { 'xs.$[big]': 0 } }, { arrayFilters: [{ big: { $gt: 4 } }], returnDocument: 'after' });
      expect(doc?.xs).to.deep.equal([1, 0, 0]);
    });

    it('a duplicate key is a top-level error 11000 with keyPattern and keyValue', async () => {
      const c = col('famdup');
      await c.createIndex({ email: 1 }, { unique: true });
      await c.insertMany([{ email: 'a' }, { email: 'b' }]);
      const err = await serverError(c.findOneAndUpdate({ email: 'b' }, { $set: { email: 'a' } }));
      expect(err.code).to.equal(11000);
      expect(err.keyPattern).to.deep.equal({ email: 1 });
      expect(err.keyValue).to.deep.equal({ email: 'a' });
    });
  });

  describe('count, distinct, aggregate', () => {
    before(async () => {
      await col('orders').insertMany([
        { _id: 1, user: 'u1', total: 10, items: ['pen', 'ink'] },
        { _id: 2, user: 'u1', total: 30, items: ['pad'] },
        { _id: 3, user: 'u2', total: 5, items: ['pen'] },
      ]);
      await col('users').insertMany([
        { _id: 'u1', name: 'Ana' },
        { _id: 'u2', name: 'Bo' },
      ]);
    });

    it('count and estimatedDocumentCount', async () => {
      const c = col('orders');
      expect(await c.estimatedDocumentCount()).to.equal(3);
      expect((await db.command({ count: 'orders', query: { user: 'u1' } })).n).to.equal(2);
      expect((await db.command({ count: 'orders', query: {}, skip: 1, limit: 1 })).n).to.equal(1);
      expect((await db.command({ count: 'nope' })).n).to.equal(0);
      expect(await c.countDocuments({ total: { $gt: 6 } }, { limit: 1 })).to.equal(1);
    });

    it('distinct flattens arrays and de-duplicates', async () => {
      const c = col('orders');
      expect((await c.distinct('items')).sort()).to.deep.equal(['ink', 'pad', 'pen']);
      expect(await c.distinct('user', { total: { $lt: 20 } })).to.have.members(['u1', 'u2']);
    });

    it('aggregates with $match, $group, $sort, $lookup, $unwind, $project, $facet, $count and $limit', async () => {
      const c = col('orders');
      const totals = await c
        .aggregate([
          { $match: { total: { $gte: 5 } } },
          { $group: { _id: '$user', sum: { $sum: '$total' }, n: { $sum: 1 } } },
          { $sort: { sum: -1 } },
          { $lookup: { from: 'users', localField: '_id', foreignField: '_id', as: 'user' } },
          { $unwind: '$user' },
          { $project: { _id: 0, name: '$user.name', sum: 1, n: 1 } },
        ])
        .toArray();
      expect(totals).to.deep.equal([
        { sum: 40, n: 2, name: 'Ana' },
        { sum: 5, n: 1, name: 'Bo' },
      ]);
      const [facets] = await c
        .aggregate([{ $facet: { big: [{ $match: { total: { $gt: 9 } } }, { $count: 'n' }], first: [{ $sort: { _id: 1 } }, { $limit: 1 }, { $project: { _id: 1 } }] } }])
        .toArray();
      expect(facets).to.deep.equal({ big: [{ n: 2 }], first: [{ _id: 1 }] });
      const users = await col('users').find({}, { sort: { _id: 1 } }).toArray();
      expect(users).to.deep.equal([{ _id: 'u1', name: 'Ana' }, { _id: 'u2', name: 'Bo' }]);
    });

    it('aggregate stages that edit nested fields leave the stored documents untouched', async () => {
      await col('prefs').insertOne({ _id: 'p', prefs: { theme: 'dark' } });
      const edited = await col('prefs').aggregate([{ $match: { _id: 'p' } }, { $set: { 'prefs.seen': true } }, { $unset: 'prefs.theme' }]).toArray();
      expect(edited).to.deep.equal([{ _id: 'p', prefs: { seen: true } }]);
      expect(await col('prefs').findOne({ _id: 'p' })).to.deep.equal({ _id: 'p', prefs: { theme: 'dark' } });
      const joined = await col('orders')
        .aggregate([{ $match: { _id: 1 } }, { $lookup: { from: 'prefs', pipeline: [{ $set: { 'prefs.seen': true } }], as: 'p' } }])
        .toArray();
      expect(joined[0].p).to.deep.equal([{ _id: 'p', prefs: { theme: 'dark', seen: true } }]);
      expect(await col('prefs').findOne({ _id: 'p' })).to.deep.equal({ _id: 'p', prefs: { theme: 'dark' } });
    });

    it('aggregate returns results across batches', async () => {
      const c = col('aggbatches');
      await c.insertMany(Array.from({ length: 120 }, (_, i) => ({ i })));
      const out = await c.aggregate([{ $sort: { i: -1 } }, { $project: { _id: 0, i: 1 } }], { batchSize: 7 }).toArray();
      expect(out).to.have.length(120);
      expect(out[0]).to.deep.equal({ i: 119 });
    });
  });

  describe('indexes', () => {
    it('createIndexes, listIndexes and dropIndexes', async () => {
      const c = col('idx');
      await c.insertOne({ a: 1, b: 2 });
      expect(await c.createIndex({ a: 1, b: -1 })).to.equal('a_1_b_-1');
      expect(await c.createIndex({ b: 1 }, { name: 'by_b', sparse: true })).to.equal('by_b');
      expect(await c.createIndex({ a: 1, b: -1 })).to.equal('a_1_b_-1');
      const list = await c.listIndexes().toArray();
      expect(list.map((i) => i.name)).to.deep.equal(['_id_', 'a_1_b_-1', 'by_b']);
      expect(list[2]).to.deep.include({ key: { b: 1 }, sparse: true });
      await c.dropIndex('by_b');
      await db.command({ dropIndexes: 'idx', index: { a: 1, b: -1 } });
      expect((await c.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
      await c.createIndexes([{ key: { x: 1 } }, { key: { y: 1 } }]);
      await c.dropIndexes();
      expect((await c.listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
    });

    it('answers NamespaceNotFound (26), IndexNotFound (27) and conflicting names (85/86)', async () => {
      expect((await serverError(col('ghost').listIndexes().toArray())).code).to.equal(26);
      expect((await serverError(db.command({ dropIndexes: 'ghost', index: 'x_1' }))).code).to.equal(26);
      const c = col('idx2');
      await c.createIndex({ a: 1 });
      expect((await serverError(c.dropIndex('nope_1'))).code).to.equal(27);
      expect((await serverError(c.dropIndex('_id_'))).code).to.equal(72);
      expect((await serverError(c.createIndex({ b: 1 }, { name: 'a_1' }))).code).to.equal(86);
      expect((await serverError(c.createIndex({ a: 1 }, { name: 'other' }))).code).to.equal(85);
    });
  });
});
