import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/** The body a post had before an edit: who replaced it and when. Kept apart so post reads stay small. */
const postRevisionSchema = new Schema(
  {
    postId: { type: Schema.Types.ObjectId, required: true },
    editorId: { type: Schema.Types.ObjectId, required: true },
    body: { type: String, required: true },
    bodyText: { type: String, required: true },
    /** When the body was replaced (the edit's time). */
    replacedAt: { type: Date, required: true },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

postRevisionSchema.index({ postId: 1, _id: 1 });

export type PostRevisionFields = InferSchemaType<typeof postRevisionSchema> & { _id: Types.ObjectId; createdAt: Date };
export const PostRevision = model<PostRevisionFields>('PostRevision', postRevisionSchema);
