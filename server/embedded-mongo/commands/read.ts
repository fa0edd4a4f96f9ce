import { Long } from 'bson';
import { compareBson } from '../bson-order';
import { collectPathValues, type Document } from '../documents';
import { badValue, CommandError, ErrorCode, typeMismatch } from '../errors';
import { parseSort } from '../planner/planner';
import { arrayArg, collectionArg, docArg, intArg, nonNegativeIntArg, type CommandHandler, type CommandContext } from './context';
import { collationFor, compareCollated } from '../collation';
import { letArg } from './command-options';
import { iterable, project, projectOne, runQuery, type PreparedQuery } from './query';
import { aggregateReader } from './aggregate';
import { readStages } from './views';
import { viewOf } from '../catalog/collection';

function emptyCursor(ns: string): Document {
  return { cursor: { firstBatch: [], id: Long.ZERO, ns }, ok: 1 };
}

function cursorIdArg(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Long) return v.toNumber();
  throw typeMismatch("BSON field 'getMore.getMore' is the wrong type, expected type 'long'");
}

export function findSpec(ctx: CommandContext): { name: string; filter: Document; skip?: number; limit?: number; singleBatch: boolean } {
  const { body } = ctx;
  const name = collectionArg(body, 'find');
  const filter = docArg(body, 'filter') ?? {};
  let limit = intArg(body, 'limit');
  let singleBatch = body.singleBatch === true;
  if (limit !== undefined && limit < 0) {
    limit = -limit;
    singleBatch = true;
  }
  return { name, filter, skip: nonNegativeIntArg(body, 'skip'), limit: limit || undefined, singleBatch };
}

/** A find, count or distinct on a view: the view's pipeline, then the command's own stages, in one aggregation. */
function readView(ctx: CommandContext, name: string, stages: Document[]): Iterator<Document> {
  const { body } = ctx;
  return aggregateReader({ ...ctx, body: { aggregate: name, pipeline: stages, cursor: {}, collation: body.collation, let: body.let, hint: body.hint } }).out;
}

/**
 * find's `returnKey` (each result is the key of the index the plan scans, `{}` without one, as in
 * mongod) and `showRecordId` (the document, projected, with its record id as `$recordId`).
 */
function* withKeysOrRecordIds(prepared: PreparedQuery, opts: { returnKey: boolean; showRecordId: boolean; projection?: Document; filter: Document }): Generator<Document> {
  const { plan } = prepared;
  const index = 'access' in plan && plan.access.kind === 'ixscan' ? plan.access.index : null;
  for (const [rid, doc] of prepared.hits) {
    let out: Document;
    if (opts.returnKey) {
      const first = index?.keysFor(doc)?.[0];
      out = first ? index!.describeKey(first).keyValue : {};
    } else {
      out = { ...projectOne(doc, opts.projection, opts.filter) };
    }
    if (opts.showRecordId) out.$recordId = Long.fromNumber(rid);
    yield out;
  }
}

export const readCommands: Record<string, CommandHandler> = {
  find: (ctx) => {
    const { body, engine, db } = ctx;
    const { name, filter, skip, limit, singleBatch } = findSpec(ctx);
    const sort = parseSort(body.sort);
    const projection = docArg(body, 'projection');
    const batchSize = nonNegativeIntArg(body, 'batchSize');
    const ns = `${db}.${name}`;
    engine.counters.query++;
    const coll = engine.catalog.get(db, name);
    if (!coll) return emptyCursor(ns);
    const returnKey = body.returnKey === true;
    const showRecordId = body.showRecordId === true;
    if (viewOf(coll)) {
      if (returnKey || showRecordId) throw new CommandError(ErrorCode.OptionNotSupportedOnView, `${returnKey ? 'returnKey' : 'showRecordId'} is not supported on a view`);
      const out = readView(ctx, name, readStages(filter, body.sort, skip, limit));
      return engine.cursors.open(ns, project(out, projection, filter), { batchSize, limit, singleBatch }) as unknown as Document;
    }
    const prepared = runQuery(coll, { filter, sort, skip, limit, hint: body.hint, variables: letArg('find', body), collation: collationFor(body.collation, coll.info.options) });
    const out = returnKey || showRecordId ? withKeysOrRecordIds(prepared, { returnKey, showRecordId, projection, filter }) : project(prepared.docs, projection, filter);
    return engine.cursors.open(ns, out, { batchSize, limit, singleBatch }) as unknown as Document;
  },

  getMore: (ctx) => {
    const { body, engine, db } = ctx;
    const id = cursorIdArg(body.getMore);
    const coll = body.collection;
    if (typeof coll !== 'string') throw typeMismatch("BSON field 'getMore.collection' is missing or not a string");
    engine.counters.getmore++;
    return engine.cursors.getMore(id, `${db}.${coll}`, nonNegativeIntArg(body, 'batchSize')) as unknown as Document;
  },

  killCursors: (ctx) => {
    const ids = arrayArg(ctx.body, 'cursors').map(cursorIdArg);
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) (ctx.engine.cursors.kill(id) ? killed : notFound).push(Long.fromNumber(id));
    return { cursorsKilled: killed, cursorsNotFound: notFound, cursorsAlive: [], cursorsUnknown: [], ok: 1 };
  },

  count: (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'count');
    const filter = docArg(body, 'query') ?? {};
    const skip = nonNegativeIntArg(body, 'skip');
    const rawLimit = intArg(body, 'limit');
    const limit = rawLimit ? Math.abs(rawLimit) : undefined;
    const coll = engine.catalog.get(db, name);
    const collation = collationFor(body.collation, coll?.info.options);
    if (!coll) return { n: 0, ok: 1 };
    if (viewOf(coll)) {
      let n = 0;
      for (const _ of iterable(readView(ctx, name, readStages(filter, undefined, skip, limit)))) n++;
      return { n, ok: 1 };
    }
    if (Object.keys(filter).length === 0 && !skip && !limit) return { n: coll.docs.size, ok: 1 };
    let n = 0;
    for (const _ of runQuery(coll, { filter, sort: [], skip, limit, hint: body.hint, collation }).docs) n++;
    return { n, ok: 1 };
  },

  distinct: (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'distinct');
    const key = body.key;
    if (typeof key !== 'string' || key.length === 0) throw badValue('distinct key must be a non-empty string');
    const filter = docArg(body, 'query') ?? {};
    const coll = engine.catalog.get(db, name);
    const collation = collationFor(body.collation, coll?.info.options);
    if (!coll) return { values: [], ok: 1 };
    const parts = key.split('.');
    const values: unknown[] = [];
    const docs = viewOf(coll) ? iterable(readView(ctx, name, readStages(filter, undefined, undefined, undefined))) : runQuery(coll, { filter, sort: [], hint: body.hint, collation }).docs;
    for (const doc of docs) {
      for (const v of collectPathValues(doc, parts, { sawArray: false })) if (v !== undefined) values.push(v);
    }
    // Under a collation, values it calls equal ('ada', 'Ada') are one value, as in mongod.
    const compare = collation ? (a: unknown, b: unknown) => compareCollated(a, b, collation) : compareBson;
    values.sort(compare);
    return { values: values.filter((v, i) => i === 0 || compare(values[i - 1], v) !== 0), ok: 1 };
  },
};

