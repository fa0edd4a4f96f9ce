// Room membership changes that take effect on every process, and on this one before the call returns.
//
// The Redis adapter applies socketsJoin/socketsLeave/disconnectSockets by publishing a request that every
// process, this one included, applies when Redis echoes it back; an emit right after the call could reach
// a local socket before it has left. So the local sockets are changed first, synchronously, and the
// request is then published for the other processes. Redis delivers that request to each process before
// any broadcast published after it (one publishing connection, one subscribing connection), so remote
// sockets have left before the next event reaches them.
//
// Events the fan-out emitted before a change are written first (`beforeChange`, ./broadcast.ts), so they
// reach the rooms as they were when they were emitted, never a socket that joins after.
import type { ForumServer } from './types';

export class RoomOps {
  constructor(
    private readonly io: ForumServer,
    private readonly clustered: boolean,
    private readonly beforeChange: () => void = () => undefined,
  ) {}

  /** Sockets in any of `targets` join `rooms`. */
  join(targets: string[], rooms: string[]): void {
    if (targets.length === 0 || rooms.length === 0) return;
    this.beforeChange();
    this.io.local.in(targets).socketsJoin(rooms);
    if (this.clustered) this.io.in(targets).socketsJoin(rooms);
  }

  /** Sockets in any of `targets` leave `rooms`. */
  leave(targets: string[], rooms: string[]): void {
    if (targets.length === 0 || rooms.length === 0) return;
    this.beforeChange();
    this.io.local.in(targets).socketsLeave(rooms);
    if (this.clustered) this.io.in(targets).socketsLeave(rooms);
  }

  /** Disconnects the sockets in any of `targets`, closing their connections. */
  disconnect(targets: string[]): void {
    if (targets.length === 0) return;
    this.beforeChange();
    this.io.local.in(targets).disconnectSockets(true);
    if (this.clustered) this.io.in(targets).disconnectSockets(true);
  }
}
