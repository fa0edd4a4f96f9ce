import { Query } from 'mingo';
import type { Collection } from '../catalog/collection';
import { cloneDoc, isOperatorObject, isPlainObject, withIdFirst, type Document } from '../documents';
import { collatedMatcher, collatedSort, sameCollation, type Collation } from '../collation';
import { ALL, type FieldBounds } from '../planner/bounds';
import { asCommandError, CommandError, ErrorCode } from '../errors';
import { compileFilter, describePlan, newStats, runPlan, type ExecStats, type Hit } from '../planner/executor';
import { planQuery, type Plan, type SortSpec } from '../planner/planner';
import { MINGO_OPTIONS, mingoOptions } from '../mingo-options';
import { describeTextPlan, planTextQuery, runTextPlan, splitMetaProjection, withTextScore, type TextPlan } from '../planner/text-plan';

export interface QuerySpec {
  filter: Document;
  sort: SortSpec;
  skip?: number;
  limit?: number;
  hint?: unknown;
  /** The command's `let`; the planner's bounds never depend on it, only the residual `$expr` does. */
  variables?: Document;
  /** A non-simple collation: the query scans, matching and sorting with the collator. */
  collation?: Collation | null;
}

export interface PreparedQuery {
  plan: Plan | TextPlan;
  stats: ExecStats;
  hits: Generator<Hit>;
  docs: Generator<Document>;
}

function* documentsOf(hits: Generator<Hit>): Generator<Document> {
  try {
    for (const hit of hits) yield hit[1];
  } finally {
    hits.return(undefined);
  }
}

/** Plans and starts a query; documents come out lazily and by reference. */
export function runQuery(coll: Collection, spec: QuerySpec): PreparedQuery {
  // A collated query with $text is refused there (loudly), not run as a text search that ignores the collation.
  if (spec.collation) return runCollatedQuery(coll, spec, spec.collation);
  const text = planTextQuery(coll, spec.filter, spec.sort);
  if (text) {
    if (spec.variables) throw new CommandError(ErrorCode.NotImplemented, 'let variables are not supported in a $text query');
    const { stats, hits } = runTextPlan(coll, text, { skip: spec.skip, limit: spec.limit });
    return { plan: text, stats, hits, docs: documentsOf(hits) };
  }
  const plan = planQuery(coll, spec.filter, spec.sort, spec.hint);
  const stats = newStats();
  const filter = spec.variables ? variablesMatcher(plan.residual, spec.variables) : compileFilter(plan.residual);
  const hits = runPlan(coll, plan, filter, stats, { skip: spec.skip, limit: spec.limit });
  return { plan, stats, hits, docs: documentsOf(hits) };
}

/**
 * Index keys are in binary order, so neither bounds nor a sort provided by an index agree with
 * a collation: scan (through the hinted index if any), match and sort with the collator.
 */
function runCollatedQuery(coll: Collection, spec: QuerySpec, collation: Collation): PreparedQuery {
  const plan = (spec.hint ? null : collatedLookup(coll, spec.filter, collation)) ?? planQuery(coll, {}, [], spec.hint);
  const stats = newStats();
  const matcher = Object.keys(spec.filter).length > 0 ? collatedMatcher(spec.filter, collation) : null;
  const sorted = spec.sort.length > 0;
  const scan = runPlan(coll, plan, matcher, stats, sorted ? {} : { skip: spec.skip, limit: spec.limit });
  const hits = sorted ? sortedHits(scan, spec, collation) : scan;
  return { plan, stats, hits, docs: documentsOf(hits) };
}

/**
 * An index built with the query's collation whose first field the filter pins to one value
 * (`{name: 'alice'}` finds 'Alice' at strength 2): scanned for that value only, everything still
 * matched by the collator. Ranges and sorts through such an index are not planned yet.
 */
function collatedLookup(coll: Collection, filter: Document, collation: Collation): Plan | null {
  for (const index of coll.indexes) {
    if (!index.collation || index.partial || index.spec.sparse || !sameCollation(index.collation, collation)) continue;
    const cond = filter[index.fields[0]];
    const value = isOperatorObject(cond) ? (Object.keys(cond).length === 1 ? cond.$eq : undefined) : cond;
    if (value === undefined || value === null || Array.isArray(value) || isPlainObject(value) || value instanceof RegExp) continue;
    const bounds: FieldBounds[] = index.fields.map((_, i) => (i === 0 ? { kind: 'points', points: [value] } : ALL));
    return { access: { kind: 'ixscan', index, bounds, pointPrefix: 1, direction: 1, merge: false, mergeKey: [] }, sort: [], sortProvided: 0, residual: filter };
  }
  return null;
}

function* sortedHits(scan: Generator<Hit>, spec: QuerySpec, collation: Collation): Generator<Hit> {
  const all = collatedSort([...scan], (h) => h[1], spec.sort, collation);
  const from = spec.skip ?? 0;
  yield* all.slice(from, spec.limit ? from + spec.limit : undefined);
}

function variablesMatcher(residual: Document, variables: Document): Query | null {
  if (Object.keys(residual).length === 0) return null;
  try {
    return new Query(residual, mingoOptions(variables));
  } catch (err) {
    throw asCommandError(err);
  }
}

function needsFilterForProjection(projection: Document): boolean {
  return Object.keys(projection).some((k) => k.endsWith('.$'));
}

/**
 * Projections of top-level fields only (`{a: 1, b: 1}`, `{a: 0}`, either with `_id: 0`), which is what
 * hot paths send, done without mingo: null for anything else. Values are shared with the stored
 * document, which is never edited in place; `_id` comes first as MongoDB stores it.
 */
export function simpleProjector(projection: Document): ((doc: Document) => Document) | null {
  let include: boolean | undefined;
  let withId = true;
  let idNamed = false;
  const fields = new Set<string>();
  for (const [key, value] of Object.entries(projection)) {
    if (key === '' || key.startsWith('$') || key.includes('.') || key === '__proto__') return null;
    let on: boolean;
    if (typeof value === 'boolean') on = value;
    else if (typeof value === 'number' && !Number.isNaN(value)) on = value !== 0;
    else return null;
    if (key === '_id') {
      withId = on;
      idNamed = true;
      continue;
    }
    if (include === undefined) include = on;
    else if (include !== on) return null;
    fields.add(key);
  }
  if (include === undefined && !idNamed) return (doc) => doc;
  if (include === undefined) include = withId;
  // `{_id: 1, a: 0}` mixes the two modes; mingo's error for it stays the answer.
  if (!include && idNamed && withId) return null;
  if (include) {
    return (doc) => {
      const out: Document = {};
      if (withId && doc._id !== undefined && Object.hasOwn(doc, '_id')) out._id = doc._id;
      for (const key in doc) {
        if (key !== '_id' && fields.has(key) && doc[key] !== undefined) out[key] = doc[key];
      }
      return out;
    };
  }
  if (!withId) fields.add('_id');
  return (doc) => {
    const out: Document = {};
    if (!fields.has('_id') && Object.hasOwn(doc, '_id')) out._id = doc._id;
    for (const key in doc) if (key !== '_id' && !fields.has(key)) out[key] = doc[key];
    return out;
  };
}

/** Applies a find projection with mingo; the positional `$` needs the query to know the element. */
export function project(source: Iterator<Document>, projection: Document | undefined, filter: Document): Iterator<Document> {
  if (!projection || Object.keys(projection).length === 0) return source;
  const meta = splitMetaProjection(projection);
  if (meta.fields.length) return projectWithTextScore(source, meta.rest, meta.fields, filter);
  const simple = simpleProjector(projection);
  if (simple) {
    return {
      next: () => {
        const r = source.next();
        return r.done ? r : { done: false, value: simple(r.value) };
      },
      return: (value?: unknown) => {
        source.return?.();
        return { done: true, value };
      },
    };
  }
  let projected: Iterator<Document>;
  try {
    const q = new Query(needsFilterForProjection(projection) ? filter : {}, MINGO_OPTIONS);
    // mingo's exclusion of a nested path deletes it from the input object itself.
    const input = Object.keys(projection).some((k) => k.includes('.')) ? clonedEach(source) : source;
    projected = q.find<Document>(iterable(input), projection)[Symbol.iterator]() as unknown as Iterator<Document>;
  } catch (err) {
    throw asCommandError(err);
  }
  return {
    next: () => {
      const r = projected.next();
      return r.done ? r : { done: false, value: withIdFirst(r.value) };
    },
    return: (value?: unknown) => {
      source.return?.();
      return { done: true, value };
    },
  };
}

/**
 * A projection naming `{$meta: "textScore"}`: the rest projected per document (compiled once), then the score
 * added. A text query hands out copies of its own, so the projected document is this query's to complete.
 */
function projectWithTextScore(source: Iterator<Document>, rest: Document, fields: string[], filter: Document): Iterator<Document> {
  const projectRest = simpleProjector(rest) ?? ((doc: Document) => projectOne(doc, rest, filter) ?? {});
  return {
    next: () => {
      const r = source.next();
      if (r.done) return r;
      return { done: false, value: withTextScore(projectRest(r.value), r.value, fields) };
    },
    return: (value?: unknown) => {
      source.return?.();
      return { done: true, value };
    },
  };
}

export function projectOne(doc: Document | null, projection: Document | undefined, filter: Document): Document | null {
  if (!doc || !projection || Object.keys(projection).length === 0) return doc;
  const r = project([doc][Symbol.iterator](), projection, filter).next();
  return r.done ? null : r.value;
}

export function explainQuery(
  ns: string,
  prepared: PreparedQuery,
  spec: QuerySpec,
  verbosity: string,
  command: Document,
): Document {
  const started = process.hrtime.bigint();
  let n = 0;
  if (verbosity !== 'queryPlanner') for (const _ of prepared.docs) n++;
  const millis = Number((process.hrtime.bigint() - started) / 1_000_000n);
  const opts = { skip: spec.skip, limit: spec.limit };
  const plan = prepared.plan;
  const winningPlan = 'query' in plan ? describeTextPlan(plan, opts) : describePlan(plan, spec.filter, opts);
  const out: Document = {
    explainVersion: '1',
    queryPlanner: {
      plannerVersion: 1,
      namespace: ns,
      indexFilterSet: false,
      parsedQuery: spec.filter,
      winningPlan,
      rejectedPlans: [],
    },
  };
  if (verbosity !== 'queryPlanner') {
    out.executionStats = {
      executionSuccess: true,
      nReturned: n,
      executionTimeMillis: millis,
      totalKeysExamined: prepared.stats.keysExamined,
      totalDocsExamined: prepared.stats.docsExamined,
      executionStages: { ...winningPlan, nReturned: n, docsExamined: prepared.stats.docsExamined, keysExamined: prepared.stats.keysExamined },
    };
  }
  out.command = command;
  out.serverInfo = { host: 'embedded', port: 0, version: '7.0.0', gitVersion: 'embedded-mongo' };
  out.ok = 1;
  return out;
}

/** mingo accepts iterables; a bare iterator is wrapped so it is consumed lazily, not copied. */
export function iterable<T>(source: Iterator<T>): Iterable<T> {
  return { [Symbol.iterator]: () => source };
}

export function* clonedEach(source: Iterator<Document>): Generator<Document> {
  for (let r = source.next(); !r.done; r = source.next()) yield cloneDoc(r.value);
}
