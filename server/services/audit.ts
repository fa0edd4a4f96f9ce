// The tamper-evident audit log: append-only entries, each carrying the hash of the one before it.
import { createHash } from 'node:crypto';
import type { AuditEntry as AuditEntryShape, AuditVerification } from '../../shared/moderation';
import type { AppContext } from '../context';
import { authorizeSiteModeration } from '../policy/moderation';
import type { Viewer } from '../policy/viewer';
import { AuditEntry, type AuditEntryFields } from '../models/audit-entry';
import { toPage } from './pagination';

/** prevHash of the first entry. */
export const GENESIS_HASH = '0'.repeat(64);
/** Appends racing another process retry this often before giving up loudly. */
const MAX_APPEND_ATTEMPTS = 20;
const VERIFY_BATCH = 500;

export interface AuditInput {
  /** A user id (string or ObjectId), or `system`. Never a name or an e-mail address. */
  actor: string | { toString(): string };
  /** `<resource>.<verb>`, e.g. `post.hide`. */
  action: string;
  /** `<kind>:<id>`, e.g. `post:65f0…`. */
  target: string;
  reason?: string | null;
}

type HashedFields = Pick<AuditEntryFields, 'seq' | 'at' | 'actor' | 'action' | 'target' | 'reason' | 'prevHash'>;

/** SHA-256 over a fixed-order JSON array, so the serialization cannot vary with key order. */
export function auditHash(entry: HashedFields): string {
  const canonical = JSON.stringify([entry.seq, entry.at.toISOString(), entry.actor, entry.action, entry.target, entry.reason ?? null, entry.prevHash]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number })?.code === 11000;
}

async function appendOnce(input: AuditInput): Promise<AuditEntryFields> {
  for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
    const last = await AuditEntry.findOne({}, { seq: 1, hash: 1 }).sort({ seq: -1 }).lean<{ seq: number; hash: string }>();
    const fields: HashedFields = {
      seq: (last?.seq ?? 0) + 1,
      at: new Date(),
      actor: String(input.actor),
      action: input.action,
      target: input.target,
      reason: input.reason ?? null,
      prevHash: last?.hash ?? GENESIS_HASH,
    };
    try {
      const created = await AuditEntry.create({ ...fields, hash: auditHash(fields) });
      return created.toObject() as AuditEntryFields;
    } catch (error) {
      // Another process took this seq: read its hash and link to it instead.
      if (!isDuplicateKey(error)) throw error;
    }
  }
  throw new Error('audit append kept losing the race for the next sequence number');
}

// Appends within this process go one at a time so they never race each other for a seq.
let tail: Promise<unknown> = Promise.resolve();

/** Appends one entry to the chain and returns it. Exported for every service that must leave a trace. */
export async function appendAudit(_ctx: AppContext, input: AuditInput): Promise<AuditEntryShape> {
  const run = tail.then(() => appendOnce(input));
  tail = run.catch(() => undefined);
  return presentAuditEntry(await run);
}

export function presentAuditEntry(entry: AuditEntryFields): AuditEntryShape {
  return {
    seq: entry.seq,
    at: entry.at.toISOString(),
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    reason: entry.reason ?? null,
    hash: entry.hash,
    prevHash: entry.prevHash,
  };
}

export interface AuditPageRequest {
  limit: number;
  /** Entries with a seq below this one. */
  beforeSeq: number | null;
}

/** Newest first; the cursor is a seq. Site moderators only. */
export async function listAudit(viewer: Viewer, page: AuditPageRequest): Promise<{ items: AuditEntryShape[]; nextCursor: string | null }> {
  authorizeSiteModeration(viewer, 'audit');
  const rows = await AuditEntry.find(page.beforeSeq === null ? {} : { seq: { $lt: page.beforeSeq } })
    .sort({ seq: -1 })
    .limit(page.limit + 1)
    .lean<AuditEntryFields[]>();
  return toPage(rows, page, (kept) => kept.map(presentAuditEntry), (last) => String(last.seq));
}

/** Stored values are checked for type too: a tampered row may hold anything. */
function linkHolds(entry: AuditEntryFields, expectedSeq: number, prevHash: string): boolean {
  return entry.seq === expectedSeq && entry.prevHash === prevHash && entry.at instanceof Date && auditHash(entry) === entry.hash;
}

/**
 * Walks the chain from the first entry: each seq must follow the last without a gap, link to the previous
 * hash and hash to what it says. Reports the first entry where that fails.
 */
export async function verifyAudit(viewer: Viewer): Promise<AuditVerification> {
  authorizeSiteModeration(viewer, 'audit');
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let entries = 0;
  let lastSeq = 0;
  for (;;) {
    // Walked in seq order: a deleted entry shows as a gap, an altered seq as a gap or a wrong link.
    const batch = await AuditEntry.find({ seq: { $gt: lastSeq } })
      .sort({ seq: 1 })
      .limit(VERIFY_BATCH)
      .lean<AuditEntryFields[]>();
    for (const entry of batch) {
      entries++;
      if (!linkHolds(entry, expectedSeq, prevHash)) {
        return { ok: false, entries: await AuditEntry.countDocuments(), brokenAt: entry.seq };
      }
      expectedSeq++;
      prevHash = entry.hash;
    }
    if (batch.length < VERIFY_BATCH) return { ok: true, entries, brokenAt: null };
    lastSeq = batch[batch.length - 1]!.seq;
  }
}
