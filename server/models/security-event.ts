import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * The account's security log: events the owner should be able to see later (in their export), such as a
 * password set through a reset link. Never a password, a token or a link.
 */
const securityEventSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  kind: { type: String, enum: ['password_reset', 'registration_password_dropped'], required: true },
  at: { type: Date, required: true },
});

securityEventSchema.index({ userId: 1, _id: 1 });

export type SecurityEventFields = InferSchemaType<typeof securityEventSchema> & { _id: Types.ObjectId };
export const SecurityEvent = model<SecurityEventFields>('SecurityEvent', securityEventSchema);
