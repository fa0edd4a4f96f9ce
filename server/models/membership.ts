import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const MEMBERSHIP_STATUSES = ['invited', 'pending', 'member', 'removed', 'suspended'] as const;
export type MembershipState = (typeof MEMBERSHIP_STATUSES)[number];
export const GROUP_ROLES = ['owner', 'moderator', 'member'] as const;
export type GroupRole = (typeof GROUP_ROLES)[number];

const membershipSchema = new Schema(
  {
    groupId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    /**
     * `member` is the only status that grants access. `removed` (set when an owner or group moderator removes
     * someone) keeps the person from simply re-joining an open group; an invitation lifts it. `suspended`
     * (moderation, server/services/moderation.ts) blocks joining and invitations until the suspension is lifted.
     */
    status: { type: String, enum: MEMBERSHIP_STATUSES, required: true },
    /** Meaningful while status is `member`. */
    role: { type: String, enum: GROUP_ROLES, default: 'member' },
    invitedBy: { type: Schema.Types.ObjectId, default: null },
  },
  { timestamps: true },
);

membershipSchema.index({ groupId: 1, userId: 1 }, { unique: true });
// memberGroupIds(viewer): the groups a user may read, on every feed request.
membershipSchema.index({ userId: 1, status: 1 });
// Member management lists, newest first.
membershipSchema.index({ groupId: 1, status: 1, _id: -1 });

export type MembershipFields = InferSchemaType<typeof membershipSchema> & {
  _id: Types.ObjectId;
  status: MembershipState;
  role: GroupRole;
  createdAt: Date;
  updatedAt: Date;
};
export const Membership = model<MembershipFields>('Membership', membershipSchema);
