import mongoose from 'mongoose';
import type { Database } from '../../server/db';
import { readCache } from '../../server/services/read-cache';

let shared: Database | null = null;

export function setSharedDatabase(database: Database): void {
  shared = database;
}

export function sharedDatabase(): Database {
  if (!shared) throw new Error('test/setup.ts has not connected the database');
  return shared;
}

/** The test run's database, named in the URI so child processes (whole forums) use the same one. */
export function sharedDatabaseUri(): string {
  const url = new URL(sharedDatabase().uri);
  url.pathname = `/${mongoose.connection.db!.databaseName}`;
  return url.toString();
}

/** Empties every collection (indexes stay), so each suite starts from nothing. */
export async function resetDatabase(): Promise<void> {
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  const collections = await mongoose.connection.db!.listCollections({}, { nameOnly: true }).toArray();
  await Promise.all(collections.map(({ name }) => mongoose.connection.db!.collection(name).deleteMany({})));
  readCache.clear();
}
