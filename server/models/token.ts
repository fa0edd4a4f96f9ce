import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

const tokenSchema = new Schema({
  /** SHA-256 of the bearer token; the token itself is never stored. */
  tokenHash: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  createdAt: { type: Date, required: true },
  lastUsedAt: { type: Date, required: true },
  /** Sliding expiry; the TTL index removes tokens once it passes. */
  expiresAt: { type: Date, required: true },
});

tokenSchema.index({ tokenHash: 1 }, { unique: true });
tokenSchema.index({ userId: 1 });
tokenSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type TokenFields = InferSchemaType<typeof tokenSchema> & { _id: Types.ObjectId };
export const Token = model<TokenFields>('Token', tokenSchema);
