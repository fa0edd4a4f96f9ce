// Account erasure: accepted at once, carried out by resumable, idempotent steps recorded in a durable job.
//
// The request marks the account `erasing` (invisible, cannot sign in), suppresses its address, revokes
// its tokens and publishes `user.erased` before answering. The steps then run in the background. Any
// process finishes a job whose holder died: jobs are leased, and every forum process looks for jobs
// whose lease ran out when it starts and periodically afterwards.
import type { Types } from 'mongoose';
import type { AppContext } from '../context';
import type { ErasureSettings } from '../tuning';
import { Consent } from '../models/consent';
import { EmailChange } from '../models/email-change';
import { ErasureJob, type ErasureJobFields, type ErasureRequester, type ErasureStep } from '../models/erasure-job';
import { Group } from '../models/group';
import { Like } from '../models/like';
import { Membership, type GroupRole } from '../models/membership';
import { ModerationAction } from '../models/moderation-action';
import { Outbox } from '../models/outbox';
import { AccountLink } from '../models/account-link';
import { SecurityEvent } from '../models/security-event';
import { ParentalConsent } from '../models/parental-consent';
import { Post } from '../models/post';
import { Report } from '../models/report';
import { UnsubscribeToken } from '../models/unsubscribe-token';
import { User, type UserFields } from '../models/user';
import { appendAudit } from './audit';
import { preserveBeforeChange } from './holds';
import { recountLikes, withdrawLike } from './likes';
import { removePost, type RemovablePost } from './posts';
import { AVATAR_VARIANT_NAMES } from './profiles';
import { addressHash, suppressAddressHash } from './suppression';
import { revokeAllTokens } from './tokens';
import { eraseNotificationsOf } from '../notifications/service';

const BATCH = 100;
const ERASURE_REASONS: Record<ErasureRequester, string> = {
  account_holder: 'requested by the account holder',
  parent_declined: 'parental consent declined by the parent or guardian',
  registration_lapsed: 'registration lapsed without a parent’s or guardian’s consent',
};
const REMOVABLE_POST_FIELDS = { groupId: 1, authorId: 1, parentId: 1, hiddenAt: 1, images: 1, membersOnly: 1 } as const;

class Stopped extends Error {}

/** Runs erasure jobs for one forum process. */
export class ErasureWorker {
  private readonly running = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly ctx: AppContext,
    readonly settings: ErasureSettings,
  ) {}

  /** Resumes unfinished jobs now and keeps looking for abandoned ones. */
  start(): void {
    this.sweep();
    this.timer = setInterval(() => this.sweep(), this.settings.sweepMs);
    this.timer.unref();
  }

  /** Stops taking jobs, lets running ones stop at their next item and hands their leases back. */
  async close(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.allSettled(this.running.values());
  }

  /** Runs the job unless another process holds it; resolves when this process is done with it. */
  run(jobId: Types.ObjectId): Promise<void> {
    const key = String(jobId);
    const existing = this.running.get(key);
    if (existing) return existing;
    const work = this.claimAndExecute(jobId).finally(() => this.running.delete(key));
    this.running.set(key, work);
    return work;
  }

  private sweep(): void {
    if (this.stopping) return;
    ErasureJob.find({ $or: [{ leaseUntil: null }, { leaseUntil: { $lte: new Date() } }] }, { _id: 1 })
      .lean<{ _id: Types.ObjectId }[]>()
      .then((jobs) => {
        for (const job of jobs) void this.run(job._id);
      })
      .catch((error: unknown) => this.ctx.log.error('erasure: looking for unfinished jobs failed', error));
  }

  private leaseEnd(): Date {
    return new Date(Date.now() + this.settings.leaseMs);
  }

  private async claimAndExecute(jobId: Types.ObjectId): Promise<void> {
    if (this.stopping) return;
    const now = new Date();
    const job = await ErasureJob.findOneAndUpdate(
      { _id: jobId, $or: [{ leaseUntil: null }, { leaseUntil: { $lte: now } }] },
      { $set: { leaseUntil: this.leaseEnd() }, $inc: { attempts: 1 } },
      { new: true },
    ).lean<ErasureJobFields>();
    if (!job) return;
    try {
      await new JobRun(this.ctx, job, this).execute();
    } catch (error) {
      if (!(error instanceof Stopped)) this.ctx.log.error(`erasure: job ${String(jobId)} stopped; it will be resumed`, error);
      await ErasureJob.updateOne({ _id: jobId }, { $set: { leaseUntil: error instanceof Stopped ? null : this.leaseEnd() } });
    }
  }

  /** Called before each item: honours close(), the test pause, and keeps the lease. */
  async beforeItem(jobId: Types.ObjectId, progress: Record<string, unknown> = {}): Promise<void> {
    if (this.stopping) throw new Stopped();
    if (this.settings.stepDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.settings.stepDelayMs));
    await ErasureJob.updateOne({ _id: jobId }, { $set: { leaseUntil: this.leaseEnd(), ...progress } });
  }
}

/** One pass over one job; every step may have been partly done by an earlier pass. */
class JobRun {
  private readonly userId: Types.ObjectId;

  constructor(
    private readonly ctx: AppContext,
    private readonly job: ErasureJobFields,
    private readonly worker: ErasureWorker,
  ) {
    this.userId = job.userId;
  }

  async execute(): Promise<void> {
    const steps: [ErasureStep, () => Promise<void>][] = [
      ['preserve', () => this.preserve()],
      ['posts', () => this.posts()],
      ['likes', () => this.likes()],
      ['memberships', () => this.memberships()],
      ['records', () => this.records()],
      ['avatar', () => this.avatar()],
      ['sweep', () => this.sweep()],
      ['account', () => this.account()],
      ['audit', () => this.audit()],
    ];
    for (const [step, run] of steps) {
      if (this.job.stepsDone.includes(step)) continue;
      await run();
      await ErasureJob.updateOne({ _id: this.job._id }, { $addToSet: { stepsDone: step } });
    }
    await ErasureJob.deleteOne({ _id: this.job._id });
    await this.compactStorage();
    this.ctx.log.info(`erasure: job ${String(this.job._id)} finished`);
  }

  /**
   * Deleted documents stay in the engine's journal until it is compacted; compacting now keeps the
   * person's plaintext from lingering on disk for hours. Should it fail, the next start compacts.
   */
  private async compactStorage(): Promise<void> {
    try {
      await this.ctx.compactStorage();
    } catch (error) {
      this.ctx.log.error(`erasure: job ${String(this.job._id)} is done, but compacting the database files failed; the next start compacts them`, error);
    }
  }

  private beforeItem(progress?: Record<string, unknown>): Promise<void> {
    return this.worker.beforeItem(this.job._id, progress);
  }

  /** Active legal holds keep their copy of the person's posts and the posts they liked, taken now. */
  private async preserve(): Promise<void> {
    await this.beforeItem();
    await preserveBeforeChange(this.ctx, { userId: this.userId }, 'erasure');
  }

  /** Top-level posts first: removing one also removes the author's own replies under it. */
  private async posts(): Promise<void> {
    if (this.job.inFlightPost) await removePost(this.ctx, this.job.inFlightPost as RemovablePost);
    for (const parentId of [null, { $ne: null }]) {
      for (;;) {
        const batch = await Post.find({ authorId: this.userId, parentId }, REMOVABLE_POST_FIELDS).sort({ _id: 1 }).limit(BATCH).lean<RemovablePost[]>();
        if (!batch.length) break;
        for (const post of batch) {
          // The snapshot is saved first: removal clears the author and images that find the post.
          await this.beforeItem({ inFlightPost: snapshot(post) });
          await removePost(this.ctx, post);
        }
      }
    }
    await ErasureJob.updateOne({ _id: this.job._id }, { $set: { inFlightPost: null } });
  }

  private async likes(): Promise<void> {
    const interrupted = this.job.inFlightLikePostId;
    if (interrupted && !(await Like.exists({ userId: this.userId, postId: interrupted }))) await recountLikes(this.ctx, interrupted);
    for (;;) {
      const batch = await Like.find({ userId: this.userId }, { postId: 1, groupId: 1 }).sort({ _id: 1 }).limit(BATCH).lean<
        { postId: Types.ObjectId; groupId: Types.ObjectId }[]
      >();
      if (!batch.length) break;
      for (const like of batch) {
        await this.beforeItem({ inFlightLikePostId: like.postId });
        await withdrawLike(this.ctx, this.userId, { _id: like.postId, groupId: like.groupId });
      }
    }
    await ErasureJob.updateOne({ _id: this.job._id }, { $set: { inFlightLikePostId: null } });
  }

  /** Hands owned groups on, removes every membership, then sets the affected groups' counts from the records. */
  private async memberships(): Promise<void> {
    let groupIds = this.job.memberGroupIds as Types.ObjectId[] | null;
    if (!groupIds) {
      groupIds = await this.membershipGroupIds();
      await this.beforeItem({ memberGroupIds: groupIds });
    }
    await this.leaveGroups(groupIds);
  }

  private async membershipGroupIds(): Promise<Types.ObjectId[]> {
    const rows = await Membership.find({ userId: this.userId }, { groupId: 1 }).lean<{ groupId: Types.ObjectId }[]>();
    return rows.map((row) => row.groupId);
  }

  private async leaveGroups(groupIds: Types.ObjectId[]): Promise<void> {
    const owned = await Group.find({ _id: { $in: groupIds }, ownerId: this.userId }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
    for (const group of owned) {
      await this.beforeItem();
      await handOverOwnership(this.ctx, group._id, this.userId);
    }
    await Membership.deleteMany({ userId: this.userId });
    for (const groupId of groupIds) {
      await this.beforeItem();
      const memberCount = await Membership.countDocuments({ groupId, status: 'member' });
      await Group.updateOne({ _id: groupId }, { $set: { memberCount } });
      this.ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: String(this.userId) });
    }
  }

  /**
   * Ledger, sessions, pending links, every message sent to or about the person, the reports they filed;
   * reports and moderation records about their (now removed) posts stop naming them. What moderators did
   * stays attributed to the moderator, and disclosures already made stay on record.
   */
  private async records(): Promise<void> {
    await this.beforeItem();
    const user = await User.findById(this.userId, { email: 1 }).lean<Pick<UserFields, 'email'>>();
    await Promise.all([
      Report.deleteMany({ reporterId: this.userId }),
      Report.updateMany({ authorId: this.userId }, { $set: { authorId: null } }),
      ModerationAction.updateMany({ subjectId: this.userId }, { $set: { subjectId: null } }),
      Consent.deleteMany({ userId: this.userId }),
      ParentalConsent.deleteMany({ userId: this.userId }),
      EmailChange.deleteMany({ userId: this.userId }),
      AccountLink.deleteMany({ userId: this.userId }),
      SecurityEvent.deleteMany({ userId: this.userId }),
      UnsubscribeToken.deleteMany({ userId: this.userId }),
      Outbox.deleteMany(user ? { $or: [{ userId: this.userId }, { to: user.email }] } : { userId: this.userId }),
      eraseNotificationsOf(this.userId),
      revokeAllTokens(this.userId, this.ctx.events),
    ]);
  }

  private async avatar(): Promise<void> {
    await this.beforeItem();
    if (this.job.avatarKey) await this.ctx.media.remove('avatars', this.job.avatarKey, AVATAR_VARIANT_NAMES);
  }

  /**
   * What requests authenticated before the erasure wrote while the steps above ran (a slow upload committing
   * late): each write checks the account afterwards (active-writer.ts), and this catches any that committed
   * before the account was marked but after its step had passed.
   */
  private async sweep(): Promise<void> {
    await this.beforeItem();
    const [post, like] = await Promise.all([Post.exists({ authorId: this.userId }), Like.exists({ userId: this.userId })]);
    if (post || like) await preserveBeforeChange(this.ctx, { userId: this.userId }, 'erasure');
    await this.posts();
    await this.likes();
    const groupIds = await this.membershipGroupIds();
    if (groupIds.length) await this.leaveGroups(groupIds);
    await Promise.all([
      Report.deleteMany({ reporterId: this.userId }),
      Consent.deleteMany({ userId: this.userId }),
      EmailChange.deleteMany({ userId: this.userId }),
      UnsubscribeToken.deleteMany({ userId: this.userId }),
      eraseNotificationsOf(this.userId),
    ]);
    const user = await User.findById(this.userId, { avatarKey: 1 }).lean<Pick<UserFields, 'avatarKey'>>();
    if (user?.avatarKey && user.avatarKey !== this.job.avatarKey) await this.ctx.media.remove('avatars', user.avatarKey, AVATAR_VARIANT_NAMES);
  }

  private async account(): Promise<void> {
    await this.beforeItem();
    await User.deleteOne({ _id: this.userId, status: 'erasing' });
  }

  /** The audit chain records that an erasure was carried out, naming the job, not the person. */
  private async audit(): Promise<void> {
    await this.beforeItem();
    await appendAudit(this.ctx, { actor: 'system', action: 'account.erase', target: `erasure:${String(this.job._id)}`, reason: ERASURE_REASONS[this.job.requestedBy ?? 'account_holder'] });
  }
}

function snapshot(post: RemovablePost): RemovablePost {
  return { _id: post._id, groupId: post.groupId, authorId: post.authorId, parentId: post.parentId, hiddenAt: post.hiddenAt, images: post.images ?? [], membersOnly: post.membersOnly === true };
}

/** The longest-serving group moderator becomes owner, else the longest-serving member; else the group keeps no owner. */
async function handOverOwnership(ctx: AppContext, groupId: Types.ObjectId, leavingId: Types.ObjectId): Promise<void> {
  for (const role of ['moderator', 'member'] satisfies GroupRole[]) {
    const successor = await Membership.findOne({ groupId, userId: { $ne: leavingId }, status: 'member', role }, { userId: 1 })
      .sort({ _id: 1 })
      .lean<{ _id: Types.ObjectId; userId: Types.ObjectId }>();
    if (!successor) continue;
    await Membership.updateOne({ _id: successor._id }, { $set: { role: 'owner' } });
    await Group.updateOne({ _id: groupId, ownerId: leavingId }, { $set: { ownerId: successor.userId } });
    ctx.events.publish({ type: 'membership.changed', groupId: String(groupId), userId: String(successor.userId) });
    return;
  }
}

const workers = new WeakMap<AppContext, ErasureWorker>();

/** The composition root starts one worker per forum; it resumes unfinished erasures right away. */
export function startErasureWorker(ctx: AppContext): ErasureWorker {
  const worker = new ErasureWorker(ctx, ctx.tuning.erasure);
  workers.set(ctx, worker);
  worker.start();
  return worker;
}

/**
 * Accepts an erasure whose password was checked. Before it returns, the account is invisible, cannot
 * sign in, its sockets are cut and its address will not be contacted again; the rest runs in the
 * background and `done` settles when this process has finished (or handed on) the job.
 */
export async function requestErasure(
  ctx: AppContext,
  user: UserFields,
  now = new Date(),
  requestedBy: ErasureRequester = 'account_holder',
): Promise<{ jobId: Types.ObjectId; done: Promise<void> }> {
  const hash = await addressHash(user.email);
  // The job is written first: an account marked `erasing` without a job could never be finished.
  const job = await ErasureJob.findOneAndUpdate(
    { userId: user._id },
    { $setOnInsert: { userId: user._id, avatarKey: user.avatarKey ?? null, startedAt: now, requestedBy } },
    { upsert: true, new: true },
  ).lean<ErasureJobFields>();
  await User.updateOne({ _id: user._id }, { $set: { status: 'erasing' } });
  await suppressAddressHash(hash, 'erasure', now);
  await revokeAllTokens(user._id, ctx.events);
  ctx.events.publish({ type: 'user.erased', userId: String(user._id) });
  const worker = workers.get(ctx);
  // createForum starts the worker; without one the job would wait for the next process to start.
  if (!worker) throw new Error('erasure: no worker is running for this forum');
  return { jobId: job!._id, done: worker.run(job!._id) };
}
