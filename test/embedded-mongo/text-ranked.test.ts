// The text index keeps each term's ranked order (score, then newest _id) up to date entry by entry instead of
// re-sorting after every write. Property: after any mix of inserts, text edits and deletes, the kept order is
// exactly a fresh sort of the term's postings.
import { expect } from 'chai';
import { ObjectId } from 'bson';
import { TextIndex } from '../../server/embedded-mongo/indexes/text-index';
import { Random } from '../bench/random';

const WORDS = ['clinic', 'notes', 'ward', 'rota', 'meeting', 'case'];

function freshSort(index: TextIndex, term: string): number[] {
  const list = index.postingsOf(term);
  if (!list) return [];
  const rows = Array.from({ length: list.length }, (_, i) => ({ rid: list.rids[i]!, score: list.scores[i]!, id: index.entryOf(list.rids[i]!)!.idKey! }));
  rows.sort((a, b) => b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  return rows.map((row) => row.rid);
}

describe('embedded engine: ranked text postings stay in order as documents change', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    it(`matches a fresh sort after random inserts, edits and deletes (seed ${seed})`, () => {
      const rng = new Random(seed);
      const random = () => rng.next();
      const pick = <T>(items: readonly T[]): T => rng.pick(items);
      const index = new TextIndex({ key: { _fts: 'text', _ftsx: 1 }, name: 'body_text', v: 2, weights: { body: 1 } });
      const docs = new Map<number, { _id: ObjectId; body: string }>();
      const text = () => Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(WORDS)).join(' ');
      // Ids from a few seconds, in random order: equal scores are common and must fall back to the id.
      let made = 0;
      const newId = () => new ObjectId((1_700_000_000 + Math.floor(random() * 5)).toString(16) + (made++).toString(16).padStart(16, '0'));
      let nextRid = 0;
      for (let step = 0; step < 600; step++) {
        const roll = random();
        if (roll < 0.5 || docs.size === 0) {
          const doc = { _id: newId(), body: text() };
          index.add(index.keysFor(doc), nextRid);
          docs.set(nextRid++, doc);
        } else if (roll < 0.75) {
          const rid = pick([...docs.keys()]);
          const before = docs.get(rid)!;
          const after = { ...before, body: text() };
          index.remove(index.keysFor(before), rid);
          index.add(index.keysFor(after), rid);
          docs.set(rid, after);
        } else {
          const rid = pick([...docs.keys()]);
          index.remove(index.keysFor(docs.get(rid)!), rid);
          docs.delete(rid);
        }
        // Asking primes the kept order; later steps then maintain it rather than rebuild it.
        if (step % 7 === 0) {
          const term = pick(WORDS);
          expect([...(index.rankedPostingsOf(term)?.rids ?? [])], `${term} at step ${step}`).to.deep.equal(freshSort(index, term));
        }
      }
      for (const term of WORDS) expect([...index.rankedPostingsOf(term)!.rids], term).to.deep.equal(freshSort(index, term));
    });
  }

  it('gives up the kept order (answering undefined) once an entry’s _id is not an ObjectId', () => {
    const index = new TextIndex({ key: { _fts: 'text', _ftsx: 1 }, name: 'body_text', v: 2, weights: { body: 1 } });
    index.add(index.keysFor({ _id: new ObjectId(), body: 'clinic' }), 0);
    expect([...index.rankedPostingsOf('clinic')!.rids]).to.deep.equal([0]);
    index.add(index.keysFor({ _id: 'a string id', body: 'clinic' }), 1);
    expect(index.rankedPostingsOf('clinic')).to.equal(undefined);
  });
});
