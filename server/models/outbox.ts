import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * Every message the forum sends is recorded here first, then handed to the configured transport.
 * Tests read links from this collection; later filters (marketing suppression, restriction) decide
 * before a message is recorded as sent.
 */
const outboxSchema = new Schema({
  /** Transactional messages (consent links, security notices) are owed; marketing ones are opt-in. */
  kind: { type: String, enum: ['transactional', 'marketing'], required: true },
  to: { type: String, required: true },
  /** The account the message concerns, when there is one (a parent is not a user). */
  userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  subject: { type: String, required: true },
  text: { type: String, required: true },
  /** Name of the transport that took it (`log`, `none`, ...). */
  transport: { type: String, required: true },
  createdAt: { type: Date, required: true },
  /** Null until a transport delivered it; `none` records without delivering. */
  sentAt: { type: Date, default: null },
});

outboxSchema.index({ to: 1, createdAt: -1 });
outboxSchema.index({ userId: 1 }, { partialFilterExpression: { userId: { $type: 'objectId' } } });

export type OutboxFields = InferSchemaType<typeof outboxSchema> & { _id: Types.ObjectId };
export const Outbox = model<OutboxFields>('Outbox', outboxSchema);
