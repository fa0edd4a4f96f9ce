// A search of several words ranked by textScore then newest takes its page by walking the words' ranked lists
// and stopping once nothing unread can outrank the page (server/embedded-mongo/planner/text-plan.ts). Property:
// on random data, through inserts, edits and deletes, with scope filters on the index's suffix and beyond it,
// every page equals the full sort of every match. Runs against MongoDB too (MONGODB_URI); the examined counts
// are the embedded engine's.
import { expect } from 'chai';
import { MongoClient, ObjectId, type Collection, type Db, type Document } from 'mongodb';
import { Random } from '../bench/random';
import { isEmbedded, startTarget, uniqueDbName, type Target } from './target';

const WORDS = ['clinic', 'notes', 'ward', 'rota', 'meeting', 'case', 'night', 'shift'];
const BY_RANK = { score: { $meta: 'textScore' }, _id: -1 } as const;

describe('embedded-mongo: searches of several words stop reading once the page is decided', () => {
  let target: Target;
  let client: MongoClient;
  let db: Db;

  before(async () => {
    target = await startTarget();
    client = await MongoClient.connect(target.uri, { serverSelectionTimeoutMS: 5000 });
    db = client.db(uniqueDbName('threshold'));
  });

  after(async () => {
    await db.dropDatabase();
    await client.close();
    await target.stop();
  });

  /** The reference: every match with its score, sorted here by score, then _id newest first. */
  async function fullSort(c: Collection, filter: Document): Promise<{ id: string; score: number }[]> {
    const all = await c.find(filter, { projection: { score: { $meta: 'textScore' } } }).toArray();
    return all
      .map((d) => ({ id: (d._id as ObjectId).toHexString(), score: d.score as number }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  }

  async function page(c: Collection, filter: Document, skip: number, limit: number): Promise<{ id: string; score: number }[]> {
    const rows = await c.find(filter, { projection: { score: { $meta: 'textScore' } }, sort: BY_RANK, skip, limit }).toArray();
    return rows.map((d) => ({ id: (d._id as ObjectId).toHexString(), score: d.score as number }));
  }

  for (const seed of [1, 2, 3]) {
    it(`pages equal the full sort of every match through random writes (seed ${seed})`, async () => {
      const rng = new Random(seed);
      const random = () => rng.next();
      const c = db.collection(`docs${seed}`);
      await c.createIndex({ body: 'text', g: 1 });
      // Ids from a few seconds: equal scores are common and the _id decides.
      let made = 0;
      const newId = () => new ObjectId((1_700_000_000 + Math.floor(random() * 4)).toString(16) + (made++).toString(16).padStart(16, '0'));
      const text = () => Array.from({ length: 1 + Math.floor(random() * 8) }, () => rng.pick(WORDS)).join(' ');
      const docOf = () => ({ _id: newId(), body: text(), g: Math.floor(random() * 5), flag: random() < 0.3 });
      await c.insertMany(Array.from({ length: 400 }, docOf));
      const queries = (): [string, Document][] => {
        const words = [rng.pick(WORDS), rng.pick(WORDS), ...(random() < 0.4 ? [rng.pick(WORDS)] : [])].join(' ');
        return [
          [words, {}],
          [words, { g: { $in: [0, 1, 3] } }],
          // The policy's shape: a scope on the suffix and an $or beyond it, read from the documents.
          [words, { g: { $in: [0, 1, 2, 4] }, $or: [{ g: { $in: [0, 1] } }, { flag: { $ne: true } }] }],
          [`${words} -${rng.pick(WORDS)}`, { g: { $ne: 2 } }],
        ];
      };
      let compared = 0;
      for (let round = 0; round < 6; round++) {
        for (let q = 0; q < 4; q++) {
          for (const [search, scope] of queries()) {
            const filter = { $text: { $search: search }, ...scope };
            const expected = await fullSort(c, filter);
            for (const [skip, limit] of [[0, 21], [0, 5], [7, 10], [0, 1]] as const) {
              expect(await page(c, filter, skip, limit), `${JSON.stringify(filter)} skip ${skip} limit ${limit}`).to.deep.equal(expected.slice(skip, skip + limit));
              compared++;
            }
          }
        }
        // Writes between rounds: the lists and the score lookups must follow them.
        await c.insertMany(Array.from({ length: 30 }, docOf));
        const some = await c.aggregate([{ $sample: { size: 40 } }]).toArray();
        for (const [i, d] of some.entries()) {
          if (i % 2) await c.deleteOne({ _id: d._id });
          else await c.updateOne({ _id: d._id }, { $set: { body: text(), g: Math.floor(random() * 5) } });
        }
      }
      expect(compared).to.equal(6 * 4 * 4 * 4);
    });
  }

  it('reads about as far down two common words\' lists as a page needs, never the whole lists', async function () {
    if (!isEmbedded) this.skip();
    const rng = new Random(9);
    const c = db.collection('common');
    await c.createIndex({ body: 'text', g: 1 });
    // Both words in most documents, at varied frequencies and lengths, so scores spread.
    await c.insertMany(
      Array.from({ length: 3000 }, () => ({
        body: [...Array.from({ length: 1 + rng.below(4) }, () => 'clinic'), ...Array.from({ length: rng.below(3) }, () => 'ward'), ...Array.from({ length: rng.below(30) }, () => rng.pick(WORDS.slice(2)))].join(' '),
        g: rng.below(5),
      })),
    );
    const filter = { $text: { $search: 'clinic ward' }, g: { $in: [0, 1, 2, 3] } };
    const explain = await c.find(filter, { projection: { score: { $meta: 'textScore' } }, sort: BY_RANK, limit: 21 }).explain('executionStats');
    const stats = explain.executionStats as { totalKeysExamined: number; totalDocsExamined: number; nReturned: number };
    const postings = (await c.countDocuments({ $text: { $search: 'clinic' } })) + (await c.countDocuments({ $text: { $search: 'ward' } }));
    expect(stats.nReturned).to.equal(21);
    expect(JSON.stringify(explain.queryPlanner.winningPlan)).to.contain('TEXT_MATCH').and.not.contain('COLLSCAN');
    expect(stats.totalKeysExamined, `${stats.totalKeysExamined} of ${postings} index entries`).to.be.below(postings / 4);
    expect(stats.totalDocsExamined).to.be.at.most(stats.totalKeysExamined);
    // And the page is the full sort's.
    expect(await page(c, filter, 0, 21)).to.deep.equal((await fullSort(c, filter)).slice(0, 21));
  });
});
