import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * Addresses whose owner declined a child's registration and so asked not to receive parental-consent
 * requests again, kept only as a keyed hash (server/services/suppression.ts keys it). Unlike the
 * suppression list it stops only those requests: the owner's own mail (their account, their password
 * resets) still goes out.
 */
const parentalConsentRefusalSchema = new Schema({
  /** HMAC-SHA256 of the lower-cased, trimmed address under the forum's address key, hex. */
  addressHash: { type: String, required: true },
  /** `parent_declined`: through a child's link; `account_holder`: from the owner's own account. */
  reason: { type: String, enum: ['parent_declined', 'account_holder'], required: true },
  /** The first refusal; later ones leave it as it was. */
  at: { type: Date, required: true },
});

parentalConsentRefusalSchema.index({ addressHash: 1 }, { unique: true });

export type ParentalConsentRefusalFields = InferSchemaType<typeof parentalConsentRefusalSchema> & { _id: Types.ObjectId };
export const ParentalConsentRefusal = model<ParentalConsentRefusalFields>('ParentalConsentRefusal', parentalConsentRefusalSchema);
