// Brings data written by earlier versions up to what the code expects. Runs at start on a connection of its own,
// before the models' connection opens and builds their indexes; every step finds out for itself whether it is
// needed, and a start cut short runs it again.
import mongoose, { type mongo } from 'mongoose';
import type { Logger } from '../log';
import { POST_SEARCH_INDEX, Post } from '../models/post';
import { markRepliesOfHiddenThreads } from '../services/thread-hiding';

async function indexesOf(collection: mongo.Collection): Promise<mongo.IndexDescriptionInfo[]> {
  try {
    return await collection.indexes();
  } catch (error) {
    // A database that has never held a post.
    if ((error as { codeName?: string })?.codeName === 'NamespaceNotFound') return [];
    throw error;
  }
}

/**
 * Replies carry their hidden thread's state (`parentHiddenAt`) since the post search index holds that field: a
 * search index without it means posts from before, whose hidden threads' replies are marked now. Then the old
 * index goes (a collection holds one text index) and the models build the new one.
 */
async function markHiddenThreads(db: mongo.Db, log: Logger): Promise<void> {
  const posts = db.collection(Post.collection.collectionName);
  const search = (await indexesOf(posts)).find((index) => index.name === POST_SEARCH_INDEX);
  if (!search || 'parentHiddenAt' in search.key) return;
  const marked = await markRepliesOfHiddenThreads(posts);
  try {
    await posts.dropIndex(POST_SEARCH_INDEX);
  } catch (error) {
    // Another process starting at the same time dropped it first.
    if ((error as { codeName?: string })?.codeName !== 'IndexNotFound') throw error;
  }
  log.info(`database upgraded: ${marked} replies in hidden threads hidden with them; the post search index is rebuilt`);
}

export async function upgradeStoredData(uri: string, options: { dbName?: string }, log: Logger): Promise<void> {
  const connection = await mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: false, autoCreate: false, ...options }).asPromise();
  try {
    await markHiddenThreads(connection.db!, log);
  } finally {
    await connection.close();
  }
}
