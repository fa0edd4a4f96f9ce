import { expect } from 'chai';
import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import { compareCollated, parseCollation, type Collation } from '../../server/embedded-mongo/collation';
import { BTreeIndex } from '../../server/embedded-mongo/indexes/btree-index';
import { Random } from '../bench/random';
import { serverError, tempDirs, withServer } from './support';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';

const CASE_INSENSITIVE = { locale: 'en', strength: 2 };

/** The index a winning plan scans, wherever mongod or the engine nests the IXSCAN stage. */
function scannedIndex(stage: Document | undefined): string | undefined {
  if (!stage) return undefined;
  if (stage.stage === 'IXSCAN') return stage.indexName;
  return scannedIndex(stage.inputStage) ?? (stage.inputStages as Document[] | undefined)?.map(scannedIndex).find(Boolean);
}

/** Collated indexes and collection default collations; written to pass against a real MongoDB too (MONGODB_URI). */
describe('embedded-mongo collations on indexes and collections', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const coll = (name: string): Collection<any> => db.collection(name);

  before(async () => {
    target = await startTarget();
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(uniqueDbName('collation_indexes'));
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  describe('a case-insensitive unique index (strength 2)', () => {
    before(async () => {
      await coll('names').createIndex({ name: 1 }, { unique: true, collation: CASE_INSENSITIVE });
      await coll('names').insertMany([{ _id: 1, name: 'alice' }, { _id: 2, name: 'Bob' }]);
    });

    it('refuses "Alice" when "alice" exists, with 11000', async () => {
      const err = await serverError(coll('names').insertOne({ _id: 3, name: 'Alice' }));
      expect(err.code).to.equal(11000);
      expect(await coll('names').countDocuments({ _id: 3 })).to.equal(0);
    });

    it('refuses an update that makes two names equal but the same name recased is fine', async () => {
      expect((await serverError(coll('names').updateOne({ _id: 2 }, { $set: { name: 'ALICE' } }))).code).to.equal(11000);
      await coll('names').updateOne({ _id: 1 }, { $set: { name: 'Alice' } });
      expect((await coll('names').findOne({ _id: 1 }))?.name).to.equal('Alice');
    });

    it('accepts names that differ in accents (strength 2 compares them)', async () => {
      await coll('names').insertOne({ _id: 4, name: 'Bób' });
      expect(await coll('names').countDocuments()).to.equal(3);
    });

    it('listIndexes reports the collation', async () => {
      const index = (await coll('names').listIndexes().toArray()).find((i) => i.name === 'name_1');
      expect(index?.collation).to.deep.include({ locale: 'en', strength: 2 });
      expect(index?.unique).to.equal(true);
    });

    it('a query with the same collation finds the name in any case, through the index', async () => {
      expect(await coll('names').find({ name: 'ALICE' }, { collation: CASE_INSENSITIVE }).toArray()).to.deep.equal([{ _id: 1, name: 'Alice' }]);
      const explain = await coll('names').find({ name: 'ALICE' }, { collation: CASE_INSENSITIVE }).explain('queryPlanner');
      expect(scannedIndex(explain.queryPlanner.winningPlan)).to.equal('name_1');
    });

    it('a query without the collation compares binary and does not use the index', async () => {
      expect(await coll('names').find({ name: 'ALICE' }).toArray()).to.deep.equal([]);
      expect(await coll('names').find({ name: 'Alice' }).toArray()).to.deep.equal([{ _id: 1, name: 'Alice' }]);
      const explain = await coll('names').find({ name: 'Alice' }).explain('queryPlanner');
      expect(scannedIndex(explain.queryPlanner.winningPlan)).to.equal(undefined);
    });

    it('a binary unique index on the same field elsewhere takes both spellings', async () => {
      await coll('binaryNames').createIndex({ name: 1 }, { unique: true });
      await coll('binaryNames').insertMany([{ name: 'alice' }, { name: 'Alice' }]);
      expect(await coll('binaryNames').countDocuments()).to.equal(2);
    });

    it('building the index over existing equal names is 11000 and creates no index', async () => {
      await coll('mixed').insertMany([{ name: 'zoë' }, { name: 'ZOË' }]);
      expect((await serverError(coll('mixed').createIndex({ name: 1 }, { unique: true, collation: CASE_INSENSITIVE }))).code).to.equal(11000);
      expect((await coll('mixed').listIndexes().toArray()).map((i) => i.name)).to.deep.equal(['_id_']);
    });
  });

  describe('a collection with a default collation', () => {
    before(async () => {
      await db.createCollection('members', { collation: CASE_INSENSITIVE });
      await coll('members').createIndex({ email: 1 }, { unique: true });
      await coll('members').insertMany([
        { _id: 'a', name: 'Ada', email: 'ada@example.org' },
        { _id: 'g', name: 'Grace', email: 'grace@example.org' },
      ]);
    });

    it('listCollections reports it and its indexes inherit it', async () => {
      const [info] = (await db.listCollections({ name: 'members' }).toArray()) as Document[];
      expect(info.options.collation).to.deep.include({ locale: 'en', strength: 2 });
      const index = (await coll('members').listIndexes().toArray()).find((i) => i.name === 'email_1');
      expect(index?.collation).to.deep.include({ locale: 'en', strength: 2 });
    });

    it('the inherited unique index refuses another case of an address', async () => {
      expect((await serverError(coll('members').insertOne({ _id: 'x', name: 'Other', email: 'ADA@example.org' }))).code).to.equal(11000);
    });

    it('so does _id', async () => {
      expect((await serverError(coll('members').insertOne({ _id: 'A', name: 'Again', email: 'again@example.org' }))).code).to.equal(11000);
    });

    it('find, count, distinct, update and delete use it unless the command names another', async () => {
      expect((await coll('members').findOne({ name: 'ADA' }))?._id).to.equal('a');
      expect(await coll('members').find({ name: 'ADA' }, { collation: { locale: 'simple' } }).toArray()).to.deep.equal([]);
      expect(await coll('members').countDocuments({ name: 'grace' })).to.equal(1);
      expect(await coll('members').distinct('_id', { name: 'GRACE' })).to.deep.equal(['g']);
      expect((await coll('members').updateOne({ name: 'GRACE' }, { $set: { seen: true } })).modifiedCount).to.equal(1);
      expect((await coll('members').deleteOne({ name: 'nobody' })).deletedCount).to.equal(0);
      expect(await coll('members').countDocuments({ seen: true })).to.equal(1);
    });
  });
});

describe('embedded-mongo collated indexes survive a restart', function () {
  const freshDir = tempDirs('embedded-mongo-collation-');

  before(function () {
    if (!isEmbedded) this.skip();
  });

  it('from the journal and then from the snapshot', async () => {
    const dir = await freshDir();
    const run = (fn: (db: Db) => Promise<void>): Promise<void> => withServer(dir, (client) => fn(client.db('app')));
    await run(async (db) => {
      await db.collection('names').createIndex({ name: 1 }, { unique: true, collation: CASE_INSENSITIVE });
      await db.collection('names').insertOne({ name: 'alice' });
      await db.createCollection('members', { collation: CASE_INSENSITIVE });
      await db.collection('members').insertOne({ _id: 'k' } as Document);
    });
    for (let start = 0; start < 2; start++) {
      await run(async (db) => {
        expect((await serverError(db.collection('names').insertOne({ name: 'ALICE' }))).code).to.equal(11000);
        expect((await serverError(db.collection('members').insertOne({ _id: 'K' } as Document))).code).to.equal(11000);
      });
    }
  });
});

/** Values that collide under collations: case, accents, digits, and a few other types to cross type classes. */
function valueOf(rand: () => number): unknown {
  const letters = ['a', 'A', 'á', 'Á', 'b', 'B', 'e', 'é', 'É', 'z', 'Z', '1', '2', '10', ' ', 'ß', 'ss'];
  const r = rand();
  if (r < 0.08) return Math.floor(rand() * 5);
  if (r < 0.1) return null;
  const n = 1 + Math.floor(rand() * 3);
  let s = '';
  for (let i = 0; i < n; i++) s += letters[Math.floor(rand() * letters.length)];
  return s;
}

describe('a collated B-tree index keeps a total order consistent with collated equality (property tests)', () => {
  const collations: [string, Document][] = [
    ['strength 1', { locale: 'en', strength: 1 }],
    ['strength 2', { locale: 'en', strength: 2 }],
    ['strength 3', { locale: 'en', strength: 3 }],
    ['German, numeric ordering', { locale: 'de', strength: 2, numericOrdering: true }],
    ['strength 1 with caseLevel', { locale: 'fr', strength: 1, caseLevel: true }],
  ];

  for (const [label, spec] of collations) {
    for (const dir of [1, -1]) {
      it(`${label}, ${dir > 0 ? 'ascending' : 'descending'}`, () => {
        const collation = parseCollation(spec) as Collation;
        const generator = new Random(label.length * 31 + dir + 7);
        const rand = (): number => generator.next();
        const index = new BTreeIndex({ v: 2, key: { name: dir }, name: 'name_x', collation: spec });
        const stored = new Map<number, unknown>();
        for (let rid = 1; rid <= 400; rid++) {
          const v = valueOf(rand);
          stored.set(rid, v);
          index.add([[v]], rid);
        }
        // Remove some, so deletes find their entries among collated-equal neighbours.
        for (let rid = 1; rid <= 400; rid += 7) {
          index.remove([[stored.get(rid)]], rid);
          stored.delete(rid);
        }
        expect(index.tree.size).to.equal(stored.size);

        // In order: values non-decreasing under the collator (in the index's direction), ties by record id.
        const entries = [...index.tree.entries()].map(([key, rid]) => ({ v: index.unpack(key).v[0], rid }));
        for (let i = 1; i < entries.length; i++) {
          const c = dir * compareCollated(entries[i - 1].v, entries[i].v, collation);
          expect(c, `${String(entries[i - 1].v)} before ${String(entries[i].v)}`).to.be.at.most(0);
          if (c === 0) expect(entries[i - 1].rid).to.be.below(entries[i].rid);
        }

        // Lookups find exactly the collated-equal values, and the unique check agrees.
        for (let i = 0; i < 60; i++) {
          const probe = valueOf(rand);
          const expected = [...stored].filter(([, v]) => compareCollated(v, probe, collation) === 0).map(([rid]) => rid).sort((a, b) => a - b);
          expect([...index.ridsFor([probe])].sort((a, b) => a - b), `lookup of ${String(probe)}`).to.deep.equal(expected);
          const unique = new BTreeIndex({ v: 2, key: { name: dir }, name: 'u', unique: true, collation: spec });
          unique.load([...stored].map(([rid, v]) => unique.key([v], rid)));
          expect(unique.findConflict([[probe]], 10_000) !== null).to.equal(expected.length > 0);
        }
      });
    }
  }

  it('the collated comparison is antisymmetric and transitive on random triples', () => {
    const collation = parseCollation({ locale: 'en', strength: 2, numericOrdering: true }) as Collation;
    const generator = new Random(99);
    const rand = (): number => generator.next();
    const sign = (n: number): number => (n > 0 ? 1 : n < 0 ? -1 : 0);
    for (let i = 0; i < 3000; i++) {
      const [a, b, c] = [valueOf(rand), valueOf(rand), valueOf(rand)];
      expect(sign(compareCollated(a, b, collation))).to.equal(-sign(compareCollated(b, a, collation)));
      if (compareCollated(a, b, collation) <= 0 && compareCollated(b, c, collation) <= 0) {
        expect(compareCollated(a, c, collation), `${String(a)} <= ${String(b)} <= ${String(c)}`).to.be.at.most(0);
      }
    }
  });
});
