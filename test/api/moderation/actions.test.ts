// Moderator deletion, suspension from a group, and site moderators' reads of closed groups they are not in.
import { expect } from 'chai';
import { AuditEntry } from '../../../server/models/audit-entry';
import { Group } from '../../../server/models/group';
import { Membership } from '../../../server/models/membership';
import { Post as PostModel } from '../../../server/models/post';
import { Report } from '../../../server/models/report';
import { idOf } from '../../support/content';
import type { BuiltUser } from '../../support/factories';
import { buildModerationCast, messagesTo, postIn, REASON_HEADER, useModerationForum } from '../../support/moderation';

describe('moderation actions', () => {
  const world = useModerationForum();

  describe('POST /api/mod/posts/:id/delete', () => {
    const modDelete = (postId: string, who: BuiltUser | null, body: object = { reason: 'illegal content' }) => {
      const request = world.forum.http.post(`/api/mod/posts/${postId}/delete`).send(body);
      return who ? request.set(who.auth) : request;
    };

    it('requires a token', async () => {
      await modDelete(idOf(await postIn(world.cast.publicGroup, world.cast.author)), null).expect(401);
    });

    it('a non-moderator cannot, not even the author (who uses DELETE /api/posts/:id)', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      for (const who of [world.cast.author, world.cast.member, world.cast.otherOwner]) await modDelete(idOf(post), who).expect(403);
      const closed = await postIn(world.cast.closedGroup, world.cast.author);
      await modDelete(idOf(closed), world.cast.stranger).expect(404);
      expect(await PostModel.countDocuments()).to.equal(2);
    });

    it('requires a reason; 404 for non-ids and unknown posts', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      expect((await modDelete(idOf(post), world.cast.siteModerator, {}).expect(400)).body.error.field).to.equal('reason');
      await modDelete('bad', world.cast.siteModerator).expect(404);
      await modDelete('0123456789abcdef01234567', world.cast.siteModerator).expect(404);
    });

    it('deletes for everyone, resolves the reports as deleted by the moderator, tells the author and audits', async () => {
      const post = await postIn(world.cast.closedGroup, world.cast.author);
      await world.forum.http.post(`/api/posts/${idOf(post)}/reports`).set(world.cast.member.auth).send({ reason: 'threat' }).expect(201);
      await modDelete(idOf(post), world.cast.siteModerator, { reason: 'credible threat' }).expect(204);
      expect(await PostModel.exists({ _id: post._id })).to.equal(null);
      await world.forum.http.get(`/api/posts/${idOf(post)}`).set(world.cast.member.auth).expect(404);
      const report = await Report.findOne({ postId: post._id }).lean();
      expect(report!.resolution).to.include({ action: 'delete', reason: 'credible threat' });
      expect(String(report!.resolution!.by)).to.equal(idOf(world.cast.siteModerator.user));
      expect((await messagesTo(world.cast.author.user._id))[0]!.text).to.include('credible threat');
      expect(await AuditEntry.findOne({ action: 'post.delete' }).lean()).to.include({ target: `post:${idOf(post)}`, reason: 'credible threat' });
    });

    it('group moderators delete in their own group', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      await modDelete(idOf(post), world.cast.groupModerator).expect(204);
    });
  });

  describe('POST/DELETE /api/mod/groups/:id/members/:userId/suspend', () => {
    const suspendUrl = (groupId: string, userId: string) => `/api/mod/groups/${groupId}/members/${userId}/suspend`;
    const suspend = (who: BuiltUser | null, target: BuiltUser, body: object = { reason: 'repeated abuse' }, group = world.cast.publicGroup) => {
      const request = world.forum.http.post(suspendUrl(idOf(group), idOf(target.user))).send(body);
      return who ? request.set(who.auth) : request;
    };

    it('requires a token', async () => {
      await suspend(null, world.cast.member).expect(401);
      await world.forum.http.delete(suspendUrl(idOf(world.cast.publicGroup), idOf(world.cast.member.user))).expect(401);
    });

    it('a non-moderator cannot suspend or lift: 403 in a visible group, 404 in an invisible one', async () => {
      await suspend(world.cast.member, world.cast.author).expect(403);
      await suspend(world.cast.otherOwner, world.cast.author).expect(403);
      await suspend(world.cast.stranger, world.cast.author, undefined, world.cast.closedGroup).expect(404);
      await world.forum.http.delete(suspendUrl(idOf(world.cast.publicGroup), idOf(world.cast.author.user))).set(world.cast.member.auth).expect(403);
      expect((await Membership.findOne({ groupId: world.cast.publicGroup._id, userId: world.cast.author.user._id }).lean())!.status).to.equal('member');
    });

    it('rejects a missing reason, non-ids and unknown users', async () => {
      expect((await suspend(world.cast.owner, world.cast.member, {}).expect(400)).body.error.field).to.equal('reason');
      await world.forum.http.post(suspendUrl('nope', idOf(world.cast.member.user))).set(world.cast.owner.auth).send({ reason: 'x' }).expect(404);
      await world.forum.http.post(suspendUrl(idOf(world.cast.publicGroup), 'nope')).set(world.cast.owner.auth).send({ reason: 'x' }).expect(404);
      await world.forum.http.post(suspendUrl(idOf(world.cast.publicGroup), '0123456789abcdef01234567')).set(world.cast.owner.auth).send({ reason: 'x' }).expect(404);
    });

    it('never the owner or oneself; a group moderator only by the owner or a site moderator', async () => {
      await suspend(world.cast.groupModerator, world.cast.owner).expect(403);
      await suspend(world.cast.siteModerator, world.cast.owner).expect(403);
      await suspend(world.cast.groupModerator, world.cast.groupModerator).expect(403);
      const peer = await buildModerationCast().then((other) => other.groupModerator);
      await Membership.create({ groupId: world.cast.publicGroup._id, userId: peer.user._id, status: 'member', role: 'moderator' });
      await suspend(world.cast.groupModerator, peer).expect(403);
      await suspend(world.cast.owner, peer).expect(200);
    });

    it('ends membership at once, blocks joining and invitations until lifted, and resolves reports on their posts', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.member);
      await world.forum.http.post(`/api/posts/${idOf(post)}/reports`).set(world.cast.author.auth).send({ reason: 'abuse' }).expect(201);
      const before = (await Group.findById(world.cast.publicGroup._id).lean())!.memberCount;

      const res = await suspend(world.cast.groupModerator, world.cast.member, { reason: 'repeated abuse' }).expect(200);
      expect(res.body).to.deep.equal({ groupId: idOf(world.cast.publicGroup), userId: idOf(world.cast.member.user), suspended: true });
      expect((await Group.findById(world.cast.publicGroup._id).lean())!.memberCount).to.equal(before - 1);
      await suspend(world.cast.groupModerator, world.cast.member).expect(409);
      expect((await Report.findOne({ postId: post._id }).lean())!.resolution).to.include({ action: 'suspend' });

      const group = await world.forum.http.get(`/api/groups/${idOf(world.cast.publicGroup)}`).set(world.cast.member.auth).expect(200);
      expect(group.body.myStatus).to.equal('none');
      await world.forum.http.post(`/api/groups/${idOf(world.cast.publicGroup)}/posts`).set(world.cast.member.auth).send({ body: 'hi' }).expect(403);
      const join = await world.forum.http.post(`/api/groups/${idOf(world.cast.publicGroup)}/join`).set(world.cast.member.auth).expect(403);
      expect(join.body.error.message).to.match(/suspended/);
      await world.forum.http.post(`/api/groups/${idOf(world.cast.publicGroup)}/invites`).set(world.cast.owner.auth).send({ userId: idOf(world.cast.member.user) }).expect(403);
      await world.forum.http.delete(`/api/groups/${idOf(world.cast.publicGroup)}/members/${idOf(world.cast.member.user)}`).set(world.cast.owner.auth).expect(404);
      expect((await messagesTo(world.cast.member.user._id))[0]!.text).to.include('repeated abuse');
      expect(await AuditEntry.findOne({ action: 'membership.suspend' }).lean()).to.include({
        target: `membership:${idOf(world.cast.publicGroup)}/${idOf(world.cast.member.user)}`,
        reason: 'repeated abuse',
      });

      const lifted = await world.forum.http.delete(suspendUrl(idOf(world.cast.publicGroup), idOf(world.cast.member.user))).set(world.cast.owner.auth).send({ reason: 'served' }).expect(200);
      expect(lifted.body.suspended).to.equal(false);
      await world.forum.http.delete(suspendUrl(idOf(world.cast.publicGroup), idOf(world.cast.member.user))).set(world.cast.owner.auth).expect(404);
      expect((await world.forum.http.post(`/api/groups/${idOf(world.cast.publicGroup)}/join`).set(world.cast.member.auth).expect(200)).body.myStatus).to.equal('member');
    });

    it('a user who never joined can be suspended pre-emptively', async () => {
      await suspend(world.cast.siteModerator, world.cast.stranger).expect(200);
      await world.forum.http.post(`/api/groups/${idOf(world.cast.publicGroup)}/join`).set(world.cast.stranger.auth).expect(403);
    });
  });

  describe('a site moderator reading a closed group they are not in', () => {
    let postId: string;
    beforeEach(async () => {
      postId = idOf(await postIn(world.cast.closedGroup, world.cast.author));
    });

    it('is refused without a reason, with a message saying one is required', async () => {
      for (const url of [`/api/posts/${postId}`, `/api/posts/${postId}/replies`, `/api/groups/${idOf(world.cast.closedGroup)}/posts`]) {
        const res = await world.forum.http.get(url).set(world.cast.siteModerator.auth).expect(403);
        expect(res.body.error.message, url).to.match(/reason is required/);
      }
      await world.forum.http.delete(`/api/posts/${postId}`).set(world.cast.siteModerator.auth).expect(403);
      expect(await AuditEntry.countDocuments({ action: 'moderator.read' })).to.equal(0);
    });

    it('with a reason (header or ?reason=) is allowed and audited with that reason', async () => {
      await world.forum.http.get(`/api/posts/${postId}`).set(world.cast.siteModerator.auth).set(REASON_HEADER).expect(200);
      await world.forum.http.get(`/api/groups/${idOf(world.cast.closedGroup)}/posts?reason=${encodeURIComponent('court order 7')}`).set(world.cast.siteModerator.auth).expect(200);
      const reads = await AuditEntry.find({ action: 'moderator.read' }).sort({ seq: 1 }).lean();
      expect(reads.map((entry) => [entry.actor, entry.target, entry.reason])).to.deep.equal([
        [idOf(world.cast.siteModerator.user), `post:${postId}`, 'reviewing a report'],
        [idOf(world.cast.siteModerator.user), `group:${idOf(world.cast.closedGroup)}`, 'court order 7'],
      ]);
    });

    it('needs no reason for the group’s name and settings, and members’ reads are never audited', async () => {
      await world.forum.http.get(`/api/groups/${idOf(world.cast.closedGroup)}`).set(world.cast.siteModerator.auth).expect(200);
      await world.forum.http.get(`/api/posts/${postId}`).set(world.cast.member.auth).expect(200);
      await world.forum.http.get(`/api/posts/${postId}`).set(world.cast.groupModerator.auth).expect(200);
      await world.forum.http.get(`/api/posts/${postId}`).set(world.cast.stranger.auth).set(REASON_HEADER).expect(404);
      expect(await AuditEntry.countDocuments()).to.equal(0);
    });

    it('a site moderator who is a member reads without a reason', async () => {
      await Membership.create({ groupId: world.cast.closedGroup._id, userId: world.cast.siteModerator.user._id, status: 'member', role: 'member' });
      await world.forum.http.get(`/api/posts/${postId}`).set(world.cast.siteModerator.auth).expect(200);
      expect(await AuditEntry.countDocuments()).to.equal(0);
    });
  });
});
