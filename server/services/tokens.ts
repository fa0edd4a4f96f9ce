// Opaque bearer tokens: 256 random bits, stored only as SHA-256, sliding 30-day expiry.
import { hash, randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import { PrivacyAccess } from '../models/privacy-access';
import { Token } from '../models/token';
import { readCache, type CachedIdentity, type CachedSession } from '../services/read-cache';
import { User } from '../models/user';
import { viewerFromUser, type Viewer } from '../policy/viewer';
import type { DomainEvents } from './events';

export const TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** Writing last-use on every request would cost a durable write per read; a minute's precision is plenty. */
const TOUCH_INTERVAL_MS = 60 * 1000;

export function hashToken(token: string): string {
  // The one-shot form: createHash() builds a Hash object per call, a few times the digest's own cost, and this
  // runs on every authenticated request.
  return hash('sha256', token, 'hex');
}

export async function issueToken(userId: Types.ObjectId, now = new Date()): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await Token.create({
    tokenHash: hashToken(token),
    userId,
    createdAt: now,
    lastUsedAt: now,
    expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS),
  });
  return token;
}

export interface Authenticated {
  viewer: Viewer;
  tokenHash: string;
}

/**
 * Resolves a presented token to its active user, extending its expiry; null when unknown, expired or revoked.
 * Both lookups go through the read cache, which the revocation and account events drop.
 */
export async function authenticateToken(token: string, now = new Date()): Promise<Authenticated | null> {
  if (token.length < 20 || token.length > 200) return null;
  const tokenHash = hashToken(token);
  const session = await readCache.sessions.get(tokenHash, async () => {
    const record = await Token.findOne({ tokenHash }, { userId: 1, expiresAt: 1, lastUsedAt: 1 }).lean<CachedSession>();
    return record ?? undefined;
  });
  if (!session || session.expiresAt.getTime() <= now.getTime()) return null;
  const identity = await loadIdentity(session.userId);
  // A suspended account's tokens are refused even before their revocation reaches this process.
  if (!identity || identity.status !== 'active' || identity.suspendedAt) return null;
  if (now.getTime() - session.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
    const expiresAt = new Date(now.getTime() + TOKEN_LIFETIME_MS);
    const touched = await Token.updateOne({ tokenHash }, { $set: { lastUsedAt: now, expiresAt } });
    if (touched.matchedCount === 1) readCache.sessions.update(tokenHash, { userId: session.userId, lastUsedAt: now, expiresAt });
  }
  return { viewer: viewerFromUser(identity), tokenHash };
}

/** Roles and status of a user, as authentication needs them (and the language its error messages are written in). */
export function loadIdentity(userId: Types.ObjectId): Promise<CachedIdentity | null> {
  return readCache.identities.get(String(userId), () => User.findById(userId, { roles: 1, status: 1, suspendedAt: 1, language: 1 }).lean<CachedIdentity>());
}

export async function revokeToken(tokenHash: string, events: DomainEvents): Promise<void> {
  const record = await Token.findOneAndDelete({ tokenHash }).lean();
  if (record) events.publish({ type: 'session.revoked', userId: String(record.userId), tokenHash });
}

/** Every token of the user and every privacy pass (a password change or an erasure ends those too). */
export async function revokeAllTokens(userId: Types.ObjectId, events: DomainEvents): Promise<void> {
  await Promise.all([Token.deleteMany({ userId }), PrivacyAccess.deleteMany({ userId })]);
  events.publish({ type: 'session.revoked', userId: String(userId), tokenHash: null });
}

/** When a token stops working (it slides forward while used); null once it is revoked or expired. */
export async function tokenExpiry(tokenHash: string, now = new Date()): Promise<Date | null> {
  const record = await Token.findOne({ tokenHash }, { expiresAt: 1 }).lean();
  if (!record || record.expiresAt.getTime() <= now.getTime()) return null;
  return record.expiresAt;
}
