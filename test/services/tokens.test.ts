import { expect } from 'chai';
import { Token } from '../../server/models/token';
import { DomainEvents, type DomainEvent } from '../../server/services/events';
import {
  authenticateToken,
  hashToken,
  issueToken,
  revokeAllTokens,
  revokeToken,
  TOKEN_LIFETIME_MS,
  tokenExpiry,
} from '../../server/services/tokens';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';

describe('bearer tokens', () => {
  before(resetDatabase);

  it('are at least 256 random bits and stored only as their SHA-256', async () => {
    const { user } = await buildUser();
    const token = await issueToken(user._id);
    expect(Buffer.from(token, 'base64url').length).to.be.at.least(32);
    const stored = await Token.find({ userId: user._id }).lean();
    expect(stored.map((t) => t.tokenHash)).to.include(hashToken(token));
    expect(JSON.stringify(stored)).not.to.include(token);
  });

  it('slide their expiry forward when used', async () => {
    const { user } = await buildUser();
    const issuedAt = new Date('2030-01-01T00:00:00Z');
    const token = await issueToken(user._id, issuedAt);
    const later = new Date(issuedAt.getTime() + 10 * 24 * 3600 * 1000);
    expect(await authenticateToken(token, later)).to.not.equal(null);
    const record = await Token.findOne({ tokenHash: hashToken(token) }).lean();
    expect(record!.expiresAt.getTime()).to.equal(later.getTime() + TOKEN_LIFETIME_MS);
  });

  it('stop working after 30 days unused', async () => {
    const { user } = await buildUser();
    const issuedAt = new Date('2030-01-01T00:00:00Z');
    const token = await issueToken(user._id, issuedAt);
    expect(await authenticateToken(token, new Date(issuedAt.getTime() + TOKEN_LIFETIME_MS + 1))).to.equal(null);
  });

  it('stop working once revoked, and say so on the event bus', async () => {
    const events = new DomainEvents();
    const seen: DomainEvent[] = [];
    events.onAny((event) => seen.push(event));
    const { user, token } = await buildUser();
    await revokeToken(hashToken(token), events);
    expect(await authenticateToken(token)).to.equal(null);
    expect(seen).to.deep.equal([{ type: 'session.revoked', userId: String(user._id), tokenHash: hashToken(token) }]);
  });

  it('all stop working when every token of a user is revoked', async () => {
    const events = new DomainEvents();
    const { user, token } = await buildUser();
    const second = await issueToken(user._id);
    await revokeAllTokens(user._id, events);
    expect(await authenticateToken(token)).to.equal(null);
    expect(await authenticateToken(second)).to.equal(null);
  });

  it('ignore garbage without touching the database', async () => {
    expect(await authenticateToken('')).to.equal(null);
    expect(await authenticateToken('x'.repeat(10_000))).to.equal(null);
    expect(await authenticateToken('not-a-token-we-ever-issued-at-all')).to.equal(null);
  });

  it('tell a live socket when they stop working, and that a revoked or expired one already has', async () => {
    const { user } = await buildUser();
    const now = new Date();
    const token = await issueToken(user._id, now);
    const tokenHash = hashToken(token);
    expect((await tokenExpiry(tokenHash, now))?.getTime()).to.equal(now.getTime() + TOKEN_LIFETIME_MS);
    expect(await tokenExpiry(tokenHash, new Date(now.getTime() + TOKEN_LIFETIME_MS))).to.equal(null);
    await revokeToken(tokenHash, new DomainEvents());
    expect(await tokenExpiry(tokenHash, now)).to.equal(null);
  });
});
