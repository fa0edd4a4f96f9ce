// Handshake authentication (`auth: {token}`, never a cookie) and the life of a signed-in socket's session.
//
// Decision: a socket whose token is revoked or expires, or whose account is erased, is disconnected
// rather than downgraded to anonymous. The client sees `disconnect` with reason "io server disconnect";
// reconnecting with that token fails with connect_error "unauthorized", so it knows to sign in again.
import { Types } from 'mongoose';
import type { ExtendedError } from 'socket.io';
import type { Role } from '../../shared/api';
import type { Logger } from '../log';
import type { Viewer } from '../policy/viewer';
import { authenticateToken, tokenExpiry } from '../services/tokens';
import { refusedHandshake } from './refusals';
import { tokenRoom, userRoom } from './rooms';
import type { TokenExpiry } from './token-expiry';
import type { ForumSocket, SocketData } from './types';

/** What an authenticated socket's handshake keeps of its auth payload: not the token. */
const AUTH_AFTER_HANDSHAKE = Object.freeze({});

/** io.use middleware: no token means anonymous; a token that is not valid refuses the connection. */
export function authenticateHandshake(log: Logger) {
  return (socket: ForumSocket, next: (error?: ExtendedError) => void): void => {
    const auth: unknown = socket.handshake.auth;
    const token = typeof auth === 'object' && auth !== null ? (auth as { token?: unknown }).token : undefined;
    if (token === undefined || token === null || token === '') {
      socket.data = { userId: null, roles: [], tokenHash: null };
      return next();
    }
    if (typeof token !== 'string') return next(refusedHandshake(socket, 'unauthorized', 'errors.realtime.tokenNotString'));
    authenticateToken(token).then(
      (result) => {
        if (!result) return next(refusedHandshake(socket, 'unauthorized', 'errors.realtime.tokenInvalid'));
        const viewer = result.viewer;
        socket.data = { userId: viewer.id, roles: [...viewer.roles], tokenHash: result.tokenHash };
        // Socket.IO keeps the handshake for the socket's life; the bearer token need not live that long.
        socket.handshake.auth = AUTH_AFTER_HANDSHAKE;
        next();
      },
      (error: unknown) => {
        log.error('realtime: handshake authentication failed', error);
        next(refusedHandshake(socket, 'unauthorized', 'errors.realtime.authUnavailable'));
      },
    );
  };
}

export function viewerFromIdentity(userId: string, roles: readonly Role[]): Viewer {
  return { id: userId, _id: new Types.ObjectId(userId), roles };
}

export function viewerOfSocket(data: SocketData): Viewer | null {
  return data.userId === null ? null : viewerFromIdentity(data.userId, data.roles);
}

/**
 * Puts a signed-in socket where revocation finds it, then confirms its token is still live: a revocation
 * that landed between the handshake and the join found no socket to disconnect, so it is caught here.
 * Afterwards the token's expiry (one schedule per token, not per socket) disconnects it when it comes.
 */
export function watchSession(socket: ForumSocket, expiry: TokenExpiry, log: Logger): void {
  const { userId, tokenHash } = socket.data;
  if (userId === null || tokenHash === null) return;
  const room = tokenRoom(tokenHash);
  socket.join([userRoom(userId), room]);
  tokenExpiry(tokenHash).then(
    (expiresAt) => {
      if (!socket.connected) return;
      if (!expiresAt) return void socket.disconnect(true);
      expiry.schedule(room, expiresAt);
    },
    (error: unknown) => {
      log.error('realtime: token expiry check failed', error);
      // Undecided: the socket stays, and the token's schedule reads its expiry again shortly.
      if (socket.connected) expiry.schedule(room, new Date(Date.now() + 60_000));
    },
  );
}
