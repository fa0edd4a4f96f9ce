import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/** A requested e-mail change waiting for the link sent to the new address; one per account at a time. */
const emailChangeSchema = new Schema({
  tokenHash: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  /** Lower-cased. */
  newEmail: { type: String, required: true },
  createdAt: { type: Date, required: true },
  /** The TTL index removes unused requests once they lapse. */
  expiresAt: { type: Date, required: true },
});

emailChangeSchema.index({ tokenHash: 1 }, { unique: true });
emailChangeSchema.index({ userId: 1 }, { unique: true });
emailChangeSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type EmailChangeFields = InferSchemaType<typeof emailChangeSchema> & { _id: Types.ObjectId };
export const EmailChange = model<EmailChangeFields>('EmailChange', emailChangeSchema);
