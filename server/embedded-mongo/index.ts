import net from 'node:net';
import { Catalog } from './catalog/catalog';
import { Connection } from './connection';
import { Engine, type Logger } from './engine';
import { DurableStorage } from './storage/durable';
import { MemoryStorage, type Storage } from './storage/ops';
import { startTtlMonitor } from './ttl';

export interface EmbeddedMongoOptions {
  /** Directory for journal + snapshots; omitted => purely in-memory. */
  dbpath?: string;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 = ephemeral. */
  port?: number;
  /** Default: console-based, quiet for info. */
  logger?: { info(msg: string): void; warn(msg: string): void };
  /** Idle cursor expiry, default 10 minutes. */
  cursorTimeoutMs?: number;
  /** How often expired TTL documents are removed; default 60 s like mongod. */
  ttlMonitorIntervalMs?: number;
}

export interface EmbeddedMongo {
  readonly host: string;
  readonly port: number;
  /** mongodb://host:port */
  readonly uri: string;
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
  const catalog = new Catalog();
  const storage: Storage = options.dbpath ? await DurableStorage.open(options.dbpath, catalog, { logger }) : new MemoryStorage();
  const engine = new Engine(catalog, { storage, logger, cursorTimeoutMs: options.cursorTimeoutMs ?? 10 * 60_000 });

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

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error): void => {
      stopTtl();
      engine.cursors.closeAll();
      storage.close().then(() => reject(err), () => reject(err));
    };
    server.once('error', onError);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const address = server.address() as net.AddressInfo;
  const uriHost = host.includes(':') ? `[${host}]` : host;
  logger.info(`embedded-mongo: listening on ${host}:${address.port}${options.dbpath ? ` with data in ${options.dbpath}` : ' (in memory)'}`);

  let stopping: Promise<void> | undefined;
  return {
    host,
    port: address.port,
    uri: `mongodb://${uriHost}:${address.port}`,
    stop() {
      stopping ??= (async () => {
        stopTtl();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        await closed;
        engine.cursors.closeAll();
        await storage.close();
      })();
      return stopping;
    },
  };
}

/** Text analysis as the engine's text indexes do it, for callers that show what a `$text` query matched. */
export { termOf as textTerm, wordSpans } from './text/tokenizer';
