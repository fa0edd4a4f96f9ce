// Groups and memberships: create, list, settings, join policies, approve, invite, remove, roles, member lists.
import { expect } from 'chai';
import { Types } from 'mongoose';
import type { Group as GroupShape, GroupMember } from '../../shared/api';
import { Group } from '../../server/models/group';
import { Membership } from '../../server/models/membership';
import { User } from '../../server/models/user';
import { addMember, buildGroup, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';
import { readCache } from '../../server/services/read-cache';

describe('groups', () => {
  let forum: TestForum;
  let owner: BuiltUser, member: BuiltUser, stranger: BuiltUser;

  before(async () => {
    forum = await startTestForum();
  });
  beforeEach(async () => {
    await resetDatabase();
    [owner, member, stranger] = await Promise.all([buildUser(), buildUser(), buildUser()]);
  });
  after(() => forum.close());

  const memberCount = async (id: Types.ObjectId) => (await Group.findById(id).lean())!.memberCount;

  describe('POST /api/groups', () => {
    it('requires a token', async () => {
      await forum.http.post('/api/groups').send({ name: 'x', description: '', visibility: 'public' }).expect(401);
    });

    it('creates a group owned by its creator, with a slug and a default join policy', async () => {
      const res = await forum.http.post('/api/groups').set(owner.auth).send({ name: 'Ärzte für Kinder!', description: 'Hi', visibility: 'closed' }).expect(201);
      expect(res.body).to.deep.include({ name: 'Ärzte für Kinder!', slug: 'arzte-fur-kinder', description: 'Hi', visibility: 'closed', joinPolicy: 'request', memberCount: 1, myStatus: 'owner' });
      expect(res.body).to.have.keys('id', 'name', 'slug', 'description', 'rules', 'visibility', 'joinPolicy', 'memberCount', 'myStatus', 'can');
      const pub = await forum.http.post('/api/groups').set(owner.auth).send({ name: 'Open', description: '', visibility: 'public' }).expect(201);
      expect(pub.body.joinPolicy).to.equal('open');
    });

    it('de-duplicates slugs, also when the same name is created concurrently', async () => {
      const results = await Promise.all(
        Array.from({ length: 4 }, () => forum.http.post('/api/groups').set(owner.auth).send({ name: 'Same Name', description: '', visibility: 'public' })),
      );
      expect(results.map((res) => res.status)).to.deep.equal([201, 201, 201, 201]);
      expect(results.map((res) => res.body.slug).sort()).to.deep.equal(['same-name', 'same-name-2', 'same-name-3', 'same-name-4']);
    });

    it('refuses bad input with 400 naming the field', async () => {
      const post = (body: unknown) => forum.http.post('/api/groups').set(owner.auth).send(body as object);
      expect((await post({ description: '', visibility: 'public' }).expect(400)).body.error.field).to.equal('name');
      expect((await post({ name: '   ', visibility: 'public' }).expect(400)).body.error.field).to.equal('name');
      expect((await post({ name: 'x'.repeat(81), visibility: 'public' }).expect(400)).body.error.field).to.equal('name');
      expect((await post({ name: 'x', visibility: 'secret' }).expect(400)).body.error.field).to.equal('visibility');
      expect((await post({ name: 'x', visibility: 'public', joinPolicy: 'maybe' }).expect(400)).body.error.field).to.equal('joinPolicy');
      expect((await post({ name: 'x', visibility: 'public', description: 5 }).expect(400)).body.error.field).to.equal('description');
    });
  });

  describe('GET /api/groups and /api/groups/:id', () => {
    it('lists closed groups by name but tells outsiders no member count', async () => {
      const closed = await buildGroup({ owner, visibility: 'closed', name: 'Inner Circle' });
      await addMember(closed, member);
      const asStranger = (await forum.http.get('/api/groups').set(stranger.auth).expect(200)).body.items as GroupShape[];
      expect(asStranger.map((group) => group.name)).to.include('Inner Circle');
      expect(asStranger.find((group) => group.id === idOf(closed))).to.deep.include({ memberCount: 0, myStatus: 'none' });
      const asMember = (await forum.http.get(`/api/groups/${idOf(closed)}`).set(member.auth).expect(200)).body as GroupShape;
      expect(asMember).to.deep.include({ memberCount: 2, myStatus: 'member' });
    });

    it('requires a token and answers 404 for a non-id or unknown group', async () => {
      await forum.http.get('/api/groups').expect(401);
      await forum.http.get('/api/groups/nope').set(member.auth).expect(404);
      await forum.http.get(`/api/groups/${new Types.ObjectId()}`).set(member.auth).expect(404);
    });
  });

  describe('PATCH /api/groups/:id', () => {
    it('lets the owner change settings and publishes group.changed', async () => {
      const group = await buildGroup({ owner, visibility: 'public' });
      const events: string[] = [];
      const off = forum.ctx.events.on('group.changed', (event) => events.push(event.groupId));
      const res = await forum.http.patch(`/api/groups/${idOf(group)}`).set(owner.auth).send({ name: 'Renamed', joinPolicy: 'invite' }).expect(200);
      off();
      expect(res.body).to.deep.include({ name: 'Renamed', joinPolicy: 'invite', slug: group.slug });
      expect(events).to.deep.equal([idOf(group)]);
    });

    it('refuses group moderators and members (403), outsiders of a closed group (404) and empty or bad changes (400)', async () => {
      const group = await buildGroup({ owner, visibility: 'closed' });
      const moderator = await buildUser();
      await addMember(group, moderator, 'member', 'moderator');
      await addMember(group, member);
      await forum.http.patch(`/api/groups/${idOf(group)}`).set(moderator.auth).send({ name: 'x' }).expect(403);
      await forum.http.patch(`/api/groups/${idOf(group)}`).set(member.auth).send({ name: 'x' }).expect(403);
      await forum.http.patch(`/api/groups/${idOf(group)}`).set(stranger.auth).send({ name: 'x' }).expect(404);
      await forum.http.patch(`/api/groups/${idOf(group)}`).set(owner.auth).send({}).expect(400);
      expect((await forum.http.patch(`/api/groups/${idOf(group)}`).set(owner.auth).send({ visibility: 'hidden' }).expect(400)).body.error.field).to.equal('visibility');
    });
  });

  describe('joining', () => {
    it('admits at once to an open group, idempotently, counting the member once', async () => {
      const group = await buildGroup({ owner, visibility: 'public', joinPolicy: 'open' });
      const results = await Promise.all([1, 2, 3].map(() => forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth)));
      expect(results.map((res) => res.body.myStatus)).to.deep.equal(['member', 'member', 'member']);
      expect(await memberCount(group._id)).to.equal(2);
    });

    it('queues a request; a pending member cannot read the closed group until approved', async () => {
      const group = await buildGroup({ owner, visibility: 'closed', joinPolicy: 'request' });
      expect((await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth).expect(200)).body.myStatus).to.equal('pending');
      expect((await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth).expect(200)).body.myStatus).to.equal('pending');
      await forum.http.get(`/api/groups/${idOf(group)}/posts`).set(member.auth).expect(404);
      await forum.http.post(`/api/groups/${idOf(group)}/members/${idOf(member.user)}/approve`).set(stranger.auth).expect(404);
      const approved = await forum.http.post(`/api/groups/${idOf(group)}/members/${idOf(member.user)}/approve`).set(owner.auth).expect(200);
      expect(approved.body).to.deep.include({ id: idOf(member.user), status: 'member' });
      expect(approved.body).not.to.have.any.keys('email', 'name', 'dateOfBirth', 'isMember', 'roles');
      await forum.http.get(`/api/groups/${idOf(group)}/posts`).set(member.auth).expect(200);
      expect(await memberCount(group._id)).to.equal(2);
    });

    it('approving a request from an account being erased answers 404 and changes nothing', async () => {
      const leaving = await buildUser();
      const group = await buildGroup({ owner, visibility: 'closed', joinPolicy: 'request' });
      await forum.http.post(`/api/groups/${idOf(group)}/join`).set(leaving.auth).expect(200);
      await User.updateOne({ _id: leaving.user._id }, { $set: { status: 'erasing' } });
      // Written past the services, so announced to the read cache as erasure does (the owner's join-request
      // notification has shown the requester's card, which the cache keeps).
      readCache.apply({ type: 'user.erased', userId: idOf(leaving.user) });
      await forum.http.post(`/api/groups/${idOf(group)}/members/${idOf(leaving.user)}/approve`).set(owner.auth).expect(404);
      expect((await Membership.findOne({ groupId: group._id, userId: leaving.user._id }).lean())?.status).to.equal('pending');
      expect(await memberCount(group._id)).to.equal(1);
    });

    it('refuses an invite-only group unless invited', async () => {
      const group = await buildGroup({ owner, visibility: 'closed', joinPolicy: 'invite' });
      await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth).expect(403);
      const invited = await forum.http.post(`/api/groups/${idOf(group)}/invites`).set(owner.auth).send({ userId: idOf(member.user) }).expect(201);
      expect(invited.body.status).to.equal('invited');
      expect((await forum.http.get(`/api/groups/${idOf(group)}`).set(member.auth).expect(200)).body.myStatus).to.equal('invited');
      await forum.http.get(`/api/groups/${idOf(group)}/posts`).set(member.auth).expect(404);
      expect((await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth).expect(200)).body.myStatus).to.equal('member');
    });

    it('keeps a removed member out of an open group until invited back', async () => {
      const group = await buildGroup({ owner, visibility: 'public', joinPolicy: 'open' });
      await addMember(group, member);
      await forum.http.delete(`/api/groups/${idOf(group)}/members/${idOf(member.user)}`).set(owner.auth).expect(204);
      expect((await forum.http.get(`/api/groups/${idOf(group)}`).set(member.auth).expect(200)).body.myStatus).to.equal('none');
      await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth).expect(403);
      await forum.http.post(`/api/groups/${idOf(group)}/invites`).set(owner.auth).send({ userId: idOf(member.user) }).expect(201);
      expect((await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth).expect(200)).body.myStatus).to.equal('member');
      expect(await memberCount(group._id)).to.equal(2);
    });
  });

  describe('invites', () => {
    it('only owners and group moderators invite; bad, unknown and existing users are refused', async () => {
      const group = await buildGroup({ owner, visibility: 'public' });
      await addMember(group, member);
      await forum.http.post(`/api/groups/${idOf(group)}/invites`).set(member.auth).send({ userId: idOf(stranger.user) }).expect(403);
      expect((await forum.http.post(`/api/groups/${idOf(group)}/invites`).set(owner.auth).send({ userId: 'x' }).expect(400)).body.error.field).to.equal('userId');
      await forum.http.post(`/api/groups/${idOf(group)}/invites`).set(owner.auth).send({ userId: String(new Types.ObjectId()) }).expect(404);
      await forum.http.post(`/api/groups/${idOf(group)}/invites`).set(owner.auth).send({ userId: idOf(member.user) }).expect(409);
    });

    it('approves a pending request when the requester is invited', async () => {
      const group = await buildGroup({ owner, visibility: 'closed', joinPolicy: 'request' });
      await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth).expect(200);
      expect((await forum.http.post(`/api/groups/${idOf(group)}/invites`).set(owner.auth).send({ userId: idOf(member.user) }).expect(201)).body.status).to.equal('member');
    });
  });

  describe('leaving and removing', () => {
    it('the owner cannot leave; members can; group moderators remove members but not moderators; the owner removes anyone', async () => {
      const group = await buildGroup({ owner, visibility: 'public' });
      const [moderator, other, third] = await Promise.all([buildUser(), buildUser(), buildUser()]);
      await addMember(group, moderator, 'member', 'moderator');
      const otherModerator = await buildUser();
      await addMember(group, otherModerator, 'member', 'moderator');
      await addMember(group, member);
      await addMember(group, other);
      await addMember(group, third);
      const remove = (who: BuiltUser, target: BuiltUser) => forum.http.delete(`/api/groups/${idOf(group)}/members/${idOf(target.user)}`).set(who.auth);
      await remove(owner, owner).expect(403);
      await remove(member, member).expect(204);
      await remove(member, member).expect(404);
      await remove(other, third).expect(403);
      await remove(moderator, otherModerator).expect(403);
      await remove(moderator, owner).expect(403);
      await remove(moderator, other).expect(204);
      await remove(owner, otherModerator).expect(204);
      expect(await memberCount(group._id)).to.equal(3);
    });

    it('declining a request leaves no trace: the user may ask again', async () => {
      const group = await buildGroup({ owner, visibility: 'closed', joinPolicy: 'request' });
      await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth).expect(200);
      await forum.http.delete(`/api/groups/${idOf(group)}/members/${idOf(member.user)}`).set(owner.auth).expect(204);
      expect((await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth).expect(200)).body.myStatus).to.equal('pending');
    });
  });

  describe('roles and member lists', () => {
    it('the owner promotes and demotes group moderators; nobody else may', async () => {
      const group = await buildGroup({ owner, visibility: 'public' });
      await addMember(group, member);
      const url = `/api/groups/${idOf(group)}/members/${idOf(member.user)}/role`;
      await forum.http.put(url).set(member.auth).send({ role: 'moderator' }).expect(403);
      expect((await forum.http.put(url).set(owner.auth).send({ role: 'moderator' }).expect(200)).body.status).to.equal('moderator');
      await forum.http.post(`/api/groups/${idOf(group)}/invites`).set(member.auth).send({ userId: idOf(stranger.user) }).expect(201);
      await forum.http.put(url).set(member.auth).send({ role: 'member' }).expect(403);
      expect((await forum.http.put(url).set(owner.auth).send({ role: 'member' }).expect(200)).body.status).to.equal('member');
      expect((await forum.http.put(url).set(owner.auth).send({ role: 'owner' }).expect(400)).body.error.field).to.equal('role');
      await forum.http.put(`/api/groups/${idOf(group)}/members/${idOf(owner.user)}/role`).set(owner.auth).send({ role: 'member' }).expect(403);
      await forum.http.put(`/api/groups/${idOf(group)}/members/${idOf(stranger.user)}/role`).set(owner.auth).send({ role: 'moderator' }).expect(404);
    });

    it('lists members, requests and invitations to owners and group moderators only, as PublicUser + status', async () => {
      const group = await buildGroup({ owner, visibility: 'closed' });
      const moderator = await buildUser();
      const pending = await buildUser();
      await addMember(group, moderator, 'member', 'moderator');
      await addMember(group, member);
      await addMember(group, pending, 'pending');
      const list = (who: BuiltUser, query = '') => forum.http.get(`/api/groups/${idOf(group)}/members${query}`).set(who.auth);
      const members = (await list(moderator).expect(200)).body.items as GroupMember[];
      expect(members.map((row) => [row.id, row.status]).sort()).to.deep.equal(
        [[idOf(owner.user), 'owner'], [idOf(moderator.user), 'moderator'], [idOf(member.user), 'member']].sort(),
      );
      for (const row of members) expect(row).to.have.keys('id', 'displayName', 'avatarUrl', 'bio', 'joinedAt', 'status');
      expect(((await list(owner, '?status=pending').expect(200)).body.items as GroupMember[]).map((row) => row.id)).to.deep.equal([idOf(pending.user)]);
      expect((await list(owner, '?status=removed').expect(400)).body.error.field).to.equal('status');
      await list(member).expect(403);
      await list(stranger).expect(404);
      await list(pending).expect(404);
    });
  });
});
