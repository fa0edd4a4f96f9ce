// Caps on open sockets per client address and per account (review item 13), so one client cannot hold
// thousands of connections. Counted per process: behind a load balancer each process applies the caps to
// what it holds. A refused handshake gets connect_error `too_many_connections` with `data: {code, message}`.
import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';
import type { ExtendedError } from 'socket.io';
import { refusedHandshake } from './refusals';
import type { ForumSocket } from './types';

export interface SocketLimits {
  /** Open sockets from one client address; 0 means no cap. */
  perAddress: number;
  /** Open sockets of one signed-in account; 0 means no cap. */
  perAccount: number;
}

export const DEFAULT_SOCKET_LIMITS: SocketLimits = { perAddress: 200, perAccount: 20 };

/** Where a connection comes from, under the same `trust proxy` setting as Express's req.ip. */
export function connectionAddress(request: IncomingMessage, trustProxy: boolean | number | string): string {
  if (trustProxy === false) return request.socket.remoteAddress ?? 'unknown';
  const trust =
    trustProxy === true ? () => true : typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : proxyaddr.compile(trustProxy.split(/\s*,\s*/));
  return proxyaddr(request, trust);
}

class Counter {
  private readonly open = new Map<string, number>();

  count(key: string): number {
    return this.open.get(key) ?? 0;
  }

  add(key: string): void {
    this.open.set(key, this.count(key) + 1);
  }

  remove(key: string): void {
    const left = this.count(key) - 1;
    if (left > 0) this.open.set(key, left);
    else this.open.delete(key);
  }
}

/**
 * io.use middleware, after authentication: admits a socket while its address and its account are under
 * their caps, and counts it until it disconnects. `addressOf` names the socket's client address.
 */
export function capConnections(limits: SocketLimits, addressOf: (socket: ForumSocket) => string) {
  const byAddress = new Counter();
  const byAccount = new Counter();
  // What each admitted connection counts against, until its transport closes. One listener shared by all
  // connections (it finds its own entry through `this`), rather than a closure per socket held while idle.
  const counted = new WeakMap<object, readonly [address: string, account: string | null]>();
  function release(this: object): void {
    const entry = counted.get(this);
    if (!entry) return;
    counted.delete(this);
    byAddress.remove(entry[0]);
    if (entry[1] !== null) byAccount.remove(entry[1]);
  }
  return (socket: ForumSocket, next: (error?: ExtendedError) => void): void => {
    const address = addressOf(socket);
    const account = socket.data.userId;
    if (limits.perAddress > 0 && byAddress.count(address) >= limits.perAddress) {
      return next(refusedHandshake(socket, 'too_many_connections', 'errors.realtime.tooManyFromAddress', { max: limits.perAddress }));
    }
    if (account !== null && limits.perAccount > 0 && byAccount.count(account) >= limits.perAccount) {
      return next(refusedHandshake(socket, 'too_many_connections', 'errors.realtime.tooManyForAccount', { max: limits.perAccount }));
    }
    byAddress.add(address);
    if (account !== null) byAccount.add(account);
    // The transport's close, not the socket's disconnect: a client gone between here and the connection
    // never gets a disconnect event, and its count would stay forever.
    counted.set(socket.conn, [address, account]);
    socket.conn.on('close', release);
    next();
  };
}
