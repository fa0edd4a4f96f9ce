import { deserialize, serialize } from 'bson';
import type { Document } from '../documents';

const CHUNK_BYTES = 8 * 1024 * 1024;
/** BSON bytes' worth of recently read documents kept decoded, across every collection. */
const DECODED_BUDGET_BYTES = 16 * 1024 * 1024;
/**
 * A decoded document not read for this long (up to twice as long) is let go. Decoded, a small document is
 * several times its BSON (a 12-byte ObjectId becomes an object, a Buffer view and a share of an 8 KiB pool
 * slab), and the budget alone kept every document ever read until 16 MiB of BSON had passed: each socket
 * handshake's token, account and memberships stayed decoded for as long as the process ran quiet.
 */
export const DECODED_IDLE_MS = 30_000;
/** Keys of documents read once, at most; past it the record starts over (a scan-like burst of point reads). */
const READ_ONCE_LIMIT = 100_000;
/** Stored BSON came from the engine's own serializer; checking its UTF-8 again costs a third of a read. */
const STORED = { validation: { utf8: false } } as const;
/** A sealed chunk whose live bytes fall below this share is emptied into the tail and dropped. */
const RECLAIM_BELOW = 0.25;

/**
 * One collection's documents as BSON bytes in large Buffers outside the V8 heap, addressed by
 * record id. Held as JS objects, a 200k-post, million-like forum was a gigabyte of heap that every
 * full garbage collection had to trace, stalling the engine for seconds at a time; bytes in
 * Buffers are never traced. The documents read most recently stay decoded (DecodedDocuments),
 * so a hot feed does not pay a decode per read; a document read is therefore shared and must
 * not be edited (copy it with cloneDoc first, as updates and writing pipeline stages do).
 *
 * Bytes are only ever appended: a replaced or removed document's bytes stay where they were until
 * their chunk is reclaimed, which copies the chunk's live documents to the tail. So a capture (the
 * locations at one instant plus the chunks they point into) stays a consistent image for as long
 * as a snapshot writer needs it, with no copying at capture time.
 */
export class DocumentStore {
  private static stores = 0;
  /** Tells this store's entries apart in the process-wide cache of decoded documents. */
  private readonly id = ++DocumentStore.stores;
  private chunks: (Buffer | null)[] = [];
  private liveBytes: number[] = [];
  private usedBytes: number[] = [];
  private tail = -1;
  /** Per record id: chunk, offset and length (0: no document). Record ids only grow. */
  private chunkOf = new Uint32Array(1024);
  private offsetOf = new Uint32Array(1024);
  private lengthOf = new Uint32Array(1024);
  /** One past the highest record id ever stored. */
  private ridLimit = 1;
  size = 0;

  has(rid: number): boolean {
    return rid < this.ridLimit && this.lengthOf[rid] !== 0;
  }

  get(rid: number): Document | undefined {
    return this.read(rid, true);
  }

  /**
   * `remember` false: a scan over a whole collection uses what is decoded already but adds nothing,
   * so it does not push the documents hot feeds read out of the cache.
   */
  private read(rid: number, remember: boolean): Document | undefined {
    const key = this.cacheKey(rid);
    const cached = remember ? decodedDocuments.get(key) : decodedDocuments.peek(key);
    if (cached) return cached;
    const bytes = this.bytes(rid);
    if (!bytes) return undefined;
    const doc = deserialize(bytes, STORED) as Document;
    if (remember) decodedDocuments.admit(key, doc, bytes.length);
    return doc;
  }

  /** Unique across stores: a record id indexes typed arrays, so it stays far below 2^32. */
  private cacheKey(rid: number): number {
    return this.id * 0x100000000 + rid;
  }

  /** The stored BSON of a document; a view that stays valid (see the class comment). */
  bytes(rid: number): Buffer | undefined {
    if (!this.has(rid)) return undefined;
    const offset = this.offsetOf[rid];
    return this.chunks[this.chunkOf[rid]]!.subarray(offset, offset + this.lengthOf[rid]);
  }

  set(rid: number, doc: Document): void {
    this.setBytes(rid, serialize(doc));
  }

  /** Stores a document already in BSON (the bytes are copied). */
  setBytes(rid: number, bytes: Uint8Array): void {
    this.release(rid);
    this.ensureRid(rid);
    const [chunk, offset] = this.append(bytes);
    this.chunkOf[rid] = chunk;
    this.offsetOf[rid] = offset;
    this.lengthOf[rid] = bytes.length;
    this.size++;
    this.reclaimSparseChunks();
  }

  delete(rid: number): boolean {
    if (!this.release(rid)) return false;
    this.reclaimSparseChunks();
    return true;
  }

  /** Record ids in insertion order, each with its document. */
  *entries(): Generator<[number, Document]> {
    for (let rid = 1; rid < this.ridLimit; rid++) {
      const doc = this.read(rid, false);
      if (doc) yield [rid, doc];
    }
  }

  *entriesReversed(): Generator<[number, Document]> {
    for (let rid = this.ridLimit - 1; rid > 0; rid--) {
      const doc = this.read(rid, false);
      if (doc) yield [rid, doc];
    }
  }

  *values(): Generator<Document> {
    for (const [, doc] of this.entries()) yield doc;
  }

  [Symbol.iterator](): Generator<[number, Document]> {
    return this.entries();
  }

  /** Every document's bytes as of now, readable later whatever is written meanwhile. */
  capture(): DocumentImage {
    const limit = this.ridLimit;
    return new DocumentImage(this.chunks.slice(), this.chunkOf.slice(0, limit), this.offsetOf.slice(0, limit), this.lengthOf.slice(0, limit), this.size);
  }

  private release(rid: number): boolean {
    if (!this.has(rid)) return false;
    decodedDocuments.delete(this.cacheKey(rid));
    this.liveBytes[this.chunkOf[rid]] -= this.lengthOf[rid];
    this.lengthOf[rid] = 0;
    this.size--;
    return true;
  }

  private ensureRid(rid: number): void {
    if (rid >= this.chunkOf.length) {
      let n = this.chunkOf.length;
      while (n <= rid) n *= 2;
      const grow = (a: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> => {
        const b = new Uint32Array(n);
        b.set(a);
        return b;
      };
      this.chunkOf = grow(this.chunkOf);
      this.offsetOf = grow(this.offsetOf);
      this.lengthOf = grow(this.lengthOf);
    }
    if (rid >= this.ridLimit) this.ridLimit = rid + 1;
  }

  private append(bytes: Uint8Array): [number, number] {
    if (this.tail < 0 || this.usedBytes[this.tail] + bytes.length > this.chunks[this.tail]!.length) {
      this.tail = this.newChunk(Math.max(CHUNK_BYTES, bytes.length));
    }
    const offset = this.usedBytes[this.tail];
    this.chunks[this.tail]!.set(bytes, offset);
    this.usedBytes[this.tail] += bytes.length;
    this.liveBytes[this.tail] += bytes.length;
    return [this.tail, offset];
  }

  private newChunk(bytes: number): number {
    let i = this.chunks.indexOf(null);
    if (i < 0) i = this.chunks.length;
    // Not from Node's shared pool: a chunk must be able to go away on its own.
    this.chunks[i] = Buffer.allocUnsafeSlow(bytes);
    this.usedBytes[i] = 0;
    this.liveBytes[i] = 0;
    return i;
  }

  private sparse(chunk: number): boolean {
    return chunk !== this.tail && this.chunks[chunk] !== null && this.liveBytes[chunk] < this.usedBytes[chunk] * RECLAIM_BELOW;
  }

  /**
   * Moves the live documents of chunks that are mostly garbage to the tail and drops those chunks.
   * Finding them scans the location table, which is why it waits until a chunk is three-quarters
   * garbage: each scan then frees at least six megabytes.
   */
  private reclaimSparseChunks(): void {
    for (let chunk = 0; chunk < this.chunks.length; chunk++) {
      if (!this.sparse(chunk)) continue;
      // The chunk stays in place while its documents move, so a new tail cannot take its slot.
      const old = this.chunks[chunk]!;
      for (let rid = 1; rid < this.ridLimit; rid++) {
        if (this.chunkOf[rid] !== chunk || this.lengthOf[rid] === 0) continue;
        const start = this.offsetOf[rid];
        const [to, offset] = this.append(old.subarray(start, start + this.lengthOf[rid]));
        this.chunkOf[rid] = to;
        this.offsetOf[rid] = offset;
      }
      this.chunks[chunk] = null;
      this.liveBytes[chunk] = 0;
      this.usedBytes[chunk] = 0;
    }
  }

  /** Bytes held in chunks, live or not; for diagnostics and tests. */
  get allocatedBytes(): number {
    let n = 0;
    for (const c of this.chunks) if (c) n += c.length;
    return n;
  }
}

/** The documents of a collection at one instant, as BSON (see DocumentStore.capture). */
export class DocumentImage {
  constructor(
    private readonly chunks: (Buffer | null)[],
    private readonly chunkOf: Uint32Array,
    private readonly offsetOf: Uint32Array,
    private readonly lengthOf: Uint32Array,
    readonly size: number,
  ) {}

  *bytes(): Generator<Buffer> {
    for (let rid = 1; rid < this.lengthOf.length; rid++) {
      const length = this.lengthOf[rid];
      if (length === 0) continue;
      const offset = this.offsetOf[rid];
      yield this.chunks[this.chunkOf[rid]]!.subarray(offset, offset + length);
    }
  }
}

/**
 * Decoded documents by store and record id, within a budget counted in BSON bytes, evicted oldest first
 * with a second chance for those read since they were last passed over (the clock algorithm). A document
 * is kept from its second read on, and let go once a sweep interval passes without a read: memory follows
 * what is being read now, not everything read since the process started.
 * A hit only marks its entry: moving it to the end of the map, as an exact LRU would, costs time in
 * proportion to the map's size in V8.
 */
class DecodedDocuments {
  /** `epoch`: the sweep count when the entry was stored or last read. */
  private readonly entries = new Map<number, { doc: Document; bytes: number; read: boolean; epoch: number }>();
  /**
   * Documents read once since the last sweep and not kept: a second read keeps them. A document read only
   * once (a socket handshake's token, account and memberships; any point lookup nobody repeats) costs a key
   * here for at most one sweep interval instead of its decoded form.
   */
  private readonly readOnce = new Set<number>();
  private bytes = 0;
  private epoch = 0;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(private readonly budget: number) {}

  /** The document if it is decoded, without counting as a read. */
  peek(key: number): Document | undefined {
    return this.entries.get(key)?.doc;
  }

  get(key: number): Document | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    entry.read = true;
    entry.epoch = this.epoch;
    return entry.doc;
  }

  /** Keeps a document just decoded from its second read on (see readOnce). */
  admit(key: number, doc: Document, bytes: number): void {
    if (this.readOnce.delete(key)) return this.set(key, doc, bytes);
    if (this.readOnce.size >= READ_ONCE_LIMIT) this.readOnce.clear();
    this.readOnce.add(key);
    this.sweeper ??= setTimeout(() => this.sweepOnTimer(), DECODED_IDLE_MS).unref();
  }

  set(key: number, doc: Document, bytes: number): void {
    if (bytes > this.budget / 16) return;
    this.delete(key);
    this.entries.set(key, { doc, bytes, read: false, epoch: this.epoch });
    this.bytes += bytes;
    if (this.bytes > this.budget) this.evict();
    // One timer while anything is decoded, never holding the process open.
    this.sweeper ??= setTimeout(() => this.sweepOnTimer(), DECODED_IDLE_MS).unref();
  }

  /** Lets go of the documents neither stored nor read since the sweep before this one. */
  sweep(): void {
    const stale = this.epoch;
    this.epoch++;
    this.readOnce.clear();
    for (const [key, entry] of this.entries) {
      if (entry.epoch >= stale) continue;
      this.entries.delete(key);
      this.bytes -= entry.bytes;
    }
  }

  private sweepOnTimer(): void {
    this.sweeper = null;
    this.sweep();
    if (this.entries.size > 0 || this.readOnce.size > 0) this.sweeper = setTimeout(() => this.sweepOnTimer(), DECODED_IDLE_MS).unref();
  }

  delete(key: number): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }

  /** Down to seven eighths of the budget, so the walk from the oldest entry is made once per many inserts. */
  private evict(): void {
    const target = this.budget - this.budget / 8;
    for (const [key, entry] of this.entries) {
      if (this.bytes <= target) return;
      this.entries.delete(key);
      if (entry.read) {
        // Read since it was last passed over: it goes to the end, unread, and is passed over this time.
        entry.read = false;
        this.entries.set(key, entry);
      } else {
        this.bytes -= entry.bytes;
      }
    }
  }
}

const decodedDocuments = new DecodedDocuments(DECODED_BUDGET_BYTES);

/** Runs the decoded documents' idle sweep now (it runs every DECODED_IDLE_MS by itself); for tests. */
export function sweepDecodedDocuments(): void {
  decodedDocuments.sweep();
}
