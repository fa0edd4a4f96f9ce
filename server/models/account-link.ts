import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * One-time links e-mailed to an account's own address: verification (24 h) and password reset (1 h).
 * Only the SHA-256 of the token is kept; a link is deleted when used. A reset asked for an unknown address
 * is recorded too (without an account), so asking costs the same either way; it can never be used.
 */
const accountLinkSchema = new Schema({
  tokenHash: { type: String, required: true },
  purpose: { type: String, enum: ['verify_email', 'password_reset'], required: true },
  userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  /** The address the link went to: it proves that address only, so it stops working if the account's changes. */
  email: { type: String, required: true },
  createdAt: { type: Date, required: true },
  /** The TTL index removes unused links once they lapse. */
  expiresAt: { type: Date, required: true },
});

accountLinkSchema.index({ tokenHash: 1 }, { unique: true });
accountLinkSchema.index({ userId: 1, purpose: 1 });
accountLinkSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type AccountLinkFields = InferSchemaType<typeof accountLinkSchema> & { _id: Types.ObjectId };
export const AccountLink = model<AccountLinkFields>('AccountLink', accountLinkSchema);
