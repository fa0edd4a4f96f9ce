import { ObjectId } from 'bson';
import type { Collection } from '../catalog/collection';
import { isPlainObject, type Document } from '../documents';
import { asCommandError, badValue, CommandError, ErrorCode, typeMismatch } from '../errors';
import { parseSort } from '../planner/planner';
import type { Hit } from '../planner/executor';
import type { WriteOp } from '../storage/ops';
import { arrayArg, collectionArg, docArg, type CommandContext, type CommandHandler } from './context';
import { collationFor, type Collation } from '../collation';
import { letArg } from './command-options';
import { bypassArg, checkDocument } from './validation';
import { projectOne, runQuery } from './query';
import { applyUpdate, buildUpsert, isReplacement, validateId, validateUpdate, type UpdateSpec } from './updates';

function prepareInsert(raw: unknown): Document {
  if (!isPlainObject(raw)) throw typeMismatch('each document to insert must be an object');
  if (raw._id === undefined) return { _id: new ObjectId(), ...raw };
  validateId(raw._id);
  return raw;
}

function arrayFiltersArg(v: unknown): Document[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || !v.every(isPlainObject)) throw typeMismatch('arrayFilters must be an array of objects');
  return v as Document[];
}

/** Matches first, then writes, so an update that moves documents within an index never revisits one. */
function matchingDocs(coll: Collection, filter: Document, many: boolean, hint: unknown, sort?: unknown, variables?: Document, collation?: Collation | null): Hit[] {
  return [...runQuery(coll, { filter, sort: parseSort(sort), limit: many ? undefined : 1, hint, variables, collation }).hits];
}

function finishWrite(reply: Document, writeErrors: Document[]): Document {
  if (writeErrors.length > 0) reply.writeErrors = writeErrors;
  return reply;
}

interface UpdateResult {
  n: number;
  modified: number;
  upsertedId?: unknown;
  before?: Document;
  after?: Document;
}

function updateMatching(
  ctx: CommandContext,
  coll: Collection,
  ops: WriteOp[],
  q: Document,
  u: UpdateSpec,
  opts: { multi: boolean; upsert: boolean; arrayFilters?: Document[]; hint?: unknown; sort?: unknown; variables?: Document; collation?: Collation | null; bypass: boolean },
): UpdateResult {
  const result: UpdateResult = { n: 0, modified: 0 };
  // mingo re-checks the query before it updates (for the positional `$`), and it knows no collation.
  const condition = opts.collation ? collatedCondition(u) : q;
  for (const [rid, old] of matchingDocs(coll, q, opts.multi, opts.hint, opts.sort, opts.variables, opts.collation)) {
    result.n++;
    const { doc, changed } = applyUpdate(old, u, condition, opts.arrayFilters, false, opts.variables);
    result.before = old;
    result.after = changed ? doc : old;
    if (!changed) continue;
    checkDocument(ctx.engine, coll, doc, old, opts.bypass);
    coll.replace(rid, doc);
    ops.push({ op: 'put', db: ctx.db, coll: coll.name, doc });
    result.modified++;
  }
  if (result.n === 0 && opts.upsert) {
    const doc = buildUpsert(q, u, opts.arrayFilters, opts.variables);
    checkDocument(ctx.engine, coll, doc, null, opts.bypass);
    coll.insert(doc);
    ops.push({ op: 'put', db: ctx.db, coll: coll.name, doc });
    result.n = 1;
    result.upsertedId = doc._id;
    result.after = doc;
  }
  return result;
}

function collatedCondition(u: UpdateSpec): undefined {
  if (!Array.isArray(u) && Object.values(u).some((fields) => isPlainObject(fields) && Object.keys(fields).some((f) => /\.\$(\.|$)/.test(f)))) {
    throw new CommandError(ErrorCode.NotImplemented, 'the positional $ operator together with a collation is not supported by the embedded engine');
  }
  return undefined;
}

export const writeCommands: Record<string, CommandHandler> = {
  insert: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'insert');
    const documents = arrayArg(body, 'documents');
    const ordered = body.ordered !== false;
    const ops: WriteOp[] = [];
    const writeErrors: Document[] = [];
    const coll = engine.collectionForWrite(db, name, ops);
    const bypass = bypassArg(body);
    let n = 0;
    for (let i = 0; i < documents.length; i++) {
      try {
        const doc = prepareInsert(documents[i]);
        checkDocument(engine, coll, doc, null, bypass);
        coll.insert(doc);
        ops.push({ op: 'put', db, coll: name, doc });
        n++;
      } catch (err) {
        writeErrors.push(asCommandError(err).toWriteError(i));
        if (ordered) break;
      }
    }
    engine.counters.insert += n;
    await engine.commit(ops);
    return finishWrite({ n, ok: 1 }, writeErrors);
  },

  update: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'update');
    const updates = arrayArg(body, 'updates');
    const ordered = body.ordered !== false;
    const ops: WriteOp[] = [];
    const writeErrors: Document[] = [];
    const upserted: Document[] = [];
    const variables = letArg('update', body);
    let n = 0;
    let nModified = 0;
    for (let i = 0; i < updates.length; i++) {
      try {
        const spec = updates[i];
        if (!isPlainObject(spec)) throw typeMismatch('each update statement must be an object');
        const q = docArg(spec, 'q') ?? {};
        const u = validateUpdate(spec.u);
        const multi = spec.multi === true;
        const upsert = spec.upsert === true;
        if (multi && isReplacement(u)) throw new CommandError(ErrorCode.FailedToParse, 'multi update is not supported for replacement-style update');
        const coll = upsert ? engine.collectionForWrite(db, name, ops) : engine.catalog.get(db, name);
        if (!coll) continue;
        const r = updateMatching(ctx, coll, ops, q, u, { multi, upsert, arrayFilters: arrayFiltersArg(spec.arrayFilters), hint: spec.hint, variables, collation: collationFor(spec.collation, coll.info.options), bypass: bypassArg(body) });
        n += r.n;
        nModified += r.modified;
        if (r.upsertedId !== undefined) upserted.push({ index: i, _id: r.upsertedId });
      } catch (err) {
        writeErrors.push(asCommandError(err).toWriteError(i));
        if (ordered) break;
      }
    }
    engine.counters.update += updates.length;
    await engine.commit(ops);
    const reply: Document = { n, nModified, ok: 1 };
    if (upserted.length > 0) reply.upserted = upserted;
    return finishWrite(reply, writeErrors);
  },

  delete: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'delete');
    const deletes = arrayArg(body, 'deletes');
    const ordered = body.ordered !== false;
    const ops: WriteOp[] = [];
    const writeErrors: Document[] = [];
    const variables = letArg('delete', body);
    let n = 0;
    for (let i = 0; i < deletes.length; i++) {
      try {
        const spec = deletes[i];
        if (!isPlainObject(spec)) throw typeMismatch('each delete statement must be an object');
        const q = docArg(spec, 'q') ?? {};
        const limit = Number(spec.limit ?? 0);
        if (limit !== 0 && limit !== 1) throw badValue(`The limit field in delete objects must be 0 or 1. Got ${limit}`);
        const coll = engine.catalog.get(db, name);
        if (!coll) continue;
        for (const [rid, doc] of matchingDocs(coll, q, limit === 0, spec.hint, undefined, variables, collationFor(spec.collation, coll.info.options))) {
          coll.remove(rid);
          ops.push({ op: 'delete', db, coll: name, id: doc._id });
          n++;
        }
      } catch (err) {
        writeErrors.push(asCommandError(err).toWriteError(i));
        if (ordered) break;
      }
    }
    engine.counters.delete += n;
    await engine.commit(ops);
    return finishWrite({ n, ok: 1 }, writeErrors);
  },

  findAndModify: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'findAndModify');
    const query = docArg(body, 'query') ?? {};
    const fields = docArg(body, 'fields');
    const remove = body.remove === true;
    const upsert = body.upsert === true;
    const returnNew = body.new === true;
    if (remove && body.update !== undefined) throw new CommandError(ErrorCode.FailedToParse, 'Cannot specify both an update and remove=true');
    if (!remove && body.update === undefined) throw new CommandError(ErrorCode.FailedToParse, 'Either an update or remove=true must be specified');
    if (remove && (upsert || returnNew)) throw new CommandError(ErrorCode.FailedToParse, 'Cannot specify both upsert=true and remove=true, or new=true and remove=true');
    const variables = letArg('findAndModify', body);
    const collation = collationFor(body.collation, engine.catalog.get(db, name)?.info.options);
    const ops: WriteOp[] = [];
    let reply: Document;
    if (remove) {
      const coll = engine.catalog.get(db, name);
      const found = coll ? matchingDocs(coll, query, false, body.hint, body.sort, variables, collation)[0] : undefined;
      if (coll && found) {
        coll.remove(found[0]);
        ops.push({ op: 'delete', db, coll: name, id: found[1]._id });
        engine.counters.delete++;
      }
      reply = { lastErrorObject: { n: found ? 1 : 0 }, value: projectOne(found?.[1] ?? null, fields, query), ok: 1 };
    } else {
      const u = validateUpdate(body.update);
      const coll = upsert ? engine.collectionForWrite(db, name, ops) : engine.catalog.get(db, name);
      if (!coll) {
        reply = { lastErrorObject: { n: 0, updatedExisting: false }, value: null, ok: 1 };
      } else {
        const r = updateMatching(ctx, coll, ops, query, u, {
          multi: false,
          upsert,
          arrayFilters: arrayFiltersArg(body.arrayFilters),
          hint: body.hint,
          sort: body.sort,
          variables,
          collation,
          bypass: bypassArg(body),
        });
        const lastErrorObject: Document = { n: r.n, updatedExisting: r.n > 0 && r.upsertedId === undefined };
        if (r.upsertedId !== undefined) lastErrorObject.upserted = r.upsertedId;
        const value = returnNew ? r.after : r.upsertedId !== undefined ? undefined : r.before;
        reply = { lastErrorObject, value: projectOne(value ?? null, fields, query), ok: 1 };
        engine.counters.update++;
      }
    }
    await engine.commit(ops);
    return reply;
  },
};
