import { expect } from 'chai';
import { Binary, Decimal128, Long, ObjectId } from 'bson';
import { Query } from 'mingo';
import { compareBson, MAX_BOUND, MIN_BOUND, TypeBound, TypeClass } from '../../server/embedded-mongo/bson-order';
import { BTreeIndex } from '../../server/embedded-mongo/indexes/btree-index';
import { Catalog } from '../../server/embedded-mongo/catalog/catalog';
import { runQuery, simpleProjector } from '../../server/embedded-mongo/commands/query';
import { withIdFirst, type Document } from '../../server/embedded-mongo/documents';
import { MINGO_OPTIONS } from '../../server/embedded-mongo/mingo-options';
import { conditionMatcher, equalityMatcher, type Matcher } from '../../server/embedded-mongo/planner/matcher';
import type { SortSpec } from '../../server/embedded-mongo/planner/planner';

/** A small deterministic generator, so a failure names a reproducible case. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** ObjectIds that share long prefixes, as ids made in the same second by one process do. */
function objectIds(random: () => number, n: number): ObjectId[] {
  return Array.from({ length: n }, () => {
    const bytes = Buffer.alloc(12);
    for (let i = 0; i < 12; i++) bytes[i] = random() < 0.7 ? 0x40 + (i % 3) : Math.floor(random() * 256);
    return new ObjectId(bytes);
  });
}

const pick = <T>(random: () => number, list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

/** Values of the kinds documents hold, including the ones the fast paths must hand to mingo. */
function valuePool(random: () => number): unknown[] {
  const ids = objectIds(random, 3);
  const scalars: unknown[] = [null, 0, 1, -2.5, 'a', 'b', '', true, false, ...ids, new Date(0), new Date(5)];
  return [
    ...scalars,
    new ObjectId(ids[0]!.toHexString()),
    new Long(1),
    new Decimal128('1'),
    { x: 1 },
    {},
    [],
    [null],
    [1, 'a'],
    [ids[1], 2],
    [[1]],
    [{ x: 1 }, 'b'],
    [undefined],
    undefined,
  ];
}

function randomDoc(random: () => number, pool: unknown[], fields: string[]): Document {
  const doc: Document = { _id: Math.floor(random() * 1e9) };
  for (const f of fields) if (random() < 0.75) doc[f] = pick(random, pool);
  return doc;
}

type MatcherFactory = (filter: Document, fallbackFor: (f: Document) => Matcher) => Matcher | null;

/** Each filter's fast matcher against mingo on random documents: how many filters it took, and how many documents it decided itself. */
function agreeWithMingo(make: MatcherFactory, filters: () => Document, rounds: number, random: () => number, pool: unknown[], fields: string[]) {
  let cases = 0;
  let decided = 0;
  let delegated = 0;
  for (let round = 0; round < rounds; round++) {
    const filter = filters();
    const matcher = make(filter, (f) => {
      const q = new Query(f, MINGO_OPTIONS);
      return { test: (doc) => (delegated++, q.test(doc)) };
    });
    if (!matcher) {
      expect(Object.keys(filter)).to.deep.equal([]);
      continue;
    }
    cases++;
    const reference = new Query(filter, MINGO_OPTIONS);
    for (let i = 0; i < 40; i++) {
      const doc = randomDoc(random, pool, fields);
      const before = delegated;
      expect(matcher.test(doc), `${JSON.stringify(filter)} on ${JSON.stringify(doc)}`).to.equal(reference.test(doc));
      if (delegated === before) decided++;
    }
  }
  return { cases, decided, delegated };
}

/** Fields and values, `_id` first, the rest by name: mingo orders inclusions its own way, mongod by the document. */
const entries = (doc: Document): unknown[] => {
  const [id, rest] = [Object.entries(doc).filter(([k]) => k === '_id'), Object.entries(doc).filter(([k]) => k !== '_id')];
  return [...id, ...rest.sort(([a], [b]) => (a < b ? -1 : 1))];
};

describe('embedded-mongo fast paths agree with the general rules', () => {
  describe('compareBson', () => {
    it('orders ObjectIds as their bytes, unsigned and big-endian', () => {
      const random = rng(1);
      const ids = objectIds(random, 400);
      ids.push(new ObjectId('ffffffffffffffffffffffff'), new ObjectId('000000000000000000000000'), new ObjectId('7fffffff80000000ffffffff'));
      const byBson = [...ids].sort(compareBson).map(String);
      const byHex = ids.map(String).sort();
      expect(byBson).to.deep.equal(byHex);
      for (const id of ids) expect(compareBson(id, new ObjectId(id.toHexString()))).to.equal(0);
    });

    it('keeps MongoDB type order around the fast paths', () => {
      const ordered: unknown[] = [
        null,
        Number.NaN,
        -1,
        new Long(2),
        3.5,
        new Decimal128('4'),
        '',
        'a',
        { a: 1 },
        [1],
        new Binary(Buffer.from([1])),
        new ObjectId('000000000000000000000001'),
        false,
        true,
        new Date(0),
        new Date(1),
      ];
      for (let i = 0; i < ordered.length; i++) {
        for (let j = 0; j < ordered.length; j++) {
          expect(Math.sign(compareBson(ordered[i], ordered[j])), `${i} vs ${j}`).to.equal(Math.sign(i - j));
        }
      }
      expect(compareBson(null, undefined)).to.equal(0);
    });
  });

  it('the equality matcher decides like mingo on every kind of value', () => {
    const random = rng(2);
    const pool = valuePool(random);
    const targets = pool.filter((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v) || v instanceof ObjectId || v instanceof Date);
    const fields = ['a', 'b', 'c'];
    const filters = (): Document => {
      const filter: Document = {};
      for (const f of fields) if (random() < 0.6) filter[f] = pick(random, targets);
      if (random() < 0.1) filter['constructor'] = pick(random, targets);
      return filter;
    };
    const { cases: fastCases, decided, delegated } = agreeWithMingo(equalityMatcher, filters, 300, random, pool, fields);
    expect(fastCases).to.be.greaterThan(200);
    // Most documents are decided without mingo; the rest prove the hand-over.
    expect(decided).to.be.greaterThan(delegated * 2);
    expect(delegated).to.be.greaterThan(100);
    for (const filter of [{ a: { $gt: 1 } }, { 'a.b': 1 }, { a: [1] }, { a: { x: 1 } }, { $or: [{ a: 1 }] }, { a: /x/ }, { a: Number.NaN }, { a: new Long(1) }]) {
      expect(equalityMatcher(filter), JSON.stringify(filter)).to.equal(null);
    }
  });

  it('the condition matcher ($eq, $ne, $in, $and, $or: the policy\'s scopes) decides like mingo', () => {
    const random = rng(7);
    const pool = valuePool(random);
    // More ObjectIds than the linear $in handles, some of them in documents, so the hex lookup is exercised too.
    const ids = objectIds(random, 12);
    pool.push(...ids.slice(0, 6), [ids[7], 'a']);
    const targets = [...pool.filter((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v) || v instanceof ObjectId || v instanceof Date), ...ids];
    const fields = ['a', 'b', 'c'];
    const condition = (): unknown => {
      const roll = random();
      if (roll < 0.25) return pick(random, targets);
      if (roll < 0.4) return { $eq: pick(random, targets) };
      if (roll < 0.6) return { $ne: pick(random, targets) };
      const n = Math.floor(random() * 12);
      const list = Array.from({ length: n }, () => (random() < 0.6 ? pick(random, ids) : pick(random, targets)));
      return random() < 0.2 ? { $in: list, $ne: pick(random, targets) } : { $in: list };
    };
    const filterOf = (depth: number): Document => {
      const filter: Document = {};
      for (const f of fields) if (random() < 0.5) filter[f] = condition();
      if (depth < 2 && random() < 0.5) filter[random() < 0.5 ? '$or' : '$and'] = Array.from({ length: 1 + Math.floor(random() * 3) }, () => filterOf(depth + 1));
      return filter;
    };
    const { decided, delegated } = agreeWithMingo(conditionMatcher, () => filterOf(0), 400, random, pool, fields);
    expect(decided).to.be.greaterThan(delegated * 2);
    expect(delegated).to.be.greaterThan(100);
    for (const filter of [{ a: { $gt: 1 } }, { a: { $in: [/x/] } }, { a: { $ne: [1] } }, { $or: [] }, { $nor: [{ a: 1 }] }, { a: { $in: [1], $exists: true } }, { 'a.b': { $in: [1] } }]) {
      expect(conditionMatcher(filter), JSON.stringify(filter)).to.equal(null);
    }
  });

  it('top-level projections give what mingo gives, in the document\'s field order as mongod does', () => {
    const random = rng(3);
    const pool = valuePool(random);
    const fields = ['a', 'b', 'c', 'd'];
    for (let round = 0; round < 300; round++) {
      const projection: Document = {};
      const include = random() < 0.5;
      for (const f of fields) if (random() < 0.5) projection[f] = pick(random, include ? [1, true, -1, 2.5] : [0, false]);
      if (random() < 0.4) projection._id = pick(random, [0, 1, false, true]);
      const fast = simpleProjector(projection);
      const mixed = !include && projection._id && Object.keys(projection).length > 1;
      if (mixed) {
        expect(fast, JSON.stringify(projection)).to.equal(null);
        continue;
      }
      expect(fast, JSON.stringify(projection)).to.not.equal(null);
      const reference = new Query({}, MINGO_OPTIONS);
      for (let i = 0; i < 20; i++) {
        const doc = randomDoc(random, pool, random() < 0.5 ? fields : [...fields].reverse());
        const expected = withIdFirst(reference.find<Document>([doc], projection).all()[0]!);
        const got = fast!(doc);
        expect(entries(got), `${JSON.stringify(projection)} on ${JSON.stringify(doc)}`).to.deep.equal(entries(expected));
        const documentOrder = Object.keys(doc).filter((k) => k in got && k !== '_id');
        expect(Object.keys(got).filter((k) => k !== '_id')).to.deep.equal(documentOrder);
        if ('_id' in got) expect(Object.keys(got)[0]).to.equal('_id');
      }
    }
    for (const projection of [{ a: 1, b: 0 }, { 'a.b': 1 }, { a: 'x' }, { a: { $slice: 1 } }, { 'a.$': 1 }, { _id: 1, a: 0 }]) {
      expect(simpleProjector(projection), JSON.stringify(projection)).to.equal(null);
    }
  });

  it('index plans return exactly what a collection scan returns', () => {
    const random = rng(4);
    const catalog = new Catalog();
    const coll = catalog.create('fast', 'posts', {});
    coll.addIndex({ v: 2, key: { groupId: 1, parentId: 1, _id: -1 }, name: 'feed' });
    coll.addIndex({ v: 2, key: { userId: 1, postId: 1 }, name: 'likes', unique: true });
    coll.addIndex({ v: 2, key: { tags: 1 }, name: 'tags' });
    const groups = objectIds(random, 12);
    const parents = [null, null, null, ...objectIds(random, 3)];
    for (let i = 0; i < 3000; i++) {
      const doc: Document = { _id: new ObjectId(), groupId: pick(random, groups), userId: i % 50, postId: i };
      if (random() < 0.9) doc.parentId = pick(random, parents);
      if (random() < 0.2) doc.hiddenAt = new Date(i);
      if (random() < 0.1) doc.deletedAt = null;
      if (random() < 0.3) doc.tags = pick(random, [['x'], ['x', 'y'], 'y', [], [null]]);
      coll.insert(doc);
    }
    const ids = (docs: Iterable<Document>): string[] => [...docs].map((d) => String(d._id));
    for (let round = 0; round < 150; round++) {
      const filter: Document = {};
      const shape = round % 3;
      if (shape === 0) {
        filter.groupId = { $in: groups.filter(() => random() < 0.5) };
        if (random() < 0.8) filter.parentId = random() < 0.7 ? null : pick(random, parents);
        if (random() < 0.7) filter.hiddenAt = null;
        if (random() < 0.5) filter.deletedAt = null;
      } else if (shape === 1) {
        filter.userId = Math.floor(random() * 50);
        filter.postId = { $in: Array.from({ length: 1 + Math.floor(random() * 30) }, () => Math.floor(random() * 3000)) };
      } else {
        filter.tags = pick(random, ['x', 'y', null]);
        if (random() < 0.5) filter.groupId = pick(random, groups);
      }
      const sort: SortSpec = shape === 0 ? [['_id', -1]] : shape === 1 ? [['postId', 1]] : [['_id', 1]];
      const limit = random() < 0.6 ? 1 + Math.floor(random() * 25) : undefined;
      const indexed = runQuery(coll, { filter, sort, limit });
      expect(indexed.plan.access.kind).to.equal('ixscan');
      const scanned = runQuery(coll, { filter, sort, limit, hint: { $natural: 1 } });
      expect(ids(indexed.docs), JSON.stringify(filter)).to.deep.equal(ids(scanned.docs));
    }
  });

  it('string-encoded index keys order exactly as value-by-value comparison does', () => {
    const random = rng(5);
    const ids = objectIds(random, 4);
    const pool: unknown[] = [
      null,
      undefined,
      Number.NaN,
      -Infinity,
      -1e300,
      -2.5,
      -1,
      -0,
      0,
      5e-324,
      1,
      2 ** 53 + 2,
      Infinity,
      '',
      '\u0000',
      '\u0001',
      '\u0000a',
      'a',
      'a\u0000',
      'a\u0001b',
      'a\u0002',
      '\u0002',
      'ab',
      'b',
      '\uffff',
      '\ud83d\ude00',
      '\u00e9',
      ...ids,
      false,
      true,
      new Date(-1),
      new Date(0),
      new Date(Number.NaN),
      new Date(8.64e15),
      new Long(3),
      { x: 1 },
      [1],
      new TypeBound(TypeClass.Number, false),
      new TypeBound(TypeClass.Number, true),
      new TypeBound(TypeClass.String, true),
      new TypeBound(TypeClass.Null, false),
      new TypeBound(TypeClass.Date, true),
      MIN_BOUND,
      MAX_BOUND,
    ];
    for (const key of [{ a: 1 }, { a: -1 }, { a: 1, b: -1 }, { a: -1, b: 1, c: 1 }]) {
      const index = new BTreeIndex({ v: 2, key, name: 'k' });
      const width = Object.keys(key).length;
      const values = (): unknown[] => Array.from({ length: width }, () => pick(random, pool));
      const rids = [-Infinity, 1, 2, 0x1234567890, Infinity];
      let encoded = 0;
      for (let i = 0; i < 4000; i++) {
        const va = values();
        const vb = random() < 0.2 ? [...va] : values();
        const ra = pick(random, rids);
        const rb = pick(random, rids);
        const a = index.key(va, ra);
        const b = index.key(vb, rb);
        if (typeof a === 'string' && typeof b === 'string') encoded++;
        const fast = index.tree._compare(a, b);
        const general = index.tree._compare({ v: va, rid: ra }, { v: vb, rid: rb });
        const shown = `${JSON.stringify(va)} ${ra} vs ${JSON.stringify(vb)} ${rb} on ${JSON.stringify(key)}`;
        expect(Math.sign(fast), shown).to.equal(Math.sign(general));
        // A key string decodes back to values that compare equal, and to its record id.
        if (typeof a === 'string') {
          const back = index.unpack(a);
          expect(index.compareValues(back.v, va), shown).to.equal(0);
          expect(back.rid, shown).to.equal(ra);
        }
      }
      expect(encoded).to.be.greaterThan(1000);
    }
  });
});
