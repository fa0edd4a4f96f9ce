import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { CONTACT_CHANNELS } from '../../shared/api';

/**
 * The one-click unsubscribe link of a marketing message: bound to one account and one channel, good
 * for nothing else. Only the SHA-256 of the token is kept. Using it again is harmless (idempotent), so
 * a mail scanner following the link first does not spoil it for the person.
 */
const unsubscribeTokenSchema = new Schema({
  tokenHash: { type: String, required: true },
  userId: { type: Schema.Types.ObjectId, required: true },
  /** A contact channel, or `notification_email:<type>` (`:daily` for a digest's) for notification e-mails. */
  channel: {
    type: String,
    required: true,
    validate: (value: string) => (CONTACT_CHANNELS as readonly string[]).includes(value) || /^notification_email:[a-z_]+$/.test(value),
  },
  createdAt: { type: Date, required: true },
  usedAt: { type: Date, default: null },
});

unsubscribeTokenSchema.index({ tokenHash: 1 }, { unique: true });
unsubscribeTokenSchema.index({ userId: 1 });

export type UnsubscribeTokenFields = InferSchemaType<typeof unsubscribeTokenSchema> & { _id: Types.ObjectId };
export const UnsubscribeToken = model<UnsubscribeTokenFields>('UnsubscribeToken', unsubscribeTokenSchema);
