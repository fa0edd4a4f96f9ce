import { startEmbeddedMongo, type EmbeddedMongo, type EmbeddedMongoOptions } from '../../server/embedded-mongo';

/**
 * Where the conformance suite runs: the embedded engine by default, or a real MongoDB when
 * MONGODB_URI is set. This is the suite's only environment read; engine-internal tests
 * (examined counts, journal, kill -9) check `isEmbedded` and skip against a real server.
 */
const externalUri = process.env.MONGODB_URI;

export const isEmbedded = !externalUri;

export interface Target {
  uri: string;
  /** The embedded server, when the suite is running against one. */
  server?: EmbeddedMongo;
  stop(): Promise<void>;
}

export async function startTarget(options: EmbeddedMongoOptions = {}): Promise<Target> {
  if (externalUri) return { uri: externalUri, stop: async () => undefined };
  const server = await startEmbeddedMongo({ logger: { info: () => undefined, warn: () => undefined }, ...options });
  return { uri: server.uri, server, stop: () => server.stop() };
}

let counter = 0;
/** A database name no other test uses, so suites never see each other's data. */
export function uniqueDbName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
}
