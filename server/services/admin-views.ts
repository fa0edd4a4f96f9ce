// What the admin console shows besides single accounts: finding people (every lookup audited) and the
// erasures still running.
import type { ErasureInProgress } from '../../shared/admin';
import type { AppContext } from '../context';
import { ERASURE_STEPS, ErasureJob, type ErasureJobFields } from '../models/erasure-job';
import { User, type UserFields } from '../models/user';
import { requireAdmin } from '../policy';
import type { Viewer } from '../policy/viewer';
import { appendAudit } from './audit';

export const LOOKUP_LIMIT = 20;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function looksLikeEmail(query: string): boolean {
  return query.includes('@');
}

/**
 * Accounts whose e-mail address is the query (whole address, any case), or whose name or display name
 * contains it (any case). Erasures in progress are left out: they are as good as gone.
 *
 * Every lookup is audited: who looked, how, and which accounts were shown. The query itself is not written
 * into the chain, which site moderators read and nothing can ever remove from: an address or legal name
 * typed there would be kept for good, and outlive the erasure of the account it names.
 */
export async function lookUpUsers(ctx: AppContext, actor: Viewer, query: string): Promise<UserFields[]> {
  requireAdmin(actor);
  const byEmail = looksLikeEmail(query);
  const pattern = new RegExp(escapeRegExp(query), 'i');
  const filter = byEmail ? { email: query.toLowerCase() } : { $or: [{ displayName: pattern }, { name: pattern }] };
  const found = await User.find({ ...filter, status: { $ne: 'erasing' } })
    .sort({ _id: -1 })
    .limit(LOOKUP_LIMIT)
    .lean<UserFields[]>();
  const shown = found.length ? found.map((user) => String(user._id)).join(',') : 'none';
  await appendAudit(ctx, { actor: actor.id, action: 'admin.user_lookup', target: `users:${shown}`, reason: byEmail ? 'by e-mail address' : 'by name' });
  return found;
}

function presentErasure(job: ErasureJobFields, now: Date): ErasureInProgress {
  const done = new Set(job.stepsDone);
  return {
    id: String(job._id),
    startedAt: job.startedAt.toISOString(),
    stepsDone: ERASURE_STEPS.filter((step) => done.has(step)).length,
    stepsTotal: ERASURE_STEPS.length,
    nextStep: ERASURE_STEPS.find((step) => !done.has(step)) ?? null,
    attempts: job.attempts ?? 0,
    running: job.leaseUntil !== null && job.leaseUntil !== undefined && job.leaseUntil.getTime() > now.getTime(),
  };
}

/** Erasures not finished yet, oldest first. Progress only: never whose account it is. */
export async function erasuresInProgress(actor: Viewer, now = new Date()): Promise<ErasureInProgress[]> {
  requireAdmin(actor);
  const jobs = await ErasureJob.find({}, { userId: 0, avatarKey: 0, inFlightPost: 0, memberGroupIds: 0 })
    .sort({ startedAt: 1 })
    .limit(100)
    .lean<ErasureJobFields[]>();
  return jobs.map((job) => presentErasure(job, now));
}
