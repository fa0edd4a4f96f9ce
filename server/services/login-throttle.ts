// Brute-force protection for password checks that an attacker cannot turn against the owner. Failures
// are counted per account-and-client-address pair: past a few, each further check from that pair waits
// twice as long as the one before (up to maxPairDelayMs). Guessing from many addresses at once is slowed
// per account too, but only to one check per maxAccountDelayMs at worst, so the owner is delayed, never
// locked out; a password-reset link clears the account's count. Re-entering the password while signed in
// (password change, erasure) counts only the pair and the address: nobody else can delay the owner there.
import { createHash } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { RateLimited } from '../errors';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from '../tuning';
import { retryAfterSeconds, type Limiter, type RateLimitStore } from './rate-limits';


export interface ThrottleSubject {
  /** The e-mail as typed; counted whether or not an account has it, so the limit reveals nothing. */
  email: string;
  address: string;
}

/** `sign-in` has no token yet; `reauthentication` is a signed-in owner confirming a sensitive change. */
export type CheckKind = 'sign-in' | 'reauthentication';

function accountKey(email: string): string {
  // The counters need no e-mail addresses in them.
  return createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
}

/** A large number: counters only count, the gates decide. */
const UNLIMITED = 1_000_000_000;

export class LoginThrottle {
  readonly limits: LoginLimits;
  private readonly pairFailures: Limiter;
  private readonly pairGate: Limiter;
  private readonly accountFailures: Limiter;
  private readonly accountGate: Limiter;
  private readonly addressFailures: Limiter;

  constructor(store: RateLimitStore, limits: Partial<LoginLimits> = {}) {
    this.limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
    const window = Math.max(1, Math.ceil(this.limits.windowMs / 1000));
    this.pairFailures = store.limiter('login-pair', UNLIMITED, window);
    this.accountFailures = store.limiter('login-account', UNLIMITED, window);
    this.addressFailures = store.limiter('login-address', this.limits.perAddress, window);
    // One check per gate period: the first consume opens the period (its length given per call), the
    // others within it are refused. Atomic in the store, so a burst cannot slip past.
    this.pairGate = store.limiter('login-pair-gate', 1, 1);
    this.accountGate = store.limiter('login-account-gate', 1, 1);
  }

  private delaySeconds(excess: number, maxMs: number): number {
    return Math.max(1, Math.ceil(Math.min(maxMs, this.limits.firstDelayMs * 2 ** (excess - 1)) / 1000));
  }

  private refuse(seconds: number): never {
    throw new RateLimited('errors.rateLimited.signIn', seconds);
  }

  /** Past `free` failures, one check per growing delay; a refused check is not counted. */
  private async passGate(gate: Limiter, key: string, failures: number, free: number, maxMs: number): Promise<RateLimiterRes | null> {
    if (failures <= free) return null;
    try {
      await gate.consume(key, 1, { customDuration: this.delaySeconds(failures - free, maxMs) });
      return null;
    } catch (refusal) {
      if (refusal instanceof RateLimiterRes) return refusal;
      throw refusal;
    }
  }

  /**
   * Counts one password check before it runs (so parallel guesses cannot slip past) and throws 429 when
   * this pair, this address or (for sign-in) this account must wait.
   */
  async begin(subject: ThrottleSubject, kind: CheckKind): Promise<void> {
    const account = accountKey(subject.email);
    const pair = `${account}:${subject.address}`;
    const counted: Array<[Limiter, string]> = [];
    const giveBack = () => Promise.all(counted.map(([limiter, key]) => limiter.reward(key, 1)));
    try {
      await this.addressFailures.consume(subject.address);
    } catch (refusal) {
      if (!(refusal instanceof RateLimiterRes)) throw refusal;
      this.refuse(retryAfterSeconds(refusal));
    }
    counted.push([this.addressFailures, subject.address]);
    /** Counts a failure against `key` and waits at its gate once past `free`; on refusal every count is given back. */
    const countAndGate = async (failures: Limiter, gate: Limiter, key: string, free: number, maxMs: number) => {
      const count = (await failures.consume(key)).consumedPoints;
      counted.push([failures, key]);
      const refusal = await this.passGate(gate, key, count, free, maxMs);
      if (refusal) {
        await giveBack();
        this.refuse(retryAfterSeconds(refusal));
      }
    };
    await countAndGate(this.pairFailures, this.pairGate, pair, this.limits.freePerPair, this.limits.maxPairDelayMs);
    if (kind === 'reauthentication') return;
    await countAndGate(this.accountFailures, this.accountGate, account, this.limits.freePerAccount, this.limits.maxAccountDelayMs);
  }

  /** A correct password clears the pair's and the account's failures and gives the address its check back. */
  async succeeded(subject: ThrottleSubject): Promise<void> {
    await Promise.all([this.clearAccount(subject), this.addressFailures.reward(subject.address, 1)]);
  }

  /** After a password reset (or a correct password): the account's and this pair's waits end. */
  async clearAccount(subject: ThrottleSubject): Promise<void> {
    const account = accountKey(subject.email);
    const pair = `${account}:${subject.address}`;
    await Promise.all([
      this.pairFailures.delete(pair),
      this.pairGate.delete(pair),
      this.accountFailures.delete(account),
      this.accountGate.delete(account),
    ]);
  }
}
