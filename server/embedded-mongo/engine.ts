import type { UUID } from 'bson';
import type { UserStore } from './auth';
import { Catalog, validateCollectionName } from './catalog/catalog';
import { viewOf, type Collection } from './catalog/collection';
import { CursorManager } from './cursors';
import type { Document } from './documents';
import { notOnView } from './errors';
import type { Storage, WriteOp } from './storage/ops';

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
}

export interface EngineOptions {
  storage: Storage;
  logger: Logger;
  cursorTimeoutMs: number;
  /** With users, every connection must authenticate (SCRAM-SHA-256) before other commands. */
  users?: UserStore | null;
}

/** Process-wide counters serverStatus reports. */
export interface Counters {
  insert: number;
  query: number;
  update: number;
  delete: number;
  getmore: number;
  command: number;
}

/** The state every command handler works on: catalog, cursors and the path to durable storage. */
export class Engine {
  readonly catalog: Catalog;
  readonly cursors: CursorManager;
  readonly storage: Storage;
  readonly logger: Logger;
  readonly users: UserStore | null;
  readonly startedAt = Date.now();
  readonly counters: Counters = { insert: 0, query: 0, update: 0, delete: 0, getmore: 0, command: 0 };
  currentConnections = 0;
  totalConnections = 0;
  /** Set when storage failed: the engine then answers nothing, as a mongod that stopped would. */
  fatal: Error | null = null;

  constructor(catalog: Catalog, options: EngineOptions) {
    this.catalog = catalog;
    this.storage = options.storage;
    this.logger = options.logger;
    this.users = options.users ?? null;
    this.cursors = new CursorManager(options.cursorTimeoutMs);
  }

  /** Makes the ops durable; the caller acknowledges the write only after this resolves. */
  commit(ops: WriteOp[]): Promise<void> {
    if (ops.length === 0) return Promise.resolve();
    return this.storage.commit(ops);
  }

  /** The collection a write goes to, created on first use as MongoDB does. */
  collectionForWrite(db: string, name: string, ops: WriteOp[], options: Document = {}, uuid?: UUID): Collection {
    const existing = this.catalog.get(db, name);
    if (existing) {
      // A view holds no documents: `$out` or `$merge` into one is refused as any write to it is.
      if (viewOf(existing)) throw notOnView(existing.ns);
      return existing;
    }
    validateCollectionName(name);
    const coll = this.catalog.create(db, name, options, uuid);
    ops.push({ op: 'createCollection', db, coll: name, options, uuid: coll.info.uuid });
    return coll;
  }
}
