import { Query } from 'mingo';
import type { Collection } from '../catalog/collection';
import { cloneDoc, withIdFirst, type Document } from '../documents';
import { asCommandError } from '../errors';
import { compileFilter, describePlan, newStats, runPlan, type ExecStats, type Hit } from '../planner/executor';
import { planQuery, type Plan, type SortSpec } from '../planner/planner';
import { MINGO_OPTIONS } from '../mingo-options';

export interface QuerySpec {
  filter: Document;
  sort: SortSpec;
  skip?: number;
  limit?: number;
  hint?: unknown;
}

export interface PreparedQuery {
  plan: Plan;
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
  const plan = planQuery(coll, spec.filter, spec.sort, spec.hint);
  const stats = newStats();
  const filter = compileFilter(plan.residual);
  const hits = runPlan(coll, plan, filter, stats, { skip: spec.skip, limit: spec.limit });
  return { plan, stats, hits, docs: documentsOf(hits) };
}

function needsFilterForProjection(projection: Document): boolean {
  return Object.keys(projection).some((k) => k.endsWith('.$'));
}

/** Applies a find projection with mingo; the positional `$` needs the query to know the element. */
export function project(source: Iterator<Document>, projection: Document | undefined, filter: Document): Iterator<Document> {
  if (!projection || Object.keys(projection).length === 0) return source;
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
  const winningPlan = describePlan(prepared.plan, spec.filter, { skip: spec.skip, limit: spec.limit });
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
