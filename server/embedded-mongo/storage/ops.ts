import { Binary, UUID } from 'bson';
import type { Catalog } from '../catalog/catalog';
import type { IndexSpec } from '../indexes/btree-index';
import type { Document } from '../documents';

/**
 * A logical change as the journal records it. Documents are logged whole (the result of an
 * update, not the update itself), so replaying a record never depends on evaluating operators.
 */
export type WriteOp =
  | { op: 'createCollection'; db: string; coll: string; options: Document; uuid: UUID }
  | { op: 'setOptions'; db: string; coll: string; options: Document }
  | { op: 'dropCollection'; db: string; coll: string }
  | { op: 'dropDatabase'; db: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'put'; db: string; coll: string; doc: Document }
  | { op: 'delete'; db: string; coll: string; id: unknown };

/** Re-applies a journaled change at start-up. Tolerant: a record is the state to reach. */
export function applyOp(catalog: Catalog, op: WriteOp): void {
  switch (op.op) {
    case 'createCollection':
      if (!catalog.get(op.db, op.coll)) catalog.create(op.db, op.coll, op.options, toUuid(op.uuid));
      return;
    case 'setOptions': {
      const coll = catalog.get(op.db, op.coll);
      if (!coll) throw new Error(`collMod of ${op.db}.${op.coll}, which does not exist`);
      coll.info.options = op.options;
      return;
    }
    case 'dropCollection':
      catalog.drop(op.db, op.coll);
      return;
    case 'dropDatabase':
      catalog.dropDatabase(op.db);
      return;
    case 'createIndex': {
      const coll = catalog.get(op.db, op.coll) ?? catalog.create(op.db, op.coll, {});
      if (!coll.getIndex(op.spec.name)) coll.addIndex(op.spec);
      return;
    }
    case 'dropIndex':
      catalog.get(op.db, op.coll)?.dropIndex(op.name);
      return;
    case 'put': {
      const coll = catalog.get(op.db, op.coll) ?? catalog.create(op.db, op.coll, {});
      const rid = coll.ridForId(op.doc._id);
      if (rid === undefined) coll.insert(op.doc);
      else coll.replace(rid, op.doc);
      return;
    }
    case 'delete': {
      const coll = catalog.get(op.db, op.coll);
      const rid = coll?.ridForId(op.id);
      if (coll && rid !== undefined) coll.remove(rid);
      return;
    }
  }
}

/** BSON hands a stored UUID back as Binary subtype 4. */
export function toUuid(v: unknown): UUID | undefined {
  if (v instanceof UUID) return v;
  if (v instanceof Binary && v.sub_type === Binary.SUBTYPE_UUID) return v.toUUID();
  return undefined;
}

/** Where acknowledged writes go before the reply; in-memory mode has nothing to wait for. */
export interface Storage {
  commit(ops: WriteOp[]): Promise<void>;
  /** Resolves once no file holds anything deleted before the call. */
  compactNow(): Promise<void>;
  close(): Promise<void>;
}

export class MemoryStorage implements Storage {
  commit(): Promise<void> {
    return Promise.resolve();
  }
  compactNow(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
