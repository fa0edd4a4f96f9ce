import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

const likeSchema = new Schema(
  {
    postId: { type: Schema.Types.ObjectId, required: true },
    userId: { type: Schema.Types.ObjectId, required: true },
    /** Copied from the post (posts never move) so a liker's list can be scoped to readable groups in the query. */
    groupId: { type: Schema.Types.ObjectId, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

// One like per user per post: the index is the rule, so concurrent likes cannot double-count.
likeSchema.index({ postId: 1, userId: 1 }, { unique: true });
// A user's liked-posts list, newest like first.
likeSchema.index({ userId: 1, _id: -1 });

export type LikeFields = InferSchemaType<typeof likeSchema> & { _id: Types.ObjectId; createdAt: Date };
export const Like = model<LikeFields>('Like', likeSchema);
