// Real socket.io-client connections for realtime tests, with a recorder that proves absence properly:
// wait for a later event that must arrive, then check the earlier one never did.
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../shared/events';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type LiveEventName = keyof ServerToClientEvents;
export interface Received {
  event: LiveEventName;
  payload: Record<string, unknown>;
  at: number;
}

const LIVE_EVENTS: LiveEventName[] = ['post:new', 'post:update', 'post:delete', 'like:update', 'notification:new', 'notification:count'];
const WAIT_MS = 5_000;

/** Everything one socket received, in order. */
export class Recorder {
  readonly received: Received[] = [];
  private waiters: Array<() => void> = [];

  constructor(readonly socket: ClientSocket) {
    for (const event of LIVE_EVENTS) {
      socket.on(event, (payload: unknown) => {
        this.received.push({ event, payload: payload as Record<string, unknown>, at: Date.now() });
        for (const wake of this.waiters.splice(0)) wake();
      });
    }
  }

  find(event: LiveEventName, match: (payload: Record<string, unknown>) => boolean): Received[] {
    return this.received.filter((r) => r.event === event && match(r.payload));
  }

  /** Resolves with the first matching event, received already or later; rejects after `timeoutMs`. */
  async next(event: LiveEventName, match: (payload: Record<string, unknown>) => boolean, timeoutMs = WAIT_MS): Promise<Received> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.find(event, match)[0];
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${event} matching ${match.toString()} within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** The events about one post id (post:* by `id`, like:update by `postId`). */
  about(postId: string): Received[] {
    return this.received.filter((r) => r.payload.id === postId || r.payload.postId === postId);
  }
}

export interface ConnectOptions {
  token?: unknown;
  /** Handshake request headers (Accept-Language, say). */
  headers?: Record<string, string>;
}

/** Connects over WebSocket (no reconnection) and resolves once connected; rejects with the connect_error. */
export function connect(baseUrl: string, options: ConnectOptions = {}): Promise<ClientSocket> {
  const socket: ClientSocket = io(baseUrl, {
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    auth: options.token === undefined ? {} : { token: options.token },
    extraHeaders: options.headers,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

export async function subscribe(socket: ClientSocket, feed: string, extra: { reason?: string } = {}): Promise<Ack> {
  return socket.timeout(WAIT_MS).emitWithAck('subscribe', { feed, ...extra } as never);
}

/** Subscribes and fails the test unless the server granted it. */
export async function follow(socket: ClientSocket, ...feeds: string[]): Promise<void> {
  for (const feed of feeds) {
    const ack = await subscribe(socket, feed);
    if (!ack.ok) throw new Error(`subscribe ${feed} refused: ${ack.error.code} ${ack.error.message}`);
  }
}

/** Resolves with the disconnect reason. */
export function disconnected(socket: ClientSocket, timeoutMs = WAIT_MS): Promise<string> {
  if (!socket.connected) return Promise.resolve('already disconnected');
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still connected after ${timeoutMs} ms`)), timeoutMs);
    socket.once('disconnect', (reason) => {
      clearTimeout(timer);
      resolve(reason);
    });
  });
}

/** Closes every socket a test opened. */
export class SocketPool {
  private readonly sockets: ClientSocket[] = [];

  async open(baseUrl: string, options: ConnectOptions = {}): Promise<{ socket: ClientSocket; recorder: Recorder }> {
    const socket = await connect(baseUrl, options);
    this.sockets.push(socket);
    return { socket, recorder: new Recorder(socket) };
  }

  closeAll(): void {
    for (const socket of this.sockets.splice(0)) socket.close();
  }
}
