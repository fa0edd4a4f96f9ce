// Composition root: one running forum (database, context, HTTP app, HTTP server). Used by main.ts and tests.
import http from 'node:http';
import path from 'node:path';
import type { Express } from 'express';
import { createApp, createHomepage } from './app';
import { homepageFirst } from './http/homepage-first';
import { expressServerClasses } from './http/server-classes';
import type { Config } from './config';
import type { AppContext } from './context';
import { connectDatabase, type Database } from './db';
import { readCache } from './services/read-cache';
import { createLogger, type Logger } from './log';
import { tuningWith, type TuningOverrides } from './tuning';
import { HealthChecks } from './services/health';
import { auditModeratorRead } from './services/moderation';
import { loadMediaSecret, UrlSigner } from './media/signed-urls';
import { MediaStore } from './media/store';
import { attachRealtime, type Realtime } from './realtime';
import { startErasureWorker } from './services/erasure';
import { startRegistrationLapse } from './services/registration-lapse';
import { startEventRelay } from './services/event-relay';
import { DomainEvents } from './services/events';
import { startMailQueue } from './mail/queue';
import { startNotificationMail } from './notifications/email';
import { createRateLimitStore } from './services/rate-limits';

export interface Forum {
  readonly ctx: AppContext;
  readonly app: Express;
  readonly server: http.Server;
  readonly realtime: Realtime;
  /** Listens on config.host:config.port (0 = any free port) and resolves with the bound port. */
  listen(): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, closes sockets, then the database if we opened it. */
  close(): Promise<void>;
}

export interface ForumOptions {
  /** An already connected database (tests share one); otherwise one is connected and owned here. */
  database?: Database;
  log?: Logger;
  /** Limits and timings other than the defaults (tests). */
  tuning?: TuningOverrides;
}

export async function createForum(config: Config, options: ForumOptions = {}): Promise<Forum> {
  const log = options.log ?? createLogger(config.logLevel);
  const ownsDatabase = !options.database;
  const database = options.database ?? (await connectDatabase(config, log));
  const ctx: AppContext = {
    config,
    log,
    events: new DomainEvents(),
    media: new MediaStore(path.resolve(config.uploadsDir)),
    signer: new UrlSigner(await loadMediaSecret(config.mediaUrlSecret, config.dataDir)),
    dbMode: database.mode,
    tuning: tuningWith(options.tuning),
    health: new HealthChecks(),
    auditModeratorRead: (read) => auditModeratorRead(ctx, read),
    compactStorage: () => database.compactStorage(),
    limits: await createRateLimitStore(config.redisUrl, log),
  };
  ctx.health.add('database', () => database.ping());
  const stopCaching = ctx.events.onCluster((event) => readCache.apply(event));
  const relay = config.redisUrl ? await startEventRelay(ctx, config.redisUrl, readCache) : null;
  if (relay) ctx.health.add('redis', () => relay.ping());
  const homepage = createHomepage(ctx);
  const app = createApp(ctx, homepage);
  const server = http.createServer(expressServerClasses(app), homepageFirst(homepage.publicFeed, app));
  const realtime = await attachRealtime(ctx, server);
  const erasures = startErasureWorker(ctx);
  const lapses = startRegistrationLapse(ctx);
  const mail = startMailQueue(ctx);
  const digests = startNotificationMail(ctx);
  const closers: Array<() => Promise<void>> = [
    async () => {
      stopCaching();
      homepage.publicFeed.close();
      await relay?.close();
    },
    () => erasures.close(),
    // Closed before the erasure worker (closers run in reverse): a lapse hands its erasures to it.
    () => lapses.close(),
    () => digests.close(),
    () => mail.close(),
    () => ctx.limits.close(),
    () => realtime.close(),
  ];

  return {
    ctx,
    app,
    server,
    realtime,
    listen: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(config.port, config.host, () => {
          server.off('error', reject);
          const address = server.address();
          resolve(typeof address === 'object' && address ? address.port : config.port);
        });
      }),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const close of closers.reverse()) await close();
      await closed;
      if (ownsDatabase) await database.close();
    },
  };
}
