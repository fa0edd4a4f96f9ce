import { compareBson } from './bson-order';

export type Document = Record<string, unknown>;

export function isPlainObject(v: unknown): v is Document {
  if (v === null || typeof v !== 'object') return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** True for `{ $gt: 1, ... }`: an object whose keys are query or update operators. */
export function isOperatorObject(v: unknown): v is Document {
  if (!isPlainObject(v)) return false;
  for (const k in v) return k.startsWith('$');
  return false;
}

/**
 * Copies plain objects, arrays and dates; BSON value objects (ObjectId, Binary, Long...) are
 * immutable in practice and shared. Stored documents are never mutated in place, so this is
 * only needed before handing a document to code that edits it.
 */
export function cloneDoc<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(cloneDoc) as T;
  if (v instanceof Date) return new Date(v.getTime()) as T;
  if (!isPlainObject(v)) return v;
  const out: Document = {};
  for (const k in v) out[k] = cloneDoc((v as Document)[k]);
  return out as T;
}

/**
 * Values a dotted path reaches, expanding arrays the way MongoDB's index keys do.
 * Missing values are reported as `undefined`; `sawArray` tells the caller the path is multikey.
 */
export function collectPathValues(doc: unknown, parts: readonly string[], state: { sawArray: boolean }): unknown[] {
  const out: unknown[] = [];
  walk(doc, parts, 0, out, state);
  return out;
}

function walk(v: unknown, parts: readonly string[], i: number, out: unknown[], state: { sawArray: boolean }): void {
  if (i === parts.length) {
    if (Array.isArray(v)) {
      state.sawArray = true;
      if (v.length === 0) out.push(undefined);
      else for (const e of v) out.push(e);
    } else {
      out.push(v);
    }
    return;
  }
  if (Array.isArray(v)) {
    state.sawArray = true;
    const before = out.length;
    const idx = /^\d+$/.test(parts[i]) ? Number(parts[i]) : -1;
    if (idx >= 0 && idx < v.length) walk(v[idx], parts, i + 1, out, state);
    for (const e of v) if (isPlainObject(e)) walk(e[parts[i]], parts, i + 1, out, state);
    if (out.length === before) out.push(undefined);
    return;
  }
  if (v !== null && typeof v === 'object' && !(v instanceof Date)) {
    walk((v as Document)[parts[i]], parts, i + 1, out, state);
    return;
  }
  out.push(undefined);
}

/** The value a sort on `path` uses: the smallest array element ascending, the largest descending. */
export function sortValue(doc: Document, parts: readonly string[], direction: number): unknown {
  const state = { sawArray: false };
  const values = collectPathValues(doc, parts, state);
  let best: unknown = values[0] ?? null;
  for (let i = 1; i < values.length; i++) {
    const v = values[i] ?? null;
    const c = compareBson(v, best);
    if (direction > 0 ? c < 0 : c > 0) best = v;
  }
  return best;
}

export function setPath(doc: Document, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: Document = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = cur[parts[i]];
    if (isPlainObject(next)) {
      cur = next;
    } else {
      const created: Document = {};
      cur[parts[i]] = created;
      cur = created;
    }
  }
  cur[parts[parts.length - 1]] = value;
}

/** MongoDB stores `_id` as the first field; mingo's projection and updates may move it. */
export function withIdFirst(doc: Document): Document {
  if (!('_id' in doc)) return doc;
  for (const k in doc) {
    if (k === '_id') return doc;
    break;
  }
  const out: Document = { _id: doc._id };
  for (const k in doc) if (k !== '_id') out[k] = doc[k];
  return out;
}
