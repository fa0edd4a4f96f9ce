// Socket.IO on the forum's HTTP server: handshake auth, policy-checked subscriptions, and the fan-out
// of domain events. With REDIS_URL the Redis adapter carries events and room changes between processes.
import type http from 'node:http';
import type { IncomingMessage } from 'node:http';
import { createAdapter } from '@socket.io/redis-adapter';
import { createClient } from 'redis';
import { Server } from 'socket.io';
import type { AppContext } from '../context';
import { createFeedAccess, type FeedAccess } from './access';
import { createBroadcaster, type Broadcaster } from './broadcast';
import { coalesceFlushes } from './coalesced-writes';
import { capConnections, connectionAddress, DEFAULT_SOCKET_LIMITS } from './connection-caps';
import { rememberLanguage } from './refusals';
import { startFanout } from './fanout';
import { OrderedEffects } from './ordered';
import { RoomOps } from './room-ops';
import { authenticateHandshake, watchSession } from './session';
import { handleSubscriptions, subscriptionListeners } from './subscriptions';
import { TokenExpiry } from './token-expiry';
import type { ForumServer } from './types';
import { startNotificationDelivery } from '../notifications/live';

export interface Realtime {
  readonly io: ForumServer;
  /** The fan-out's emits (tests observe when the server sends). */
  readonly broadcast: Broadcaster;
  /** Resolves once every domain event published so far has reached the sockets (for shutdown and tests). */
  idle(): Promise<void>;
  /** Disconnects every socket, stops the fan-out and quits the Redis clients. */
  close(): Promise<void>;
}

/** Clients only send small subscribe requests. */
const MAX_CLIENT_MESSAGE_BYTES = 16 * 1024;

async function connectRedisAdapter(ctx: AppContext, io: ForumServer, url: string): Promise<() => Promise<void>> {
  const pub = createClient({ url });
  const sub = pub.duplicate();
  // Never log the URL: it may carry a password.
  pub.on('error', (error: unknown) => ctx.log.error('realtime: redis publisher error', error));
  sub.on('error', (error: unknown) => ctx.log.error('realtime: redis subscriber error', error));
  await Promise.all([pub.connect(), sub.connect()]);
  io.adapter(createAdapter(pub, sub));
  return async () => {
    await Promise.allSettled([pub.close(), sub.close()]);
  };
}

export async function attachRealtime(
  ctx: AppContext,
  httpServer: http.Server,
  access: FeedAccess = createFeedAccess(ctx.signer, ctx.auditModeratorRead),
): Promise<Realtime> {
  const io: ForumServer = new Server(httpServer, {
    path: '/socket.io',
    serveClient: false,
    cookie: false,
    maxHttpBufferSize: MAX_CLIENT_MESSAGE_BYTES,
  });
  // Each connection would keep its opening HTTP request (its headers twice over) for its whole life. Nothing
  // here reads it after the handshake (authentication uses the handshake's auth payload), so it is let go,
  // as Socket.IO's memory guide suggests. The benchmark's Node clients send few headers and showed no
  // difference; a browser's upgrade request carries many more.
  // The client's address is worked out first, for the connection caps.
  const addresses = new WeakMap<object, string>();
  io.engine.on('connection', (rawSocket: { request: IncomingMessage | null }) => {
    if (rawSocket.request) addresses.set(rawSocket, connectionAddress(rawSocket.request, ctx.config.trustProxy));
    if (rawSocket.request) rememberLanguage(rawSocket, rawSocket.request);
    rawSocket.request = null;
  });
  coalesceFlushes(io);
  const closeRedis = ctx.config.redisUrl ? await connectRedisAdapter(ctx, io, ctx.config.redisUrl) : null;
  const effects = new OrderedEffects(ctx.log);
  const broadcast = createBroadcaster(io, closeRedis !== null, ctx.log);
  const fanout = startFanout(io, broadcast, new RoomOps(io, closeRedis !== null, broadcast.flush), access, ctx.events, effects);
  const notifications = startNotificationDelivery(io, ctx.events, ctx.log);

  const expiry = new TokenExpiry(io, ctx.log);
  const listeners = subscriptionListeners(access, ctx.log);
  io.use(authenticateHandshake(ctx.log));
  io.use(capConnections(ctx.config.socketLimits ?? DEFAULT_SOCKET_LIMITS, (socket) => addresses.get(socket.conn) ?? socket.conn.remoteAddress));
  io.on('connection', (socket) => {
    watchSession(socket, expiry, ctx.log);
    handleSubscriptions(socket, listeners);
  });

  return {
    io,
    broadcast,
    idle: async () => {
      await effects.idle();
      await broadcast.idle();
      await notifications.idle();
    },
    async close() {
      fanout.close();
      notifications.close();
      expiry.close();
      await effects.idle();
      broadcast.flush();
      await notifications.idle();
      await io.close();
      await closeRedis?.();
    },
  };
}
