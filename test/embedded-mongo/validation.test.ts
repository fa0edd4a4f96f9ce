import { expect } from 'chai';
import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import { serverError, tempDirs, withServer as withEmbedded } from './support';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';

const memberSchema = {
  $jsonSchema: {
    bsonType: 'object',
    required: ['name', 'email'],
    properties: {
      name: { bsonType: 'string', minLength: 1 },
      email: { bsonType: 'string', pattern: '@' },
      age: { bsonType: 'int', minimum: 0 },
    },
  },
};

/** Collection validators as mongod 7.0 has them; written to pass against a real MongoDB too (MONGODB_URI). */
describe('embedded-mongo validators and collMod', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const coll = (name: string): Collection<any> => db.collection(name);

  before(async () => {
    target = await startTarget();
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(uniqueDbName('validation'));
    await db.createCollection('members', { validator: memberSchema });
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  describe('$jsonSchema', () => {
    it('accepts a document that satisfies the schema', async () => {
      await coll('members').insertOne({ _id: 1, name: 'Ada', email: 'ada@example.org', age: 36 });
      expect(await coll('members').countDocuments({ _id: 1 })).to.equal(1);
    });

    it('a missing required field is 121 with the missing properties in errInfo, and nothing is stored', async () => {
      const err = await serverError(coll('members').insertOne({ _id: 2, name: 'Grace' }));
      expect([err.code, err.codeName]).to.deep.equal([121, 'DocumentValidationFailure']);
      expect(err.errInfo).to.deep.equal({
        failingDocumentId: 2,
        details: {
          operatorName: '$jsonSchema',
          schemaRulesNotSatisfied: [{ operatorName: 'required', specifiedAs: { required: ['name', 'email'] }, missingProperties: ['email'] }],
        },
      });
      expect(await coll('members').countDocuments({ _id: 2 })).to.equal(0);
    });

    it('a property that breaks its rule is described under propertiesNotSatisfied', async () => {
      const err = await serverError(coll('members').insertOne({ _id: 3, name: 'Edsger', email: 'ed@example.org', age: -1 }));
      expect(err.code).to.equal(121);
      expect(err.errInfo?.details.schemaRulesNotSatisfied).to.deep.equal([
        {
          operatorName: 'properties',
          propertiesNotSatisfied: [
            { propertyName: 'age', details: [{ operatorName: 'minimum', specifiedAs: { minimum: 0 }, reason: 'comparison failed', consideredValue: -1 }] },
          ],
        },
      ]);
    });

    it('a wrong type is "type did not match" with the type it had', async () => {
      const err = await serverError(coll('members').insertOne({ _id: 4, name: 42, email: 'x@example.org' }));
      const [rule] = err.errInfo?.details.schemaRulesNotSatisfied as Document[];
      expect(rule.propertiesNotSatisfied[0].details[0]).to.deep.include({ operatorName: 'bsonType', reason: 'type did not match', consideredValue: 42, consideredType: 'int' });
    });

    it('in insertMany, the failing document is a write error and the ones before it stay', async () => {
      const err = await serverError(coll('members').insertMany([{ _id: 5, name: 'Barbara', email: 'b@example.org' }, { _id: 6, name: '' , email: 'x@example.org' }]));
      expect(err.code).to.equal(121);
      expect(await coll('members').find({ _id: { $in: [5, 6] } }).toArray()).to.have.length(1);
    });

    it('an update that would break the schema is 121 and changes nothing; one that keeps it passes', async () => {
      const err = await serverError(coll('members').updateOne({ _id: 1 }, { $unset: { email: '' } }));
      expect(err.code).to.equal(121);
      expect(err.errInfo?.failingDocumentId).to.equal(1);
      await coll('members').updateOne({ _id: 1 }, { $set: { age: 37 } });
      expect(await coll('members').findOne({ _id: 1 })).to.deep.equal({ _id: 1, name: 'Ada', email: 'ada@example.org', age: 37 });
    });

    it('findOneAndUpdate and a replacement are checked too', async () => {
      expect((await serverError(coll('members').findOneAndUpdate({ _id: 1 }, { $set: { email: 'no at sign' } }))).code).to.equal(121);
      expect((await serverError(coll('members').replaceOne({ _id: 1 }, { name: 'Ada' }))).code).to.equal(121);
      expect((await coll('members').findOne({ _id: 1 }))?.email).to.equal('ada@example.org');
    });

    it('an upsert that would insert an invalid document is 121 and inserts nothing', async () => {
      const err = await serverError(coll('members').updateOne({ _id: 7 }, { $set: { name: 'Nobody' } }, { upsert: true }));
      expect(err.code).to.equal(121);
      expect(await coll('members').countDocuments({ _id: 7 })).to.equal(0);
    });

    it('bypassDocumentValidation lets a write through', async () => {
      await coll('members').insertOne({ _id: 8, name: 'Imported' }, { bypassDocumentValidation: true });
      await coll('members').updateOne({ _id: 8 }, { $set: { age: -5 } }, { bypassDocumentValidation: true });
      expect(await coll('members').findOne({ _id: 8 })).to.deep.equal({ _id: 8, name: 'Imported', age: -5 });
    });

    it('$out into a validated collection is checked and leaves it as it was; with bypass it writes', async () => {
      await db.createCollection('outTarget', { validator: { n: { $gte: 0 } } });
      await coll('outTarget').insertOne({ _id: 'kept', n: 1 });
      await coll('source').insertMany([{ _id: 'a', n: 2 }, { _id: 'b', n: -2 }]);
      const err = await serverError(coll('source').aggregate([{ $out: 'outTarget' }]).toArray());
      expect(err.code).to.equal(121);
      expect(await coll('outTarget').find().toArray()).to.deep.equal([{ _id: 'kept', n: 1 }]);
      await coll('source').aggregate([{ $out: 'outTarget' }], { bypassDocumentValidation: true }).toArray();
      expect(await coll('outTarget').countDocuments()).to.equal(2);
    });

    it('an unknown $jsonSchema keyword is 9 FailedToParse and creates nothing', async () => {
      const err = await serverError(db.createCollection('badSchema', { validator: { $jsonSchema: { requird: ['x'] } } }));
      expect(err.code).to.equal(9);
      expect(await db.listCollections({ name: 'badSchema' }).toArray()).to.deep.equal([]);
    });
  });

  describe('query-operator validators', () => {
    before(async () => {
      await db.createCollection('scores', { validator: { n: { $gt: 0 } } });
    });

    it('a failing comparison reports the operator, what it was given and the value considered', async () => {
      const err = await serverError(coll('scores').insertOne({ _id: 1, n: -1 }));
      expect(err.code).to.equal(121);
      expect(err.errInfo?.details).to.deep.equal({ operatorName: '$gt', specifiedAs: { n: { $gt: 0 } }, reason: 'comparison failed', consideredValue: -1 });
    });

    it('a missing field says so', async () => {
      const err = await serverError(coll('scores').insertOne({ _id: 2 }));
      expect(err.errInfo?.details).to.deep.equal({ operatorName: '$gt', specifiedAs: { n: { $gt: 0 } }, reason: 'field was missing' });
    });

    it('several conditions are an $and whose failing clauses are listed by index', async () => {
      await db.createCollection('pairs', { validator: { a: { $gt: 0 }, b: { $type: 'string' } } });
      const err = await serverError(coll('pairs').insertOne({ _id: 1, a: 5, b: 7 }));
      expect(err.errInfo?.details.operatorName).to.equal('$and');
      expect(err.errInfo?.details.clausesNotSatisfied.map((c: Document) => [c.index, c.details.operatorName])).to.deep.equal([[1, '$type']]);
    });
  });

  describe('validationLevel, validationAction and collMod', () => {
    before(async () => {
      await coll('notes').insertMany([{ _id: 1, text: 'fine' }, { _id: 2 }]);
    });

    it('collMod adds a validator: existing documents stay, new ones are checked', async () => {
      await db.command({ collMod: 'notes', validator: { text: { $type: 'string' } } });
      expect(await coll('notes').countDocuments()).to.equal(2);
      expect((await serverError(coll('notes').insertOne({ _id: 3 }))).code).to.equal(121);
      const [info] = (await db.listCollections({ name: 'notes' }).toArray()) as Document[];
      expect(info.options).to.deep.equal({ validator: { text: { $type: 'string' } }, validationLevel: 'strict', validationAction: 'error' });
    });

    it('strict checks every update, even of a document that was already invalid', async () => {
      expect((await serverError(coll('notes').updateOne({ _id: 2 }, { $set: { other: 1 } }))).code).to.equal(121);
    });

    it('moderate lets an invalid document be updated, but not a valid one be broken', async () => {
      await db.command({ collMod: 'notes', validationLevel: 'moderate' });
      await coll('notes').updateOne({ _id: 2 }, { $set: { other: 1 } });
      expect((await serverError(coll('notes').updateOne({ _id: 1 }, { $unset: { text: '' } }))).code).to.equal(121);
      expect((await serverError(coll('notes').insertOne({ _id: 3 }))).code).to.equal(121);
    });

    it('action warn lets the write through', async () => {
      await db.command({ collMod: 'notes', validationAction: 'warn' });
      await coll('notes').insertOne({ _id: 4 });
      expect(await coll('notes').countDocuments({ _id: 4 })).to.equal(1);
    });

    it('level off checks nothing', async () => {
      await db.command({ collMod: 'notes', validationLevel: 'off', validationAction: 'error' });
      await coll('notes').insertOne({ _id: 5, text: 5 });
      expect(await coll('notes').countDocuments({ _id: 5 })).to.equal(1);
    });

    it('a bad level is 2 BadValue and changes nothing', async () => {
      const err = await serverError(db.command({ collMod: 'notes', validationLevel: 'sometimes' }));
      expect(err.code).to.equal(2);
      const [info] = (await db.listCollections({ name: 'notes' }).toArray()) as Document[];
      expect(info.options.validationLevel).to.equal('off');
    });

    it('collMod of a missing collection is 26, an unknown field 40415', async () => {
      expect((await serverError(db.command({ collMod: 'nothing', validationLevel: 'strict' }))).code).to.equal(26);
      expect((await serverError(db.command({ collMod: 'notes', fooBar: 1 }))).code).to.equal(40415);
    });

    it('collMod redefines a view, and refuses a definition that loops', async () => {
      await db.command({ create: 'firstNote', viewOn: 'notes', pipeline: [{ $match: { _id: 1 } }] });
      await db.command({ create: 'noteView', viewOn: 'firstNote', pipeline: [] });
      expect(await coll('noteView').countDocuments()).to.equal(1);
      await db.command({ collMod: 'firstNote', viewOn: 'notes', pipeline: [{ $match: { _id: { $lte: 2 } } }] });
      expect(await coll('noteView').countDocuments()).to.equal(2);
      const err = await serverError(db.command({ collMod: 'firstNote', viewOn: 'noteView', pipeline: [] }));
      expect([err.code, err.codeName]).to.deep.equal([5, 'GraphContainsCycle']);
      expect(await coll('noteView').countDocuments()).to.equal(2);
    });
  });
});

describe('embedded-mongo validators, views and collMod survive a restart', function () {
  const freshDir = tempDirs('embedded-mongo-validation-');

  before(function () {
    if (!isEmbedded) this.skip();
  });

  const withServer = (dbpath: string, fn: (db: Db) => Promise<void>): Promise<void> => withEmbedded(dbpath, (client) => fn(client.db('app')));

  it('from the journal and then from the snapshot', async () => {
    const dir = await freshDir();
    await withServer(dir, async (db) => {
      await db.createCollection('members', { validator: memberSchema });
      await db.collection('members').insertOne({ name: 'Ada', email: 'ada@example.org' });
      await db.createCollection('tags');
      await db.command({ collMod: 'tags', validator: { label: { $type: 'string' } }, validationAction: 'error' });
      await db.command({ create: 'named', viewOn: 'members', pipeline: [{ $project: { _id: 0, name: 1 } }] });
    });
    // The first start replays the journal (and compacts); the second loads the snapshot it wrote.
    for (let start = 0; start < 2; start++) {
      await withServer(dir, async (db) => {
        expect((await serverError(db.collection('members').insertOne({ name: 'No e-mail' }))).code).to.equal(121);
        expect((await serverError(db.collection('tags').insertOne({ label: 3 }))).code).to.equal(121);
        expect(await db.collection('named').find().toArray()).to.deep.equal([{ name: 'Ada' }]);
        expect((await serverError(db.collection('named').insertOne({ name: 'x' }))).code).to.equal(166);
      });
    }
  });
});
