// Appends to the consent ledger; the ledger has no other writer.
import type { Types } from 'mongoose';
import { Consent, type ConsentFields, type ConsentKind } from '../models/consent';

export interface ConsentEntry {
  userId: Types.ObjectId;
  kind: ConsentKind;
  channel?: string | null;
  value: unknown;
  source: string;
  at?: Date;
}

export async function recordConsent(entry: ConsentEntry): Promise<ConsentFields> {
  const created = await Consent.create({
    userId: entry.userId,
    kind: entry.kind,
    channel: entry.channel ?? null,
    value: entry.value,
    source: entry.source,
    at: entry.at ?? new Date(),
  });
  return created.toObject() as ConsentFields;
}

/** The caller's own history, oldest first (exports and the settings page read it). */
export async function consentHistory(userId: Types.ObjectId): Promise<ConsentFields[]> {
  return Consent.find({ userId }).sort({ at: 1, _id: 1 }).lean<ConsentFields[]>();
}
