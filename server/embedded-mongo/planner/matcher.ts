import { ObjectId } from 'bson';
import { Query } from 'mingo';
import { isPlainObject, type Document } from '../documents';
import { MINGO_OPTIONS } from '../mingo-options';

/** What a fetched document is checked against; mingo's Query is one. */
export interface Matcher {
  test(doc: Document): boolean;
}

type Target = null | string | number | boolean | ObjectId | Date;

function isTarget(v: unknown): v is Target {
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return !Number.isNaN(v);
    case 'object':
      return v === null || v instanceof ObjectId || (v instanceof Date && !Number.isNaN(v.getTime()));
    default:
      return false;
  }
}

/** Equality of one non-array value; undefined when the value is of a kind only mingo should judge. */
function scalarEquals(v: unknown, t: Target): boolean | undefined {
  if (t === null) {
    if (v === null || v === undefined) return true;
  } else if (v === t) {
    return true;
  } else if (t instanceof ObjectId) {
    if (v instanceof ObjectId) return t.equals(v);
  } else if (t instanceof Date) {
    if (v instanceof Date) return v.getTime() === t.getTime();
  }
  const tv = typeof v;
  if (tv === 'string' || tv === 'number' || tv === 'boolean') return false;
  if (v === null || v === undefined || v instanceof ObjectId || v instanceof Date) return false;
  return undefined;
}

/** `{field: target}` as MongoDB reads it: the value, or any element of an array value, equals the target. */
function fieldEquals(v: unknown, t: Target): boolean | undefined {
  if (!Array.isArray(v)) return scalarEquals(v, t);
  let unsure = false;
  for (const e of v) {
    if (e === undefined) {
      unsure = true;
      continue;
    }
    const r = Array.isArray(e) ? undefined : scalarEquals(e, t);
    if (r === true) return true;
    if (r === undefined) unsure = true;
  }
  return unsure ? undefined : false;
}

/**
 * Filters made only of top-level `{field: scalar}` and `{field: null}` conditions (what the residual of
 * a feed query is) tested without building a mingo Query per command. Documents whose values this does
 * not understand (embedded documents, other BSON types, nested arrays) go to mingo, compiled on first need.
 */
export function equalityMatcher(filter: Document, fallbackFor?: (f: Document) => Matcher): Matcher | null {
  for (const key of Object.keys(filter)) if (key.startsWith('$') || !isTarget(filter[key])) return null;
  return conditionMatcher(filter, fallbackFor);
}

/** A compiled condition: true or false when decided, undefined when only mingo can judge the document. */
type Predicate = (doc: Document) => boolean | undefined;

/** Beyond this many targets an `$in` of ObjectIds looks values up by hex instead of comparing each. */
const LINEAR_IN_TARGETS = 8;

function valueOf(doc: Document, field: string): unknown {
  return Object.hasOwn(doc, field) ? doc[field] : undefined;
}

/** `{field: {$in: targets}}`: some target equals the value (or one of an array value's elements). */
function inPredicate(field: string, targets: Target[]): Predicate {
  const ids = targets.length > LINEAR_IN_TARGETS && targets.every((t) => t instanceof ObjectId) ? new Set(targets.map((t) => (t as ObjectId).toHexString())) : null;
  return (doc) => {
    const v = valueOf(doc, field);
    if (ids && v instanceof ObjectId) return ids.has(v.toHexString());
    let unsure = false;
    for (const t of targets) {
      const r = fieldEquals(v, t);
      if (r === true) return true;
      if (r === undefined) unsure = true;
    }
    return unsure ? undefined : false;
  };
}

/** One field's condition: a target, or an object of $eq / $ne / $in operators; null when not of these. */
function fieldPredicate(field: string, cond: unknown): Predicate | null {
  if (isTarget(cond)) return (doc) => fieldEquals(valueOf(doc, field), cond);
  if (!isPlainObject(cond)) return null;
  const ops = Object.entries(cond);
  if (ops.length === 0) return null;
  const parts: Predicate[] = [];
  for (const [op, arg] of ops) {
    if (op === '$eq' && isTarget(arg)) parts.push((doc) => fieldEquals(valueOf(doc, field), arg));
    else if (op === '$ne' && isTarget(arg))
      parts.push((doc) => {
        const r = fieldEquals(valueOf(doc, field), arg);
        return r === undefined ? undefined : !r;
      });
    else if (op === '$in' && Array.isArray(arg) && arg.every(isTarget)) parts.push(inPredicate(field, arg as Target[]));
    else return null;
  }
  return allOf(parts);
}

/** Every part holds; undecided when none fails and one is undecided. */
function allOf(parts: Predicate[]): Predicate {
  if (parts.length === 1) return parts[0]!;
  return (doc) => {
    let unsure = false;
    for (const part of parts) {
      const r = part(doc);
      if (r === false) return false;
      if (r === undefined) unsure = true;
    }
    return unsure ? undefined : true;
  };
}

/** A filter of top-level fields, `$and` and `$or`, each field condition one fieldPredicate takes; null otherwise. */
function filterPredicate(filter: unknown): Predicate | null {
  if (!isPlainObject(filter)) return null;
  const parts: Predicate[] = [];
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(cond) || cond.length === 0) return null;
      const clauses = cond.map(filterPredicate);
      if (clauses.some((c) => c === null)) return null;
      if (key === '$and') parts.push(allOf(clauses as Predicate[]));
      else
        parts.push((doc) => {
          let unsure = false;
          for (const clause of clauses as Predicate[]) {
            const r = clause(doc);
            if (r === true) return true;
            if (r === undefined) unsure = true;
          }
          return unsure ? undefined : false;
        });
      continue;
    }
    if (key === '' || key.startsWith('$') || key.includes('.') || key === '__proto__') return null;
    const part = fieldPredicate(key, cond);
    if (!part) return null;
    parts.push(part);
  }
  return parts.length ? allOf(parts) : () => true;
}

/**
 * Filters of top-level equality, `$eq`, `$ne` and `$in` of scalars, joined by `$and` / `$or` (what the policy's
 * scopes are), tested without mingo: mingo's `$in` hashes every target again for each document it tests.
 * Documents whose values this does not understand go to mingo, compiled on first need.
 */
export function conditionMatcher(filter: Document, fallbackFor = (f: Document): Matcher => new Query(f, MINGO_OPTIONS)): Matcher | null {
  const predicate = Object.keys(filter).length ? filterPredicate(filter) : null;
  if (!predicate) return null;
  let fallback: Matcher | undefined;
  return {
    test(doc: Document): boolean {
      const r = predicate(doc);
      if (r !== undefined) return r;
      fallback ??= fallbackFor(filter);
      return fallback.test(doc);
    },
  };
}
