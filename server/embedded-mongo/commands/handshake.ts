import os from 'node:os';
import { mechanismsFor } from '../auth';
import { CommandError, ErrorCode } from '../errors';
import { MAX_BSON_OBJECT_BYTES, MAX_MESSAGE_BYTES } from '../wire/protocol';
import type { Document } from '../documents';
import type { CommandContext, CommandHandler } from './context';

export const MAX_WIRE_VERSION = 21;
export const SERVER_VERSION = '7.0.0';

/** What a standalone mongod answers; no setName, no compression, sessions supported. */
function helloReply(ctx: CommandContext, legacy: boolean): Document {
  return {
    ...(ctx.body.helloOk === true ? { helloOk: true } : {}),
    ...(legacy ? { ismaster: true } : { isWritablePrimary: true }),
    maxBsonObjectSize: MAX_BSON_OBJECT_BYTES,
    maxMessageSizeBytes: MAX_MESSAGE_BYTES,
    maxWriteBatchSize: 100_000,
    localTime: new Date(),
    logicalSessionTimeoutMinutes: 30,
    connectionId: ctx.connectionId,
    minWireVersion: 0,
    maxWireVersion: MAX_WIRE_VERSION,
    readOnly: false,
    ...mechanismsFor(ctx.engine.users, ctx.body),
    ok: 1,
  };
}

export const handshakeCommands: Record<string, CommandHandler> = {
  hello: (ctx) => helloReply(ctx, false),
  isMaster: (ctx) => helloReply(ctx, true),
  ismaster: (ctx) => helloReply(ctx, true),
  ping: () => ({ ok: 1 }),
  saslStart: (ctx) => {
    if (!ctx.auth) throw new CommandError(ErrorCode.AuthenticationFailed, 'Authentication failed.');
    return ctx.auth.start(ctx.body);
  },
  saslContinue: (ctx) => {
    if (!ctx.auth) throw new CommandError(ErrorCode.AuthenticationFailed, 'Authentication failed.');
    return ctx.auth.continue(ctx.body);
  },
  logout: () => ({ ok: 1 }),
  buildInfo: () => ({
    version: SERVER_VERSION,
    gitVersion: 'embedded-mongo',
    versionArray: [7, 0, 0, 0],
    bits: 64,
    debug: false,
    maxBsonObjectSize: MAX_BSON_OBJECT_BYTES,
    storageEngines: ['embedded'],
    javascriptEngine: 'none',
    modules: [],
    ok: 1,
  }),
  endSessions: () => ({ ok: 1 }),
  refreshSessions: () => ({ ok: 1 }),
  killSessions: () => ({ ok: 1 }),
  killAllSessions: () => ({ ok: 1 }),
  whatsmyuri: (ctx) => ({ you: ctx.remoteAddress, ok: 1 }),
  getCmdLineOpts: () => ({ argv: ['embedded-mongo'], parsed: {}, ok: 1 }),
  connectionStatus: (ctx) => ({
    authInfo: { authenticatedUsers: ctx.auth?.user ? [{ user: ctx.auth.user, db: 'admin' }] : [], authenticatedUserRoles: [] },
    ok: 1,
  }),
  hostInfo: () => ({
    system: { hostname: os.hostname(), numCores: os.cpus().length, memSizeMB: Math.round(os.totalmem() / 2 ** 20) },
    os: { type: os.type(), version: os.release() },
    ok: 1,
  }),
  serverStatus: (ctx) => {
    const e = ctx.engine;
    const mem = process.memoryUsage();
    return {
      host: os.hostname(),
      version: SERVER_VERSION,
      process: 'embedded-mongo',
      pid: process.pid,
      uptime: Math.floor((Date.now() - e.startedAt) / 1000),
      uptimeMillis: Date.now() - e.startedAt,
      localTime: new Date(),
      connections: { current: e.currentConnections, available: 100_000, totalCreated: e.totalConnections },
      opcounters: { ...e.counters },
      metrics: { cursor: { open: { total: e.cursors.openCount } } },
      mem: { bits: 64, resident: Math.round(mem.rss / 2 ** 20), virtual: Math.round(mem.rss / 2 ** 20) },
      ok: 1,
    };
  },
};
