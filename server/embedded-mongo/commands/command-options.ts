import { isPlainObject, type Document } from '../documents';
import { Aggregator } from 'mingo';
import { asCommandError, CommandError, ErrorCode } from '../errors';
import { MINGO_OPTIONS } from '../mingo-options';

/**
 * Which fields each command accepts, as mongod 7.0 parses them (its IDL files), so that a field
 * mongod would reject (`fooBar: 1` in `find`, `sort` in an update statement before 8.0) is rejected
 * here too rather than ignored; and which accepted options the engine cannot honour, refused loudly.
 */

/** Fields every command may carry (mongod's generic arguments). */
const GENERIC = [
  '$db', 'lsid', 'txnNumber', 'autocommit', 'startTransaction', 'stmtId', '$clusterTime', '$readPreference',
  'readConcern', 'writeConcern', 'maxTimeMS', 'comment', 'apiVersion', 'apiStrict', 'apiDeprecationErrors',
  '$audit', '$client', '$configServerState', 'clientOperationKey', 'databaseVersion', 'shardVersion',
  'mayBypassWriteBlocking', 'allowImplicitCollectionCreation', '$queryOptions', 'help', 'maxTimeMSOpOnly',
  'tracking_info', 'versionContext', 'rawData',
];

const COMMAND_FIELDS: Record<string, string[]> = {
  find: [
    'find', 'filter', 'projection', 'sort', 'hint', 'skip', 'limit', 'batchSize', 'singleBatch', 'max', 'min',
    'returnKey', 'showRecordId', 'tailable', 'oplogReplay', 'noCursorTimeout', 'awaitData', 'allowPartialResults',
    'collation', 'allowDiskUse', 'let', 'readOnce', 'allowSpeculativeMajorityRead', 'term', '$_requestResumeToken',
    '$_resumeAfter', 'encryptionInformation', 'ntoreturn',
  ],
  getMore: ['getMore', 'collection', 'batchSize', 'term', 'lastKnownCommittedOpTime', 'includeQueryStatsMetrics'],
  insert: ['insert', 'documents', 'ordered', 'bypassDocumentValidation', 'stmtIds', 'isTimeseriesNamespace', 'collectionUUID', 'encryptionInformation'],
  update: ['update', 'updates', 'ordered', 'bypassDocumentValidation', 'let', 'stmtIds', 'isTimeseriesNamespace', 'collectionUUID', 'encryptionInformation'],
  delete: ['delete', 'deletes', 'ordered', 'let', 'stmtIds', 'isTimeseriesNamespace', 'collectionUUID', 'encryptionInformation'],
  findAndModify: [
    'findAndModify', 'query', 'fields', 'sort', 'remove', 'update', 'new', 'upsert', 'bypassDocumentValidation',
    'collation', 'arrayFilters', 'hint', 'let', 'batchSize', 'singleBatch', 'stmtId', 'encryptionInformation',
  ],
  count: ['count', 'query', 'limit', 'skip', 'hint', 'collation', 'fields', 'encryptionInformation'],
  distinct: ['distinct', 'key', 'query', 'collation', 'hint', 'mirrored', 'sampleId'],
  create: [
    'create', 'capped', 'autoIndexId', 'idIndex', 'size', 'max', 'storageEngine', 'validator', 'validationLevel',
    'validationAction', 'indexOptionDefaults', 'viewOn', 'pipeline', 'collation', 'timeseries', 'clusteredIndex',
    'changeStreamPreAndPostImages', 'expireAfterSeconds', 'encryptedFields', 'recordIdsReplicated',
  ],
  collMod: [
    'collMod', 'validator', 'validationLevel', 'validationAction', 'viewOn', 'pipeline', 'index', 'expireAfterSeconds',
    'changeStreamPreAndPostImages', 'timeseries', 'clusteredIndex', 'cappedSize', 'cappedMax', 'recordPreImages', 'dryRun', 'collectionUUID',
  ],
  aggregate: [
    'aggregate', 'pipeline', 'explain', 'allowDiskUse', 'cursor', 'bypassDocumentValidation', 'collation', 'hint',
    'let', 'exchange', 'needsMerge', 'fromMongos', 'isMapReduceCommand', 'collectionUUID', 'passthroughToShard',
    'encryptionInformation', '$_requestReshardingResumeToken', '$_generateV2ResumeTokens',
  ],
};

const STATEMENT_FIELDS: Record<string, [string, string[]]> = {
  update: ['updates', ['q', 'u', 'c', 'upsert', 'multi', 'arrayFilters', 'hint', 'collation', 'upsertSupplied', 'sampleId', 'allowShardKeyUpdatesWithoutFullShardKeyInQuery']],
  delete: ['deletes', ['q', 'limit', 'hint', 'collation', 'sampleId']],
};

const allowed = new Map(Object.entries(COMMAND_FIELDS).map(([cmd, fields]) => [cmd, new Set([...fields, ...GENERIC])]));
const statementAllowed = new Map(Object.entries(STATEMENT_FIELDS).map(([cmd, [arr, fields]]) => [cmd, { arr, fields: new Set(fields) }]));

function unknownField(path: string): CommandError {
  return new CommandError(ErrorCode.UnknownField, `BSON field '${path}' is an unknown field.`);
}

function notImplemented(what: string): CommandError {
  return new CommandError(ErrorCode.NotImplemented, `${what} is not supported by the embedded engine`);
}

const set = (v: unknown): boolean => v !== undefined && v !== null && v !== false;
const nonEmpty = (v: unknown): boolean => isPlainObject(v) && Object.keys(v).length > 0;

/** Rejects fields mongod does not know and refuses options the engine would otherwise ignore. */
export function checkCommandOptions(name: string, body: Document): void {
  const fields = allowed.get(name);
  if (!fields) return;
  for (const key of Object.keys(body)) if (!fields.has(key)) throw unknownField(`${name}.${key}`);
  const statements = statementAllowed.get(name);
  if (statements && Array.isArray(body[statements.arr])) {
    for (const s of body[statements.arr] as unknown[]) {
      if (!isPlainObject(s)) continue;
      for (const key of Object.keys(s)) if (!statements.fields.has(key)) throw unknownField(`${name}.${statements.arr}.${key}`);
      if (set(s.c)) throw notImplemented(`'c' (constants for a pipeline update) in ${name}`);
    }
  }
  if (name === 'find') {
    for (const option of ['tailable', 'awaitData'] as const) {
      if (set(body[option])) throw notImplemented(`find option '${option}'`);
    }
    if (nonEmpty(body.min) || nonEmpty(body.max)) throw notImplemented("find options 'min' and 'max'");
  }
  if (name === 'create') {
    // Each of these changes what the collection accepts or returns; stored and ignored, they would lie.
    for (const option of ['capped', 'size', 'max', 'timeseries', 'clusteredIndex', 'expireAfterSeconds', 'encryptedFields'] as const) {
      if (set(body[option])) throw notImplemented(`create option '${option}'`);
    }
  }
}

/**
 * A command's `let` variables, evaluated once as mongod does (`{x: {$add: [1, 2]}}` is 3 for every
 * document), or undefined without any. Names follow mongod's rule for user variables.
 */
export function letArg(name: string, body: Document): Document | undefined {
  const raw = body.let;
  if (raw === undefined || raw === null) return undefined;
  if (!isPlainObject(raw)) throw new CommandError(ErrorCode.TypeMismatch, `BSON field '${name}.let' is the wrong type, expected type 'object'`);
  const names = Object.keys(raw);
  if (names.length === 0) return undefined;
  for (const v of names) {
    if (!/^[a-z\u0080-\uffff]/.test(v)) throw new CommandError(16870, `'${v}' starts with an invalid character for a user variable name`);
    if (!/^[A-Za-z0-9_\u0080-\uffff]+$/.test(v)) throw new CommandError(16871, `'${v}' contains an invalid character for a variable name: '${v.match(/[^A-Za-z0-9_\u0080-\uffff]/)?.[0]}'`);
  }
  try {
    return new Aggregator([{ $replaceWith: raw }], MINGO_OPTIONS).run([{}])[0] as Document;
  } catch (err) {
    throw asCommandError(err);
  }
}

const TIMED_READS = new Set(['find', 'aggregate', 'count', 'distinct']);

/** The time limit to enforce on a read, if the command set one (0 means none, as in mongod). */
export function readTimeLimit(name: string, body: Document): number | null {
  if (!TIMED_READS.has(name) || body.maxTimeMS === undefined || body.maxTimeMS === null) return null;
  const ms = Number(body.maxTimeMS);
  if (!Number.isInteger(ms) || ms < 0) throw new CommandError(ErrorCode.BadValue, `${String(body.maxTimeMS)} value for maxTimeMS is out of range [0, 2147483647]`);
  return ms > 0 ? ms : null;
}

/**
 * Reads here run to completion without yielding, so the limit cannot interrupt them; a read that
 * took longer than it allowed is answered with mongod's error instead of its result.
 */
export function enforceTimeLimit(limitMs: number | null, startedAt: number, discard: () => void): void {
  if (limitMs !== null && performance.now() - startedAt > limitMs) {
    discard();
    throw new CommandError(ErrorCode.MaxTimeMSExpired, 'operation exceeded time limit');
  }
}
