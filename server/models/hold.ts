import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const HOLD_SCOPES = ['post', 'user', 'group'] as const;
export type HoldScopeType = (typeof HOLD_SCOPES)[number];

/**
 * A legal hold: while active, everything in its scope is preserved (server/services/holds.ts).
 * `post` covers the post and its replies, `user` the posts the user wrote, `group` every post of the group.
 */
const holdSchema = new Schema(
  {
    scope: {
      type: { type: String, enum: HOLD_SCOPES, required: true },
      id: { type: Schema.Types.ObjectId, required: true },
    },
    reason: { type: String, required: true },
    /** The authority's or counsel's reference (case number, request id). */
    reference: { type: String, required: true },
    createdBy: { type: Schema.Types.ObjectId, required: true },
    status: { type: String, enum: ['active', 'released'], default: 'active' },
    releasedAt: { type: Date, default: null },
    releasedBy: { type: Schema.Types.ObjectId, default: null },
    releaseReason: { type: String, default: null },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

// "Which active holds cover these posts?" runs before every edit and delete.
holdSchema.index({ status: 1, 'scope.type': 1, 'scope.id': 1 });
holdSchema.index({ status: 1, _id: -1 });

export type HoldFields = InferSchemaType<typeof holdSchema> & {
  _id: Types.ObjectId;
  scope: { type: HoldScopeType; id: Types.ObjectId };
  status: 'active' | 'released';
  createdAt: Date;
};
export const Hold = model<HoldFields>('Hold', holdSchema);
