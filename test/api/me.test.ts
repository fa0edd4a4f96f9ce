import { expect } from 'chai';
import { Token } from '../../server/models/token';
import { User } from '../../server/models/user';
import type { DomainEvent } from '../../server/services/events';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('the caller’s own account (/api/me)', () => {
  let forum: TestForum;
  const events: DomainEvent[] = [];
  before(async () => {
    await resetDatabase();
    forum = await startTestForum({ loginLimits: { freePerPair: 1000, freePerAccount: 1000, perAddress: 1000 } });
    forum.ctx.events.onAny((event) => events.push(event));
  });
  after(() => forum.close());

  it('requires a token for every /me route', async () => {
    await forum.http.get('/api/me').expect(401);
    await forum.http.patch('/api/me').send({ bio: 'x' }).expect(401);
    await forum.http.put('/api/me/password').send({ currentPassword: 'a', newPassword: 'b' }).expect(401);
    await forum.http.put('/api/me/avatar').expect(401);
  });

  it('returns the Me shape with the private fields to their owner', async () => {
    const { user, auth } = await buildUser({ isMember: true, roles: ['moderator'] });
    const res = await forum.http.get('/api/me').set(auth).expect(200);
    expect(Object.keys(res.body).sort()).to.deep.equal(
      ['avatarUrl', 'bio', 'dateOfBirth', 'displayName', 'email', 'id', 'isMember', 'joinedAt', 'name', 'preferences', 'restricted', 'roles', 'emailVerified', 'language'].sort(),
    );
    expect(res.body).to.include({ id: String(user._id), email: user.email, isMember: true, dateOfBirth: '1990-04-01' });
    expect(res.body.roles).to.deep.equal(['moderator']);
  });

  describe('PATCH /api/me', () => {
    it('changes display name and bio, trimmed, and a stranger sees the change', async () => {
      const { user, auth } = await buildUser();
      events.length = 0;
      const res = await forum.http.patch('/api/me').set(auth).send({ displayName: '  Dr.   Who ', bio: ' I <3 cats.\r\nAnd tea. ' }).expect(200);
      expect(res.body).to.include({ displayName: 'Dr. Who', bio: 'I <3 cats.\nAnd tea.' });
      expect(events).to.deep.include({ type: 'user.changed', userId: String(user._id), change: { kind: 'profile' } });
      const stranger = await buildUser();
      const seen = await forum.http.get(`/api/users/${String(user._id)}`).set(stranger.auth).expect(200);
      expect(seen.body).to.include({ displayName: 'Dr. Who', bio: 'I <3 cats.\nAnd tea.' });
    });

    it('leaves fields that are not sent alone, and accepts an empty bio', async () => {
      const { auth } = await buildUser({ displayName: 'Keeps', bio: 'old bio' });
      const res = await forum.http.patch('/api/me').set(auth).send({ bio: '' }).expect(200);
      expect(res.body).to.include({ displayName: 'Keeps', bio: '' });
    });

    it('ignores fields that are not editable here', async () => {
      const { user, auth } = await buildUser();
      await forum.http.patch('/api/me').set(auth).send({ roles: ['admin'], isMember: true, email: 'x@example.org', bio: 'ok' }).expect(200);
      const stored = await User.findById(user._id).lean();
      expect(stored!.roles).to.deep.equal([]);
      expect(stored!.isMember).to.equal(false);
      expect(stored!.email).to.equal(user.email);
    });

    const badValues: Array<[string, unknown, RegExp]> = [
      ['displayName', '', /empty/],
      ['displayName', '    ', /empty/],
      ['displayName', 'd'.repeat(51), /at most 50/],
      ['displayName', '<img src=x onerror=alert(1)>', /plain text/],
      ['displayName', 'Zero\u0000byte', /control/],
      ['displayName', 'Admin\u202e', /control/],
      ['displayName', 42, /string/],
      ['displayName', null, /string/],
      ['bio', 'b'.repeat(501), /at most 500/],
      ['bio', 'hello <script>alert(1)</script>', /plain text/],
      ['bio', '</p>', /plain text/],
      ['bio', 'bell\u0007', /control/],
      ['bio', { text: 'x' }, /string/],
    ];
    for (const [field, value, message] of badValues) {
      it(`refuses ${field} = ${JSON.stringify(value)} with 400 naming the field, changing nothing`, async () => {
        const { user, auth } = await buildUser({ displayName: 'Before', bio: 'before' });
        const res = await forum.http.patch('/api/me').set(auth).send({ displayName: 'Would change', [field]: value }).expect(400);
        expect(res.body.error).to.include({ code: 'invalid_input', field });
        expect(res.body.error.message).to.match(message);
        const stored = await User.findById(user._id).lean();
        expect(stored).to.include({ displayName: 'Before', bio: 'before' });
      });
    }

    it('counts length in characters, not UTF-16 units', async () => {
      const { auth } = await buildUser();
      const res = await forum.http.patch('/api/me').set(auth).send({ displayName: '😀'.repeat(50) }).expect(200);
      expect(res.body.displayName).to.equal('😀'.repeat(50));
    });
  });

  describe('PUT /api/me/password', () => {
    it('changes the password, revokes every token of the user and returns a fresh one', async () => {
      const { user, password, auth } = await buildUser();
      const second = await forum.http.post('/api/auth/login').send({ email: user.email, password }).expect(200);
      const other = await buildUser();
      events.length = 0;
      const res = await forum.http
        .put('/api/me/password')
        .set(auth)
        .send({ currentPassword: password, newPassword: 'a brand new passphrase' })
        .expect(200);
      expect(res.body.user.id).to.equal(String(user._id));
      expect(res.body.token).to.be.a('string');
      await forum.http.get('/api/me').set(auth).expect(401);
      await forum.http.get('/api/me').set('Authorization', `Bearer ${second.body.token}`).expect(401);
      await forum.http.get('/api/me').set('Authorization', `Bearer ${res.body.token}`).expect(200);
      await forum.http.get('/api/me').set(other.auth).expect(200);
      expect(await Token.countDocuments({ userId: user._id })).to.equal(1);
      expect(events).to.deep.include({ type: 'session.revoked', userId: String(user._id), tokenHash: null });

      await forum.http.post('/api/auth/login').send({ email: user.email, password }).expect(401);
      await forum.http.post('/api/auth/login').send({ email: user.email, password: 'a brand new passphrase' }).expect(200);
    });

    it('refuses a wrong current password, keeping the old password and tokens', async () => {
      const { user, password, auth } = await buildUser();
      const res = await forum.http
        .put('/api/me/password')
        .set(auth)
        .send({ currentPassword: 'not my password', newPassword: 'a brand new passphrase' })
        .expect(400);
      expect(res.body.error.field).to.equal('currentPassword');
      await forum.http.get('/api/me').set(auth).expect(200);
      await forum.http.post('/api/auth/login').send({ email: user.email, password }).expect(200);
    });

    it('applies the registration rules to the new password', async () => {
      const { user, password, auth } = await buildUser();
      for (const newPassword of ['short', 'x'.repeat(201), password, user.email, 12345678901]) {
        const res = await forum.http.put('/api/me/password').set(auth).send({ currentPassword: password, newPassword }).expect(400);
        expect(res.body.error.field).to.equal('newPassword');
      }
      await forum.http.put('/api/me/password').set(auth).send({ newPassword: 'a brand new passphrase' }).expect(400);
      await forum.http.get('/api/me').set(auth).expect(200);
    });

    it('is throttled, so a stolen token cannot be used to guess the password', async () => {
      const limited = await startTestForum({ loginLimits: { freePerPair: 2, freePerAccount: 2, perAddress: 100, firstDelayMs: 60_000 } });
      try {
        const { password, auth } = await buildUser();
        // Two free guesses, then one more before the first wait.
        for (let i = 0; i < 3; i += 1) {
          await limited.http.put('/api/me/password').set(auth).send({ currentPassword: `guess number ${i}`, newPassword: 'a brand new passphrase' }).expect(400);
        }
        const res = await limited.http
          .put('/api/me/password')
          .set(auth)
          .send({ currentPassword: password, newPassword: 'a brand new passphrase' })
          .expect(429);
        expect(res.headers['retry-after']).to.match(/^\d+$/);
      } finally {
        await limited.close();
      }
    });
  });
});
