// The operator's view of the mail queue: counts by state and the latest failures, never a message's
// body, links or addresses (the recorded error has addresses removed when it is written).
import { Outbox, type OutboxFields } from '../models/outbox';

export interface OutboxStatus {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  /** Messages the send-time checks stopped (suppressed, restricted or opted out meanwhile). */
  cancelled: number;
  lastFailures: { at: string; type: string; error: string }[];
}

export async function outboxStatus(limit = 20): Promise<OutboxStatus> {
  const [queued, sending, sent, failed, cancelled, failures] = await Promise.all([
    Outbox.countDocuments({ state: 'queued' }),
    Outbox.countDocuments({ state: 'sending' }),
    Outbox.countDocuments({ state: 'sent' }),
    Outbox.countDocuments({ state: 'failed' }),
    Outbox.countDocuments({ state: 'cancelled' }),
    // Temporary failures waiting for a retry are failures an operator wants to see too.
    Outbox.find({ lastErrorAt: { $ne: null }, state: { $in: ['failed', 'queued'] } }, { type: 1, lastError: 1, lastErrorAt: 1 })
      .sort({ lastErrorAt: -1 })
      .limit(limit)
      .lean<Pick<OutboxFields, 'type' | 'lastError' | 'lastErrorAt'>[]>(),
  ]);
  return {
    queued,
    sending,
    sent,
    failed,
    cancelled,
    lastFailures: failures.map((failure) => ({ at: failure.lastErrorAt!.toISOString(), type: failure.type, error: failure.lastError ?? '' })),
  };
}
