import { expect } from 'chai';
import { deserialize, ObjectId } from 'bson';
import { DocumentStore, sweepDecodedDocuments } from '../../server/embedded-mongo/catalog/document-store';

const body = (n: number): string => 'x'.repeat(n);

describe('embedded-mongo document store (BSON outside the heap)', () => {
  it('keeps decoded only what fits its budget, and a deleted document is gone from it', () => {
    const store = new DocumentStore();
    for (let rid = 1; rid <= 100; rid++) store.set(rid, { _id: rid, pad: body(500_000) });
    store.get(1);
    const first = store.get(1);
    expect(store.get(1)).to.equal(first);
    for (let rid = 2; rid <= 100; rid++) {
      store.get(rid);
      store.get(rid);
    }
    // 50 MB read (twice each, so kept) through a 16 MB budget: the first document was evicted and is decoded anew.
    const again = store.get(1);
    expect(again).to.deep.equal(first);
    expect(again).not.to.equal(first);
    const last = store.get(100);
    expect(store.get(100)).to.equal(last);
    store.delete(100);
    expect(store.get(100)).to.equal(undefined);
  });

  it('keeps a document that is read again and again decoded while many others pass through', () => {
    const hot = new DocumentStore();
    hot.set(1, { _id: 1 });
    hot.get(1);
    const read = hot.get(1);
    const passing = new DocumentStore();
    for (let rid = 1; rid <= 100; rid++) {
      passing.set(rid, { _id: rid, pad: body(500_000) });
      passing.get(rid);
      passing.get(rid);
      expect(hot.get(1)).to.equal(read);
    }
  });

  it('does not let a scan of a whole collection push what was read out of the decoded cache', () => {
    const hot = new DocumentStore();
    hot.set(1, { _id: 1 });
    hot.get(1);
    const read = hot.get(1);
    const big = new DocumentStore();
    for (let rid = 1; rid <= 100; rid++) big.set(rid, { _id: rid, pad: body(500_000) });
    // 50 MB scanned through a 16 MB budget, both ways.
    expect([...big.entries()]).to.have.length(100);
    expect([...big.entriesReversed()]).to.have.length(100);
    expect(hot.get(1)).to.equal(read);
  });

  it('keeps a document decoded from its second read on, not after one read alone', () => {
    const store = new DocumentStore();
    store.set(1, { _id: 1 });
    const once = store.get(1);
    const twice = store.get(1);
    expect(twice).to.deep.equal(once);
    expect(twice).not.to.equal(once);
    expect(store.get(1)).to.equal(twice);
    // What was read once is forgotten at a sweep: a read after it counts as a first again.
    store.set(2, { _id: 2 });
    store.get(2);
    sweepDecodedDocuments();
    const afterSweep = store.get(2);
    expect(store.get(2)).not.to.equal(afterSweep);
  });

  it('lets a decoded document go once a whole sweep interval passed without a read, and keeps one read meanwhile', () => {
    const store = new DocumentStore();
    store.set(1, { _id: 1, n: 'idle' });
    store.set(2, { _id: 2, n: 'read' });
    store.get(1);
    store.get(2);
    const idle = store.get(1);
    const read = store.get(2);
    // Read before the first sweep: both are kept through it, however soon after the read it comes.
    sweepDecodedDocuments();
    expect(store.get(2)).to.equal(read);
    sweepDecodedDocuments();
    const again = store.get(1);
    expect(again).to.deep.equal(idle);
    expect(again).not.to.equal(idle);
    expect(store.get(2)).to.equal(read);
  });

  it('gives back what was stored, decoded once while it is read often, a new version once replaced', () => {
    const store = new DocumentStore();
    const id = new ObjectId();
    const stored = { _id: id, tags: ['a'], at: new Date(5), n: 1.5 };
    store.set(1, stored);
    store.get(1);
    const a = store.get(1)!;
    expect(a).to.deep.equal(stored);
    expect(a).not.to.equal(stored);
    expect(store.get(1)).to.equal(a);
    store.set(1, { _id: id, n: 2 });
    expect(store.get(1)).to.deep.equal({ _id: id, n: 2 });
    expect(a).to.deep.equal(stored);
    expect(store.get(2)).to.equal(undefined);
    expect(store.get(0)).to.equal(undefined);
    expect(store.get(10_000)).to.equal(undefined);
  });

  it('replaces and deletes by record id, iterating in record id order both ways', () => {
    const store = new DocumentStore();
    for (let rid = 1; rid <= 5000; rid++) store.set(rid, { _id: rid });
    store.set(3, { _id: 3, changed: true });
    for (let rid = 2; rid <= 5000; rid += 2) expect(store.delete(rid)).to.equal(true);
    expect(store.delete(2)).to.equal(false);
    expect(store.size).to.equal(2500);
    const forward = [...store.entries()].map(([rid]) => rid);
    expect(forward).to.have.length(2500);
    expect(forward.slice(0, 3)).to.deep.equal([1, 3, 5]);
    expect([...store.entriesReversed()].map(([rid]) => rid)).to.deep.equal(forward.reverse());
    expect(store.get(3)).to.deep.equal({ _id: 3, changed: true });
  });

  it('keeps a capture whole while later writes replace, delete and reclaim what it points at', () => {
    const store = new DocumentStore();
    const n = 3000;
    for (let rid = 1; rid <= n; rid++) store.set(rid, { _id: rid, v: 0, pad: body(5000) });
    const image = store.capture();
    // Rewriting everything twice over leaves the first chunks all garbage, so they are reclaimed.
    for (let round = 1; round <= 2; round++) for (let rid = 1; rid <= n; rid++) store.set(rid, { _id: rid, v: round, pad: body(5000) });
    for (let rid = 1; rid <= n; rid += 3) store.delete(rid);
    const captured = [...image.bytes()].map((b) => deserialize(b));
    expect(image.size).to.equal(n);
    expect(captured).to.have.length(n);
    expect(captured.every((d, i) => d._id === i + 1 && d.v === 0 && d.pad === body(5000))).to.equal(true);
    for (let rid = 1; rid <= n; rid++) {
      const doc = store.get(rid);
      if (rid % 3 === 1) expect(doc).to.equal(undefined);
      else expect(doc?.v).to.equal(2);
    }
  });

  it('gives reclaimed chunks back, holding about the live bytes after heavy rewriting', () => {
    const store = new DocumentStore();
    const n = 2000;
    for (let round = 0; round < 10; round++) for (let rid = 1; rid <= n; rid++) store.set(rid, { _id: rid, round, pad: body(10_000) });
    const live = n * 10_040;
    // 200 MB were written; what stays allocated is the live 20 MB plus chunks not yet sparse enough.
    expect(store.allocatedBytes).to.be.below(live * 4 + 16 * 1024 * 1024);
    expect([...store.values()].every((d) => d.round === 9)).to.equal(true);
  });

  it('stores a document larger than a chunk in a chunk of its own', () => {
    const store = new DocumentStore();
    store.set(1, { _id: 1, small: true });
    store.set(2, { _id: 2, big: body(12 * 1024 * 1024) });
    store.set(3, { _id: 3, small: true });
    expect((store.get(2)!.big as string).length).to.equal(12 * 1024 * 1024);
    expect(store.get(1)).to.deep.equal({ _id: 1, small: true });
    expect(store.get(3)).to.deep.equal({ _id: 3, small: true });
  });
});
