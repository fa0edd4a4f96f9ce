// Runs the slow half of each job (database reads) concurrently, and its effect on sockets strictly in
// submission order. That order is what makes revocation immediate: a membership removal published
// before a post is applied (sockets leave their rooms) before that post is emitted.
//
// Effects wait for the end of the loop turn in which they became ready (setImmediate runs after the turn's
// I/O callbacks), so the posts of a burst of writes are emitted together and each socket gets them in one
// TCP write (./coalesced-writes.ts) instead of one write per post.
import type { Logger } from '../log';

/** What a job does to sockets once every job submitted before it has done its part; null: nothing. */
export type Effect = (() => void | Promise<void>) | null;

type Settled = { ok: true; effect: Effect } | { ok: false; error: unknown };

export class OrderedEffects {
  private tail: Promise<void> = Promise.resolve();
  /** Settles at the end of the current loop turn; effects ready by then run together. */
  private turnEnd: Promise<void> | null = null;

  constructor(private readonly log: Logger) {}

  /** Starts `prepare` now; its effect runs after the effects of all earlier jobs. Never rejects. */
  submit(label: string, prepare: () => Promise<Effect>): Promise<void> {
    // Settle at once so a failure is never an unhandled rejection while earlier jobs are still running.
    const prepared: Promise<Settled> = prepare().then(
      (effect) => ({ ok: true, effect }),
      (error: unknown) => ({ ok: false, error }),
    );
    const done = this.tail.then(async () => {
      const settled = await prepared;
      await this.endOfTurn();
      try {
        if (!settled.ok) throw settled.error;
        await settled.effect?.();
      } catch (error) {
        this.log.error(`realtime: ${label} failed`, error);
      }
    });
    this.tail = done;
    return done;
  }

  private endOfTurn(): Promise<void> {
    if (!this.turnEnd) {
      const turnEnd = new Promise<void>((resolve) => setImmediate(resolve));
      this.turnEnd = turnEnd;
      // Effects chained behind the first see it settled and run in the same turn; the next turn gets a new one.
      void turnEnd.then(() => setImmediate(() => {
        if (this.turnEnd === turnEnd) this.turnEnd = null;
      }));
    }
    return this.turnEnd;
  }

  /** Resolves once every job submitted so far has taken effect. */
  idle(): Promise<void> {
    return this.tail;
  }
}
