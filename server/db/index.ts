// Connects mongoose to MONGODB_URI, or starts the embedded engine when none is given.
import path from 'node:path';
import mongoose from 'mongoose';
import type { Config } from '../config';
import type { Logger } from '../log';
import { startEmbeddedMongo, type EmbeddedMongo } from '../embedded-mongo';

export type DatabaseMode = 'embedded' | 'mongodb';

export interface Database {
  readonly mode: DatabaseMode;
  readonly uri: string;
  /** Resolves when the database answers a command now. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** Embedded engine without a journal: for tests, where durability is not what is being tested. */
  inMemory?: boolean;
  databaseName?: string;
}

export async function connectDatabase(config: Config, log: Logger, options: ConnectOptions = {}): Promise<Database> {
  let engine: EmbeddedMongo | null = null;
  let uri = config.mongodbUri;
  if (uri === null) {
    engine = await startEmbeddedMongo({
      dbpath: options.inMemory ? undefined : path.join(config.dataDir, 'db'),
      logger: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
    });
    uri = `${engine.uri}/${options.databaseName ?? 'forum'}`;
  }
  // Indexes are part of the rules (one like per user per post, unique e-mail), so build them before serving.
  mongoose.set('autoIndex', true);
  mongoose.set('strictQuery', true);
  // Mongoose records a stack trace on every query to explain re-executing one; formatting it costs more than
  // a cached lookup, and we never re-execute a query.
  mongoose.set('skipOriginalStackTraces', true);
  await mongoose.connect(uri, {
    serverSelectionTimeoutMS: 10_000,
    ...(engine || !options.databaseName ? {} : { dbName: options.databaseName }),
  });
  await Promise.all(Object.values(mongoose.models).map((model) => model.init()));
  const mode: DatabaseMode = engine ? 'embedded' : 'mongodb';
  log.info(`database connected (${mode})`);
  return {
    mode,
    uri,
    async ping() {
      const db = mongoose.connection.db;
      if (!db || mongoose.connection.readyState !== 1) throw new Error('the database is not connected');
      await db.command({ ping: 1 });
    },
    async close() {
      await mongoose.disconnect();
      await engine?.stop();
    },
  };
}
