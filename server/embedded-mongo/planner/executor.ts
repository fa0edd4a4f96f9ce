import { Query } from 'mingo';
import type { Collection } from '../catalog/collection';
import type { BTreeIndex, IndexKey } from '../indexes/btree-index';
import { fieldOffset, RID_BYTES } from '../indexes/key-string';
import { compareBson, MAX_BOUND, MIN_BOUND } from '../bson-order';
import { sortValue, type Document } from '../documents';
import { asCommandError } from '../errors';
import { valueInBounds, describeBounds, type FieldBounds } from './bounds';
import type { IndexAccess, Plan, SortSpec } from './planner';
import { MINGO_OPTIONS } from '../mingo-options';
import { conditionMatcher, type Matcher } from './matcher';

export interface ExecStats {
  keysExamined: number;
  docsExamined: number;
  nReturned: number;
}

export function newStats(): ExecStats {
  return { keysExamined: 0, docsExamined: 0, nReturned: 0 };
}

export function compileFilter(filter: Document): Matcher | null {
  if (Object.keys(filter).length === 0) return null;
  const simple = conditionMatcher(filter);
  if (simple) return simple;
  try {
    return new Query(filter, MINGO_OPTIONS);
  } catch (err) {
    throw asCommandError(err);
  }
}

export interface RunOptions {
  skip?: number;
  limit?: number;
}

/**
 * Runs a plan lazily: documents are produced as the caller pulls, so a cursor that stops
 * after 20 results examined about 20 documents. Each document is a fresh decoded copy.
 */
/** A matching document with its record id (writes need the id; cursors only the document). */
export type Hit = [rid: number, doc: Document];

export function* runPlan(coll: Collection, plan: Plan, filter: Matcher | null, stats: ExecStats, opts: RunOptions = {}): Generator<Hit> {
  let source = accessPath(coll, plan, filter, stats);
  if (plan.sort.length > plan.sortProvided) {
    const bound = opts.limit ? (opts.skip ?? 0) + opts.limit : 0;
    source = plan.sortProvided > 0 ? sortWithinTies(source, plan.sort, plan.sortProvided) : blockingSort(source, plan.sort, bound);
  }
  let skip = opts.skip ?? 0;
  let remaining = opts.limit && opts.limit > 0 ? opts.limit : Infinity;
  for (const hit of source) {
    if (skip > 0) {
      skip--;
      continue;
    }
    if (remaining <= 0) return;
    stats.nReturned++;
    remaining--;
    yield hit;
    if (remaining <= 0) return;
  }
}

function* accessPath(coll: Collection, plan: Plan, filter: Matcher | null, stats: ExecStats): Generator<Hit> {
  const test = (doc: Document): boolean => {
    try {
      return filter === null || filter.test(doc);
    } catch (err) {
      throw asCommandError(err);
    }
  };
  if (plan.access.kind === 'collscan') {
    const entries = plan.access.direction > 0 ? coll.docs.entries() : coll.docs.entriesReversed();
    for (const hit of entries) {
      stats.docsExamined++;
      if (test(hit[1])) yield hit;
    }
    return;
  }
  const access = plan.access;
  const seen = access.index.multikey ? new Set<number>() : null;
  for (const rid of indexScan(access, stats)) {
    if (seen) {
      if (seen.has(rid)) continue;
      seen.add(rid);
    }
    const doc = coll.docs.get(rid);
    if (!doc) continue;
    stats.docsExamined++;
    if (test(doc)) yield [rid, doc];
  }
}

/** Record ids in scan order, over every combination of the point-bounded prefix. */
function* indexScan(access: IndexAccess, stats: ExecStats): Generator<number> {
  const { index, bounds, pointPrefix, direction } = access;
  const ranges = scanRanges(index, bounds, pointPrefix);
  if (direction < 0) ranges.reverse();
  // Fields past the point prefix that are bounded at all must be checked key by key; the common
  // case (the rest unbounded) never decodes a key.
  const checked: number[] = [];
  for (let i = pointPrefix; i < bounds.length; i++) if (bounds[i].kind !== 'all') checked.push(i);
  const inBounds = (key: IndexKey): boolean => {
    if (checked.length === 0) return true;
    const { v } = index.unpack(key);
    for (const i of checked) if (!valueInBounds(v[i], bounds[i])) return false;
    return true;
  };
  if (!access.merge || ranges.length === 1) {
    for (const [low, high] of ranges) {
      for (const [key, rid] of scanRange(index, low, high, direction)) {
        stats.keysExamined++;
        if (inBounds(key)) yield rid;
      }
    }
    return;
  }
  const streams = ranges.map(([low, high]) => scanRange(index, low, high, direction));
  const mergeKey = access.mergeKey;
  // Picking the next of k streams is a heap of string compares rather than k BSON comparisons per
  // document: the merge fields are one run of a key string (point fields pinned to one value may sit
  // inside it, and are equal in every stream), in index order, so the scan direction orients them.
  // Every field before the run is pinned to one value per stream, so where the run starts is found
  // once per stream; a run reaching the last field ends where the record id begins.
  const first = mergeKey[0].pos;
  const end = mergeKey[mergeKey.length - 1].pos + 1;
  const starts: number[] = [];
  const mergeString = (stream: number, key: IndexKey): string | undefined => {
    if (typeof key !== 'string') return undefined;
    const start = (starts[stream] ??= fieldOffset(key, index.dirs, first));
    return key.slice(start, end === index.dirs.length ? key.length - RID_BYTES : fieldOffset(key, index.dirs, end));
  };
  const order: MergeOrder = { mergeKey, direction, valuesOf: (key) => index.unpack(key).v };
  const heap: MergeHead[] = [];
  const push = (i: number): void => {
    for (;;) {
      const next = streams[i].next();
      if (next.done) return;
      stats.keysExamined++;
      const [key, rid] = next.value;
      if (!inBounds(key)) continue;
      heapPush(heap, { stream: i, key, rid, s: mergeString(i, key) }, order);
      return;
    }
  };
  streams.forEach((_, i) => push(i));
  while (heap.length) {
    const head = heapPop(heap, order);
    push(head.stream);
    yield head.rid;
  }
}

interface MergeHead {
  stream: number;
  key: IndexKey;
  rid: number;
  /** The merge fields' run of the key string, in index order; undefined for a key in value form. */
  s: string | undefined;
}

interface MergeOrder {
  mergeKey: IndexAccess['mergeKey'];
  direction: number;
  valuesOf: (key: IndexKey) => readonly unknown[];
}

function mergeOrder(a: MergeHead, b: MergeHead, order: MergeOrder): number {
  if (a.s !== undefined && b.s !== undefined) {
    if (a.s !== b.s) return (a.s < b.s ? -1 : 1) * order.direction;
  } else {
    const x = order.valuesOf(a.key);
    const y = order.valuesOf(b.key);
    for (const { pos, dir } of order.mergeKey) {
      const c = compareBson(x[pos], y[pos]);
      if (c !== 0) return dir > 0 ? c : -c;
    }
  }
  return a.stream - b.stream;
}

function heapPush(heap: MergeHead[], head: MergeHead, order: MergeOrder): void {
  let i = heap.push(head) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (mergeOrder(heap[parent], heap[i], order) <= 0) break;
    [heap[parent], heap[i]] = [heap[i], heap[parent]];
    i = parent;
  }
}

function heapPop(heap: MergeHead[], order: MergeOrder): MergeHead {
  const top = heap[0];
  const last = heap.pop()!;
  if (heap.length) {
    heap[0] = last;
    for (let i = 0; ; ) {
      const left = 2 * i + 1;
      const right = left + 1;
      let least = i;
      if (left < heap.length && mergeOrder(heap[left], heap[least], order) < 0) least = left;
      if (right < heap.length && mergeOrder(heap[right], heap[least], order) < 0) least = right;
      if (least === i) break;
      [heap[least], heap[i]] = [heap[i], heap[least]];
      i = least;
    }
  }
  return top;
}

type Range = [IndexKey, IndexKey];

function scanRanges(index: BTreeIndex, bounds: FieldBounds[], pointPrefix: number): Range[] {
  let combos: unknown[][] = [[]];
  for (let i = 0; i < pointPrefix; i++) {
    const b = bounds[i];
    if (b.kind !== 'points') break;
    const points = index.dirs[i] < 0 ? [...b.points].reverse() : b.points;
    const next: unknown[][] = [];
    for (const prefix of combos) for (const p of points) next.push([...prefix, p]);
    combos = next;
  }
  const n = index.fields.length;
  return combos.map((prefix) => {
    const low = [...prefix];
    const high = [...prefix];
    for (let i = prefix.length; i < n; i++) {
      let lo: unknown = MIN_BOUND;
      let hi: unknown = MAX_BOUND;
      const b = bounds[i];
      if (i === prefix.length && b.kind === 'range') {
        lo = b.interval.lo;
        hi = b.interval.hi;
      }
      if (index.dirs[i] < 0) [lo, hi] = [hi, lo];
      low.push(lo);
      high.push(hi);
    }
    return [index.key(low, -Infinity), index.key(high, Infinity)];
  });
}

/**
 * Walks [low, high] of the B+tree. The tree may change while a cursor waits for getMore, so
 * whenever the index version moved the walk re-seeks just past the last key it produced.
 */
function* scanRange(index: BTreeIndex, low: IndexKey, high: IndexKey, direction: number): Generator<[IndexKey, number]> {
  const tree = index.tree;
  const cmp = tree._compare;
  if (cmp(low, high) > 0) return;
  let last: IndexKey | undefined;
  for (;;) {
    const version = index.version;
    const it = direction > 0 ? tree.entries(last ?? low) : tree.entriesReversed(last ?? high, undefined, last !== undefined);
    let reseek = false;
    for (const [key, rid] of it) {
      if (direction > 0) {
        if (last && cmp(key, last) <= 0) continue;
        if (cmp(key, high) > 0) return;
      } else if (cmp(key, low) < 0) {
        return;
      }
      last = key;
      yield [key, rid];
      if (index.version !== version) {
        reseek = true;
        break;
      }
    }
    if (!reseek) return;
  }
}

export function docComparator(sort: SortSpec): (a: Document, b: Document) => number {
  const parts = sort.map(([f, d]) => ({ parts: f.split('.'), dir: d }));
  return (a, b) => {
    for (const { parts: p, dir } of parts) {
      const c = compareBson(sortValue(a, p, dir), sortValue(b, p, dir));
      if (c !== 0) return dir > 0 ? c : -c;
    }
    return 0;
  };
}

/** In-memory SORT; with a limit it keeps only the best `bound` documents. */
function* blockingSort(source: Iterable<Hit>, sort: SortSpec, bound: number): Generator<Hit> {
  const parts = sort.map(([f, d]) => ({ parts: f.split('.'), dir: d }));
  type Keyed = { keys: unknown[]; hit: Hit };
  const cmp = (a: Keyed, b: Keyed): number => {
    for (let i = 0; i < parts.length; i++) {
      const c = compareBson(a.keys[i], b.keys[i]);
      if (c !== 0) return parts[i].dir > 0 ? c : -c;
    }
    return 0;
  };
  const keyed: Keyed[] = [];
  for (const hit of source) {
    const item = { keys: parts.map((p) => sortValue(hit[1], p.parts, p.dir)), hit };
    if (bound > 0 && bound <= 1000) {
      insertBounded(keyed, item, cmp, bound);
    } else {
      keyed.push(item);
    }
  }
  if (!(bound > 0 && bound <= 1000)) keyed.sort(cmp);
  for (const k of keyed) yield k.hit;
}

/** The access path already orders by the first `provided` sort fields; order each run of ties. */
function* sortWithinTies(source: Iterable<Hit>, sort: SortSpec, provided: number): Generator<Hit> {
  const prefix = sort.slice(0, provided).map(([f, d]) => ({ parts: f.split('.'), dir: d }));
  const byDoc = docComparator(sort);
  const full = (a: Hit, b: Hit): number => byDoc(a[1], b[1]);
  let group: Hit[] = [];
  let groupKey: unknown[] | undefined;
  for (const hit of source) {
    const key = prefix.map((p) => sortValue(hit[1], p.parts, p.dir));
    if (groupKey && key.some((v, i) => compareBson(v, groupKey![i]) !== 0)) {
      group.sort(full);
      yield* group;
      group = [];
    }
    groupKey = key;
    group.push(hit);
  }
  group.sort(full);
  yield* group;
}

/** The `queryPlanner.winningPlan` tree MongoDB's explain shows for this plan. */
export function describePlan(plan: Plan, filter: Document, opts: RunOptions): Document {
  let stage: Document;
  if (plan.access.kind === 'collscan') {
    stage = { stage: 'COLLSCAN', filter, direction: plan.access.direction > 0 ? 'forward' : 'backward' };
  } else {
    const a = plan.access;
    const ixscan = (bounds: FieldBounds[]): Document => ({
      stage: 'IXSCAN',
      keyPattern: a.index.spec.key,
      indexName: a.index.name,
      isMultiKey: a.index.multikey,
      isUnique: a.index.unique,
      isSparse: !!a.index.spec.sparse,
      isPartial: !!a.index.spec.partialFilterExpression,
      direction: a.direction > 0 ? 'forward' : 'backward',
      indexBounds: Object.fromEntries(a.index.fields.map((f, i) => [f, describeBounds(bounds[i], a.index.dirs[i] * a.direction)])),
    });
    let input: Document;
    if (a.merge) {
      const firstPoints = a.bounds.slice(0, a.pointPrefix);
      const combos: FieldBounds[][] = [[]];
      for (const b of firstPoints) {
        const points = b.kind === 'points' ? b.points : [];
        const next: FieldBounds[][] = [];
        for (const c of combos) for (const p of points) next.push([...c, { kind: 'points', points: [p] }]);
        combos.splice(0, combos.length, ...next);
      }
      input = {
        stage: 'SORT_MERGE',
        sortPattern: Object.fromEntries(plan.sort.slice(0, plan.sortProvided)),
        inputStages: combos.map((c) => ixscan([...c, ...a.bounds.slice(a.pointPrefix)])),
      };
    } else {
      input = ixscan(a.bounds);
    }
    stage = { stage: 'FETCH', ...(Object.keys(plan.residual).length ? { filter: plan.residual } : {}), inputStage: input };
  }
  if (plan.sort.length > plan.sortProvided) {
    stage = {
      stage: 'SORT',
      sortPattern: Object.fromEntries(plan.sort),
      ...(plan.sortProvided > 0 ? { prefixFromIndex: plan.sortProvided } : {}),
      ...(opts.limit ? { limitAmount: opts.limit + (opts.skip ?? 0) } : {}),
      inputStage: stage,
    };
  }
  if (opts.skip) stage = { stage: 'SKIP', skipAmount: opts.skip, inputStage: stage };
  if (opts.limit) stage = { stage: 'LIMIT', limitAmount: opts.limit, inputStage: stage };
  return stage;
}

/** Keeps `best` the `bound` smallest items seen, in order: `item` goes in by binary search, or not at all. */
export function insertBounded<T>(best: T[], item: T, cmp: (a: T, b: T) => number, bound: number): void {
  if (best.length === bound && cmp(item, best[bound - 1]!) >= 0) return;
  let lo = 0;
  let hi = best.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cmp(best[mid]!, item) <= 0) lo = mid + 1;
    else hi = mid;
  }
  best.splice(lo, 0, item);
  if (best.length > bound) best.pop();
}
