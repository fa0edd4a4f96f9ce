import { Query } from 'mingo';
import { compareBson, typeClassOf, TypeBound, TypeClass, MIN_BOUND, MAX_BOUND } from '../bson-order';
import { isOperatorObject, isPlainObject, setPath, type Document } from '../documents';
import { MINGO_OPTIONS } from '../mingo-options';

/** One contiguous range of index values; `lo`/`hi` may be TypeBound sentinels. */
export interface Interval {
  lo: unknown;
  loInc: boolean;
  hi: unknown;
  hiInc: boolean;
}

/** What a query lets an index scan restrict for one indexed field. */
export type FieldBounds =
  | { kind: 'points'; points: unknown[] }
  | { kind: 'range'; interval: Interval }
  | { kind: 'all' };

export const ALL: FieldBounds = { kind: 'all' };

/** Conditions the filter puts on each top-level path, looking through `$and`. */
export function conditionsByPath(filter: Document): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  const visit = (f: Document): void => {
    for (const [k, v] of Object.entries(f)) {
      if (k === '$and' && Array.isArray(v)) {
        for (const sub of v) if (isPlainObject(sub)) visit(sub);
      } else if (!k.startsWith('$')) {
        const list = out.get(k);
        if (list) list.push(v);
        else out.set(k, [v]);
      }
    }
  };
  visit(filter);
  return out;
}

function isPointValue(v: unknown): boolean {
  if (v === undefined || Array.isArray(v) || v instanceof RegExp) return false;
  const t = typeClassOf(v);
  return t !== TypeClass.RegExp && t !== TypeClass.MinKey && t !== TypeClass.MaxKey;
}

function isRangeValue(v: unknown): boolean {
  if (v === null || v === undefined || Array.isArray(v) || isPlainObject(v)) return false;
  const t = typeClassOf(v);
  return t !== TypeClass.RegExp && t !== TypeClass.MinKey && t !== TypeClass.MaxKey;
}

function dedupeSorted(points: unknown[]): unknown[] {
  const sorted = [...points].sort(compareBson);
  return sorted.filter((p, i) => i === 0 || compareBson(sorted[i - 1], p) !== 0);
}

/**
 * Bounds for one indexed field. Always a superset of the matching values: the fetched
 * documents are re-checked against the whole filter, so leaving a condition out is safe and
 * tightening too far is not. On a multikey field two range ends may be met by different array
 * elements, so only one end is used there.
 */
export function boundsFor(conditions: unknown[] | undefined, multikey: boolean): FieldBounds {
  if (!conditions) return ALL;
  let points: unknown[] | undefined;
  let interval: Interval | undefined;
  const narrowPoints = (candidate: unknown[]): void => {
    if (!points) points = candidate;
    else points = points.filter((p) => candidate.some((c) => compareBson(c, p) === 0));
  };
  for (const cond of conditions) {
    if (!isOperatorObject(cond)) {
      if (isPointValue(cond)) narrowPoints([cond]);
      continue;
    }
    for (const [op, arg] of Object.entries(cond)) {
      switch (op) {
        case '$eq':
          if (isPointValue(arg)) narrowPoints([arg]);
          break;
        case '$in':
          if (Array.isArray(arg) && arg.every(isPointValue)) narrowPoints(arg);
          break;
        case '$gt':
        case '$gte':
          if (isRangeValue(arg) && !(multikey && interval && !(interval.hi instanceof TypeBound))) {
            interval = tighten(interval, { lo: arg, loInc: op === '$gte', hi: new TypeBound(typeClassOf(arg), true), hiInc: true });
          }
          break;
        case '$lt':
        case '$lte':
          if (isRangeValue(arg) && !(multikey && interval && !(interval.lo instanceof TypeBound))) {
            interval = tighten(interval, { lo: new TypeBound(typeClassOf(arg), false), loInc: true, hi: arg, hiInc: op === '$lte' });
          }
          break;
        default:
          break;
      }
    }
  }
  if (points) return { kind: 'points', points: dedupeSorted(points) };
  if (interval) return { kind: 'range', interval };
  return ALL;
}

function tighten(cur: Interval | undefined, next: Interval): Interval {
  if (!cur) return next;
  const out = { ...cur };
  const lc = compareBson(next.lo, cur.lo);
  if (lc > 0 || (lc === 0 && !next.loInc)) {
    out.lo = next.lo;
    out.loInc = next.loInc;
  }
  const hc = compareBson(next.hi, cur.hi);
  if (hc < 0 || (hc === 0 && !next.hiInc)) {
    out.hi = next.hi;
    out.hiInc = next.hiInc;
  }
  return out;
}

function isExactScalar(v: unknown): boolean {
  switch (typeof v) {
    case 'number':
      return !Number.isNaN(v);
    case 'string':
    case 'boolean':
      return true;
    case 'object':
      return v instanceof Date || (v !== null && (v as { _bsontype?: string })._bsontype === 'ObjectId');
    default:
      return false;
  }
}

/**
 * True when the bounds say everything the conditions say, so documents found through them
 * need no further matching on this field. Only plain scalar equality, $in and single ranges
 * qualify: null also matches missing fields, and arrays or documents compare by structure.
 */
export function boundsAreExact(conditions: unknown[] | undefined, bounds: FieldBounds, multikey: boolean): boolean {
  if (!conditions || bounds.kind === 'all') return false;
  let points = false;
  let lower = false;
  let upper = false;
  for (const cond of conditions) {
    if (!isOperatorObject(cond)) {
      if (!isExactScalar(cond)) return false;
      points = true;
      continue;
    }
    for (const [op, arg] of Object.entries(cond)) {
      if (op === '$eq') {
        if (!isExactScalar(arg)) return false;
        points = true;
      } else if (op === '$in') {
        if (!Array.isArray(arg) || !arg.every(isExactScalar)) return false;
        points = true;
      } else if (op === '$gt' || op === '$gte') {
        if (!isExactScalar(arg)) return false;
        lower = true;
      } else if (op === '$lt' || op === '$lte') {
        if (!isExactScalar(arg)) return false;
        upper = true;
      } else {
        return false;
      }
    }
  }
  if (points) return !lower && !upper && bounds.kind === 'points';
  if (multikey && lower && upper) return false;
  return bounds.kind === 'range';
}

export function valueInBounds(v: unknown, b: FieldBounds): boolean {
  if (b.kind === 'all') return true;
  if (b.kind === 'points') {
    for (const p of b.points) if (compareBson(p, v) === 0) return true;
    return false;
  }
  const { lo, loInc, hi, hiInc } = b.interval;
  const l = compareBson(v, lo);
  if (l < 0 || (l === 0 && !loInc)) return false;
  const h = compareBson(v, hi);
  return !(h > 0 || (h === 0 && !hiInc));
}

/** Whether the bounds exclude null, i.e. a sparse index's missing documents cannot match. */
export function excludesNull(b: FieldBounds): boolean {
  if (b.kind === 'all') return false;
  return !valueInBounds(null, b);
}

/**
 * A partial index may serve a query only if every document the query can match is in it.
 * Each condition of the partial filter must be restated by the query, or every equality value
 * the query allows must itself pass that condition.
 */
export function queryImpliesPartialFilter(queryConds: Map<string, unknown[]>, partial: Document): boolean {
  for (const [field, pfeConds] of conditionsByPath(partial)) {
    const qconds = queryConds.get(field);
    if (!qconds) return false;
    for (const pc of pfeConds) {
      if (qconds.some((qc) => compareBson(qc, pc) === 0)) continue;
      const b = boundsFor(qconds, true);
      if (b.kind !== 'points') return false;
      const test = new Query({ [field]: pc }, MINGO_OPTIONS);
      for (const p of b.points) {
        const probe: Document = {};
        setPath(probe, field, p);
        if (!test.test(probe)) return false;
      }
    }
  }
  return true;
}

export function describeBounds(b: FieldBounds, dir: number): string[] {
  const show = (v: unknown): string => {
    if (v instanceof TypeBound) {
      if (v === MIN_BOUND) return 'MinKey';
      if (v === MAX_BOUND) return 'MaxKey';
      return v.isMax ? 'MaxOfType' : 'MinOfType';
    }
    if (v instanceof Date) return `new Date(${v.getTime()})`;
    if (typeof v === 'string') return JSON.stringify(v);
    return String(v);
  };
  let out: string[];
  if (b.kind === 'all') out = ['[MinKey, MaxKey]'];
  else if (b.kind === 'points') out = b.points.map((p) => `[${show(p)}, ${show(p)}]`);
  else {
    const i = b.interval;
    out = [`${i.loInc ? '[' : '('}${show(i.lo)}, ${show(i.hi)}${i.hiInc ? ']' : ')'}`];
  }
  return dir < 0 ? out.reverse() : out;
}
