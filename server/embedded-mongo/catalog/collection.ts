import { deserialize, serialize, UUID } from 'bson';
import { BTreeIndex, sameKeys, type IndexKey, type IndexSpec, type KeyValues } from '../indexes/btree-index';
import type { Document } from '../documents';
import { DocumentStore } from './document-store';
import { indexFor } from '../indexes/text-index';
import { CommandError, ErrorCode } from '../errors';

export const ID_INDEX_SPEC: IndexSpec = { v: 2, key: { _id: 1 }, name: '_id_' };

export interface CollectionInfo {
  uuid: UUID;
  options: Document;
}

/**
 * Documents of one collection keyed by record id (as BSON, ./document-store.ts), plus its
 * indexes. Every method either applies completely or throws before changing anything, so a
 * duplicate key never leaves an index half-updated.
 */
export class Collection {
  readonly docs = new DocumentStore();
  readonly indexes: BTreeIndex[];
  private nextRid = 1;

  constructor(
    readonly dbName: string,
    readonly name: string,
    readonly info: CollectionInfo,
  ) {
    const collation = info.options.collation as Document | undefined;
    this.indexes = [new BTreeIndex(collation ? { ...ID_INDEX_SPEC, collation } : ID_INDEX_SPEC)];
  }

  get ns(): string {
    return `${this.dbName}.${this.name}`;
  }

  get idIndex(): BTreeIndex {
    return this.indexes[0];
  }

  getIndex(name: string): BTreeIndex | undefined {
    return this.indexes.find((i) => i.name === name);
  }

  ridForId(id: unknown): number | undefined {
    for (const rid of this.idIndex.ridsFor([id])) return rid;
    return undefined;
  }

  /**
   * Fills an empty collection with documents (their BSON) read back from a checksummed snapshot.
   * The snapshot was written from a collection whose unique indexes already held, so the keys are
   * not checked again, and each index is built in one go from all of its keys.
   */
  restoreAll(documents: Iterable<Uint8Array>): void {
    if (this.docs.size > 0) throw new Error(`${this.ns} is not empty`);
    const keys = this.indexes.map((): IndexKey[] => []);
    for (const bytes of documents) {
      const doc = deserialize(bytes) as Document;
      const rid = this.nextRid++;
      this.indexes.forEach((index, i) => {
        for (const v of index.keysFor(doc) ?? []) keys[i].push(index.key(v, rid));
      });
      this.docs.setBytes(rid, bytes);
    }
    this.indexes.forEach((index, i) => index.load(keys[i]));
  }

  insert(doc: Document): number {
    const rid = this.nextRid;
    const keys = this.indexes.map((index) => index.keysFor(doc));
    this.indexes.forEach((index, i) => this.throwIfDuplicate(index, keys[i], rid));
    const bytes = serialize(doc);
    this.nextRid++;
    this.indexes.forEach((index, i) => index.add(keys[i], rid));
    this.docs.setBytes(rid, bytes);
    return rid;
  }

  replace(rid: number, doc: Document): void {
    const old = this.docs.get(rid);
    if (!old) throw new CommandError(ErrorCode.InternalError, `record ${rid} vanished from ${this.ns}`);
    const bytes = serialize(doc);
    const changes: { index: BTreeIndex; before: KeyValues[] | null; after: KeyValues[] | null }[] = [];
    for (const index of this.indexes) {
      const before = index.keysFor(old);
      const after = index.keysFor(doc);
      if (sameKeys(before, after)) continue;
      this.throwIfDuplicate(index, after, rid);
      changes.push({ index, before, after });
    }
    for (const c of changes) {
      c.index.remove(c.before, rid);
      c.index.add(c.after, rid);
    }
    this.docs.setBytes(rid, bytes);
  }

  remove(rid: number): Document | undefined {
    const doc = this.docs.get(rid);
    if (!doc) return undefined;
    for (const index of this.indexes) index.remove(index.keysFor(doc), rid);
    this.docs.delete(rid);
    return doc;
  }

  /** Builds an index over the existing documents; nothing changes if a duplicate is found. */
  addIndex(spec: IndexSpec): BTreeIndex {
    const index = indexFor(spec);
    for (const [rid, doc] of this.docs) {
      const keys = index.keysFor(doc);
      this.throwIfDuplicate(index, keys, rid);
      index.add(keys, rid);
    }
    this.indexes.push(index);
    return index;
  }

  dropIndex(name: string): void {
    const i = this.indexes.findIndex((x) => x.name === name);
    if (i > 0) this.indexes.splice(i, 1);
  }

  private throwIfDuplicate(index: BTreeIndex, keys: KeyValues[] | null, rid: number): void {
    const conflict = index.findConflict(keys, rid);
    if (conflict) throw duplicateKeyError(this.ns, index, conflict);
  }
}

/** A view (commands/views.ts) is a catalog entry whose options name what it reads; it holds no documents. */
export interface ViewDefinition {
  viewOn: string;
  pipeline: Document[];
}

export function viewOf(coll: Collection | undefined): ViewDefinition | null {
  const options = coll?.info.options;
  if (!options || typeof options.viewOn !== 'string') return null;
  return { viewOn: options.viewOn, pipeline: (options.pipeline as Document[] | undefined) ?? [] };
}

export function duplicateKeyError(ns: string, index: BTreeIndex, values: KeyValues): CommandError {
  const { keyPattern, keyValue } = index.describeKey(values);
  const shown = Object.entries(keyValue)
    .map(([k, v]) => `${k}: ${describeValue(v)}`)
    .join(', ');
  return new CommandError(
    ErrorCode.DuplicateKey,
    `E11000 duplicate key error collection: ${ns} index: ${index.name} dup key: { ${shown} }`,
    { keyPattern, keyValue },
  );
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (v instanceof Date) return `new Date(${v.getTime()})`;
  if (v !== null && typeof v === 'object' && (v as { _bsontype?: string })._bsontype === 'ObjectId') {
    return `ObjectId('${String(v)}')`;
  }
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}
