import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * A suspended account's short-lived pass to its privacy rights (export and erasure). It lives apart from
 * the bearer tokens on purpose: the token check every other route and the socket handshake use never
 * looks here, so a pass cannot open anything else. Only the SHA-256 of the pass is kept.
 */
const privacyAccessSchema = new Schema({
  tokenHash: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  createdAt: { type: Date, required: true },
  /** Fixed, not sliding; the TTL index removes the pass once it lapses. */
  expiresAt: { type: Date, required: true },
});

privacyAccessSchema.index({ tokenHash: 1 }, { unique: true });
privacyAccessSchema.index({ userId: 1 });
privacyAccessSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type PrivacyAccessFields = InferSchemaType<typeof privacyAccessSchema> & { _id: Types.ObjectId };
export const PrivacyAccess = model<PrivacyAccessFields>('PrivacyAccess', privacyAccessSchema);
