import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * The mail queue. Services record what should be sent (in the same step as the change that causes it);
 * a sender worker in every process leases records and hands them to the transport. A record is never
 * deleted by sending, so an operator can see what flowed and the owner's export lists it.
 */
export const OUTBOX_STATES = ['queued', 'sending', 'sent', 'failed', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

const outboxSchema = new Schema({
  /**
   * Transactional messages (consent links, security notices) are owed; marketing ones are opt-in; notification
   * ones are opt-in per type (server/notifications/email.ts checks them again when sent).
   */
  kind: { type: String, enum: ['transactional', 'marketing', 'notification'], required: true },
  /** Which template made it (server/mail/templates.ts); the only thing the operator's view shows of a message. */
  type: { type: String, required: true, default: 'unknown' },
  to: { type: String, required: true },
  /** The account the message concerns, when there is one (a parent is not a user). */
  userId: { type: Schema.Types.ObjectId, ref: 'User', default: null },
  subject: { type: String, required: true },
  text: { type: String, required: true },
  html: { type: String, default: '' },
  /** Chosen when queued, so a message sent twice (a crash after the server accepted it) carries one id. */
  messageId: { type: String, required: true },
  /** RFC 8058 one-click URL for messages the recipient can opt out of. */
  listUnsubscribe: { type: String, default: null },
  /** A notification message's notifications: each must still be wanted and visible when it is sent. */
  notificationIds: { type: [Schema.Types.ObjectId], default: undefined },
  /** A new registration's verification link, the one message a suppressed address may get (see services/outbox.ts). */
  despiteSuppression: { type: Boolean, default: false },
  /** Name of the transport configured when it was queued (`smtp`, `log`, `none`). */
  transport: { type: String, required: true },
  state: { type: String, enum: OUTBOX_STATES, required: true, default: 'queued' },
  /** Delivery attempts started (a lease taken counts, whether or not it finished). */
  attempts: { type: Number, required: true, default: 0 },
  /** Earliest time a queued message may be tried (backoff after a temporary failure). */
  nextAttemptAt: { type: Date, required: true },
  /** While `sending`: which worker holds it and until when; an expired lease is taken over. */
  leaseOwner: { type: String, default: null },
  leaseUntil: { type: Date, default: null },
  /** The last failure: the SMTP server's answer or the connection error, addresses removed. */
  lastError: { type: String, default: null },
  lastErrorAt: { type: Date, default: null },
  createdAt: { type: Date, required: true },
  /** Set when a transport accepted it; `none` records without delivering. */
  sentAt: { type: Date, default: null },
});

outboxSchema.index({ to: 1, createdAt: -1 });
outboxSchema.index({ userId: 1 }, { partialFilterExpression: { userId: { $type: 'objectId' } } });
outboxSchema.index({ state: 1, nextAttemptAt: 1 });
outboxSchema.index({ state: 1, leaseUntil: 1 });
outboxSchema.index({ state: 1, lastErrorAt: -1 });

export type OutboxFields = InferSchemaType<typeof outboxSchema> & { _id: Types.ObjectId };
export const Outbox = model<OutboxFields>('Outbox', outboxSchema);
