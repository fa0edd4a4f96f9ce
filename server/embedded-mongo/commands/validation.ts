import { Query } from 'mingo';
import type { Collection } from '../catalog/collection';
import { collectPathValues, isOperatorObject, isPlainObject, type Document } from '../documents';
import type { Engine } from '../engine';
import { asCommandError, badValue, CommandError, ErrorCode, typeMismatch } from '../errors';
import { MINGO_OPTIONS } from '../mingo-options';
import { bsonTypeName, compileSchema, type SchemaCheck } from './json-schema';

/**
 * Collection validators (`validator`, `validationLevel`, `validationAction` on `create` and
 * `collMod`). A document that fails is refused with 121 DocumentValidationFailure and an `errInfo`
 * in mongod's shape (`failingDocumentId`, `details.operatorName`, `schemaRulesNotSatisfied`, ...),
 * or logged when the action is `warn`. Collections without a validator pay one property read.
 */
export interface Validation {
  level: 'strict' | 'moderate' | 'off';
  action: 'error' | 'warn';
  /** The reason a document fails (errInfo's `details`), or null when it passes. */
  explain(doc: Document): Document | null;
}

const LEVELS = new Set(['strict', 'moderate', 'off']);
const ACTIONS = new Set(['error', 'warn']);
/** Query features mongod does not allow in a validator (QueryFeatureNotAllowed). */
const NOT_IN_VALIDATORS = new Set(['$where', '$text', '$near', '$nearSphere', '$geoNear']);

const compiled = new WeakMap<Document, Validation | null>();

/** The compiled validation of a collection, cached per options object (collMod replaces that object). */
export function validationOf(coll: Collection): Validation | null {
  const options = coll.info.options;
  if (options.validator === undefined) return null;
  let v = compiled.get(options);
  if (v === undefined) {
    v = compileValidation(options);
    compiled.set(options, v);
  }
  return v;
}

/**
 * Checks the validation fields of a `create` or `collMod` and returns them with mongod's defaults
 * filled in (a collection with a validator lists `validationLevel: 'strict'` and `validationAction: 'error'`).
 */
export function validationOptions(body: Document, current: Document = {}): Document {
  const out: Document = {};
  for (const field of ['validator', 'validationLevel', 'validationAction'] as const) {
    const v = body[field] ?? current[field];
    if (v !== undefined) out[field] = v;
  }
  if (out.validator !== undefined && !isPlainObject(out.validator)) throw typeMismatch(`BSON field 'validator' is the wrong type, expected type 'object'`);
  for (const [field, allowed] of [['validationLevel', LEVELS], ['validationAction', ACTIONS]] as const) {
    const v = out[field];
    if (v !== undefined && (typeof v !== 'string' || !allowed.has(v))) throw badValue(`Enumeration value '${String(v)}' for field '${field}' is not a valid value.`);
  }
  if (Object.keys(out).length === 0) return out;
  out.validator ??= {};
  out.validationLevel ??= 'strict';
  out.validationAction ??= 'error';
  compileValidation(out);
  return out;
}

function compileValidation(options: Document): Validation | null {
  const validator = options.validator as Document;
  if (Object.keys(validator).length === 0) return null;
  const clauses = compileClauses(validator, true);
  return {
    level: (options.validationLevel as Validation['level'] | undefined) ?? 'strict',
    action: (options.validationAction as Validation['action'] | undefined) ?? 'error',
    explain: (doc) => {
      const failed: { index: number; details: Document }[] = [];
      clauses.forEach((clause, index) => {
        const details = clause(doc);
        if (details) failed.push({ index, details });
      });
      if (failed.length === 0) return null;
      // One clause is reported as itself; several as the implicit $and they form.
      return clauses.length === 1 ? failed[0].details : { operatorName: '$and', clausesNotSatisfied: failed };
    },
  };
}

type Clause = (doc: Document) => Document | null;

/** A filter's top-level conditions, one clause each (a field with several operators gives one per operator). */
function compileClauses(filter: Document, topLevel: boolean): Clause[] {
  const clauses: Clause[] = [];
  for (const [key, cond] of Object.entries(filter)) {
    if (NOT_IN_VALIDATORS.has(key)) throw new CommandError(ErrorCode.QueryFeatureNotAllowed, `${key} is not allowed in collection validators`);
    if (key === '$jsonSchema') {
      if (!topLevel) throw new CommandError(ErrorCode.NotImplemented, '$jsonSchema inside $and, $or or $nor is not supported by the embedded engine');
      clauses.push(schemaClause(compileSchema(cond)));
    } else if (key === '$and' || key === '$or' || key === '$nor') {
      if (!Array.isArray(cond) || cond.length === 0 || !cond.every(isPlainObject)) throw badValue(`${key} must be a nonempty array`);
      clauses.push(logicalClause(key, cond as Document[]));
    } else if (key === '$expr') {
      const q = query({ $expr: cond });
      clauses.push((doc) => (q.test(doc) ? null : { operatorName: '$expr', specifiedAs: { $expr: cond }, reason: 'expression did not match', expressionResult: false }));
    } else if (key.startsWith('$')) {
      const q = query({ [key]: cond });
      clauses.push((doc) => (q.test(doc) ? null : { operatorName: key, specifiedAs: { [key]: cond }, reason: 'did not match' }));
    } else if (isOperatorObject(cond)) {
      for (const [op, arg] of Object.entries(cond)) {
        if (NOT_IN_VALIDATORS.has(op)) throw new CommandError(ErrorCode.QueryFeatureNotAllowed, `${op} is not allowed in collection validators`);
        if (op === '$options') continue;
        const part = op === '$regex' && cond.$options !== undefined ? { $regex: arg, $options: cond.$options } : { [op]: arg };
        clauses.push(fieldClause(key, op, part));
      }
    } else {
      clauses.push(fieldClause(key, '$eq', cond));
    }
  }
  return clauses;
}

function query(filter: Document): Query {
  try {
    return new Query(filter, MINGO_OPTIONS);
  } catch (err) {
    throw asCommandError(err);
  }
}

function schemaClause(check: SchemaCheck): Clause {
  return (doc) => {
    const rules = check.explain(doc);
    if (rules.length === 0) return null;
    const out: Document = { operatorName: '$jsonSchema' };
    if (check.title !== undefined) out.title = check.title;
    if (check.description !== undefined) out.description = check.description;
    out.schemaRulesNotSatisfied = rules;
    return out;
  };
}

function logicalClause(op: string, branches: Document[]): Clause {
  const q = query({ [op]: branches });
  const explained = branches.map((b) => compileClauses(b, false));
  return (doc) => {
    if (q.test(doc)) return null;
    const clausesNotSatisfied: Document[] = [];
    explained.forEach((clauses, index) => {
      if (op === '$nor') {
        if (clauses.every((c) => c(doc) === null)) clausesNotSatisfied.push({ index, details: { operatorName: '$nor', specifiedAs: branches[index], reason: 'clause matched' } });
        return;
      }
      const failed = clauses.map((c) => c(doc)).filter((d): d is Document => d !== null);
      if (failed.length > 0) clausesNotSatisfied.push({ index, details: failed.length === 1 ? failed[0] : { operatorName: '$and', clausesNotSatisfied: failed.map((details, i) => ({ index: i, details })) } });
    });
    return { operatorName: op, clausesNotSatisfied };
  };
}

const REASONS: Record<string, string> = {
  $in: 'no matching value found in array',
  $nin: 'matching value found in array',
  $exists: 'path does not exist',
  $type: 'type did not match',
  $regex: 'regular expression did not match',
  $size: 'array length was not equal to given size',
  $elemMatch: 'array did not satisfy the child predicate',
  $all: 'array did not contain all specified values',
  $mod: 'mod did not match',
  $not: 'child expression matched',
};

/** Operators a missing field fails with 'field was missing' rather than a comparison. */
const NEEDS_FIELD = new Set(['$eq', '$gt', '$gte', '$lt', '$lte', '$in', '$type', '$regex', '$size', '$elemMatch', '$all', '$mod']);

function fieldClause(path: string, op: string, cond: unknown): Clause {
  const specifiedAs = { [path]: cond };
  const q = query(specifiedAs);
  const parts = path.split('.');
  return (doc) => {
    if (q.test(doc)) return null;
    const values = collectPathValues(doc, parts, { sawArray: false }).filter((v) => v !== undefined);
    const out: Document = { operatorName: op, specifiedAs };
    if (values.length === 0 && NEEDS_FIELD.has(op)) {
      out.reason = 'field was missing';
      return out;
    }
    out.reason = op === '$exists' && isPlainObject(cond) && cond.$exists === false ? 'path exists' : (REASONS[op] ?? 'comparison failed');
    out.consideredValue = values.length === 1 ? values[0] : values;
    if (op === '$type') out.consideredType = bsonTypeName(values[0]);
    return out;
  };
}

/**
 * Refuses (error) or reports (warn) a document that fails the collection's validator. `old` is the
 * document an update replaces, null for an insert: at level `moderate`, a document that already
 * failed may be updated into another failing one, as in mongod.
 */
export function checkDocument(engine: Engine, coll: Collection, doc: Document, old: Document | null, bypass: boolean): void {
  if (coll.info.options.validator === undefined || bypass) return;
  const v = validationOf(coll);
  if (!v || v.level === 'off') return;
  const details = v.explain(doc);
  if (!details) return;
  if (old && v.level === 'moderate' && v.explain(old) !== null) return;
  const errInfo = { failingDocumentId: doc._id, details };
  if (v.action === 'warn') {
    engine.logger.warn(`embedded-mongo: document would fail validation in ${coll.ns}: ${JSON.stringify(errInfo)}`);
    return;
  }
  throw new CommandError(ErrorCode.DocumentValidationFailure, 'Document failed validation', { errInfo });
}

/** Whether a command asked to skip validation. */
export function bypassArg(body: Document): boolean {
  return body.bypassDocumentValidation === true;
}
