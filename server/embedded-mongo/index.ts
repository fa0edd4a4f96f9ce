import { promises as fs } from 'node:fs';
import net from 'node:net';
import { UserStore, type UserCredentials } from './auth';
import { Catalog } from './catalog/catalog';
import { Connection } from './connection';
import { Engine, type Logger } from './engine';
import { DurableStorage } from './storage/durable';
import { FILE_MODE, type StorageFaults } from './storage/file-io';
import { MemoryStorage, type Storage } from './storage/ops';
import { startTtlMonitor } from './ttl';

export interface EmbeddedMongoOptions {
  /** Directory for journal + snapshots; omitted => purely in-memory. */
  dbpath?: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 = ephemeral. */
  port?: number;
  /**
   * Listen on this Unix domain socket (created 0600) instead of TCP, so that other local users
   * cannot connect; host and port are then ignored.
   */
  socketPath?: string;
  /** 32 bytes: journal records and snapshots are sealed with AES-256-GCM. Off when omitted. */
  encryptionKey?: Buffer;
  /** Older keys that may still open existing files; the start-up compaction rewrites them under `encryptionKey`. */
  previousEncryptionKeys?: Buffer[];
  /** Told when storage fails and the engine stops serving (fail-stop); the standalone process exits. */
  onFatal?: (err: Error) => void;
  /** With users, every connection must authenticate with SCRAM-SHA-256 (as mongod --auth). */
  users?: UserCredentials[];
  /** Fault injection for storage tests. */
  faults?: StorageFaults;
  /** Default: console-based, quiet for info. */
  logger?: { info(msg: string): void; warn(msg: string): void };
  /** Idle cursor expiry, default 10 minutes. */
  cursorTimeoutMs?: number;
  /** How often expired TTL documents are removed; default 60 s like mongod. */
  ttlMonitorIntervalMs?: number;
}

export interface EmbeddedMongo {
  readonly host: string;
  /** 0 when listening on a Unix socket. */
  readonly port: number;
  /** mongodb://host:port, or mongodb://<percent-encoded socket path> */
  readonly uri: string;
  /** Rewrites the data files so that nothing deleted before the call stays in any of them. */
  compact(): Promise<void>;
  /** Stops accepting, closes connections, flushes the journal and closes files. */
  stop(): Promise<void>;
}

const defaultLogger: Logger = {
  info: () => undefined,
  warn: (msg) => console.warn(msg),
};

/** Starts a MongoDB wire-protocol server that mongoose and the official driver can use. */
export async function startEmbeddedMongo(options: EmbeddedMongoOptions = {}): Promise<EmbeddedMongo> {
  const logger = options.logger ?? defaultLogger;
  const users = options.users?.length ? new UserStore(options.users) : null;
  const catalog = new Catalog();
  let onFatal = (err: Error): void => options.onFatal?.(err);
  const storage: Storage = options.dbpath
    ? await DurableStorage.open(options.dbpath, catalog, {
        logger,
        encryptionKey: options.encryptionKey,
        previousEncryptionKeys: options.previousEncryptionKeys,
        faults: options.faults,
        onFatal: (err) => onFatal(err),
      })
    : new MemoryStorage();
  const engine = new Engine(catalog, { storage, logger, cursorTimeoutMs: options.cursorTimeoutMs ?? 10 * 60_000, users });

  const connections = new Set<Connection>();
  let nextConnectionId = 1;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    engine.currentConnections++;
    engine.totalConnections++;
    const conn = new Connection(engine, socket, nextConnectionId++);
    connections.add(conn);
    socket.on('close', () => {
      sockets.delete(socket);
      connections.delete(conn);
      engine.currentConnections--;
    });
  });
  server.on('error', (err) => logger.warn(`embedded-mongo: server error: ${err.message}`));
  const stopTtl = startTtlMonitor(engine, options.ttlMonitorIntervalMs ?? 60_000);

  // Fail-stop: stop answering at once, so nobody reads a change that never reached the disk.
  onFatal = (err) => {
    engine.fatal = err;
    server.close();
    for (const socket of sockets) socket.destroy();
    options.onFatal?.(err);
  };

  const host = options.host ?? '127.0.0.1';
  const socketPath = options.socketPath;
  // A socket file left by a process that died is in the way; the data directory lock says it is ours now.
  if (socketPath) await fs.rm(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      stopTtl();
      engine.cursors.closeAll();
      storage.close().then(() => reject(err), () => reject(err));
    };
    server.once('error', onError);
    const listening = (): void => {
      server.off('error', onError);
      resolve();
    };
    if (socketPath) server.listen(socketPath, listening);
    else server.listen(options.port ?? 0, host, listening);
  });
  if (socketPath) await fs.chmod(socketPath, FILE_MODE);
  const port = socketPath ? 0 : (server.address() as net.AddressInfo).port;
  const uriHost = host.includes(':') ? `[${host}]` : host;
  const uri = socketPath ? `mongodb://${encodeURIComponent(socketPath)}` : `mongodb://${uriHost}:${port}`;
  logger.info(`embedded-mongo: listening on ${socketPath ?? `${host}:${port}`}${options.dbpath ? ` with data in ${options.dbpath}` : ' (in memory)'}`);

  let stopping: Promise<void> | undefined;
  return {
    host: socketPath ?? host,
    port,
    uri,
    compact: () => storage.compactNow(),
    stop() {
      stopping ??= (async () => {
        stopTtl();
        const closed = new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
        for (const socket of sockets) socket.destroy();
        await closed;
        engine.cursors.closeAll();
        await storage.close();
        if (socketPath) await fs.rm(socketPath, { force: true });
      })();
      return stopping;
    },
  };
}

/** Text analysis as the engine's text indexes do it, for callers that show what a `$text` query matched. */
export { termOf as textTerm, wordSpans } from './text/tokenizer';
