// A ranked page read with one `find` command and no driver cursor: the cursor machinery (cursor object,
// initialisation, buffered on-demand documents, close) costs about a third of a search's database CPU for a
// page that always fits one batch. `singleBatch` tells the server to close its cursor, so nothing is left open;
// the command is MongoDB's own, so it runs unchanged against a real MongoDB.
import type { Db, Document, Filter, Sort } from 'mongodb';

export interface SingleBatchOptions {
  projection: Document;
  sort: Sort;
  skip: number;
  /** At most this many documents (the page and one more); a single batch holds them all. */
  limit: number;
}

/** A mongoose model's connection and collection name: all the command needs. */
interface ModelRef {
  db: { db?: Db };
  collection: { collectionName: string };
}

export async function findSingleBatch<T>(model: ModelRef, filter: Filter<Document>, options: SingleBatchOptions): Promise<T[]> {
  const db = model.db.db;
  if (!db) throw new Error('the database is not connected');
  const reply = await db.command({
    find: model.collection.collectionName,
    filter,
    projection: options.projection,
    sort: options.sort,
    skip: options.skip,
    limit: options.limit,
    batchSize: options.limit,
    singleBatch: true,
  });
  return (reply.cursor as { firstBatch: T[] }).firstBatch;
}
