import type { Collection } from '../catalog/collection';
import type { BTreeIndex } from '../indexes/btree-index';
import { isPlainObject, type Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';
import { TEXT_SCORE_SORT } from '../text/query';
import { boundsAreExact, boundsFor, conditionsByPath, excludesNull, queryImpliesPartialFilter, type FieldBounds } from './bounds';

export type SortSpec = [string, 1 | -1][];

export interface IndexAccess {
  kind: 'ixscan';
  index: BTreeIndex;
  bounds: FieldBounds[];
  /** Leading index fields bounded to points; the scan ranges are their combinations. */
  pointPrefix: number;
  /** 1 walks the B+tree forwards, -1 backwards. */
  direction: 1 | -1;
  /** Several point combinations must be merged to keep sort order (MongoDB's SORT_MERGE). */
  merge: boolean;
  /** Index positions compared when merging, with the sort direction for each. */
  mergeKey: { pos: number; dir: number }[];
}

export interface CollScanAccess {
  kind: 'collscan';
  direction: 1 | -1;
}

export interface Plan {
  access: IndexAccess | CollScanAccess;
  /** The sort still in effect after dropping fields the query pins to one value. */
  sort: SortSpec;
  /** How many leading fields of `sort` the access path already delivers in order. */
  sortProvided: number;
  /** What fetched documents must still be matched against: the filter minus what the bounds guarantee. */
  residual: Document;
}

export function parseSort(raw: unknown): SortSpec {
  if (raw === undefined || raw === null) return [];
  if (!isPlainObject(raw)) throw new CommandError(ErrorCode.BadValue, 'sort must be an object');
  const out: SortSpec = [];
  for (const [field, dir] of Object.entries(raw)) {
    if (isPlainObject(dir) && dir.$meta === 'textScore' && Object.keys(dir).length === 1) {
      out.push([TEXT_SCORE_SORT, -1]);
      continue;
    }
    if (isPlainObject(dir)) {
      throw new CommandError(ErrorCode.BadValue, `$meta sort on '${field}' is not supported by the embedded engine`);
    }
    const n = Number(dir);
    if (n !== 1 && n !== -1) throw new CommandError(ErrorCode.BadValue, `bad sort specification for field '${field}'`);
    out.push([field, n as 1 | -1]);
  }
  return out;
}

interface Candidate {
  plan: Plan;
  score: number;
}

/**
 * Picks an access path by rules rather than by trial runs: an index that pins more leading
 * fields wins, then one that delivers the sort, then the narrower one. A unique index pinned
 * on every field is an exact lookup and always wins.
 */
export function planQuery(coll: Collection, filter: Document, sort: SortSpec, hint?: unknown): Plan {
  const conds = conditionsByPath(filter);
  if (hint !== undefined && hint !== null && hint !== '') {
    const hinted = hintedIndex(coll, hint);
    if (hinted === 'natural') return { access: { kind: 'collscan', direction: naturalDirection(hint) }, sort, sortProvided: 0, residual: filter };
    if (hinted.collation) {
      // Its order is the collator's, not binary: walked whole, with the query matched and sorted as usual.
      const whole = considerIndex(hinted, new Map(), [], true)!;
      return { ...whole.plan, sort, sortProvided: 0, residual: filter };
    }
    const c = considerIndex(hinted, conds, sort, true);
    if (c) return withResidual(c.plan, filter, conds);
  }
  let best: Candidate | undefined;
  for (const index of coll.indexes) {
    // Bounds and sorts here are binary; a collated index answers collated queries (query.ts).
    if (index.collation) continue;
    const c = considerIndex(index, conds, sort, false);
    if (c && (!best || c.score > best.score)) best = c;
  }
  if (best) return withResidual(best.plan, filter, conds);
  return { access: { kind: 'collscan', direction: 1 }, sort, sortProvided: 0, residual: filter };
}

/** Drops the fields an index scan already matches exactly, as MongoDB does with exact bounds. */
function withResidual(plan: Plan, filter: Document, conds: Map<string, unknown[]>): Plan {
  const access = plan.access;
  if (access.kind !== 'ixscan' || '$and' in filter) return plan;
  const residual: Document = {};
  for (const [k, v] of Object.entries(filter)) {
    const i = access.index.fields.indexOf(k);
    if (i >= 0 && boundsAreExact(conds.get(k), access.bounds[i], access.index.multikey)) continue;
    residual[k] = v;
  }
  return { ...plan, residual };
}

function naturalDirection(hint: unknown): 1 | -1 {
  return isPlainObject(hint) && Number(hint.$natural) < 0 ? -1 : 1;
}

function hintedIndex(coll: Collection, hint: unknown): BTreeIndex | 'natural' {
  if (isPlainObject(hint) && '$natural' in hint) return 'natural';
  const found =
    typeof hint === 'string'
      ? coll.getIndex(hint)
      : isPlainObject(hint)
        ? coll.indexes.find((i) => sameKeyPattern(i.spec.key, hint))
        : undefined;
  if (!found) throw new CommandError(ErrorCode.BadValue, 'error processing query: planner returned error :: caused by :: hint provided does not correspond to an existing index');
  return found;
}

function sameKeyPattern(a: Document, b: Document): boolean {
  const ak = Object.keys(a);
  const bk = Object.keys(b);
  return ak.length === bk.length && ak.every((k, i) => k === bk[i] && Math.sign(Number(a[k])) === Math.sign(Number(b[k])));
}

function considerIndex(index: BTreeIndex, conds: Map<string, unknown[]>, sort: SortSpec, forced: boolean): Candidate | null {
  const bounds = index.fields.map((f) => boundsFor(conds.get(f), index.multikey));
  if (index.spec.partialFilterExpression && !queryImpliesPartialFilter(conds, index.spec.partialFilterExpression) && !forced) {
    return null;
  }
  if (index.spec.sparse && !forced && !bounds.some(excludesNull)) return null;

  let pointPrefix = 0;
  while (pointPrefix < bounds.length && bounds[pointPrefix].kind === 'points') pointPrefix++;
  const bounded = pointPrefix + (pointPrefix < bounds.length && bounds[pointPrefix].kind === 'range' ? 1 : 0);

  const isSingle = (i: number): boolean => {
    const b = bounds[i];
    return b.kind === 'points' && b.points.length === 1;
  };
  const effectiveSort = sort.filter(([f]) => {
    const i = index.fields.indexOf(f);
    return !(i >= 0 && i < pointPrefix && isSingle(i) && !index.multikey);
  });

  let sortProvided = 0;
  let direction: 1 | -1 = 1;
  let merge = false;
  const mergeKey: { pos: number; dir: number }[] = [];
  if (effectiveSort.length > 0 && !index.multikey) {
    const j = index.fields.indexOf(effectiveSort[0][0]);
    if (j >= 0 && j <= pointPrefix) {
      let dirSign = 0;
      let pos = j;
      while (sortProvided < effectiveSort.length && pos < index.fields.length) {
        const [field, sdir] = effectiveSort[sortProvided];
        if (index.fields[pos] !== field) {
          // A field pinned to one value in the middle of the index does not disturb the order.
          if (pos < pointPrefix && isSingle(pos)) {
            pos++;
            continue;
          }
          break;
        }
        const d = sdir * index.dirs[pos];
        if (dirSign === 0) dirSign = d;
        else if (d !== dirSign) break;
        mergeKey.push({ pos, dir: sdir });
        sortProvided++;
        pos++;
      }
      if (sortProvided > 0) {
        direction = dirSign < 0 ? -1 : 1;
        for (let i = 0; i < j; i++) if (!isSingle(i)) merge = true;
      }
    }
  }

  if (bounded === 0 && sortProvided === 0 && !forced) return null;
  const exact = index.unique && pointPrefix === index.fields.length && bounds.every((_, i) => isSingle(i));
  const fullSort = sortProvided === effectiveSort.length;
  const score =
    (exact ? 1000 : 0) + bounded * 10 + (effectiveSort.length === 0 ? 0 : fullSort ? 6 : sortProvided > 0 ? 3 : 0) - index.fields.length * 0.01;
  return {
    score,
    plan: {
      access: { kind: 'ixscan', index, bounds, pointPrefix, direction, merge, mergeKey: merge ? mergeKey : [] },
      sort: effectiveSort,
      sortProvided,
      residual: {},
    },
  };
}
