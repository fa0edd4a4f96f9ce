// Limits on every request that makes the forum send mail (registration, verification resend, password
// reset, e-mail change, parental-consent mail): per client address, per target address and per account,
// counted in the shared store so every process enforces the same numbers.
import { createHash } from 'node:crypto';
import type { AppContext } from '../context';
import { consumeOrRefuse } from './rate-limits';
import { addressHash } from './suppression';

const HOUR = 60 * 60;
const MESSAGE = 'errors.rateLimited.mail' as const;

export interface MailRequest {
  clientAddress: string;
  /** Every address this request would write to (a minor's registration writes to the parent too). */
  targets: string[];
  accountId?: string;
}

/** Counts the request against each limit before any mail is queued; throws 429 with Retry-After when over. */
export async function limitMailRequest(ctx: AppContext, request: MailRequest): Promise<void> {
  const limits = ctx.tuning.mailLimits;
  await consumeOrRefuse(ctx.limits.limiter('mail-client', limits.perClientAddress, HOUR), request.clientAddress, MESSAGE);
  if (request.accountId) {
    // Hashed like the addresses, so no counter names an account (erasure leaves no trace).
    const key = createHash('sha256').update(`account:${request.accountId}`).digest('hex');
    await consumeOrRefuse(ctx.limits.limiter('mail-account', limits.perAccount, HOUR), key, MESSAGE);
  }
  const targetLimiter = ctx.limits.limiter('mail-target', limits.perTarget, HOUR);
  // Keyed hashes: the counters hold no addresses.
  for (const target of new Set(request.targets.map((email) => email.trim().toLowerCase()))) {
    await consumeOrRefuse(targetLimiter, await addressHash(target), MESSAGE);
  }
}
