import { Query } from 'mingo';
import { compareBson, TypeClass, typeClassOf } from './bson-order';
import { isOperatorObject, isPlainObject, type Document } from './documents';
import { asCommandError, badValue, CommandError, ErrorCode } from './errors';
import { MINGO_OPTIONS } from './mingo-options';
import type { Matcher } from './planner/matcher';

/**
 * Collations (`{locale, strength, caseLevel, numericOrdering, caseFirst}`) with Intl.Collator.
 * Strings are compared by the collator wherever MongoDB would: equality and ranges in filters,
 * sort, distinct, and the keys of an index built with a collation (indexes/btree-index.ts). A
 * collated query scans and checks every document with the collator (correct before fast), except
 * an equality that an index of the same collation can look up (commands/query.ts).
 */
export interface Collation {
  spec: Document;
  compare(a: string, b: string): number;
}

const KNOWN = new Set(['locale', 'strength', 'caseLevel', 'caseFirst', 'numericOrdering', 'alternate', 'maxVariable', 'normalization', 'backwards', 'version']);

function refuse(what: string): CommandError {
  return new CommandError(ErrorCode.NotImplemented, `collation ${what} is not supported by the embedded engine`);
}

/** The collation a command asks for, or null for none or `{locale: 'simple'}` (binary order). */
export function parseCollation(raw: unknown): Collation | null {
  if (raw === undefined || raw === null) return null;
  if (!isPlainObject(raw)) throw new CommandError(ErrorCode.TypeMismatch, "BSON field 'collation' is the wrong type, expected type 'object'");
  for (const k of Object.keys(raw)) if (!KNOWN.has(k)) throw new CommandError(ErrorCode.UnknownField, `BSON field 'collation.${k}' is an unknown field.`);
  const { locale } = raw;
  if (typeof locale !== 'string') throw new CommandError(40414, "BSON field 'collation.locale' is missing but a required field");
  if (locale === 'simple') return null;
  const strength = raw.strength === undefined ? 3 : Number(raw.strength);
  if (![1, 2, 3, 4, 5].includes(strength)) throw badValue(`Field 'strength' must be an integer 1 through 5. Got: ${String(raw.strength)}`);
  if (strength > 3) throw refuse(`strength ${strength}`);
  if (raw.alternate !== undefined && raw.alternate !== 'non-ignorable') throw refuse(`alternate '${String(raw.alternate)}'`);
  if (raw.backwards === true) throw refuse('backwards');
  if (raw.normalization === true) throw refuse('normalization');
  const caseFirst = raw.caseFirst === undefined || raw.caseFirst === 'off' ? 'false' : raw.caseFirst;
  if (caseFirst !== 'false' && caseFirst !== 'upper' && caseFirst !== 'lower') throw badValue(`Field 'caseFirst' must be 'upper', 'lower' or 'off'. Got: ${String(raw.caseFirst)}`);
  const tag = locale === 'root' ? 'und' : locale.replace(/_/g, '-');
  let supported: string[];
  try {
    supported = tag === 'und' ? ['und'] : Intl.Collator.supportedLocalesOf([tag]);
  } catch {
    supported = [];
  }
  if (supported.length === 0) throw badValue(`Field 'locale' is invalid in: { locale: "${locale}" }`);
  const caseLevel = raw.caseLevel === true;
  // Intl has no "accents and case but nothing tertiary"; strength 2 with caseLevel is its 'variant'.
  const sensitivity = strength === 1 ? (caseLevel ? 'case' : 'base') : strength === 2 && !caseLevel ? 'accent' : 'variant';
  const collator = new Intl.Collator(tag, { sensitivity, numeric: raw.numericOrdering === true, caseFirst, usage: 'sort' });
  return { spec: raw, compare: collator.compare };
}

/** A collation spec with mongod's defaults filled in, as listIndexes and listCollections report it. */
export function normalizeCollation(spec: Document): Document {
  return {
    locale: spec.locale,
    caseLevel: spec.caseLevel ?? false,
    caseFirst: spec.caseFirst ?? 'off',
    strength: spec.strength ?? 3,
    numericOrdering: spec.numericOrdering ?? false,
    alternate: spec.alternate ?? 'non-ignorable',
    maxVariable: spec.maxVariable ?? 'punct',
    normalization: spec.normalization ?? false,
    backwards: spec.backwards ?? false,
  };
}

/** Whether two collations (null: simple) order strings alike, so an index built with one serves a query with the other. */
export function sameCollation(a: Collation | null, b: Collation | null): boolean {
  if (a === null || b === null) return a === b;
  return compareBson(normalizeCollation(a.spec), normalizeCollation(b.spec)) === 0;
}

const parsedDefaults = new WeakMap<Document, Collation | null>();

/**
 * The collation a command on a collection runs with: its own `collation` if it names one
 * (`{locale: 'simple'}` included), else the collection's default. Collections without a default
 * pay one property read.
 */
export function collationFor(raw: unknown, options: Document | undefined): Collation | null {
  if (raw !== undefined && raw !== null) return parseCollation(raw);
  const spec = options?.collation;
  if (spec === undefined) return null;
  let c = parsedDefaults.get(options!);
  if (c === undefined) {
    c = parseCollation(spec);
    parsedDefaults.set(options!, c);
  }
  return c;
}

/** compareBson, except that strings, also inside arrays and documents, go through the collator. */
export function compareCollated(a: unknown, b: unknown, c: Collation): number {
  if (typeof a === 'string' && typeof b === 'string') return c.compare(a, b);
  const ca = typeClassOf(a);
  if (ca !== typeClassOf(b)) return compareBson(a, b);
  if (ca === TypeClass.Array) {
    const x = a as unknown[];
    const y = b as unknown[];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const r = compareCollated(x[i], y[i], c);
      if (r !== 0) return r;
    }
    return x.length - y.length;
  }
  if (ca === TypeClass.Object) {
    const ak = Object.keys(a as Document);
    const bk = Object.keys(b as Document);
    for (let i = 0; i < Math.min(ak.length, bk.length); i++) {
      const av = (a as Document)[ak[i]];
      const bv = (b as Document)[bk[i]];
      const tc = typeClassOf(av) - typeClassOf(bv);
      if (tc !== 0) return tc < 0 ? -1 : 1;
      // Field names are compared binary, as in mongod; only values are collated.
      const kc = compareBson(ak[i], bk[i]);
      if (kc !== 0) return kc;
      const vc = compareCollated(av, bv, c);
      if (vc !== 0) return vc;
    }
    return ak.length - bk.length;
  }
  return compareBson(a, b);
}

/** What a path reaches for matching: each leaf value, and a leaf array both whole and element by element. */
function candidates(v: unknown, parts: readonly string[], i: number, out: unknown[]): void {
  if (i === parts.length) {
    out.push(v);
    if (Array.isArray(v)) out.push(...v);
    return;
  }
  if (Array.isArray(v)) {
    if (/^\d+$/.test(parts[i]) && Number(parts[i]) < v.length) candidates(v[Number(parts[i])], parts, i + 1, out);
    for (const e of v) if (isPlainObject(e)) candidates(e[parts[i]], parts, i + 1, out);
    return;
  }
  if (isPlainObject(v)) candidates(v[parts[i]], parts, i + 1, out);
  else out.push(undefined);
}

const RANGE: Record<string, (r: number) => boolean> = {
  $gt: (r) => r > 0,
  $gte: (r) => r >= 0,
  $lt: (r) => r < 0,
  $lte: (r) => r <= 0,
};

/** Operators whose result does not depend on how strings compare: mingo judges them as they are. */
const COLLATION_FREE = new Set(['$exists', '$type', '$regex', '$options', '$size', '$mod', '$bitsAllSet', '$bitsAnySet', '$bitsAllClear', '$bitsAnyClear']);

function equalsOne(v: unknown, target: unknown, c: Collation): boolean {
  if (target instanceof RegExp) return typeof v === 'string' && target.test(v);
  if (target === null) return v === null || v === undefined;
  return v !== undefined && typeClassOf(v) === typeClassOf(target) && compareCollated(v, target, c) === 0;
}

/** Operators that ignore collation, judged by mingo on the whole document (compiled once per condition). */
const freeQueries = new WeakMap<Document, Query | null>();

function freeQuery(conds: Document, path: string): Query | null {
  let q = freeQueries.get(conds);
  if (q === undefined) {
    const free: Document = {};
    for (const [op, arg] of Object.entries(conds)) if (COLLATION_FREE.has(op)) free[op] = arg;
    try {
      q = Object.keys(free).length > 0 ? new Query({ [path]: free }, MINGO_OPTIONS) : null;
    } catch (err) {
      throw asCommandError(err);
    }
    freeQueries.set(conds, q);
  }
  return q;
}

function matchOperator(doc: Document, values: unknown[], op: string, arg: unknown, path: string, c: Collation): boolean {
  switch (op) {
    case '$eq':
      return values.some((v) => equalsOne(v, arg, c));
    case '$ne':
      return !values.some((v) => equalsOne(v, arg, c));
    case '$in':
    case '$nin': {
      if (!Array.isArray(arg)) throw badValue(`${op} needs an array`);
      const found = values.some((v) => arg.some((t) => equalsOne(v, t, c)));
      return op === '$in' ? found : !found;
    }
    case '$gt':
    case '$gte':
    case '$lt':
    case '$lte': {
      const test = RANGE[op];
      return values.some((v) => {
        if (arg === null && (op === '$gte' || op === '$lte')) return v === null || v === undefined;
        return v !== undefined && typeClassOf(v) === typeClassOf(arg) && test(compareCollated(v, arg, c));
      });
    }
    case '$not':
      if (isOperatorObject(arg)) return !matchConditions(doc, values, arg, path, c);
      return !values.some((v) => equalsOne(v, arg, c));
    default:
      throw refuse(`with the query operator ${op}`);
  }
}

function matchConditions(doc: Document, values: unknown[], conds: Document, path: string, c: Collation): boolean {
  const free = freeQuery(conds, path);
  if (free && !free.test(doc)) return false;
  for (const [op, arg] of Object.entries(conds)) {
    if (!COLLATION_FREE.has(op) && !matchOperator(doc, values, op, arg, path, c)) return false;
  }
  return true;
}

const COLLATED = new Set(['$eq', '$ne', '$in', '$nin', '$gt', '$gte', '$lt', '$lte', '$not']);

/** Refuses what the collated matcher cannot judge now, not at the first document. */
function checkOperators(conds: Document, path: string): void {
  for (const [op, arg] of Object.entries(conds)) {
    if (!COLLATED.has(op) && !COLLATION_FREE.has(op)) throw refuse(`with the query operator ${op}`);
    if (op === '$not' && isOperatorObject(arg)) checkOperators(arg, path);
  }
  freeQuery(conds, path);
}

function compileNode(filter: Document, c: Collation): (doc: Document) => boolean {
  const tests: ((doc: Document) => boolean)[] = [];
  for (const [key, cond] of Object.entries(filter)) {
    if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(cond) || cond.length === 0 || !cond.every(isPlainObject)) throw badValue(`${key} must be a nonempty array`);
      const parts = (cond as Document[]).map((f) => compileNode(f, c));
      if (key === '$and') tests.push((d) => parts.every((p) => p(d)));
      else if (key === '$or') tests.push((d) => parts.some((p) => p(d)));
      else tests.push((d) => !parts.some((p) => p(d)));
      continue;
    }
    if (key === '$comment') continue;
    if (key.startsWith('$')) throw refuse(`with the query operator ${key}`);
    const parts = key.split('.');
    const values = (d: Document): unknown[] => {
      const out: unknown[] = [];
      candidates(d, parts, 0, out);
      return out;
    };
    if (cond instanceof RegExp || !isOperatorObject(cond)) {
      tests.push((d) => values(d).some((v) => equalsOne(v, cond, c)));
      continue;
    }
    checkOperators(cond, key);
    tests.push((d) => matchConditions(d, values(d), cond, key, c));
  }
  return (doc) => tests.every((t) => t(doc));
}

/** A matcher that compares strings with the collation; operators it cannot collate are refused (238). */
export function collatedMatcher(filter: Document, c: Collation): Matcher {
  const test = compileNode(filter, c);
  return { test };
}

/** Sorts documents by a sort spec with strings collated; arrays sort by their least (or greatest) element. */
/** `sort` is a planner SortSpec, spelled out: the planner depends on indexes, which depend on this module. */
export function collatedSort<T>(items: T[], docOf: (item: T) => Document, sort: readonly (readonly [string, 1 | -1])[], c: Collation): T[] {
  const key = (doc: Document, parts: string[], dir: number): unknown => {
    const out: unknown[] = [];
    candidates(doc, parts, 0, out);
    const values = out.filter((v) => !Array.isArray(v)).map((v) => v ?? null);
    let best: unknown = values[0] ?? null;
    for (const v of values.slice(1)) {
      const r = compareCollated(v, best, c);
      if (dir > 0 ? r < 0 : r > 0) best = v;
    }
    return best;
  };
  const specs = sort.map(([path, dir]) => ({ parts: path.split('.'), dir }));
  const keyed = items.map((item) => ({ item, keys: specs.map((s) => key(docOf(item), s.parts, s.dir)) }));
  keyed.sort((x, y) => {
    for (let i = 0; i < specs.length; i++) {
      const r = compareCollated(x.keys[i], y.keys[i], c);
      if (r !== 0) return specs[i].dir > 0 ? r : -r;
    }
    return 0;
  });
  return keyed.map((k) => k.item);
}
