import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const MODERATION_ACTIONS = ['hide', 'restore', 'delete', 'suspend', 'unsuspend', 'dismiss'] as const;
export type ModerationActionKind = (typeof MODERATION_ACTIONS)[number];

/**
 * What a moderator did and why. The audit chain proves the order of events; these rows answer "what was done
 * to this user's content" for the moderators' view and for the user's own data export.
 */
const moderationActionSchema = new Schema(
  {
    action: { type: String, enum: MODERATION_ACTIONS, required: true },
    actorId: { type: Schema.Types.ObjectId, required: true },
    groupId: { type: Schema.Types.ObjectId, required: true },
    /** The post acted on (null for suspensions). */
    postId: { type: Schema.Types.ObjectId, default: null },
    /** Whose content or membership it concerned: the post's author or the suspended user. */
    subjectId: { type: Schema.Types.ObjectId, default: null },
    reason: { type: String, default: null },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

moderationActionSchema.index({ subjectId: 1, at: -1 });
moderationActionSchema.index({ postId: 1, at: -1 });

export type ModerationActionFields = InferSchemaType<typeof moderationActionSchema> & {
  _id: Types.ObjectId;
  action: ModerationActionKind;
};
export const ModerationAction = model<ModerationActionFields>('ModerationAction', moderationActionSchema);
