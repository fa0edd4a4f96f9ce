import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MongoClient, MongoServerError, type Collection, type Db, type Document } from 'mongodb';
import { startEmbeddedMongo } from '../../server/embedded-mongo';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';

// Text indexes and $text as MongoDB answers them; every case here also passes against a real MongoDB
// (MONGODB_URI), except the restart, which needs the embedded engine's files.
describe('embedded-mongo text indexes and $text', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    target = await startTarget();
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(uniqueDbName('text'));
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  async function collectionWith(name: string, docs: Document[], index: Document = { body: 'text' }, options: Document = {}): Promise<Collection> {
    const c = db.collection(name);
    await c.createIndex(index, options);
    if (docs.length) await c.insertMany(docs);
    return c;
  }

  async function bodies(c: Collection, filter: Document, options: Document = {}): Promise<string[]> {
    const docs = await c.find(filter, options).toArray();
    return docs.map((d) => String(d.body)).sort();
  }

  async function serverError(p: Promise<unknown>): Promise<MongoServerError> {
    const err = await p.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err, 'expected the server to refuse').to.be.instanceOf(MongoServerError);
    return err as MongoServerError;
  }

  it('lists a text index as MongoDB normalises it', async () => {
    const c = await collectionWith('spec', [], { title: 'text', body: 'text', groupId: 1 }, { weights: { title: 5 } });
    const spec = (await c.listIndexes().toArray()).find((i) => i.name === 'title_text_body_text_groupId_1');
    expect(spec).to.include({ default_language: 'english', language_override: 'language', textIndexVersion: 3 });
    expect(spec!.key).to.deep.equal({ _fts: 'text', _ftsx: 1, groupId: 1 });
    expect(spec!.weights).to.deep.equal({ title: 5, body: 1 });
    await serverError(c.createIndex({ other: 'text' }));
  });

  it('refuses $text without a text index, and malformed $text', async () => {
    const c = db.collection('noindex');
    await c.insertOne({ body: 'coffee' });
    expect((await serverError(c.find({ $text: { $search: 'coffee' } }).toArray())).code).to.equal(27);
    const t = await collectionWith('malformed', [{ body: 'coffee' }]);
    await serverError(t.find({ $text: { $search: 42 } } as Document).toArray());
    await serverError(t.find({ $text: { $search: 'coffee', $language: 'klingon' } }).toArray());
    await serverError(t.find({ $text: { $search: 'coffee', $caseSensitive: 'yes' } } as Document).toArray());
  });

  it('stems English words, folds case and diacritics, and drops stop words', async () => {
    const c = await collectionWith('stems', [{ body: 'The discussions ran long' }, { body: 'We discussed the CAFÉ menu' }, { body: 'Nothing here' }]);
    expect(await bodies(c, { $text: { $search: 'discussion' } })).to.deep.equal(['The discussions ran long', 'We discussed the CAFÉ menu']);
    expect(await bodies(c, { $text: { $search: 'cafe' } })).to.deep.equal(['We discussed the CAFÉ menu']);
    expect(await bodies(c, { $text: { $search: 'the' } })).to.deep.equal([]);
    expect(await bodies(c, { $text: { $search: 'ran Nothing' } })).to.deep.equal(['Nothing here', 'The discussions ran long']);
  });

  it('matches phrases exactly and leaves out negated words and phrases', async () => {
    const c = await collectionWith('phrases', [{ body: 'a coffee shop downtown' }, { body: 'shop for coffee' }, { body: 'coffee beans' }]);
    expect(await bodies(c, { $text: { $search: '"coffee shop"' } })).to.deep.equal(['a coffee shop downtown']);
    expect(await bodies(c, { $text: { $search: 'coffee -shop' } })).to.deep.equal(['coffee beans']);
    expect(await bodies(c, { $text: { $search: 'coffee -"coffee shop"' } })).to.deep.equal(['coffee beans', 'shop for coffee']);
    // Only negations find nothing; a hyphen inside a word is not a negation.
    expect(await bodies(c, { $text: { $search: '-shop' } })).to.deep.equal([]);
    expect(await bodies(c, { $text: { $search: 'beans-downtown' } })).to.deep.equal(['a coffee shop downtown', 'coffee beans']);
  });

  it('honours $caseSensitive and $diacriticSensitive', async () => {
    const c = await collectionWith('flags', [{ body: 'Paris café' }, { body: 'paris cafe' }]);
    expect(await bodies(c, { $text: { $search: 'Paris', $caseSensitive: true } })).to.deep.equal(['Paris café']);
    expect(await bodies(c, { $text: { $search: 'café', $diacriticSensitive: true } })).to.deep.equal(['Paris café']);
    expect(await bodies(c, { $text: { $search: 'PARIS' } })).to.have.length(2);
  });

  it('stems in the language of the query and of each document', async () => {
    const c = await collectionWith('languages', [{ body: 'corriendo', language: 'spanish' }, { body: 'running' }]);
    expect(await bodies(c, { $text: { $search: 'corren', $language: 'es' } })).to.deep.equal(['corriendo']);
    expect(await bodies(c, { $text: { $search: 'corren' } })).to.deep.equal([]);
    expect(await bodies(c, { $text: { $search: 'runs' } })).to.deep.equal(['running']);
    await serverError(c.insertOne({ body: 'x', language: 'klingon' }));
    expect(await c.countDocuments({ body: 'x' })).to.equal(0);
  });

  it('scores as MongoDB does, projects and sorts by textScore, and weights fields', async () => {
    const c = await collectionWith('scores', [{ body: 'coffee shop' }, { body: 'cake' }, { body: 'coffee coffee coffee shop' }]);
    const scored = await c
      .find({ $text: { $search: 'coffee cake' } }, { projection: { _id: 0, body: 1, score: { $meta: 'textScore' } }, sort: { score: { $meta: 'textScore' } } })
      .toArray();
    // 'coffee' thrice of four terms: freq 1.75 × (0.5·3/4 + 0.5); a field that is exactly its term gets 1.1.
    expect(scored).to.deep.equal([
      { body: 'coffee coffee coffee shop', score: 1.75 * 0.875 },
      { body: 'cake', score: 1.1 },
      { body: 'coffee shop', score: 0.75 },
    ]);
    const w = await collectionWith('weights', [{ title: 'ethics', body: 'other words' }, { title: 'other', body: 'ethics words' }], { title: 'text', body: 'text' }, { weights: { title: 10 } });
    const ranked = await w.find({ $text: { $search: 'ethics' } }, { sort: { score: { $meta: 'textScore' } } }).toArray();
    expect(ranked.map((d) => d.title)).to.deep.equal(['ethics', 'other']);
  });

  it('combines $text with other conditions, counts, updates and deletes', async () => {
    const c = await collectionWith('combined', [
      { body: 'ethics board', g: 1, hidden: null },
      { body: 'ethics case', g: 2, hidden: null },
      { body: 'ethics memo', g: 1, hidden: true },
    ], { body: 'text', g: 1 });
    expect(await bodies(c, { $text: { $search: 'ethics' }, g: { $in: [1] }, hidden: null })).to.deep.equal(['ethics board']);
    expect(await c.countDocuments({ $text: { $search: 'ethics' }, g: 2 })).to.equal(1);
    await c.updateOne({ body: 'ethics board' }, { $set: { body: 'budget board' } });
    expect(await bodies(c, { $text: { $search: 'ethics' }, g: 1 })).to.deep.equal(['ethics memo']);
    expect(await bodies(c, { $text: { $search: 'budget' } })).to.deep.equal(['budget board']);
    await c.deleteMany({ $text: { $search: 'memo' } });
    expect(await bodies(c, { $text: { $search: 'ethics' } })).to.deep.equal(['ethics case']);
    await serverError(c.find({ $or: [{ $text: { $search: 'ethics' } }, { $text: { $search: 'case' } }] }).toArray());
    await serverError(c.find({ g: 1 }, { sort: { score: { $meta: 'textScore' } } }).toArray());
  });

  it('pages of a search ranked by score then newest agree with the whole ranking, through inserts and updates', async () => {
    const bodiesFor = (i: number) => ['harvest', 'harvest report', 'harvest harvest notes', 'early harvest plan today'][i % 4]!;
    const c = await collectionWith('ranked', Array.from({ length: 40 }, (_, i) => ({ body: bodiesFor(i), g: i % 3 })), { body: 'text', g: 1 });
    const ranking = async (filter: Document, limit?: number, skip?: number) => {
      const cursor = c.find(filter, { projection: { _id: 1 }, sort: { score: { $meta: 'textScore' }, _id: -1 } });
      if (skip) cursor.skip(skip);
      if (limit) cursor.limit(limit);
      return (await cursor.toArray()).map((d) => String(d._id));
    };
    for (let round = 0; round < 2; round++) {
      const filter = { $text: { $search: 'harvest' }, g: { $in: [0, 2] } };
      const all = await ranking(filter);
      expect(all).to.have.length(await c.countDocuments(filter));
      expect(await ranking(filter, 5)).to.deep.equal(all.slice(0, 5));
      expect(await ranking(filter, 5, 5)).to.deep.equal(all.slice(5, 10));
      await c.insertOne({ body: 'harvest', g: 0 });
      await c.updateMany({ body: 'harvest report' }, { $set: { g: 2 } });
    }
  });

  it('pages of a ranked search agree with the whole ranking when conditions, phrases or negations need the documents', async () => {
    const bodiesFor = (i: number) => ['harvest', 'harvest report', 'harvest harvest notes', 'early harvest plan today', 'harvest plan'][i % 5]!;
    const docs = Array.from({ length: 50 }, (_, i) => ({ body: bodiesFor(i), g: i % 3, ...(i % 4 === 0 ? { flag: true } : {}) }));
    const c = await collectionWith('ranked_residual', docs, { body: 'text', g: 1 });
    const ranking = async (filter: Document, limit?: number, skip?: number) => {
      const cursor = c.find(filter, { projection: { _id: 1 }, sort: { score: { $meta: 'textScore' }, _id: -1 } });
      if (skip) cursor.skip(skip);
      if (limit) cursor.limit(limit);
      return (await cursor.toArray()).map((d) => String(d._id));
    };
    const filters: Document[] = [
      { $text: { $search: 'harvest' }, g: { $in: [0, 2] }, $or: [{ g: 0 }, { flag: { $ne: true } }] },
      { $text: { $search: 'harvest -notes' }, flag: { $ne: true } },
      { $text: { $search: '"harvest plan"' }, g: { $in: [0, 1, 2] } },
      { $text: { $search: 'harvest notes today' }, $or: [{ g: 1 }, { flag: { $ne: true } }] },
    ];
    // The whole ranking worked out here from unsorted hits and their scores, apart from the engine's sorting.
    const rankedHere = async (filter: Document) =>
      (await c.find(filter, { projection: { score: { $meta: 'textScore' } } }).toArray())
        .sort((a, b) => b.score - a.score || (String(a._id) < String(b._id) ? 1 : -1))
        .map((d) => String(d._id));
    for (const filter of filters) {
      const all = await rankedHere(filter);
      expect(await ranking(filter)).to.deep.equal(all);
      expect(all.length).to.be.above(6);
      expect(await ranking(filter, 3)).to.deep.equal(all.slice(0, 3));
      expect(await ranking(filter, 3, 3)).to.deep.equal(all.slice(3, 6));
    }
  });

  it('explains the text index used and the documents examined', async () => {
    const docs = Array.from({ length: 60 }, (_, i) => ({ body: i % 3 === 0 ? `rare word ${i}` : `common filler ${i}`, g: i % 2 }));
    const c = await collectionWith('explained', docs, { body: 'text', g: 1 });
    const explain = await c.find({ $text: { $search: 'rare' }, g: 0 }).explain('executionStats');
    const text = JSON.stringify(explain.queryPlanner.winningPlan);
    expect(text).to.contain('TEXT_MATCH').and.contain('body_text_g_1');
    expect(explain.executionStats.nReturned).to.equal(10);
    expect(explain.executionStats.totalDocsExamined).to.be.at.most(20);
  });

  it('keeps the text index across a restart', async function () {
    if (!isEmbedded) this.skip();
    const dir = await mkdtemp(path.join(tmpdir(), 'text-index-'));
    try {
      let server = await startEmbeddedMongo({ dbpath: dir, logger: { info: () => undefined, warn: () => undefined } });
      let other = await MongoClient.connect(server.uri);
      await other.db('t').collection('posts').createIndex({ body: 'text' });
      await other.db('t').collection('posts').insertMany([{ body: 'durable ethics' }, { body: 'other' }]);
      await other.close();
      await server.stop();
      server = await startEmbeddedMongo({ dbpath: dir, logger: { info: () => undefined, warn: () => undefined } });
      other = await MongoClient.connect(server.uri);
      const found = await other.db('t').collection('posts').find({ $text: { $search: 'ethic' } }).toArray();
      expect(found.map((d) => d.body)).to.deep.equal(['durable ethics']);
      await other.close();
      await server.stop();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
