import { expect } from 'chai';
import { Types } from 'mongoose';
import { User } from '../../server/models/user';
import type { DomainEvent } from '../../server/services/events';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

describe('admin: roles and organisation membership', () => {
  let forum: TestForum;
  let admin: BuiltUser;
  const events: DomainEvent[] = [];
  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    forum.ctx.events.onAny((event) => events.push(event));
    admin = await buildUser({ roles: ['admin', 'moderator'] });
  });
  after(() => forum.close());

  const roles = (id: unknown, as: BuiltUser | null, body: unknown) => {
    const req = forum.http.put(`/api/admin/users/${String(id)}/roles`);
    return (as ? req.set(as.auth) : req).send(body as object);
  };
  const membership = (id: unknown, as: BuiltUser | null, body: unknown) => {
    const req = forum.http.put(`/api/admin/users/${String(id)}/membership`);
    return (as ? req.set(as.auth) : req).send(body as object);
  };

  it('requires a token', async () => {
    const { user } = await buildUser();
    await roles(user._id, null, { roles: ['moderator'] }).expect(401);
    await membership(user._id, null, { isMember: true }).expect(401);
  });

  it('a stranger cannot: non-admins (moderators included) get 403 before any validation or lookup', async () => {
    const { user } = await buildUser();
    const plain = await buildUser();
    const moderator = await buildUser({ roles: ['moderator'] });
    for (const actor of [plain, moderator]) {
      await roles(user._id, actor, { roles: ['admin'] }).expect(403);
      await roles(user._id, actor, { roles: 'bogus' }).expect(403);
      await roles(new Types.ObjectId(), actor, { roles: [] }).expect(403);
      await membership(user._id, actor, { isMember: true }).expect(403);
      await membership(actor.user._id, actor, { isMember: true }).expect(403);
    }
    const stored = await User.findById(user._id).lean();
    expect(stored!.roles).to.deep.equal([]);
    expect(stored!.isMember).to.equal(false);
  });

  it('grants and removes roles, answering with the admin view, and announces who did it', async () => {
    const { user } = await buildUser();
    events.length = 0;
    const res = await roles(user._id, admin, { roles: ['moderator', 'admin'] }).expect(200);
    expect(res.body).to.include({ id: String(user._id), email: user.email });
    expect(res.body.roles).to.deep.equal(['admin', 'moderator']);
    expect(events).to.deep.include({
      type: 'user.changed',
      userId: String(user._id),
      change: { kind: 'roles', actorId: admin.viewer.id, before: [], after: ['admin', 'moderator'] },
    });
    const cleared = await roles(user._id, admin, { roles: [] }).expect(200);
    expect(cleared.body.roles).to.deep.equal([]);
    expect((await User.findById(user._id).lean())!.roles).to.deep.equal([]);
  });

  it('takes effect on the next request of the changed user', async () => {
    const target = await buildUser();
    await roles(target.user._id, admin, { roles: ['admin'] }).expect(200);
    const other = await buildUser();
    await membership(other.user._id, target, { isMember: true }).expect(200);
    await roles(target.user._id, admin, { roles: [] }).expect(200);
    await membership(other.user._id, target, { isMember: false }).expect(403);
  });

  it('sets organisation membership, visible only in Me and admin views', async () => {
    const target = await buildUser();
    events.length = 0;
    const res = await membership(target.user._id, admin, { isMember: true }).expect(200);
    expect(res.body.isMember).to.equal(true);
    expect(events).to.deep.include({
      type: 'user.changed',
      userId: String(target.user._id),
      change: { kind: 'membership', actorId: admin.viewer.id, before: false, after: true },
    });
    expect((await forum.http.get('/api/me').set(target.auth).expect(200)).body.isMember).to.equal(true);
    const stranger = await buildUser();
    const profile = await forum.http.get(`/api/users/${String(target.user._id)}`).set(stranger.auth).expect(200);
    expect(profile.body).not.to.have.property('isMember');
  });

  it('refuses bad bodies with 400 naming the field', async () => {
    const { user } = await buildUser();
    for (const body of [{}, { roles: 'admin' }, { roles: ['root'] }, { roles: ['admin', 'admin'] }, { roles: [1] }]) {
      const res = await roles(user._id, admin, body).expect(400);
      expect(res.body.error.field).to.match(/^roles/);
    }
    for (const body of [{}, { isMember: 'yes' }, { isMember: 1 }, { isMember: null }]) {
      const res = await membership(user._id, admin, body).expect(400);
      expect(res.body.error.field).to.equal('isMember');
    }
  });

  it('answers 404 for unknown users and non-ids', async () => {
    await roles(new Types.ObjectId(), admin, { roles: [] }).expect(404);
    await roles('nope', admin, { roles: [] }).expect(404);
    await membership(new Types.ObjectId(), admin, { isMember: true }).expect(404);
  });

  it('does not let an admin remove their own admin role', async () => {
    const self = await buildUser({ roles: ['admin'] });
    const res = await roles(self.user._id, self, { roles: ['moderator'] }).expect(403);
    expect(res.body.error.message).to.match(/your own admin role/);
    expect((await User.findById(self.user._id).lean())!.roles).to.deep.equal(['admin']);
  });
});
