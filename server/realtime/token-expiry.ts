// Disconnects a token's sockets on this process when the token expires, with one timer for all tokens.
//
// Tokens slide forward while used, so "when it expires" is read again from the database when the time
// comes. The schedule is kept per token room rather than per socket: a socket costs nothing here beyond
// being in its token's room, and a room that empties (its last socket gone) leaves the schedule with it.
import type { Logger } from '../log';
import { tokenExpiry } from '../services/tokens';
import { tokenHashOfRoom } from './rooms';
import type { ForumServer } from './types';

/** setTimeout cannot wait longer than about 24.8 days; tokens live 30. Check again at least daily. */
const MAX_WAIT_MS = 24 * 60 * 60 * 1000;
/** After a failed read of the expiry, when to try again. */
const RETRY_MS = 60_000;

export class TokenExpiry {
  /** Token room → when to read the token's expiry again (ms since the epoch). */
  private readonly due = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private timerAt = Infinity;

  constructor(
    private readonly io: ForumServer,
    private readonly log: Logger,
  ) {
    io.of('/').adapter.on('delete-room', (room: string) => this.due.delete(room));
  }

  /** The token room's sockets are disconnected at `expiresAt` unless the token has slid forward by then. */
  schedule(room: string, expiresAt: Date): void {
    this.at(room, Math.min(expiresAt.getTime(), Date.now() + MAX_WAIT_MS));
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due.clear();
  }

  private at(room: string, when: number): void {
    // Only while the room has sockets here: one that emptied while its expiry was being read stays gone.
    if (!this.io.of('/').adapter.rooms.has(room)) return;
    this.due.set(room, when);
    if (when < this.timerAt) this.arm(when);
  }

  private arm(when: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timerAt = when;
    this.timer = setTimeout(() => this.fire(), Math.max(0, when - Date.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = null;
    this.timerAt = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [room, when] of this.due) {
      if (when > now) {
        next = Math.min(next, when);
        continue;
      }
      this.due.delete(room);
      this.check(room);
    }
    if (next < Infinity) this.arm(next);
  }

  private check(room: string): void {
    tokenExpiry(tokenHashOfRoom(room)).then(
      (expiresAt) => {
        if (!expiresAt) return this.io.local.in(room).disconnectSockets(true);
        this.schedule(room, expiresAt);
      },
      (error: unknown) => {
        this.log.error('realtime: token expiry check failed', error);
        this.at(room, Date.now() + RETRY_MS);
      },
    );
  }
}
