import { viewOf, type ViewDefinition } from '../catalog/collection';
import { validateCollectionName } from '../catalog/catalog';
import type { Engine } from '../engine';
import { isPlainObject, type Document } from '../documents';
import { CommandError, ErrorCode, typeMismatch } from '../errors';

/**
 * Views (`create` with `viewOn` and `pipeline`). A view is a catalog entry whose options name what
 * it reads; it holds no documents and no indexes. Reading one runs the chain's pipelines over the
 * collection at its bottom, then the reader's own stages, as mongod does.
 */

/** mongod's ViewGraph::kMaxViewDepth. */
const MAX_VIEW_DEPTH = 20;

/** Commands that write or touch indexes, refused on a view with mongod's 166. */
const REFUSED_ON_VIEWS: Record<string, (ns: string) => string> = {
  insert: (ns) => `Namespace ${ns} is a view, not a collection`,
  update: (ns) => `Namespace ${ns} is a view, not a collection`,
  delete: (ns) => `Namespace ${ns} is a view, not a collection`,
  findAndModify: (ns) => `Namespace ${ns} is a view, not a collection`,
  createIndexes: (ns) => `Cannot create indexes on a view: ${ns}`,
  dropIndexes: (ns) => `Cannot drop indexes on a view: ${ns}`,
  listIndexes: (ns) => `Namespace ${ns} is a view, not a collection`,
  compact: (ns) => `Namespace ${ns} is a view, not a collection`,
};

export function isView(engine: Engine, db: string, name: string): boolean {
  return viewOf(engine.catalog.get(db, name)) !== null;
}

/** Refuses a write or index command aimed at a view before its handler runs. */
export function rejectViewTarget(engine: Engine, db: string, command: string, body: Document): void {
  const message = REFUSED_ON_VIEWS[command];
  const name = body[command];
  if (message && typeof name === 'string' && isView(engine, db, name)) {
    throw new CommandError(ErrorCode.CommandNotSupportedOnView, message(`${db}.${name}`));
  }
}

function depthError(): CommandError {
  return new CommandError(ErrorCode.ViewDepthLimitExceeded, `View depth too deep or view cycle detected; maximum depth is ${MAX_VIEW_DEPTH}`);
}

/** The collection at the bottom of a chain of views and the chain's pipelines, innermost first; null for a collection. */
export function resolveView(engine: Engine, db: string, name: string): { source: string; pipeline: Document[] } | null {
  let view = viewOf(engine.catalog.get(db, name));
  if (!view) return null;
  let pipeline: Document[] = [];
  let source = name;
  for (let depth = 0; view; depth++) {
    if (depth >= MAX_VIEW_DEPTH) throw depthError();
    pipeline = [...view.pipeline, ...pipeline];
    source = view.viewOn;
    view = viewOf(engine.catalog.get(db, source));
  }
  return { source, pipeline };
}

/**
 * Checks a view definition for `create` or `collMod`: a collection name to read, a pipeline of
 * stages that write nothing, and a chain that neither loops back to the view nor nests too deep.
 */
export function checkViewDefinition(engine: Engine, db: string, name: string, viewOn: unknown, pipeline: unknown): ViewDefinition {
  if (typeof viewOn !== 'string') throw typeMismatch(`BSON field 'viewOn' is the wrong type '${typeof viewOn}', expected type 'string'`);
  validateCollectionName(viewOn);
  const stages = pipeline ?? [];
  if (!Array.isArray(stages) || !stages.every(isPlainObject)) throw typeMismatch("BSON field 'pipeline' is the wrong type, expected type 'array' of objects");
  (stages as Document[]).forEach((stage, i) => {
    const stageName = Object.keys(stage)[0];
    if (stageName === '$out' || stageName === '$merge') {
      throw new CommandError(
        ErrorCode.OptionNotSupportedOnView,
        `The aggregation stage ${stageName} in location ${i} of the pipeline cannot be used in the view definition of ${db}.${name} because it writes to disk`,
      );
    }
  });
  const chain = [name, viewOn];
  let next = viewOf(engine.catalog.get(db, viewOn));
  for (let depth = 1; ; depth++) {
    if (chain.at(-1) === name) throw new CommandError(ErrorCode.GraphContainsCycle, `View cycle detected: [${chain.map((c) => `${db}.${c}`).join(' => ')}]`);
    if (depth >= MAX_VIEW_DEPTH) throw depthError();
    if (!next) break;
    chain.push(next.viewOn);
    next = viewOf(engine.catalog.get(db, next.viewOn));
  }
  return { viewOn, pipeline: stages as Document[] };
}

/** The stages a find or count on a view appends to the view's pipeline. */
export function readStages(filter: Document, sort: unknown, skip: number | undefined, limit: number | undefined): Document[] {
  const stages: Document[] = [];
  if (Object.keys(filter).length > 0) stages.push({ $match: filter });
  if (isPlainObject(sort) && Object.keys(sort).length > 0) stages.push({ $sort: sort });
  if (skip) stages.push({ $skip: skip });
  if (limit) stages.push({ $limit: limit });
  return stages;
}
