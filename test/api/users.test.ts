import { expect } from 'chai';
import { Types } from 'mongoose';
import { resetDatabase } from '../support/database';
import { buildUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

const PUBLIC_USER_KEYS = ['avatarUrl', 'bio', 'displayName', 'id', 'joinedAt'];

describe('GET /api/users/:id', () => {
  let forum: TestForum;
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
  });
  after(() => forum.close());

  it('requires a token: profiles are for users, not anonymous visitors', async () => {
    const { user } = await buildUser();
    const res = await forum.http.get(`/api/users/${String(user._id)}`).expect(401);
    expect(res.body.error.code).to.equal('unauthorized');
    await forum.http.get(`/api/users/${String(user._id)}`).set('Authorization', 'Bearer not-a-valid-token-00000000').expect(401);
  });

  it('shows a stranger the public shape and nothing else', async () => {
    const { user } = await buildUser({ name: 'Legal Name', displayName: 'Shown', bio: 'hello', isMember: true, roles: ['admin', 'moderator'] });
    const stranger = await buildUser();
    const res = await forum.http.get(`/api/users/${String(user._id)}`).set(stranger.auth).expect(200);
    expect(Object.keys(res.body).sort()).to.deep.equal(PUBLIC_USER_KEYS);
    expect(res.body).to.deep.equal({
      id: String(user._id),
      displayName: 'Shown',
      avatarUrl: null,
      bio: 'hello',
      joinedAt: user.createdAt.toISOString(),
    });
    const text = JSON.stringify(res.body);
    for (const secret of [user.email, 'Legal Name', user.dateOfBirth, 'admin', 'moderator', 'isMember', 'roles']) {
      expect(text).not.to.include(secret);
    }
  });

  it('shows the caller their own profile in the public shape too', async () => {
    const { user, auth } = await buildUser();
    const res = await forum.http.get(`/api/users/${String(user._id)}`).set(auth).expect(200);
    expect(Object.keys(res.body).sort()).to.deep.equal(PUBLIC_USER_KEYS);
  });

  it('answers 404 for an unknown id, a non-id, and accounts awaiting parental consent', async () => {
    const viewer = await buildUser();
    await forum.http.get(`/api/users/${new Types.ObjectId().toHexString()}`).set(viewer.auth).expect(404);
    await forum.http.get('/api/users/not-an-id').set(viewer.auth).expect(404);
    await forum.http.get('/api/users/%00').set(viewer.auth).expect(404);
    const pending = await buildUser({ status: 'pending_parental_consent', parentEmail: 'parent@example.org' });
    const res = await forum.http.get(`/api/users/${String(pending.user._id)}`).set(viewer.auth).expect(404);
    expect(res.body.error.message).to.equal('No such user.');
  });
});
