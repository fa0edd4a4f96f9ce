import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/events';
import type { Role } from '../../shared/api';

/** Who a socket is, kept serialisable because other processes read it through the Redis adapter. */
export interface SocketData {
  /** null for an anonymous visitor. */
  userId: string | null;
  roles: Role[];
  /** SHA-256 of the handshake token, so revoking that token finds this socket. */
  tokenHash: string | null;
}

type InterServerEvents = Record<string, never>;

export type ForumServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type ForumSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
