import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * Addresses the forum must never contact again, kept only as a keyed hash (see
 * server/services/suppression.ts): enough to recognise the address, not enough to read it back. An
 * erased account leaves exactly this behind, which also proves that the erasure happened and when.
 */
const suppressionSchema = new Schema({
  /** HMAC-SHA256 of the lower-cased, trimmed address under the forum's suppression key, hex. */
  addressHash: { type: String, required: true },
  reason: { type: String, enum: ['erasure'], required: true },
  at: { type: Date, required: true },
});

suppressionSchema.index({ addressHash: 1 }, { unique: true });

export type SuppressionFields = InferSchemaType<typeof suppressionSchema> & { _id: Types.ObjectId };
export const Suppression = model<SuppressionFields>('Suppression', suppressionSchema);
