import { compareBson } from '../bson-order';
import { isPlainObject, type Document } from '../documents';
import { CommandError, ErrorCode } from '../errors';
import { normaliseIndexSpec, sameIndexOptions, type IndexSpec } from '../indexes/btree-index';
import { isTextIndex } from '../indexes/text-index';
import type { WriteOp } from '../storage/ops';
import { arrayArg, collectionArg, namespaceNotFound, nonNegativeIntArg, type CommandHandler } from './context';

export function listIndexSpec(spec: IndexSpec): Document {
  const out: Document = { v: spec.v, key: spec.key, name: spec.name };
  if (spec.unique) out.unique = true;
  if (spec.sparse) out.sparse = true;
  if (spec.partialFilterExpression) out.partialFilterExpression = spec.partialFilterExpression;
  if (spec.expireAfterSeconds !== undefined) out.expireAfterSeconds = spec.expireAfterSeconds;
  if (spec.collation) out.collation = spec.collation;
  if (spec.weights) Object.assign(out, { weights: spec.weights, default_language: spec.default_language, language_override: spec.language_override, textIndexVersion: spec.textIndexVersion });
  return out;
}

export const indexCommands: Record<string, CommandHandler> = {
  createIndexes: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'createIndexes');
    // As in mongod, an index without a collation of its own takes the collection's default.
    const collationDefault = engine.catalog.get(db, name)?.info.options.collation as Document | undefined;
    const requested = arrayArg(body, 'indexes').map((raw) => normaliseIndexSpec(raw, collationDefault));
    if (requested.length === 0) throw new CommandError(ErrorCode.BadValue, 'Must specify at least one index to create');
    const ops: WriteOp[] = [];
    const existed = engine.catalog.get(db, name) !== undefined;
    const coll = engine.collectionForWrite(db, name, ops);
    const before = coll.indexes.length;
    let created = 0;
    try {
      for (const spec of requested) {
        const sameName = coll.getIndex(spec.name);
        if (sameName) {
          if (sameIndexOptions(sameName.spec, spec)) continue;
          if (compareBson(sameName.spec.key, spec.key) !== 0) {
            throw new CommandError(
              ErrorCode.IndexKeySpecsConflict,
              `An existing index has the same name as the requested index. When index names are not specified, they are auto generated and can cause conflicts. Please refer to our documentation. Requested index: ${JSON.stringify(spec)}, existing index: ${JSON.stringify(sameName.spec)}`,
            );
          }
          throw new CommandError(ErrorCode.IndexOptionsConflict, `An existing index has the same name as the requested index but different options: ${spec.name}`);
        }
        const sameKey = coll.indexes.find(
          (i) => compareBson(i.spec.key, spec.key) === 0 && !!i.spec.partialFilterExpression === !!spec.partialFilterExpression && compareBson(i.spec.collation ?? null, spec.collation ?? null) === 0,
        );
        if (sameKey) {
          throw new CommandError(ErrorCode.IndexOptionsConflict, `Index already exists with a different name: ${sameKey.name}`);
        }
        const text = spec.weights ? coll.indexes.find(isTextIndex) : undefined;
        if (text) throw new CommandError(ErrorCode.IndexOptionsConflict, `An equivalent index already exists: only one text index per collection, and ${text.name} is one`);
        coll.addIndex(spec);
        ops.push({ op: 'createIndex', db, coll: name, spec });
        created++;
      }
    } finally {
      await engine.commit(ops);
    }
    const reply: Document = { numIndexesBefore: before, numIndexesAfter: coll.indexes.length, createdCollectionAutomatically: !existed, ok: 1 };
    if (created === 0) reply.note = 'all indexes already exist';
    return reply;
  },

  listIndexes: (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'listIndexes');
    const coll = engine.catalog.get(db, name);
    if (!coll) throw namespaceNotFound(db, name);
    const cursorOpts = isPlainObject(body.cursor) ? body.cursor : {};
    const specs = coll.indexes.map((i) => listIndexSpec(i.spec));
    return engine.cursors.open(`${db}.${name}`, specs[Symbol.iterator](), { batchSize: nonNegativeIntArg(cursorOpts, 'batchSize') }) as unknown as Document;
  },

  dropIndexes: async (ctx) => {
    const { body, engine, db } = ctx;
    const name = collectionArg(body, 'dropIndexes');
    const coll = engine.catalog.get(db, name);
    if (!coll) throw new CommandError(ErrorCode.NamespaceNotFound, `ns not found ${db}.${name}`);
    const nIndexesWas = coll.indexes.length;
    const target = body.index;
    let names: string[];
    if (target === '*') {
      names = coll.indexes.slice(1).map((i) => i.name);
    } else if (typeof target === 'string') {
      names = [target];
    } else if (Array.isArray(target) && target.every((t) => typeof t === 'string')) {
      names = target as string[];
    } else if (isPlainObject(target)) {
      const found = coll.indexes.find((i) => compareBson(i.spec.key, target) === 0);
      if (!found) throw new CommandError(ErrorCode.IndexNotFound, `can't find index with key: ${JSON.stringify(target)}`);
      names = [found.name];
    } else {
      throw new CommandError(ErrorCode.TypeMismatch, 'dropIndexes index must be a string, an array of strings or a key pattern');
    }
    for (const n of names) {
      if (n === '_id_') throw new CommandError(ErrorCode.InvalidOptions, 'cannot drop _id index');
      if (!coll.getIndex(n)) throw new CommandError(ErrorCode.IndexNotFound, `index not found with name [${n}]`);
    }
    const ops: WriteOp[] = [];
    for (const n of names) {
      coll.dropIndex(n);
      ops.push({ op: 'dropIndex', db, coll: name, name: n });
    }
    await engine.commit(ops);
    return { nIndexesWas, ok: 1 };
  },
};
