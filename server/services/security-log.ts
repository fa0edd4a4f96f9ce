// The account's security log (see server/models/security-event.ts); the export lists it, erasure removes it.
import type { Types } from 'mongoose';
import { SecurityEvent, type SecurityEventFields } from '../models/security-event';

export async function recordSecurityEvent(event: { userId: Types.ObjectId; kind: SecurityEventFields['kind']; at: Date }): Promise<void> {
  await SecurityEvent.create(event);
}
