// Brute-force protection for password checks, counted in the database so that every process behind a
// load balancer enforces one shared limit.
import { createHash } from 'node:crypto';
import { RateLimited } from '../errors';
import { LoginAttempt, type LoginAttemptFields } from '../models/login-attempt';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from '../tuning';


export interface ThrottleSubject {
  /** The e-mail as typed; counted whether or not an account has it, so the limit reveals nothing. */
  email: string;
  address: string;
}

function accountKey(email: string): string {
  // The counter collection needs no e-mail addresses in it.
  return `account:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex')}`;
}

function addressKey(address: string): string {
  return `address:${address}`;
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

async function increment(key: string, by: number, windowMs: number, now: Date): Promise<LoginAttemptFields> {
  const expiresAt = new Date(now.getTime() + windowMs);
  // Each step is one atomic write; a lost race for the insert just goes round again.
  for (;;) {
    const live = await LoginAttempt.findOneAndUpdate(
      { key, expiresAt: { $gt: now } },
      { $inc: { count: by } },
      { new: true },
    ).lean<LoginAttemptFields>();
    if (live) return live;
    // The TTL monitor runs about once a minute, so a lapsed counter may still be there: restart it.
    const restarted = await LoginAttempt.findOneAndUpdate(
      { key, expiresAt: { $lte: now } },
      { $set: { count: by, expiresAt } },
      { new: true },
    ).lean<LoginAttemptFields>();
    if (restarted) return restarted;
    try {
      return (await LoginAttempt.create({ key, count: by, expiresAt })).toObject();
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
    }
  }
}

export class LoginThrottle {
  constructor(readonly limits: LoginLimits = DEFAULT_LOGIN_LIMITS) {}

  /**
   * Counts one password check before it runs (so parallel guesses cannot slip past the limit) and
   * throws 429 once the account or the address is over its limit.
   */
  async begin(subject: ThrottleSubject, now = new Date()): Promise<void> {
    const [account, address] = await Promise.all([
      increment(accountKey(subject.email), 1, this.limits.windowMs, now),
      increment(addressKey(subject.address), 1, this.limits.windowMs, now),
    ]);
    const blocked = [
      account.count > this.limits.perAccount ? account : null,
      address.count > this.limits.perAddress ? address : null,
    ].filter((counter): counter is LoginAttemptFields => counter !== null);
    if (blocked.length === 0) return;
    const until = Math.max(...blocked.map((counter) => counter.expiresAt.getTime()));
    const seconds = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
    throw new RateLimited(
      `Too many sign-in attempts. Try again in ${Math.ceil(seconds / 60)} minute${seconds > 60 ? 's' : ''}.`,
      seconds,
    );
  }

  /** A correct password clears the account's counter and gives the address its attempt back. */
  async succeeded(subject: ThrottleSubject): Promise<void> {
    await Promise.all([
      LoginAttempt.deleteOne({ key: accountKey(subject.email) }),
      LoginAttempt.updateOne({ key: addressKey(subject.address), count: { $gt: 0 } }, { $inc: { count: -1 } }),
    ]);
  }
}
