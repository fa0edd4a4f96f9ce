import { Aggregator } from 'mingo';
import { collationFor, type Collation } from '../collation';
import { cloneDoc, isPlainObject, type Document } from '../documents';
import { asCommandError, badValue, CommandError, ErrorCode } from '../errors';
import { parseSort, type SortSpec } from '../planner/planner';
import { collectionArg, nonNegativeIntArg, type CommandContext, type CommandHandler } from './context';
import { clonedEach, explainQuery, iterable, runQuery, type QuerySpec } from './query';
import { mingoOptions } from '../mingo-options';
import { letArg } from './command-options';
import { OUTPUT_STAGES, writeOutput } from './aggregate-output';
import { isView, resolveView } from './views';

/** Stages that build new documents without writing into the ones they receive. */
const READ_ONLY_STAGES = new Set(['$match', '$sort', '$limit', '$skip', '$count', '$group', '$sortByCount', '$lookup', '$unwind', '$sample', '$bucket', '$bucketAuto']);
const UNSUPPORTED_STAGES = new Set(['$changeStream', '$currentOp', '$listSessions', '$indexStats', '$collStats', '$search', '$geoNear']);

function stageName(stage: Document): string {
  const keys = Object.keys(stage);
  if (keys.length !== 1) throw new CommandError(40323, 'A pipeline stage specification object must contain exactly one field.');
  return keys[0];
}

/** Leading $match/$sort/$skip/$limit stages the query planner can answer with an index. */
function splitPushdown(pipeline: Document[]): { spec: QuerySpec; rest: Document[] } {
  let i = 0;
  let filter: Document = {};
  let sort: SortSpec = [];
  let skip: number | undefined;
  let limit: number | undefined;
  if (pipeline[0] && isPlainObject(pipeline[0].$match)) {
    filter = pipeline[0].$match;
    i = 1;
  }
  if (pipeline[i] && isPlainObject(pipeline[i].$sort)) {
    sort = parseSort(pipeline[i].$sort);
    i++;
  }
  for (; i < pipeline.length; i++) {
    const stage = pipeline[i];
    if ('$skip' in stage && limit === undefined) skip = (skip ?? 0) + Number(stage.$skip);
    else if ('$limit' in stage) limit = limit === undefined ? Number(stage.$limit) : Math.min(limit, Number(stage.$limit));
    else break;
  }
  return { spec: { filter, sort, skip, limit }, rest: pipeline.slice(i) };
}

function isReadOnlyPipeline(stages: unknown): boolean {
  return Array.isArray(stages) && stages.every((s) => isPlainObject(s) && READ_ONLY_STAGES.has(stageName(s)) && !writesForeignDocuments(s));
}

/** Whether a stage runs a sub-pipeline over another collection that may write into its documents. */
function writesForeignDocuments(stage: Document): boolean {
  const lookup = stage.$lookup;
  if (isPlainObject(lookup) && lookup.pipeline !== undefined) return !isReadOnlyPipeline(lookup.pipeline);
  const union = stage.$unionWith;
  if (union !== undefined) return isPlainObject(union) && union.pipeline !== undefined && !isReadOnlyPipeline(union.pipeline);
  return '$graphLookup' in stage;
}

/**
 * Runs the remaining stages in mingo. Stored documents are shared, not copied, so documents
 * are deep-copied right before the first stage that may write into what it receives.
 */
function runStages(ctx: CommandContext, source: Iterator<Document>, stages: Document[], variables: Document | undefined, collation: Collation | null): Iterator<Document> {
  if (stages.length === 0) return source;
  const { engine, db } = ctx;
  const foreignWritten = stages.some(writesForeignDocuments);
  const options = {
    ...mingoOptions(variables),
    // mingo's $sort collates; prepareAggregate refused every other stage that would compare strings.
    ...(collation ? { collation: collation.spec as { locale: string } } : {}),
    collectionResolver: (name: string): Document[] => {
      // A view's documents are its pipeline's results: fresh objects, so never shared.
      if (isView(engine, db, name)) return [...iterable(aggregateReader({ ...ctx, body: { aggregate: name, pipeline: [], cursor: {} } }).out)];
      const docs = [...(engine.catalog.get(db, name)?.docs.values() ?? [])];
      return foreignWritten ? docs.map(cloneDoc) : docs;
    },
  };
  const barrier = stages.findIndex((s) => !READ_ONLY_STAGES.has(stageName(s)));
  try {
    let out: Iterator<Document> = source;
    const readOnly = barrier < 0 ? stages : stages.slice(0, barrier);
    if (readOnly.length > 0) out = new Aggregator(readOnly, options).stream(iterable(out)) as unknown as Iterator<Document>;
    if (barrier >= 0) out = new Aggregator(stages.slice(barrier), options).stream(clonedEach(out)) as unknown as Iterator<Document>;
    return out;
  } catch (err) {
    throw asCommandError(err);
  }
}

/** After the pushed-down prefix, the stages that cannot compare strings, besides mingo's collated $sort. */
const COLLATION_FREE_STAGES = new Set(['$limit', '$skip', '$sort', '$count', '$unset']);

function isCollationFree(stage: Document): boolean {
  const name = stageName(stage);
  if (COLLATION_FREE_STAGES.has(name)) return true;
  // The driver's countDocuments: one group of everything, counted.
  const group = stage.$group;
  if (name === '$group' && isPlainObject(group)) {
    const { _id: id, ...accumulators } = group;
    return (id === null || typeof id === 'number') && Object.values(accumulators).every((a) => isPlainObject(a) && Object.keys(a).length === 1 && typeof a.$sum === 'number');
  }
  const projection = stage.$project;
  return name === '$project' && isPlainObject(projection) && Object.values(projection).every((v) => typeof v === 'boolean' || typeof v === 'number');
}

export function prepareAggregate(ctx: CommandContext): { ns: string; spec: QuerySpec; rest: Document[]; pipeline: Document[]; collName?: string } {
  const { body, db } = ctx;
  const pipeline = body.pipeline;
  if (!Array.isArray(pipeline) || !pipeline.every(isPlainObject)) throw new CommandError(ErrorCode.TypeMismatch, "'pipeline' option must be specified as an array");
  (pipeline as Document[]).forEach((stage, i) => {
    const name = stageName(stage);
    if (UNSUPPORTED_STAGES.has(name)) throw badValue(`${name} is not supported by the embedded engine`);
    if (OUTPUT_STAGES.has(name) && i !== pipeline.length - 1) throw new CommandError(40601, `${name} can only be the final stage in the pipeline`);
  });
  const collName = typeof body.aggregate === 'string' ? collectionArg(body, 'aggregate') : undefined;
  if (collName === undefined && body.aggregate !== 1) throw badValue("aggregate must name a collection or be 1");
  // The planner's matcher sees no `let` variables; with them every stage runs in mingo, which does.
  // A collated query refuses `$expr`, so with a collation the leading $match is pushed down regardless.
  const collation = collationFor(body.collation, collName === undefined ? undefined : ctx.engine.catalog.get(db, collName)?.info.options);
  const withVariables = isPlainObject(body.let) && Object.keys(body.let).length > 0 && !collation;
  const { spec, rest } = withVariables ? { spec: { filter: {}, sort: [] }, rest: pipeline as Document[] } : splitPushdown(pipeline as Document[]);
  // The hint names an index of the collection read (a view's too); one naming none is 2, as for find.
  if (body.hint !== undefined) spec.hint = body.hint;
  if (collation) {
    const stage = rest.find((s) => !isCollationFree(s));
    if (stage) throw new CommandError(ErrorCode.NotImplemented, `a collation with ${stageName(stage)} after the leading $match and $sort is not supported by the embedded engine`);
    spec.collation = collation;
  }
  return { ns: `${db}.${collName ?? '$cmd.aggregate'}`, spec, rest, pipeline: pipeline as Document[], collName };
}

export function explainAggregate(ctx: CommandContext, verbosity: string, command: Document): Document {
  if (typeof ctx.body.aggregate === 'string' && isView(ctx.engine, ctx.db, ctx.body.aggregate)) {
    throw new CommandError(ErrorCode.NotImplemented, 'explain of a command on a view is not supported by the embedded engine');
  }
  const { ns, spec, rest, collName } = prepareAggregate(ctx);
  const coll = collName ? ctx.engine.catalog.get(ctx.db, collName) : undefined;
  if (!coll) return { explainVersion: '1', stages: [{ $cursor: { queryPlanner: { namespace: ns, winningPlan: { stage: 'EOF' } } } }, ...rest], ok: 1 };
  const cursorStage = explainQuery(ns, runQuery(coll, spec), spec, verbosity, command);
  const { ok: _ok, command: _cmd, serverInfo, ...inner } = cursorStage;
  return { explainVersion: '1', stages: [{ $cursor: inner }, ...rest], serverInfo, command, ok: 1 };
}

/**
 * The documents an aggregate command's pipeline yields (its `$out`/`$merge` aside). On a view, the
 * view's pipeline runs first over the collection it reads; the cursor keeps the view's namespace.
 */
/** A view does not take the default collation of the collection it reads: its own is simple. */
const SIMPLE = { locale: 'simple' };

export function aggregateReader(ctx: CommandContext): { ns: string; out: Iterator<Document> } {
  const { body, engine, db } = ctx;
  const view = typeof body.aggregate === 'string' ? resolveView(engine, db, body.aggregate) : null;
  const reading = view && Array.isArray(body.pipeline) ? { ...ctx, body: { ...body, aggregate: view.source, pipeline: [...view.pipeline, ...body.pipeline], collation: body.collation ?? SIMPLE } } : ctx;
  const { ns, spec, rest, collName } = prepareAggregate(reading);
  const coll = collName ? engine.catalog.get(db, collName) : undefined;
  const source: Iterator<Document> = coll ? runQuery(coll, spec).docs : [][Symbol.iterator]();
  const out = runStages(ctx, source, rest, letArg('aggregate', body), spec.collation ?? null);
  return { ns: view ? `${db}.${String(body.aggregate)}` : ns, out };
}

export const aggregateCommands: Record<string, CommandHandler> = {
  aggregate: async (ctx) => {
    const { body, engine, db } = ctx;
    if (body.explain === true) return explainAggregate(ctx, 'queryPlanner', body);
    if (!isPlainObject(body.cursor)) {
      throw new CommandError(ErrorCode.FailedToParse, "The 'cursor' option is required, except for aggregate with the explain argument");
    }
    const last = Array.isArray(body.pipeline) ? (body.pipeline.at(-1) as unknown) : undefined;
    const output = isPlainObject(last) && Object.keys(last).some((k) => OUTPUT_STAGES.has(k)) ? last : undefined;
    const reading = output ? { ...ctx, body: { ...body, pipeline: (body.pipeline as Document[]).slice(0, -1) } } : ctx;
    if (output) {
      stageName(output);
      const early = (reading.body.pipeline as unknown[]).find((s) => isPlainObject(s) && OUTPUT_STAGES.has(stageName(s)));
      if (early) throw new CommandError(40601, `${stageName(early as Document)} can only be the final stage in the pipeline`);
    }
    const { ns, out } = aggregateReader(reading);
    if (output) {
      await writeOutput(ctx, output, [...iterable(out)]);
      return engine.cursors.open(ns, [][Symbol.iterator](), {}) as unknown as Document;
    }
    return engine.cursors.open(ns, out, { batchSize: nonNegativeIntArg(body.cursor, 'batchSize') }) as unknown as Document;
  },
};
