import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/** A one-time link sent to a minor's parent; only the SHA-256 of its token is kept. */
const parentalConsentSchema = new Schema({
  tokenHash: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  createdAt: { type: Date, required: true },
  /**
   * When the parent agreed or declined. A used link is kept (a hash and an id) until it lapses, so the
   * page can tell a parent who opens it again that they agreed already; a declined one goes with the
   * erased account.
   */
  usedAt: { type: Date, default: null },
  /** The TTL index removes links, used or not, once they lapse. */
  expiresAt: { type: Date, required: true },
});

parentalConsentSchema.index({ tokenHash: 1 }, { unique: true });
parentalConsentSchema.index({ userId: 1 });
parentalConsentSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type ParentalConsentFields = InferSchemaType<typeof parentalConsentSchema> & { _id: Types.ObjectId };
export const ParentalConsent = model<ParentalConsentFields>('ParentalConsent', parentalConsentSchema);
