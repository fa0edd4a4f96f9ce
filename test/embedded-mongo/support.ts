import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient, MongoServerError } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '../../server/embedded-mongo';

/** A logger that keeps the suite's output clean. */
export const quiet = { info: (): void => undefined, warn: (): void => undefined };

/** The server's error for a command expected to fail; fails the test if it succeeded or failed otherwise. */
export async function serverError(p: Promise<unknown>): Promise<MongoServerError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, 'expected the command to fail').to.be.instanceOf(MongoServerError);
  return err as MongoServerError;
}

/** Fresh data directories for the tests of the calling `describe`, removed after each test. */
export function tempDirs(prefix: string): () => Promise<string> {
  let dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.map((d) => fs.rm(d, { recursive: true, force: true })));
    dirs = [];
  });
  return async () => {
    const d = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
    dirs.push(d);
    return d;
  };
}

interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
}

/** Starts the engine on `dbpath`, runs `fn` with a connected client, and stops both: one life of a data directory. */
export async function withServer<T>(dbpath: string, fn: (client: MongoClient, server: EmbeddedMongo) => Promise<T>, logger: Logger = quiet): Promise<T> {
  const server = await startEmbeddedMongo({ dbpath, logger });
  const client = await MongoClient.connect(server.uri, { serverSelectionTimeoutMS: 5000 });
  try {
    return await fn(client, server);
  } finally {
    await client.close();
    await server.stop();
  }
}
