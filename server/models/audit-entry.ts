import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { appendOnly } from './immutable';

/**
 * One link of the moderation audit chain (server/services/audit.ts). Entries carry user ids, never names or
 * e-mail addresses, so the chain can outlive an account's erasure unchanged.
 */
const auditEntrySchema = new Schema(
  {
    /** 1, 2, 3, ... without gaps; the unique index stops two writers from forking the chain. */
    seq: { type: Number, required: true },
    at: { type: Date, required: true },
    /** A user id, or `system`. */
    actor: { type: String, required: true },
    /** `<resource>.<verb>`, e.g. `post.hide`, `hold.create`, `moderator.read`. */
    action: { type: String, required: true },
    /** `<kind>:<id>`, e.g. `post:65f…`. */
    target: { type: String, required: true },
    reason: { type: String, default: null },
    prevHash: { type: String, required: true },
    hash: { type: String, required: true },
  },
  { versionKey: false },
);

auditEntrySchema.index({ seq: 1 }, { unique: true });
appendOnly(auditEntrySchema, 'An audit entry');

export type AuditEntryFields = InferSchemaType<typeof auditEntrySchema> & { _id: Types.ObjectId };
export const AuditEntry = model<AuditEntryFields>('AuditEntry', auditEntrySchema);
