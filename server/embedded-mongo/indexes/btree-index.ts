import BTree from 'sorted-btree';
import { bulkLoad } from 'sorted-btree/extended/bulkLoad';
import { Query } from 'mingo';
import { compareBson } from '../bson-order';
import { compareCollated, normalizeCollation, parseCollation, type Collation } from '../collation';
import { collectPathValues, isPlainObject, type Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';
import { MINGO_OPTIONS } from '../mingo-options';
import { decodeKey, encodeKey, RID_BYTES, ridOfKey } from './key-string';
import { isTextKeyPattern, normaliseTextOptions, type TextIndexOptions } from '../text/spec';

/** An index as listIndexes reports it and as the journal stores it. */
export interface IndexSpec extends TextIndexOptions {
  v: number;
  key: Document;
  name: string;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
  /** Absent for binary order (the simple collation). */
  collation?: Document;
}

/**
 * B+tree key: the indexed values, then the record id so equal values stay distinct entries. Almost
 * always a string (./key-string.ts); a tuple holding a type without an encoding stays a value array.
 */
export type IndexKey = string | ValueKey;

export interface ValueKey {
  readonly v: readonly unknown[];
  readonly rid: number;
}

export type KeyValues = unknown[];

const NODE_SIZE = 64;

const SPEC_OPTIONS = new Set(['v', 'key', 'name', 'unique', 'sparse', 'partialFilterExpression', 'expireAfterSeconds', 'background', 'ns', 'collation']);

/** Validates a createIndexes entry and normalises it to what listIndexes returns. */
export function normaliseIndexSpec(raw: unknown, collationDefault?: Document): IndexSpec {
  if (!isPlainObject(raw)) throw new CommandError(ErrorCode.TypeMismatch, 'index specification must be an object');
  const key = raw.key;
  if (!isPlainObject(key) || Object.keys(key).length === 0) {
    throw new CommandError(ErrorCode.CannotCreateIndex, 'index key pattern must be a non-empty object');
  }
  const text = isTextKeyPattern(key) ? normaliseTextOptions(raw, key) : undefined;
  for (const [field, dir] of text ? [] : Object.entries(key)) {
    if (typeof dir !== 'number' || dir === 0 || !Number.isFinite(dir)) {
      throw new CommandError(
        ErrorCode.CannotCreateIndex,
        `Index type ${JSON.stringify(dir)} on field '${field}' is not supported by the embedded engine; only ascending/descending keys are`,
      );
    }
  }
  for (const k of Object.keys(raw)) {
    if (!SPEC_OPTIONS.has(k) && k !== 'language_override' && k !== 'default_language' && !(text && (k === 'weights' || k === 'textIndexVersion'))) {
      throw new CommandError(ErrorCode.InvalidOptions, `The field '${k}' is not valid for an index specification`);
    }
  }
  const name = typeof raw.name === 'string' && raw.name ? raw.name : defaultIndexName(key);
  const spec: IndexSpec = { v: 2, key: text ? text.key : normaliseKey(key), name, ...text?.options };
  if (raw.unique === true) spec.unique = true;
  if (raw.sparse === true) spec.sparse = true;
  if (raw.partialFilterExpression !== undefined) {
    if (!isPlainObject(raw.partialFilterExpression)) {
      throw new CommandError(ErrorCode.TypeMismatch, 'partialFilterExpression must be an object');
    }
    spec.partialFilterExpression = raw.partialFilterExpression;
  }
  if (raw.expireAfterSeconds !== undefined) {
    const ttl = Number(raw.expireAfterSeconds);
    if (!Number.isFinite(ttl) || ttl < 0) throw new CommandError(ErrorCode.InvalidOptions, 'expireAfterSeconds must be a non-negative number');
    if (Object.keys(key).length !== 1) throw new CommandError(ErrorCode.CannotCreateIndex, 'TTL indexes are single-field indexes, compound indexes do not support TTL');
    spec.expireAfterSeconds = ttl;
  }
  if (name === '_id_') spec.unique = undefined;
  const collation = raw.collation === undefined ? collationDefault : raw.collation;
  if (collation !== undefined && parseCollation(collation) !== null) {
    if (text) throw new CommandError(ErrorCode.NotImplemented, 'a text index with a collation is not supported by the embedded engine');
    spec.collation = normalizeCollation(collation as Document);
  }
  return spec;
}

function normaliseKey(key: Document): Document {
  const out: Document = {};
  for (const [field, dir] of Object.entries(key)) out[field] = (dir as number) < 0 ? -1 : 1;
  return out;
}

export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([f, d]) => `${f}_${d}`)
    .join('_');
}

/** Two specs describe the same index if key and options agree (the name aside). */
export function sameIndexOptions(a: IndexSpec, b: IndexSpec): boolean {
  return (
    compareBson(a.key, b.key) === 0 &&
    !!a.unique === !!b.unique &&
    !!a.sparse === !!b.sparse &&
    a.expireAfterSeconds === b.expireAfterSeconds &&
    compareBson(a.collation ?? null, b.collation ?? null) === 0 &&
    compareBson(a.partialFilterExpression ?? null, b.partialFilterExpression ?? null) === 0
  );
}

export class BTreeIndex {
  readonly fields: string[];
  readonly dirs: number[];
  private readonly paths: string[][];
  tree: BTree<IndexKey, number>;
  private readonly compareKeys: (a: IndexKey, b: IndexKey) => number;
  readonly partial: Query | undefined;
  readonly unique: boolean;
  /**
   * Null for binary order. With a collation, keys stay value tuples compared with the collator
   * (Intl exposes no sort keys to put in key strings); equal under the collator, entries are
   * ordered by record id, so the tree's order stays total and consistent with collated equality.
   */
  readonly collation: Collation | null;
  private readonly compareValue: (a: unknown, b: unknown) => number;
  /** Set once any document produced several keys; such an index cannot provide a sort. */
  multikey = false;
  /** Bumped on every change so scans that pause between batches know to re-seek. */
  version = 0;

  constructor(readonly spec: IndexSpec) {
    this.fields = Object.keys(spec.key);
    this.dirs = this.fields.map((f) => ((spec.key[f] as number) < 0 ? -1 : 1));
    this.paths = this.fields.map((f) => f.split('.'));
    this.unique = spec.unique === true || spec.name === '_id_';
    this.partial = spec.partialFilterExpression ? new Query(spec.partialFilterExpression, MINGO_OPTIONS) : undefined;
    const collation = spec.collation ? parseCollation(spec.collation) : null;
    this.collation = collation;
    this.compareValue = collation ? (a, b) => compareCollated(a, b, collation) : compareBson;
    this.compareKeys = (a, b) => {
      if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
      return this.compareByValue(a, b);
    };
    this.tree = new BTree<IndexKey, number>(undefined, this.compareKeys, NODE_SIZE);
  }

  /**
   * Fills an empty index from entries in any order, sorting them once and building the tree
   * bottom-up: at start-up a million keys inserted one by one cost seconds of seeks.
   */
  load(keys: IndexKey[]): void {
    if (this.tree.size > 0) throw new Error(`index ${this.name} is not empty`);
    // Key strings hold only code units below 256, so the default sort's code-unit order is the index order.
    if (keys.every((k) => typeof k === 'string')) keys.sort();
    else keys.sort(this.compareKeys);
    this.tree = bulkLoad<IndexKey, number>(keys, keys.map((k) => this.unpackRid(k)), NODE_SIZE, this.compareKeys);
    this.version++;
  }

  private unpackRid(key: IndexKey): number {
    return typeof key === 'string' ? ridOfKey(key) : key.rid;
  }

  /** A tree key for these values (bound sentinels allowed); rid ±Infinity for the ends of a range. */
  key(v: readonly unknown[], rid: number): IndexKey {
    if (this.collation) return { v, rid };
    return encodeKey(v, this.dirs, rid) ?? { v, rid };
  }

  /** A key's values and record id, decoding a key string. */
  unpack(key: IndexKey): ValueKey {
    return typeof key === 'string' ? decodeKey(key, this.dirs) : key;
  }

  private compareByValue(a: IndexKey, b: IndexKey): number {
    const x = this.unpack(a);
    const y = this.unpack(b);
    const c = this.compareValues(x.v, y.v);
    if (c !== 0) return c;
    return x.rid < y.rid ? -1 : x.rid > y.rid ? 1 : 0;
  }

  /** Record ids of the entries whose values equal `v`, in index order. */
  *ridsFor(v: readonly unknown[]): Generator<number> {
    const encoded = this.collation ? undefined : encodeKey(v, this.dirs);
    let pair = this.tree.getPairOrNextHigher(encoded === undefined ? { v, rid: -Infinity } : encoded);
    while (pair && this.holds(pair[0], v, encoded)) {
      yield pair[1];
      pair = this.tree.nextHigherPair(pair[0]);
    }
  }

  /** Whether a stored key's values equal `v` (`encoded` is v's key string, if it has one). */
  private holds(key: IndexKey, v: readonly unknown[], encoded: string | undefined): boolean {
    if (typeof key === 'string' && encoded !== undefined) return key.length === encoded.length + RID_BYTES && key.startsWith(encoded);
    return this.compareValues(this.unpack(key).v, v) === 0;
  }

  get name(): string {
    return this.spec.name;
  }

  /** Compares two value tuples in this index's order (directions applied). */
  compareValues(a: readonly unknown[], b: readonly unknown[], from = 0, to = this.dirs.length): number {
    for (let i = from; i < to; i++) {
      const c = this.compareValue(a[i], b[i]);
      if (c !== 0) return this.dirs[i] < 0 ? -c : c;
    }
    return 0;
  }

  /**
   * The key tuples a document contributes, or null when a sparse or partial index leaves it out.
   * Throws when two indexed fields are both arrays, as MongoDB does.
   */
  keysFor(doc: Document): KeyValues[] | null {
    if (this.partial && !this.partial.test(doc)) return null;
    const perField: unknown[][] = [];
    let arrays = 0;
    let allMissing = true;
    for (const parts of this.paths) {
      const state = { sawArray: false };
      const values = collectPathValues(doc, parts, state);
      if (state.sawArray || values.length > 1) arrays++;
      for (let i = 0; i < values.length; i++) {
        if (values[i] === undefined) values[i] = null;
        else allMissing = false;
      }
      perField.push(values);
    }
    if (this.spec.sparse && allMissing) return null;
    if (arrays > 0) {
      if (arrays > 1) {
        throw new CommandError(ErrorCode.CannotIndexParallelArrays, `cannot index parallel arrays in index ${this.name}`);
      }
      this.multikey = true;
    }
    // Keys live as long as the index: build them with map/concat, which size arrays exactly,
    // where spreading would leave a growth reserve behind in every key.
    if (arrays === 0) return [perField.map((values) => values[0])];
    if (perField.length === 1) return perField[0].map((v) => [v]);
    let combos: KeyValues[] = [[]];
    for (const values of perField) {
      const next: KeyValues[] = [];
      for (const prefix of combos) for (const v of values) next.push(prefix.concat([v]));
      combos = next;
    }
    return combos;
  }

  /** The first key tuple that another record already holds, if this index is unique. */
  findConflict(keys: KeyValues[] | null, rid: number): KeyValues | null {
    if (!this.unique || keys === null) return null;
    for (const v of keys) for (const other of this.ridsFor(v)) if (other !== rid) return v;
    return null;
  }

  add(keys: KeyValues[] | null, rid: number): void {
    if (keys === null) return;
    for (const v of keys) this.tree.set(this.key(v, rid), rid);
    this.version++;
  }

  remove(keys: KeyValues[] | null, rid: number): void {
    if (keys === null) return;
    for (const v of keys) this.tree.delete(this.key(v, rid));
    this.version++;
  }

  /** `{ field: value }` for a duplicate-key error's keyPattern/keyValue. */
  describeKey(values: KeyValues): { keyPattern: Document; keyValue: Document } {
    const keyValue: Document = {};
    this.fields.forEach((f, i) => (keyValue[f] = values[i]));
    return { keyPattern: { ...this.spec.key }, keyValue };
  }
}

export function sameKeys(a: KeyValues[] | null, b: KeyValues[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    for (let j = 0; j < x.length; j++) if (compareBson(x[j], y[j]) !== 0) return false;
  }
  return true;
}
