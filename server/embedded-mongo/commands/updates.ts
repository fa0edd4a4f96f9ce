import { ObjectId } from 'bson';
import { Aggregator, update as mingoUpdate } from 'mingo';
import { compareBson, TypeClass, typeClassOf } from '../bson-order';
import { cloneDoc, isOperatorObject, isPlainObject, setPath, withIdFirst, type Document } from '../documents';
import { asCommandError, badValue, CommandError, ErrorCode } from '../errors';
import { conditionsByPath } from '../planner/bounds';
import { mingoOptions } from '../mingo-options';

const UPDATE_OPERATORS = new Set([
  '$set', '$unset', '$inc', '$mul', '$rename', '$min', '$max', '$currentDate',
  '$push', '$pull', '$pullAll', '$addToSet', '$pop', '$bit', '$setOnInsert',
]);

export type UpdateSpec = Document | Document[];

export function validateUpdate(u: unknown): UpdateSpec {
  if (Array.isArray(u)) {
    if (!u.every(isPlainObject)) throw new CommandError(ErrorCode.FailedToParse, 'each pipeline update stage must be an object');
    return u as Document[];
  }
  if (!isPlainObject(u)) throw new CommandError(ErrorCode.FailedToParse, 'update must be an object or a pipeline');
  const keys = Object.keys(u);
  const ops = keys.filter((k) => k.startsWith('$'));
  if (ops.length > 0 && ops.length !== keys.length) {
    throw new CommandError(ErrorCode.FailedToParse, 'update document mixes update operators and plain fields');
  }
  for (const op of ops) {
    if (!UPDATE_OPERATORS.has(op)) {
      throw new CommandError(
        ErrorCode.FailedToParse,
        `Unknown modifier: ${op}. Expected a valid update modifier or pipeline-style update specified as an array`,
      );
    }
    if (!isPlainObject(u[op])) throw new CommandError(ErrorCode.FailedToParse, `Modifiers operate on fields but we found type ${typeof u[op]} instead`);
  }
  rejectConflictingPaths(u);
  return u;
}

/** Two operators on one path, or on a path and its parent, is mongod's ConflictingUpdateOperators. */
function rejectConflictingPaths(u: Document): void {
  const seen: string[][] = [];
  for (const [op, fields] of Object.entries(u)) {
    for (const [path, value] of Object.entries(fields as Document)) {
      const paths = op === '$rename' && typeof value === 'string' ? [path, value] : [path];
      for (const p of paths) {
        const parts = p.split('.');
        const other = seen.find((q) => q.length <= parts.length ? q.every((s, i) => s === parts[i]) : parts.every((s, i) => s === q[i]));
        if (other) throw new CommandError(ErrorCode.ConflictingUpdateOperators, `Updating the path '${p}' would create a conflict at '${(other.length <= parts.length ? other : parts).join('.')}'`);
        seen.push(parts);
      }
    }
  }
}

export function isReplacement(u: UpdateSpec): boolean {
  return !Array.isArray(u) && !isOperatorObject(u);
}

export function validateId(id: unknown): void {
  if (Array.isArray(id)) throw badValue("can't use an array for _id");
  const t = typeClassOf(id);
  if (t === TypeClass.RegExp) throw badValue("can't use a regex for _id");
  if (isPlainObject(id)) for (const k of Object.keys(id)) if (k.startsWith('$')) throw badValue(`_id fields may not contain '$'-prefixed fields: ${k}`);
}

function runPipeline(doc: Document, stages: Document[], variables: Document | undefined): Document {
  try {
    const out = new Aggregator(stages, mingoOptions(variables)).run([doc]);
    return (out[0] as Document | undefined) ?? {};
  } catch (err) {
    throw asCommandError(err);
  }
}

/**
 * The new version of `old` under `u` (operators via mingo, a replacement, or a pipeline), and
 * whether anything changed. `old` is not touched; the result is a fresh document.
 */
export function applyUpdate(
  old: Document,
  u: UpdateSpec,
  query: Document | undefined,
  arrayFilters: Document[] | undefined,
  inserting: boolean,
  variables?: Document,
): { doc: Document; changed: boolean } {
  let doc: Document;
  let changed: boolean;
  if (Array.isArray(u)) {
    doc = runPipeline(cloneDoc(old), u, variables);
    changed = compareBson(doc, old) !== 0;
  } else if (isReplacement(u)) {
    doc = { _id: old._id };
    for (const [k, v] of Object.entries(u)) if (k !== '_id') doc[k] = v;
    if ('_id' in u && compareBson(u._id, old._id) !== 0 && old._id !== undefined) throw immutableId();
    if (old._id === undefined && '_id' in u) doc._id = u._id;
    changed = compareBson(doc, old) !== 0;
  } else {
    doc = cloneDoc(old);
    const { $setOnInsert, ...modifier } = withoutIdAssignments(u as Document, doc);
    let paths: string[] = [];
    try {
      if (Object.keys(modifier).length > 0) {
        paths = mingoUpdate(doc, modifier, arrayFilters, inserting ? undefined : query, { queryOptions: mingoOptions(variables) });
      }
      if (inserting && isPlainObject($setOnInsert)) {
        paths = paths.concat(mingoUpdate(doc, { $set: $setOnInsert }, undefined, undefined, { queryOptions: mingoOptions(variables) }));
      }
    } catch (err) {
      throw asCommandError(err);
    }
    changed = paths.length > 0;
  }
  if (old._id !== undefined && compareBson(doc._id, old._id) !== 0) throw immutableId();
  return { doc: withIdFirst(doc), changed };
}

/**
 * mingo refuses any operator on `_id`; MongoDB accepts `$set` of the value it already has
 * and lets an upsert choose the `_id` of the document it inserts.
 */
function withoutIdAssignments(u: Document, doc: Document): Document {
  let out = u;
  for (const [op, fields] of Object.entries(u)) {
    if (!isPlainObject(fields)) continue;
    const touched = Object.keys(fields).filter((f) => f === '_id' || f.startsWith('_id.'));
    if (touched.length === 0) continue;
    for (const f of touched) {
      const assigns = (op === '$set' || op === '$setOnInsert') && f === '_id';
      if (!assigns) throw immutableId();
      if (doc._id === undefined) doc._id = cloneDoc(fields._id);
      else if (compareBson(doc._id, fields._id) !== 0) throw immutableId();
    }
    const rest: Document = { ...fields };
    for (const f of touched) delete rest[f];
    out = { ...out, [op]: rest };
    if (Object.keys(rest).length === 0) delete out[op];
  }
  return out;
}

function immutableId(): CommandError {
  return new CommandError(ErrorCode.ImmutableField, "Performing an update on the path '_id' would modify the immutable field '_id'");
}

/** The document an upsert inserts: the query's equality fields, then the update applied to them. */
export function buildUpsert(query: Document, u: UpdateSpec, arrayFilters: Document[] | undefined, variables?: Document): Document {
  const seed: Document = {};
  if (!isReplacement(u)) {
    for (const [path, conds] of conditionsByPath(query)) {
      for (const c of conds) {
        if (isOperatorObject(c)) {
          if ('$eq' in c && !isOperatorObject(c.$eq)) setPath(seed, path, cloneDoc(c.$eq));
        } else if (!(c instanceof RegExp)) {
          setPath(seed, path, cloneDoc(c));
        }
      }
    }
  } else {
    const idConds = conditionsByPath(query).get('_id') ?? [];
    for (const c of idConds) if (!isOperatorObject(c)) seed._id = c;
  }
  const { doc } = applyUpdate(seed, u, undefined, arrayFilters, true, variables);
  const { _id, ...rest } = doc;
  const id = _id !== undefined ? _id : seed._id !== undefined ? seed._id : new ObjectId();
  validateId(id);
  return { _id: id, ...rest };
}
