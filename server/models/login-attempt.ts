import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * Failed sign-in counters, kept in the database so every process behind a load balancer sees the
 * same count. One document per key (`account:<sha256 of e-mail>` or `address:<ip>`) and window.
 */
const loginAttemptSchema = new Schema({
  key: { type: String, required: true },
  count: { type: Number, required: true },
  /** End of the counting window; the TTL index drops the counter afterwards. */
  expiresAt: { type: Date, required: true },
});

loginAttemptSchema.index({ key: 1 }, { unique: true });
loginAttemptSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type LoginAttemptFields = InferSchemaType<typeof loginAttemptSchema> & { _id: Types.ObjectId };
export const LoginAttempt = model<LoginAttemptFields>('LoginAttempt', loginAttemptSchema);
