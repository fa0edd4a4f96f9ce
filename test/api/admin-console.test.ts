// The admin console's API: admins only (everyone else 403, before any validation or lookup), every action
// audited, suspension effective at once on tokens and sockets, and the registration policy kept in the
// database and enforced at registration.
import { expect } from 'chai';
import { Types } from 'mongoose';
import { AuditEntry } from '../../server/models/audit-entry';
import { ErasureJob } from '../../server/models/erasure-job';
import { RegistrationInvitation } from '../../server/models/registration-invitation';
import { SiteSetting } from '../../server/models/site-setting';
import { Token } from '../../server/models/token';
import { User } from '../../server/models/user';
import { resetDatabase } from '../support/database';
import { buildUser, uniqueEmail, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { buildModerationCast, type ModerationCast } from '../support/moderation';
import { eventually, linkParameter, messagesTo } from '../support/outbox';
import { disconnected, SocketPool } from '../support/sockets';

describe('admin console API', () => {
  let forum: TestForum;
  let cast: ModerationCast;
  let admin: BuiltUser;
  const pool = new SocketPool();

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    await forum.startListening();
    cast = await buildModerationCast();
    admin = cast.admin;
  });
  afterEach(async () => {
    pool.closeAll();
    await SiteSetting.deleteMany({});
  });
  after(() => forum.close());

  const as = (who: BuiltUser | null, method: 'get' | 'post' | 'put' | 'delete', path: string, body?: object) => {
    const req = forum.http[method](path);
    if (who) req.set(who.auth);
    return body === undefined ? req : req.send(body);
  };
  const auditOf = async (action: string) => AuditEntry.find({ action }).sort({ seq: 1 }).lean();
  const registration = (email: string, extra: Record<string, unknown> = {}) => ({
    email,
    password: 'a long enough password',
    name: 'Registrant Person',
    dateOfBirth: '1990-01-01',
    acceptTerms: true,
    ...extra,
  });

  describe('who may use it', () => {
    // Bodies that would be invalid and ids that do not exist: a non-admin must learn nothing from the answer.
    const someId = new Types.ObjectId().toHexString();
    const routes: Array<['get' | 'post' | 'put' | 'delete', string, object?]> = [
      ['get', '/api/admin/users?q=a'],
      ['get', '/api/admin/users?q=' + encodeURIComponent('someone@example.org')],
      ['post', `/api/admin/users/${someId}/suspend`, { reason: '' }],
      ['post', `/api/admin/users/${someId}/reinstate`, {}],
      ['get', '/api/admin/registration-policy'],
      ['put', '/api/admin/registration-policy', { policy: 'approval' }],
      ['get', '/api/admin/registrations'],
      ['post', `/api/admin/registrations/${someId}/approve`],
      ['post', `/api/admin/registrations/${someId}/decline`],
      ['get', '/api/admin/invitations'],
      ['post', '/api/admin/invitations', { maxUses: 'lots' }],
      ['delete', `/api/admin/invitations/${someId}`],
      ['get', '/api/admin/erasures'],
      ['get', '/api/admin/outbox'],
    ];

    it('requires a token', async () => {
      for (const [method, path, body] of routes) await as(null, method, path, body).expect(401);
    });

    it('a member, a group moderator and a site moderator get 403, and nothing is changed or audited', async () => {
      const target = await buildUser();
      const targetRoutes = routes.map(([method, path, body]) => [method, path.replace(someId, String(target.user._id)), body] as const);
      const before = await AuditEntry.countDocuments();
      for (const who of [cast.member, cast.groupModerator, cast.siteModerator]) {
        for (const [method, path, body] of [...routes, ...targetRoutes]) {
          const res = await as(who, method, path, body);
          expect(res.status, `${method} ${path}`).to.equal(403);
          expect(res.body.error.code).to.equal('forbidden');
        }
        await as(who, 'post', `/api/admin/users/${String(target.user._id)}/suspend`, { reason: 'trying' }).expect(403);
      }
      expect(await AuditEntry.countDocuments()).to.equal(before);
      expect((await User.findById(target.user._id).lean())!.suspendedAt).to.equal(null);
      expect(await SiteSetting.countDocuments()).to.equal(0);
      expect(await RegistrationInvitation.countDocuments()).to.equal(0);
    });
  });

  describe('finding people', () => {
    it('finds by e-mail address (whole, any case) or part of a name, with the admin view, and audits who looked up whom', async () => {
      const wanted = await buildUser({ name: 'Zebulon Quarrington', displayName: 'zq' });
      await buildUser({ name: 'Someone Else' });
      const byName = await as(admin, 'get', '/api/admin/users?q=quarring').expect(200);
      expect(byName.body.items.map((u: { id: string }) => u.id)).to.deep.equal([String(wanted.user._id)]);
      expect(byName.body.items[0]).to.include({ email: wanted.user.email, name: 'Zebulon Quarrington', status: 'active', suspended: null, isMember: false });
      const byEmail = await as(admin, 'get', `/api/admin/users?q=${encodeURIComponent(wanted.user.email.toUpperCase())}`).expect(200);
      expect(byEmail.body.items.map((u: { id: string }) => u.id)).to.deep.equal([String(wanted.user._id)]);
      // Part of an address finds nobody: addresses are looked up whole.
      const partial = await as(admin, 'get', `/api/admin/users?q=${encodeURIComponent(wanted.user.email.slice(3))}`).expect(200);
      expect(partial.body.items).to.deep.equal([]);

      const lookups = await auditOf('admin.user_lookup');
      expect(lookups.map((entry) => [entry.actor, entry.target, entry.reason])).to.deep.equal([
        [admin.viewer.id, `users:${String(wanted.user._id)}`, 'by name'],
        [admin.viewer.id, `users:${String(wanted.user._id)}`, 'by e-mail address'],
        [admin.viewer.id, 'users:none', 'by e-mail address'],
      ]);
      // The chain, which moderators read and nothing can remove from, never keeps an address or a legal name.
      const chain = JSON.stringify(await AuditEntry.find({}).lean());
      expect(chain).not.to.include(wanted.user.email);
      expect(chain).not.to.include('Quarrington');
    });

    it('refuses a missing, too short or too long query with 400 naming q', async () => {
      for (const q of ['', 'a', 'x'.repeat(201), '<b>x</b>']) {
        const res = await as(admin, 'get', `/api/admin/users?q=${encodeURIComponent(q)}`).expect(400);
        expect(res.body.error.field).to.equal('q');
      }
      expect((await as(admin, 'get', '/api/admin/users').expect(400)).body.error.field).to.equal('q');
    });
  });

  describe('roles and organisation membership', () => {
    it('audits role and membership changes; the membership value stays out of the log moderators read', async () => {
      const target = await buildUser();
      await as(admin, 'put', `/api/admin/users/${String(target.user._id)}/roles`, { roles: ['moderator'] }).expect(200);
      await as(admin, 'put', `/api/admin/users/${String(target.user._id)}/membership`, { isMember: true }).expect(200);
      const [roles] = await auditOf('user.set_roles');
      expect(roles).to.include({ actor: admin.viewer.id, target: `user:${String(target.user._id)}`, reason: 'none → moderator' });
      const [membership] = await auditOf('user.set_membership');
      expect(membership).to.include({ actor: admin.viewer.id, target: `user:${String(target.user._id)}`, reason: null });
    });
  });

  describe('suspension', () => {
    it('stops the account’s tokens and sockets at once; it cannot sign in or reset its way back; reinstating restores access', async () => {
      const target = await buildUser();
      const other = await buildUser();
      await forum.http.get('/api/me').set(target.auth).expect(200);
      const { socket } = await pool.open(forum.url, { token: target.token });
      const bystander = await pool.open(forum.url, { token: other.token });
      const gone = disconnected(socket);

      const res = await as(admin, 'post', `/api/admin/users/${String(target.user._id)}/suspend`, { reason: 'spam wave' }).expect(200);
      expect(res.body.suspended).to.include({ by: admin.viewer.id, reason: 'spam wave' });
      expect(await gone).to.equal('io server disconnect');
      expect(bystander.socket.connected).to.equal(true);
      await forum.http.get('/api/me').set(target.auth).expect(401);
      await forum.http.get('/api/me').set(other.auth).expect(200);
      await pool.open(forum.url, { token: target.token }).then(
        () => expect.fail('a suspended account’s token opened a socket'),
        (error: Error) => expect(error.message).to.equal('unauthorized'),
      );

      const signIn = await forum.http.post('/api/auth/login').send({ email: target.user.email, password: target.password }).expect(403);
      expect(signIn.body.error.code).to.equal('account_suspended');
      // A wrong password still gets the usual 401: only the owner learns the account is suspended.
      await forum.http.post('/api/auth/login').send({ email: target.user.email, password: 'not the password at all' }).expect(401);

      await forum.http.post('/api/auth/password-reset').send({ email: target.user.email }).expect(202);
      const resetToken = await eventually(() => linkParameter(target.user.email, '/reset-password', 'token'));
      const reset = await forum.http.post('/api/auth/password-reset/confirm').send({ token: resetToken, newPassword: 'a brand new password' }).expect(403);
      expect(reset.body.error.code).to.equal('account_suspended');
      expect(await Token.countDocuments({ userId: target.user._id })).to.equal(0);

      await as(admin, 'post', `/api/admin/users/${String(target.user._id)}/suspend`, { reason: 'again' }).expect(409);
      const back = await as(admin, 'post', `/api/admin/users/${String(target.user._id)}/reinstate`, { reason: 'appeal upheld' }).expect(200);
      expect(back.body.suspended).to.equal(null);
      const signedIn = await forum.http.post('/api/auth/login').send({ email: target.user.email, password: target.password }).expect(200);
      await forum.http.get('/api/me').set({ Authorization: `Bearer ${signedIn.body.token}` }).expect(200);
      await as(admin, 'post', `/api/admin/users/${String(target.user._id)}/reinstate`, { reason: 'again' }).expect(409);

      expect((await auditOf('user.suspend')).map((e) => [e.actor, e.target, e.reason])).to.deep.equal([[admin.viewer.id, `user:${String(target.user._id)}`, 'spam wave']]);
      expect((await auditOf('user.reinstate')).map((e) => [e.actor, e.target, e.reason])).to.deep.equal([[admin.viewer.id, `user:${String(target.user._id)}`, 'appeal upheld']]);
    });

    it('refuses bad input with 400 naming reason, unknown ids with 404, and suspending oneself with 403, writing nothing', async () => {
      const target = await buildUser();
      const path = `/api/admin/users/${String(target.user._id)}/suspend`;
      for (const body of [{}, { reason: '' }, { reason: 7 }, { reason: 'x'.repeat(501) }, { reason: '<i>x</i>' }]) {
        expect((await as(admin, 'post', path, body).expect(400)).body.error.field).to.equal('reason');
      }
      await as(admin, 'post', `/api/admin/users/${new Types.ObjectId().toHexString()}/suspend`, { reason: 'x' }).expect(404);
      await as(admin, 'post', '/api/admin/users/nope/suspend', { reason: 'x' }).expect(404);
      await as(admin, 'post', `/api/admin/users/${admin.viewer.id}/suspend`, { reason: 'x' }).expect(403);
      expect((await User.findById(target.user._id).lean())!.suspendedAt).to.equal(null);
      expect((await User.findById(admin.user._id).lean())!.suspendedAt).to.equal(null);
      expect(await auditOf('user.suspend')).to.have.length(1);
    });
  });

  describe('registration policy', () => {
    it('is open by default, kept in the database, audited when changed, and public to read', async () => {
      expect((await forum.http.get('/api/auth/registration-policy').expect(200)).body).to.deep.equal({ policy: 'open' });
      const set = await as(admin, 'put', '/api/admin/registration-policy', { policy: 'invitation' }).expect(200);
      expect(set.body).to.include({ policy: 'invitation', changedBy: admin.viewer.id });
      expect((await SiteSetting.findById('registration').lean())!.registrationPolicy).to.equal('invitation');
      expect((await forum.http.get('/api/auth/registration-policy').expect(200)).body).to.deep.equal({ policy: 'invitation' });
      await as(admin, 'put', '/api/admin/registration-policy', { policy: 'invitation' }).expect(200);
      expect((await auditOf('settings.registration_policy')).map((e) => e.reason)).to.deep.equal(['open → invitation']);
      for (const body of [{}, { policy: 'closed' }, { policy: 1 }]) {
        expect((await as(admin, 'put', '/api/admin/registration-policy', body).expect(400)).body.error.field).to.equal('policy');
      }
      expect((await SiteSetting.findById('registration').lean())!.registrationPolicy).to.equal('invitation');
    });

    it('by invitation: registering without a valid link is refused; a link admits up to its limit, until it expires or is revoked', async () => {
      await as(admin, 'put', '/api/admin/registration-policy', { policy: 'invitation' }).expect(200);
      const without = await forum.http.post('/api/auth/register').send(registration(uniqueEmail('noinv'))).expect(403);
      expect(without.body.error).to.include({ code: 'invitation_required', field: 'invitation' });
      const wrong = await forum.http.post('/api/auth/register').send(registration(uniqueEmail('badinv'), { invitation: 'not-a-real-invitation-token' })).expect(403);
      expect(wrong.body.error.code).to.equal('invitation_invalid');
      expect(await User.countDocuments({ name: 'Registrant Person' })).to.equal(0);

      const created = await as(admin, 'post', '/api/admin/invitations', { maxUses: 2, expiresInDays: 3, label: 'spring meeting' }).expect(201);
      expect(created.body.invitation).to.include({ maxUses: 2, uses: 0, label: 'spring meeting', state: 'active' });
      const token = new URL(created.body.link as string).searchParams.get('invitation')!;
      expect(new URL(created.body.link as string).pathname).to.equal('/signup');
      const first = uniqueEmail('inv1');
      await forum.http.post('/api/auth/register').send(registration(first, { invitation: token })).expect(202);
      await forum.http.post('/api/auth/register').send(registration(uniqueEmail('inv2'), { invitation: token })).expect(202);
      const third = await forum.http.post('/api/auth/register').send(registration(uniqueEmail('inv3'), { invitation: token })).expect(403);
      expect(third.body.error.code).to.equal('invitation_invalid');
      const list = await as(admin, 'get', '/api/admin/invitations').expect(200);
      expect(list.body.items[0]).to.include({ id: created.body.invitation.id, uses: 2, state: 'used_up' });
      // An invited registrant still proves their address, then is active at once (no approval needed).
      const verified = await forum.http.post('/api/auth/verify-email').send({ token: await linkParameter(first, '/verify-email', 'token'), password: 'a long enough password' }).expect(200);
      expect(verified.body.token).to.be.a('string');

      const expiring = await as(admin, 'post', '/api/admin/invitations', {}).expect(201);
      expect(expiring.body.invitation.maxUses).to.equal(1);
      await RegistrationInvitation.updateOne({ _id: expiring.body.invitation.id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
      const expiredToken = new URL(expiring.body.link as string).searchParams.get('invitation')!;
      await forum.http.post('/api/auth/register').send(registration(uniqueEmail('late'), { invitation: expiredToken })).expect(403);

      const revocable = await as(admin, 'post', '/api/admin/invitations', { maxUses: 5 }).expect(201);
      const revoked = await as(admin, 'delete', `/api/admin/invitations/${revocable.body.invitation.id}`).expect(200);
      expect(revoked.body.state).to.equal('revoked');
      await as(admin, 'delete', `/api/admin/invitations/${revocable.body.invitation.id}`).expect(409);
      await as(admin, 'delete', `/api/admin/invitations/${new Types.ObjectId().toHexString()}`).expect(404);
      const revokedToken = new URL(revocable.body.link as string).searchParams.get('invitation')!;
      await forum.http.post('/api/auth/register').send(registration(uniqueEmail('revoked'), { invitation: revokedToken })).expect(403);

      expect((await auditOf('invitation.create')).length).to.equal(3);
      expect((await auditOf('invitation.revoke')).map((e) => e.target)).to.deep.equal([`invitation:${revocable.body.invitation.id}`]);
      // Only the hash of a link's token is stored.
      expect(JSON.stringify(await RegistrationInvitation.find({}).lean())).not.to.include(token);
    });

    it('refuses bad invitation settings with 400 naming the field, creating nothing', async () => {
      const before = await RegistrationInvitation.countDocuments();
      const cases: Array<[object, string]> = [
        [{ maxUses: 0 }, 'maxUses'],
        [{ maxUses: 1001 }, 'maxUses'],
        [{ maxUses: 1.5 }, 'maxUses'],
        [{ maxUses: '3' }, 'maxUses'],
        [{ expiresInDays: 0 }, 'expiresInDays'],
        [{ expiresInDays: 91 }, 'expiresInDays'],
        [{ label: 'x'.repeat(101) }, 'label'],
        [{ label: '<b>bold</b>' }, 'label'],
      ];
      for (const [body, field] of cases) expect((await as(admin, 'post', '/api/admin/invitations', body).expect(400)).body.error.field).to.equal(field);
      expect(await RegistrationInvitation.countDocuments()).to.equal(before);
    });

    it('approved by an admin: a verified registrant waits in the queue, cannot sign in, and is let in or turned away', async () => {
      await as(admin, 'put', '/api/admin/registration-policy', { policy: 'approval' }).expect(200);
      const emails = [uniqueEmail('wait1'), uniqueEmail('wait2')];
      for (const email of emails) await forum.http.post('/api/auth/register').send(registration(email)).expect(202);
      const waiting = await forum.http.post('/api/auth/verify-email').send({ token: await linkParameter(emails[0]!, '/verify-email', 'token'), password: 'a long enough password' }).expect(403);
      expect(waiting.body.error.code).to.equal('approval_pending');
      const login = await forum.http.post('/api/auth/login').send({ email: emails[0], password: 'a long enough password' }).expect(403);
      expect(login.body.error.code).to.equal('approval_pending');
      // Not a person anyone can find yet.
      const first = await User.findOne({ email: emails[0] }).lean();
      expect(first!.status).to.equal('pending_approval');
      await forum.http.get(`/api/users/${String(first!._id)}`).set(cast.member.auth).expect(404);

      const queue = await as(admin, 'get', '/api/admin/registrations').expect(200);
      expect(queue.body.items.map((u: { email: string }) => u.email)).to.have.members(emails);
      expect(queue.body.items.find((u: { email: string }) => u.email === emails[0]).emailVerified).to.equal(true);

      const approved = await as(admin, 'post', `/api/admin/registrations/${String(first!._id)}/approve`).expect(200);
      expect(approved.body).to.include({ status: 'active', awaitingApproval: false });
      await forum.http.post('/api/auth/login').send({ email: emails[0], password: 'a long enough password' }).expect(200);
      expect((await messagesTo(emails[0]!)).map((m) => m.type)).to.include('registration_approved');
      await as(admin, 'post', `/api/admin/registrations/${String(first!._id)}/approve`).expect(404);

      const second = await User.findOne({ email: emails[1] }).lean();
      await as(admin, 'post', `/api/admin/registrations/${String(second!._id)}/decline`).expect(204);
      expect(await User.findById(second!._id).lean()).to.equal(null);
      // Its address was never confirmed, so nobody is told (its owner may not have asked for anything).
      expect((await messagesTo(emails[1]!)).map((m) => m.type)).not.to.include('registration_declined');
      await as(admin, 'post', `/api/admin/registrations/${String(second!._id)}/decline`).expect(404);
      expect((await as(admin, 'get', '/api/admin/registrations').expect(200)).body.items).to.deep.equal([]);
      expect((await auditOf('registration.approve')).map((e) => e.target)).to.deep.equal([`user:${String(first!._id)}`]);
      expect((await auditOf('registration.decline')).map((e) => e.target)).to.deep.equal([`user:${String(second!._id)}`]);
    });

    it('the policy in force when someone registered decides: opening registration later does not admit a waiting registrant', async () => {
      await as(admin, 'put', '/api/admin/registration-policy', { policy: 'approval' }).expect(200);
      const email = uniqueEmail('early');
      await forum.http.post('/api/auth/register').send(registration(email)).expect(202);
      await as(admin, 'put', '/api/admin/registration-policy', { policy: 'open' }).expect(200);
      await forum.http.post('/api/auth/verify-email').send({ token: await linkParameter(email, '/verify-email', 'token'), password: 'a long enough password' }).expect(403);
    });
  });

  describe('read-only views', () => {
    it('lists erasures in progress without saying whose they are', async () => {
      const someone = await buildUser();
      await ErasureJob.create({ userId: someone.user._id, startedAt: new Date(), stepsDone: ['preserve', 'posts'] });
      const res = await as(admin, 'get', '/api/admin/erasures').expect(200);
      const job = res.body.items.find((item: { stepsDone: number }) => item.stepsDone === 2);
      expect(job).to.include({ stepsTotal: 9, nextStep: 'likes', running: false });
      expect(JSON.stringify(res.body)).not.to.include(String(someone.user._id));
      await ErasureJob.deleteMany({ userId: someone.user._id });
    });
  });
});
