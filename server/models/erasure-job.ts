import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const ERASURE_STEPS = ['preserve', 'posts', 'likes', 'memberships', 'records', 'avatar', 'sweep', 'account', 'audit'] as const;
export type ErasureStep = (typeof ERASURE_STEPS)[number];
export const ERASURE_REQUESTERS = ['account_holder', 'parent_declined', 'registration_lapsed'] as const;
export type ErasureRequester = (typeof ERASURE_REQUESTERS)[number];

const inFlightPostSchema = new Schema(
  {
    _id: { type: Schema.Types.ObjectId, required: true },
    groupId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: Schema.Types.ObjectId, required: true },
    parentId: { type: Schema.Types.ObjectId, default: null },
    hiddenAt: { type: Date, default: null },
    images: { type: [{ _id: false, key: String, width: Number, height: Number }], default: [] },
  },
  { _id: false },
);

/**
 * One account's erasure, written before anything is removed so that a process dying half way leaves a
 * record from which any process finishes the work. It holds no personal data: ids, the avatar's random
 * file name and progress. Removed when the erasure is complete.
 */
const erasureJobSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, required: true },
  /** Kept so the files can be removed after the account document is gone. */
  avatarKey: { type: String, default: null },
  startedAt: { type: Date, required: true },
  /**
   * Who asked: the audit entry names it (a minor's parent declining erases the pending account, and so
   * does a minor's registration that lapsed without a parent's consent).
   */
  requestedBy: { type: String, enum: ERASURE_REQUESTERS, default: 'account_holder' },
  stepsDone: { type: [String], enum: ERASURE_STEPS, default: [] },
  /**
   * The post being removed right now, as it was before removal started: removal clears the fields that
   * find it (author, images), so an interrupted removal is finished from this copy.
   */
  inFlightPost: { type: inFlightPostSchema, default: null },
  /** The post whose like is being withdrawn right now; its count is recomputed if the withdrawal was cut short. */
  inFlightLikePostId: { type: Schema.Types.ObjectId, default: null },
  /** Groups whose member counts the memberships step corrects (recorded before memberships are deleted). */
  memberGroupIds: { type: [Schema.Types.ObjectId], default: null },
  /** A process working on the job holds it until this time and extends it as it goes. */
  leaseUntil: { type: Date, default: null },
  attempts: { type: Number, default: 0 },
});

erasureJobSchema.index({ userId: 1 }, { unique: true });
erasureJobSchema.index({ leaseUntil: 1 });

export type ErasureJobFields = InferSchemaType<typeof erasureJobSchema> & { _id: Types.ObjectId; stepsDone: ErasureStep[]; requestedBy: ErasureRequester };
export const ErasureJob = model<ErasureJobFields>('ErasureJob', erasureJobSchema);
