import { Query } from 'mingo';
import { isPlainObject, type Document } from '../documents';
import { asCommandError, badValue, CommandError, ErrorCode } from '../errors';
import type { WriteOp } from '../storage/ops';
import { collectionArg, docArg, namespaceNotFound, nonNegativeIntArg, type CommandHandler } from './context';
import { validationOptions } from './validation';
import { normalizeCollation, parseCollation } from '../collation';
import { listIndexSpec } from './indexes';
import { MINGO_OPTIONS } from '../mingo-options';
import { checkViewDefinition } from './views';
import { viewOf } from '../catalog/collection';

/** Fields of a `create` command that describe the collection rather than the request. */
const GENERIC_FIELDS = new Set(['create', '$db', 'lsid', 'writeConcern', '$clusterTime', '$readPreference', 'comment', 'apiVersion', 'apiStrict', 'apiDeprecationErrors']);

function matcher(filter: Document | undefined): (doc: Document) => boolean {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  try {
    const q = new Query(filter, MINGO_OPTIONS);
    return (doc) => q.test(doc);
  } catch (err) {
    throw asCommandError(err);
  }
}

const VIEW_OPTIONS = ['viewOn', 'pipeline'];
const VALIDATION_OPTIONS = ['validator', 'validationLevel', 'validationAction'];
/** collMod options of mongod 7.0 that this engine does not change. */
const COLLMOD_NOT_IMPLEMENTED = ['index', 'expireAfterSeconds', 'changeStreamPreAndPostImages', 'timeseries', 'clusteredIndex', 'cappedSize', 'cappedMax', 'recordPreImages', 'dryRun'];

export const adminCommands: Record<string, CommandHandler> = {
  create: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'create');
    if (engine.catalog.get(db, name)) {
      throw new CommandError(ErrorCode.NamespaceExists, `Collection ${db}.${name} already exists.`);
    }
    let options: Document = {};
    for (const [k, v] of Object.entries(body)) if (!GENERIC_FIELDS.has(k)) options[k] = v;
    if (body.viewOn !== undefined || body.pipeline !== undefined) {
      if (body.viewOn === undefined) throw badValue("'pipeline' requires 'viewOn' to also be specified");
      const other = Object.keys(options).find((k) => k !== 'viewOn' && k !== 'pipeline');
      if (other) throw new CommandError(ErrorCode.InvalidOptions, `option '${other}' is not supported on a view`);
      options = { ...checkViewDefinition(engine, db, name, body.viewOn, body.pipeline) };
    } else {
      Object.assign(options, validationOptions(body));
      // The collection's default collation, which its queries and indexes (_id_ too) take unless they name one.
      if (options.collation !== undefined) {
        if (parseCollation(options.collation) === null) delete options.collation;
        else options.collation = normalizeCollation(options.collation as Document);
      }
    }
    const ops: WriteOp[] = [];
    engine.collectionForWrite(db, name, ops, options);
    await engine.commit(ops);
    return { ok: 1 };
  },

  drop: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'drop');
    const coll = engine.catalog.drop(db, name);
    // Since MongoDB 7.0 dropping a missing collection succeeds; the driver expects either.
    if (!coll) return { ok: 1 };
    await engine.commit([{ op: 'dropCollection', db, coll: name }]);
    return { nIndexesWas: coll.indexes.length, ns: coll.ns, ok: 1 };
  },

  /** Changes a collection's validation or a view's definition; every other option mongod can change is refused. */
  collMod: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'collMod');
    const coll = engine.catalog.get(db, name);
    if (!coll) throw namespaceNotFound(db, name);
    const unsupported = COLLMOD_NOT_IMPLEMENTED.find((k) => body[k] !== undefined);
    if (unsupported) throw new CommandError(ErrorCode.NotImplemented, `collMod option '${unsupported}' is not supported by the embedded engine`);
    const asked = VIEW_OPTIONS.concat(VALIDATION_OPTIONS).filter((k) => body[k] !== undefined);
    const view = viewOf(coll) !== null;
    const misplaced = asked.find((k) => VIEW_OPTIONS.includes(k) !== view);
    if (misplaced) throw new CommandError(ErrorCode.InvalidOptions, view ? `option '${misplaced}' is not supported on a view` : `option '${misplaced}' is only supported on views`);
    if (asked.length === 0) return { ok: 1 };
    let options: Document;
    if (view) {
      if (body.viewOn === undefined || body.pipeline === undefined) throw new CommandError(ErrorCode.InvalidOptions, "must specify both 'viewOn' and 'pipeline' when modifying a view");
      options = { ...checkViewDefinition(engine, db, name, body.viewOn, body.pipeline) };
    } else {
      const { validator: _v, validationLevel: _l, validationAction: _a, ...rest } = coll.info.options;
      const validation = validationOptions(body, coll.info.options);
      // An empty validator turns validation off, and mongod then lists none.
      options = isPlainObject(validation.validator) && Object.keys(validation.validator).length === 0 ? rest : { ...rest, ...validation };
    }
    coll.info.options = options;
    await engine.commit([{ op: 'setOptions', db, coll: name, options }]);
    return { ok: 1 };
  },

  dropDatabase: async (ctx) => {
    const { engine, db } = ctx;
    if (engine.catalog.dropDatabase(db)) await engine.commit([{ op: 'dropDatabase', db }]);
    return { ok: 1 };
  },

  listCollections: (ctx) => {
    const { body, engine, db } = ctx;
    const test = matcher(docArg(body, 'filter'));
    const nameOnly = body.nameOnly === true;
    const infos: Document[] = [];
    for (const coll of engine.catalog.collections(db)) {
      const view = viewOf(coll) !== null;
      const type = view ? 'view' : 'collection';
      const info: Document = nameOnly
        ? { name: coll.name, type }
        : view
          ? { name: coll.name, type, options: coll.info.options, info: { readOnly: true } }
          : {
              name: coll.name,
              type,
              options: coll.info.options,
              info: { readOnly: false, uuid: coll.info.uuid },
              idIndex: listIndexSpec(coll.idIndex.spec),
            };
      if (test(info)) infos.push(info);
    }
    const cursorOpts = isPlainObject(body.cursor) ? body.cursor : {};
    return engine.cursors.open(`${db}.$cmd.listCollections`, infos[Symbol.iterator](), {
      batchSize: nonNegativeIntArg(cursorOpts, 'batchSize'),
    }) as unknown as Document;
  },

  listDatabases: (ctx) => {
    const { body, engine } = ctx;
    const test = matcher(docArg(body, 'filter'));
    const nameOnly = body.nameOnly === true;
    const databases: Document[] = [];
    let totalSize = 0;
    for (const name of engine.catalog.databaseNames()) {
      let docs = 0;
      for (const c of engine.catalog.collections(name)) docs += c.docs.size;
      // Sizes are estimates: documents are held as objects, not as BSON pages.
      const sizeOnDisk = docs * 256 + 4096;
      const info: Document = nameOnly ? { name } : { name, sizeOnDisk, empty: docs === 0 };
      if (!test(info)) continue;
      totalSize += sizeOnDisk;
      databases.push(info);
    }
    return nameOnly ? { databases, ok: 1 } : { databases, totalSize, totalSizeMb: Math.round(totalSize / 2 ** 20), ok: 1 };
  },

  /**
   * mongod's `compact` rewrites one collection's files. Here every collection shares the journal
   * and snapshot, so the whole directory is rewritten: afterwards no file holds a document
   * deleted before the command, which is what erasing a person needs.
   */
  compact: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'compact');
    if (!engine.catalog.get(db, name)) throw new CommandError(ErrorCode.NamespaceNotFound, `collection does not exist: ${db}.${name}`);
    await engine.storage.compactNow();
    return { bytesFreed: 0, ok: 1 };
  },
};
