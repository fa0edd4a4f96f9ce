// Builders for test data with sensible defaults and overrides, written straight through the models.
import { randomBytes } from 'node:crypto';
import { User, type UserFields } from '../../server/models/user';
import { viewerFromUser, type Viewer } from '../../server/policy/viewer';
import { hashPassword } from '../../server/services/passwords';
import { issueToken } from '../../server/services/tokens';

export const DEFAULT_PASSWORD = 'correct horse battery staple';
let defaultPasswordHash: Promise<string> | null = null;

export interface BuiltUser {
  user: UserFields;
  token: string;
  viewer: Viewer;
  password: string;
  /** `Authorization` header value for supertest's `.set()`. */
  auth: { Authorization: string };
}

export function uniqueEmail(prefix = 'user'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}@example.org`;
}

/** A YYYY-MM-DD birth date `years` years ago today (UTC), shifted by `days`. */
export function bornYearsAgo(years: number, days = 0): string {
  const now = new Date();
  const date = new Date(Date.UTC(now.getUTCFullYear() - years, now.getUTCMonth(), now.getUTCDate() + days));
  return date.toISOString().slice(0, 10);
}

export async function buildUser(overrides: Partial<UserFields> = {}): Promise<BuiltUser> {
  // Hashing is deliberately slow; one shared hash of the default password keeps suites fast.
  defaultPasswordHash ??= hashPassword(DEFAULT_PASSWORD);
  const name = overrides.name ?? `Test User ${randomBytes(3).toString('hex')}`;
  const created = await User.create({
    email: uniqueEmail(),
    passwordHash: await defaultPasswordHash,
    name,
    displayName: name,
    dateOfBirth: '1990-04-01',
    // As if the owner had followed the verification link (the mail tests go through it for real).
    emailVerified: true,
    ...overrides,
  });
  const user = created.toObject() as UserFields;
  const token = await issueToken(user._id);
  return { user, token, viewer: viewerFromUser(user), password: DEFAULT_PASSWORD, auth: { Authorization: `Bearer ${token}` } };
}
