// A suspended account keeps its privacy rights: its owner proves the password (throttled like sign-in)
// and gets a pass that works for export and erasure only, for an hour. Suspension still means no
// reading, no posting and no sockets: those doors check bearer tokens, which a pass is not.
import { randomBytes } from 'node:crypto';
import type { Types } from 'mongoose';
import type { PrivacyAccessGranted } from '../../shared/privacy';
import { PrivacyAccess } from '../models/privacy-access';
import { viewerFromUser, type Viewer } from '../policy/viewer';
import { hashToken, loadIdentity } from './tokens';

export const PRIVACY_ACCESS_LIFETIME_MS = 60 * 60 * 1000;

export async function grantPrivacyAccess(userId: Types.ObjectId, now = new Date()): Promise<PrivacyAccessGranted> {
  const token = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + PRIVACY_ACCESS_LIFETIME_MS);
  await PrivacyAccess.create({ tokenHash: hashToken(token), userId, createdAt: now, expiresAt });
  return { token, expiresAt: expiresAt.toISOString() };
}

/** The account behind a pass that has not lapsed, while the account is active (suspended or not); else null. */
export async function authenticatePrivacyAccess(token: string, now = new Date()): Promise<Viewer | null> {
  if (token.length < 20 || token.length > 200) return null;
  const pass = await PrivacyAccess.findOne({ tokenHash: hashToken(token), expiresAt: { $gt: now } }, { userId: 1 }).lean();
  if (!pass) return null;
  const identity = await loadIdentity(pass.userId);
  if (!identity || identity.status !== 'active') return null;
  return viewerFromUser(identity);
}
