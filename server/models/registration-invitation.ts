import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * An invitation link to register (`PUBLIC_URL/signup?invitation=…`), made by an admin. Only the SHA-256
 * of its token is kept. It admits at most `maxUses` registrations until `expiresAt`, unless revoked.
 */
const registrationInvitationSchema = new Schema({
  tokenHash: { type: String, required: true },
  /** The admin's own note of what it is for ("spring meeting"); plain text. */
  label: { type: String, default: '' },
  maxUses: { type: Number, required: true },
  uses: { type: Number, default: 0 },
  createdBy: { type: Schema.Types.ObjectId, required: true },
  createdAt: { type: Date, required: true },
  expiresAt: { type: Date, required: true },
  revokedAt: { type: Date, default: null },
});

registrationInvitationSchema.index({ tokenHash: 1 }, { unique: true });

export type RegistrationInvitationFields = InferSchemaType<typeof registrationInvitationSchema> & { _id: Types.ObjectId };
export const RegistrationInvitation = model<RegistrationInvitationFields>('RegistrationInvitation', registrationInvitationSchema);
