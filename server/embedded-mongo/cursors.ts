import { calculateObjectSize, Long } from 'bson';
import type { Document } from './documents';
import { asCommandError, CommandError, ErrorCode } from './errors';

/** MongoDB's defaults: a first batch holds 101 documents; every batch stays under 16 MiB. */
export const DEFAULT_FIRST_BATCH = 101;
const MAX_BATCH_BYTES = 16 * 1024 * 1024;

export interface BatchOptions {
  batchSize?: number;
  limit?: number;
  singleBatch?: boolean;
}

class ServerCursor {
  lastUsed = Date.now();
  private peeked: Document | undefined;
  private returned = 0;
  private exhausted = false;

  constructor(
    readonly id: number,
    readonly ns: string,
    private readonly source: Iterator<Document>,
    private readonly limit: number,
  ) {}

  private pull(): Document | undefined {
    if (this.peeked) {
      const d = this.peeked;
      this.peeked = undefined;
      return d;
    }
    if (this.exhausted) return undefined;
    let r: IteratorResult<Document>;
    try {
      r = this.source.next();
    } catch (err) {
      this.exhausted = true;
      throw asCommandError(err);
    }
    if (r.done) {
      this.exhausted = true;
      return undefined;
    }
    return r.value;
  }

  /** Up to `max` documents; `done` is true once nothing can follow. */
  nextBatch(max: number): { docs: Document[]; done: boolean } {
    this.lastUsed = Date.now();
    const docs: Document[] = [];
    let bytes = 0;
    while (docs.length < max && (this.limit <= 0 || this.returned < this.limit)) {
      const doc = this.pull();
      if (!doc) break;
      const size = calculateObjectSize(doc);
      if (docs.length > 0 && bytes + size > MAX_BATCH_BYTES) {
        this.peeked = doc;
        break;
      }
      bytes += size;
      docs.push(doc);
      this.returned++;
    }
    let done = this.limit > 0 && this.returned >= this.limit;
    if (!done && !this.peeked) {
      // Look one document ahead so an exhausted cursor is reported with id 0, as mongod does.
      const next = this.pull();
      if (next) this.peeked = next;
      else done = true;
    }
    return { docs, done };
  }

  close(): void {
    this.exhausted = true;
    this.peeked = undefined;
    this.source.return?.();
  }
}

export interface CursorReply {
  cursor: { id: Long; ns: string; firstBatch?: Document[]; nextBatch?: Document[] };
  ok: 1;
}

/** Open cursors of all connections; idle ones expire like mongod's (default 10 minutes). */
export class CursorManager {
  private readonly cursors = new Map<number, ServerCursor>();
  private nextId = Math.floor(Math.random() * 2 ** 40) + 1;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly timeoutMs: number) {
    const sweepEvery = Math.max(20, Math.min(60_000, Math.floor(timeoutMs / 2)));
    this.timer = setInterval(() => this.sweep(), sweepEvery);
    this.timer.unref();
  }

  get openCount(): number {
    return this.cursors.size;
  }

  /** Produces the first batch; the cursor stays open only if more documents may follow. */
  open(ns: string, source: Iterator<Document>, opts: BatchOptions): CursorReply {
    const cursor = new ServerCursor(this.nextId++, ns, source, opts.limit ?? 0);
    const max = opts.batchSize === undefined ? DEFAULT_FIRST_BATCH : opts.batchSize;
    if (max === 0 && !opts.singleBatch) {
      this.cursors.set(cursor.id, cursor);
      return { cursor: { firstBatch: [], id: Long.fromNumber(cursor.id), ns }, ok: 1 };
    }
    const { docs, done } = cursor.nextBatch(max === 0 ? DEFAULT_FIRST_BATCH : max);
    if (done || opts.singleBatch) {
      cursor.close();
      return { cursor: { firstBatch: docs, id: Long.ZERO, ns }, ok: 1 };
    }
    this.cursors.set(cursor.id, cursor);
    return { cursor: { firstBatch: docs, id: Long.fromNumber(cursor.id), ns }, ok: 1 };
  }

  getMore(id: number, ns: string, batchSize: number | undefined): CursorReply {
    const cursor = this.cursors.get(id);
    if (!cursor) throw new CommandError(ErrorCode.CursorNotFound, `cursor id ${id} not found`);
    if (cursor.ns !== ns) {
      throw new CommandError(ErrorCode.CursorNotFound, `cursor id ${id} belongs to namespace ${cursor.ns}, not ${ns}`);
    }
    let result: { docs: Document[]; done: boolean };
    try {
      result = cursor.nextBatch(batchSize && batchSize > 0 ? batchSize : Infinity);
    } catch (err) {
      this.kill(id);
      throw err;
    }
    if (result.done) this.kill(id);
    return { cursor: { nextBatch: result.docs, id: result.done ? Long.ZERO : Long.fromNumber(id), ns }, ok: 1 };
  }

  kill(id: number): boolean {
    const cursor = this.cursors.get(id);
    if (!cursor) return false;
    cursor.close();
    this.cursors.delete(id);
    return true;
  }

  sweep(now = Date.now()): void {
    for (const [id, cursor] of this.cursors) if (now - cursor.lastUsed > this.timeoutMs) this.kill(id);
  }

  closeAll(): void {
    clearInterval(this.timer);
    for (const id of [...this.cursors.keys()]) this.kill(id);
  }
}
