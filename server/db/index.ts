// Connects mongoose to MONGODB_URI, or starts the embedded engine when none is given.
import path from 'node:path';
import mongoose from 'mongoose';
import type { Config } from '../config';
import type { Logger } from '../log';
import { startEmbeddedMongo, type EmbeddedMongo } from '../embedded-mongo';
import { upgradeStoredData } from './upgrades';

export type DatabaseMode = 'embedded' | 'mongodb';

export interface Database {
  readonly mode: DatabaseMode;
  readonly uri: string;
  /** Resolves when the database answers a command now. */
  ping(): Promise<void>;
  /**
   * Rewrites the embedded engine's files so that nothing deleted before the call stays on disk (an
   * erasure's last step). A no-op on MongoDB, whose storage engine and backups are the operator's.
   */
  compactStorage(): Promise<void>;
  close(): Promise<void>;
}

/** Linux and macOS refuse longer Unix socket paths. */
const MAX_SOCKET_PATH_BYTES = 103;

export interface ConnectOptions {
  /** Embedded engine without a journal: for tests, where durability is not what is being tested. */
  inMemory?: boolean;
  databaseName?: string;
}

export async function connectDatabase(config: Config, log: Logger, options: ConnectOptions = {}): Promise<Database> {
  let engine: EmbeddedMongo | null = null;
  let uri = config.mongodbUri;
  if (uri === null) {
    const dbpath = options.inMemory ? undefined : path.join(config.dataDir, 'db');
    // Durable data is served on a Unix socket in its own 0700 directory, so no other local user can
    // connect; the in-memory engine of a test run stays on a loopback port for its child processes.
    const socketPath = dbpath && path.join(dbpath, 'mongod.sock');
    if (socketPath && Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
      throw new Error(`DATA_DIR is too long for the database socket ${socketPath} (over ${MAX_SOCKET_PATH_BYTES} bytes); choose a shorter DATA_DIR`);
    }
    engine = await startEmbeddedMongo({
      dbpath,
      socketPath,
      encryptionKey: config.dataEncryptionKey ?? undefined,
      previousEncryptionKeys: config.previousDataEncryptionKeys,
      logger: { info: (m) => log.info(m), warn: (m) => log.warn(m) },
      onFatal: (err) => log.error(`database stopped after a storage failure; restart the forum to recover from the journal: ${err.message}`),
    });
    uri = `${engine.uri}/${options.databaseName ?? 'forum'}`;
  }
  // Indexes are part of the rules (one like per user per post, unique e-mail), so build them before serving.
  mongoose.set('autoIndex', true);
  mongoose.set('strictQuery', true);
  // Mongoose records a stack trace on every query to explain re-executing one; formatting it costs more than
  // a cached lookup, and we never re-execute a query.
  mongoose.set('skipOriginalStackTraces', true);
  const dbName = engine || !options.databaseName ? {} : { dbName: options.databaseName };
  // Before the models' connection opens: they build their indexes as soon as it does.
  await upgradeStoredData(uri, dbName, log);
  await mongoose.connect(uri, { serverSelectionTimeoutMS: 10_000, ...dbName });
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
    compactStorage: () => engine?.compact() ?? Promise.resolve(),
    async close() {
      await mongoose.disconnect();
      await engine?.stop();
    },
  };
}
