import { ObjectId, UUID } from 'bson';
import { Collection } from '../catalog/collection';
import { isPlainObject, type Document } from '../documents';
import { badValue, CommandError, ErrorCode, typeMismatch } from '../errors';
import type { WriteOp } from '../storage/ops';
import type { CommandContext } from './context';
import { validateId } from './updates';
import { bypassArg, checkDocument } from './validation';

/**
 * `$out` and `$merge` as the final stage of an aggregation: the pipeline's results are collected
 * first (so a pipeline may read the collection it writes), then written and journaled in one commit.
 */
export const OUTPUT_STAGES = new Set(['$out', '$merge']);

interface Target {
  db: string;
  coll: string;
}

function targetOf(stage: string, raw: unknown, db: string): Target {
  if (typeof raw === 'string') return { db, coll: raw };
  if (isPlainObject(raw) && typeof raw.coll === 'string' && (raw.db === undefined || typeof raw.db === 'string')) {
    return { db: (raw.db as string | undefined) ?? db, coll: raw.coll };
  }
  throw typeMismatch(`${stage} needs a collection name or {db, coll}`);
}

function withId(doc: Document): Document {
  if (doc._id === undefined) return { _id: new ObjectId(), ...doc };
  validateId(doc._id);
  return doc;
}

/** Replaces the target's documents, keeping its indexes; all or nothing, as mongod's rename is. */
async function out(ctx: CommandContext, target: Target, docs: Document[]): Promise<void> {
  const { engine } = ctx;
  const existing = engine.catalog.get(target.db, target.coll);
  // Checked against the target's indexes in a scratch collection before the target is touched.
  const scratch = new Collection(target.db, target.coll, { uuid: new UUID(), options: {} });
  for (const index of existing?.indexes.slice(1) ?? []) scratch.addIndex(index.spec);
  const prepared = docs.map(withId);
  for (const doc of prepared) {
    // The target's validator too, so a refused document leaves the target as it was.
    if (existing) checkDocument(engine, existing, doc, null, bypassArg(ctx.body));
    scratch.insert(doc);
  }
  const ops: WriteOp[] = [];
  const coll = engine.collectionForWrite(target.db, target.coll, ops);
  for (const [rid, doc] of [...coll.docs.entries()]) {
    coll.remove(rid);
    ops.push({ op: 'delete', db: target.db, coll: target.coll, id: doc._id });
  }
  for (const doc of prepared) {
    coll.insert(doc);
    ops.push({ op: 'put', db: target.db, coll: target.coll, doc });
  }
  await engine.commit(ops);
}

const WHEN_MATCHED = new Set(['merge', 'replace', 'keepExisting', 'fail']);
const WHEN_NOT_MATCHED = new Set(['insert', 'discard', 'fail']);
const MERGE_FIELDS = new Set(['into', 'on', 'whenMatched', 'whenNotMatched', 'let']);

/** Merges by `_id`; like mongod's, a failure part-way keeps the documents written before it. */
async function merge(ctx: CommandContext, spec: unknown, docs: Document[]): Promise<void> {
  const options: Document = typeof spec === 'string' ? { into: spec } : isPlainObject(spec) ? spec : {};
  if (!isPlainObject(spec) && typeof spec !== 'string') throw typeMismatch('$merge needs a collection name or a document');
  for (const k of Object.keys(options)) if (!MERGE_FIELDS.has(k)) throw new CommandError(ErrorCode.UnknownField, `BSON field '$merge.${k}' is an unknown field.`);
  const target = targetOf('$merge', options.into, ctx.db);
  const on = options.on ?? '_id';
  if (on !== '_id' && !(Array.isArray(on) && on.length === 1 && on[0] === '_id')) {
    throw new CommandError(ErrorCode.NotImplemented, "$merge 'on' fields other than _id are not supported by the embedded engine");
  }
  const whenMatched = options.whenMatched ?? 'merge';
  const whenNotMatched = options.whenNotMatched ?? 'insert';
  if (typeof whenMatched !== 'string') throw new CommandError(ErrorCode.NotImplemented, "$merge 'whenMatched' pipelines are not supported by the embedded engine");
  if (!WHEN_MATCHED.has(whenMatched)) throw badValue(`Enumeration value '${whenMatched}' for field 'whenMatched' is not a valid value.`);
  if (typeof whenNotMatched !== 'string' || !WHEN_NOT_MATCHED.has(whenNotMatched)) throw badValue(`Enumeration value '${String(whenNotMatched)}' for field 'whenNotMatched' is not a valid value.`);
  if (options.let !== undefined) throw new CommandError(ErrorCode.NotImplemented, "$merge 'let' is not supported by the embedded engine");
  const { engine } = ctx;
  const ops: WriteOp[] = [];
  try {
    const coll = engine.collectionForWrite(target.db, target.coll, ops);
    for (const raw of docs) {
      const doc = withId(raw);
      const rid = coll.ridForId(doc._id);
      const old = rid === undefined ? undefined : coll.docs.get(rid);
      if (rid === undefined || !old) {
        if (whenNotMatched === 'discard') continue;
        if (whenNotMatched === 'fail') throw new CommandError(13113, '$merge could not find a matching document in the target collection for at least one document in the source collection');
        checkDocument(engine, coll, doc, null, bypassArg(ctx.body));
        coll.insert(doc);
        ops.push({ op: 'put', db: target.db, coll: target.coll, doc });
        continue;
      }
      if (whenMatched === 'keepExisting') continue;
      if (whenMatched === 'fail') {
        throw new CommandError(ErrorCode.DuplicateKey, `E11000 duplicate key error collection: ${coll.ns} index: _id_ dup key: { _id: ${JSON.stringify(doc._id)} }`, { keyPattern: { _id: 1 }, keyValue: { _id: doc._id } });
      }
      const next = whenMatched === 'merge' ? { ...old, ...doc } : doc;
      checkDocument(engine, coll, next, old, bypassArg(ctx.body));
      coll.replace(rid, next);
      ops.push({ op: 'put', db: target.db, coll: target.coll, doc: next });
    }
  } finally {
    // What was applied in memory is journaled even when a later document failed.
    await engine.commit(ops);
  }
}

/** Writes the results of a pipeline whose last stage is `stage`. */
export async function writeOutput(ctx: CommandContext, stage: Document, docs: Document[]): Promise<void> {
  if ('$out' in stage) return out(ctx, targetOf('$out', stage.$out, ctx.db), docs);
  return merge(ctx, stage.$merge, docs);
}
