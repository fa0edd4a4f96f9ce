import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const CONSENT_KINDS = ['terms', 'parental_consent', 'preference', 'restriction', 'unsubscribe', 'parental_consent_refusal'] as const;
export type ConsentKind = (typeof CONSENT_KINDS)[number];

/**
 * The consent ledger: an append-only record of what each person agreed to, changed or withdrew, and
 * when. Entries are never edited; a change of mind is a new entry.
 */
const consentSchema = new Schema({
  userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  kind: { type: String, enum: CONSENT_KINDS, required: true },
  /** For contact preferences: `email`, `sms`, ...; absent for account-wide consents. */
  channel: { type: String, default: null },
  /** What was agreed: usually a boolean, or the version of a document accepted. */
  value: { type: Schema.Types.Mixed, required: true },
  /** Where the decision was taken (`registration`, `parent_link`, `settings`, `unsubscribe_link`, ...). */
  source: { type: String, required: true },
  at: { type: Date, required: true },
});

consentSchema.index({ userId: 1, at: 1 });

consentSchema.pre(['updateOne', 'updateMany', 'findOneAndUpdate', 'replaceOne', 'findOneAndReplace'], function refuseUpdate() {
  throw new Error('The consent ledger is append-only: record a new entry instead of changing one.');
});
consentSchema.pre('save', function refuseResave() {
  if (!this.isNew) throw new Error('The consent ledger is append-only: record a new entry instead of changing one.');
});

export type ConsentFields = InferSchemaType<typeof consentSchema> & { _id: Types.ObjectId };
export const Consent = model<ConsentFields>('Consent', consentSchema);
