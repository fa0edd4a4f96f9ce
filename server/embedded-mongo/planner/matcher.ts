import { ObjectId } from 'bson';
import { Query } from 'mingo';
import type { Document } from '../documents';
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
export function equalityMatcher(filter: Document, fallbackFor = (f: Document): Matcher => new Query(f, MINGO_OPTIONS)): Matcher | null {
  const fields: string[] = [];
  const targets: Target[] = [];
  for (const key of Object.keys(filter)) {
    if (key === '' || key.startsWith('$') || key.includes('.') || key === '__proto__') return null;
    const t = filter[key];
    if (!isTarget(t)) return null;
    fields.push(key);
    targets.push(t);
  }
  let fallback: Matcher | undefined;
  return {
    test(doc: Document): boolean {
      for (let i = 0; i < fields.length; i++) {
        const r = fieldEquals(Object.hasOwn(doc, fields[i]) ? doc[fields[i]] : undefined, targets[i]);
        if (r === false) return false;
        if (r === undefined) {
          fallback ??= fallbackFor(filter);
          return fallback.test(doc);
        }
      }
      return true;
    },
  };
}
