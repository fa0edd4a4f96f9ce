import { expect } from 'chai';
import { Binary, Decimal128, Long, ObjectId } from 'bson';
import { compareBson } from '../../server/embedded-mongo/bson-order';

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
});
