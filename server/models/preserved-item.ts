import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { appendOnly } from './immutable';

export const PRESERVATION_CAUSES = ['hold', 'edit', 'delete', 'hide', 'erasure'] as const;
export type PreservationCause = (typeof PRESERVATION_CAUSES)[number];

const preservedImageSchema = new Schema(
  {
    /** MediaStore key of kind `preserved`; shared by the versions that saw the same image. */
    key: { type: String, required: true },
    variant: { type: String, required: true },
    /** SHA-256 (hex) of the file's bytes. */
    sha256: { type: String, required: true },
    width: { type: Number, required: true },
    height: { type: Number, required: true },
    /** Key of the live post image it was copied from, so later versions reuse the copy. */
    sourceKey: { type: String, required: true },
  },
  { _id: false },
);

/**
 * One preserved version of one post: written once, never changed (the app refuses updates). A hold covers
 * an item when the item's identifiers match the hold's scope, so overlapping holds share copies and a
 * release removes only what no other active hold covers.
 */
const preservedItemSchema = new Schema(
  {
    postId: { type: Schema.Types.ObjectId, required: true },
    /** The top-level post of the thread (the post itself when it is top-level): `post` holds cover replies. */
    threadId: { type: Schema.Types.ObjectId, required: true },
    groupId: { type: Schema.Types.ObjectId, required: true },
    authorId: { type: Schema.Types.ObjectId, default: null },
    cause: { type: String, enum: PRESERVATION_CAUSES, required: true },
    preservedAt: { type: Date, required: true },
    /**
     * The snapshot as canonical JSON text: body, revisions, likes, image references, timestamps, ids.
     * Stored as text so the bytes hashed here are the bytes a disclosure serves.
     */
    document: { type: String, required: true },
    /** SHA-256 (hex) of `document`'s UTF-8 bytes. */
    sha256: { type: String, required: true },
    images: { type: [preservedImageSchema], default: [] },
  },
  { versionKey: false },
);

preservedItemSchema.index({ postId: 1, _id: 1 });
preservedItemSchema.index({ threadId: 1 });
preservedItemSchema.index({ authorId: 1 });
preservedItemSchema.index({ groupId: 1 });
preservedItemSchema.index({ 'images.key': 1 });
preservedItemSchema.index({ 'images.sourceKey': 1 });
appendOnly(preservedItemSchema, 'A preserved item');

export type PreservedImageFields = InferSchemaType<typeof preservedImageSchema>;
export type PreservedItemFields = Omit<InferSchemaType<typeof preservedItemSchema>, 'images'> & {
  _id: Types.ObjectId;
  cause: PreservationCause;
  images: PreservedImageFields[];
};
export const PreservedItem = model<PreservedItemFields>('PreservedItem', preservedItemSchema);
