// Moderator deletion, suspension from a group, and site moderators' reads of closed groups they are not in.
import { expect } from 'chai';
import { AuditEntry } from '../../../server/models/audit-entry';
import { Group } from '../../../server/models/group';
import { Membership } from '../../../server/models/membership';
import { Post as PostModel } from '../../../server/models/post';
import { Report } from '../../../server/models/report';
import { idOf } from '../../support/content';
import { resetDatabase } from '../../support/database';
import type { BuiltUser } from '../../support/factories';
import { startTestForum, type TestForum } from '../../support/forum';
import { buildModerationCast, messagesTo, postIn, REASON_HEADER, type ModerationCast } from '../../support/moderation';

describe('moderation actions', () => {
  let forum: TestForum;
  let cast: ModerationCast;
  before(async () => {
    forum = await startTestForum();
  });
  after(() => forum.close());
  beforeEach(async () => {
    await resetDatabase();
    cast = await buildModerationCast();
  });

  describe('POST /api/mod/posts/:id/delete', () => {
    const modDelete = (postId: string, who: BuiltUser | null, body: object = { reason: 'illegal content' }) => {
      const request = forum.http.post(`/api/mod/posts/${postId}/delete`).send(body);
      return who ? request.set(who.auth) : request;
    };

    it('requires a token', async () => {
      await modDelete(idOf(await postIn(cast.publicGroup, cast.author)), null).expect(401);
    });

    it('a non-moderator cannot, not even the author (who uses DELETE /api/posts/:id)', async () => {
      const post = await postIn(cast.publicGroup, cast.author);
      for (const who of [cast.author, cast.member, cast.otherOwner]) await modDelete(idOf(post), who).expect(403);
      const closed = await postIn(cast.closedGroup, cast.author);
      await modDelete(idOf(closed), cast.stranger).expect(404);
      expect(await PostModel.countDocuments()).to.equal(2);
    });

    it('requires a reason; 404 for non-ids and unknown posts', async () => {
      const post = await postIn(cast.publicGroup, cast.author);
      expect((await modDelete(idOf(post), cast.siteModerator, {}).expect(400)).body.error.field).to.equal('reason');
      await modDelete('bad', cast.siteModerator).expect(404);
      await modDelete('0123456789abcdef01234567', cast.siteModerator).expect(404);
    });

    it('deletes for everyone, resolves the reports as deleted by the moderator, tells the author and audits', async () => {
      const post = await postIn(cast.closedGroup, cast.author);
      await forum.http.post(`/api/posts/${idOf(post)}/reports`).set(cast.member.auth).send({ reason: 'threat' }).expect(201);
      await modDelete(idOf(post), cast.siteModerator, { reason: 'credible threat' }).expect(204);
      expect(await PostModel.exists({ _id: post._id })).to.equal(null);
      await forum.http.get(`/api/posts/${idOf(post)}`).set(cast.member.auth).expect(404);
      const report = await Report.findOne({ postId: post._id }).lean();
      expect(report!.resolution).to.include({ action: 'delete', reason: 'credible threat' });
      expect(String(report!.resolution!.by)).to.equal(idOf(cast.siteModerator.user));
      expect((await messagesTo(cast.author.user._id))[0]!.text).to.include('credible threat');
      expect(await AuditEntry.findOne({ action: 'post.delete' }).lean()).to.include({ target: `post:${idOf(post)}`, reason: 'credible threat' });
    });

    it('group moderators delete in their own group', async () => {
      const post = await postIn(cast.publicGroup, cast.author);
      await modDelete(idOf(post), cast.groupModerator).expect(204);
    });
  });

  describe('POST/DELETE /api/mod/groups/:id/members/:userId/suspend', () => {
    const suspendUrl = (groupId: string, userId: string) => `/api/mod/groups/${groupId}/members/${userId}/suspend`;
    const suspend = (who: BuiltUser | null, target: BuiltUser, body: object = { reason: 'repeated abuse' }, group = cast.publicGroup) => {
      const request = forum.http.post(suspendUrl(idOf(group), idOf(target.user))).send(body);
      return who ? request.set(who.auth) : request;
    };

    it('requires a token', async () => {
      await suspend(null, cast.member).expect(401);
      await forum.http.delete(suspendUrl(idOf(cast.publicGroup), idOf(cast.member.user))).expect(401);
    });

    it('a non-moderator cannot suspend or lift: 403 in a visible group, 404 in an invisible one', async () => {
      await suspend(cast.member, cast.author).expect(403);
      await suspend(cast.otherOwner, cast.author).expect(403);
      await suspend(cast.stranger, cast.author, undefined, cast.closedGroup).expect(404);
      await forum.http.delete(suspendUrl(idOf(cast.publicGroup), idOf(cast.author.user))).set(cast.member.auth).expect(403);
      expect((await Membership.findOne({ groupId: cast.publicGroup._id, userId: cast.author.user._id }).lean())!.status).to.equal('member');
    });

    it('rejects a missing reason, non-ids and unknown users', async () => {
      expect((await suspend(cast.owner, cast.member, {}).expect(400)).body.error.field).to.equal('reason');
      await forum.http.post(suspendUrl('nope', idOf(cast.member.user))).set(cast.owner.auth).send({ reason: 'x' }).expect(404);
      await forum.http.post(suspendUrl(idOf(cast.publicGroup), 'nope')).set(cast.owner.auth).send({ reason: 'x' }).expect(404);
      await forum.http.post(suspendUrl(idOf(cast.publicGroup), '0123456789abcdef01234567')).set(cast.owner.auth).send({ reason: 'x' }).expect(404);
    });

    it('never the owner or oneself; a group moderator only by the owner or a site moderator', async () => {
      await suspend(cast.groupModerator, cast.owner).expect(403);
      await suspend(cast.siteModerator, cast.owner).expect(403);
      await suspend(cast.groupModerator, cast.groupModerator).expect(403);
      const peer = await buildModerationCast().then((other) => other.groupModerator);
      await Membership.create({ groupId: cast.publicGroup._id, userId: peer.user._id, status: 'member', role: 'moderator' });
      await suspend(cast.groupModerator, peer).expect(403);
      await suspend(cast.owner, peer).expect(200);
    });

    it('ends membership at once, blocks joining and invitations until lifted, and resolves reports on their posts', async () => {
      const post = await postIn(cast.publicGroup, cast.member);
      await forum.http.post(`/api/posts/${idOf(post)}/reports`).set(cast.author.auth).send({ reason: 'abuse' }).expect(201);
      const before = (await Group.findById(cast.publicGroup._id).lean())!.memberCount;

      const res = await suspend(cast.groupModerator, cast.member, { reason: 'repeated abuse' }).expect(200);
      expect(res.body).to.deep.equal({ groupId: idOf(cast.publicGroup), userId: idOf(cast.member.user), suspended: true });
      expect((await Group.findById(cast.publicGroup._id).lean())!.memberCount).to.equal(before - 1);
      await suspend(cast.groupModerator, cast.member).expect(409);
      expect((await Report.findOne({ postId: post._id }).lean())!.resolution).to.include({ action: 'suspend' });

      const group = await forum.http.get(`/api/groups/${idOf(cast.publicGroup)}`).set(cast.member.auth).expect(200);
      expect(group.body.myStatus).to.equal('none');
      await forum.http.post(`/api/groups/${idOf(cast.publicGroup)}/posts`).set(cast.member.auth).send({ body: 'hi' }).expect(403);
      const join = await forum.http.post(`/api/groups/${idOf(cast.publicGroup)}/join`).set(cast.member.auth).expect(403);
      expect(join.body.error.message).to.match(/suspended/);
      await forum.http.post(`/api/groups/${idOf(cast.publicGroup)}/invites`).set(cast.owner.auth).send({ userId: idOf(cast.member.user) }).expect(403);
      await forum.http.delete(`/api/groups/${idOf(cast.publicGroup)}/members/${idOf(cast.member.user)}`).set(cast.owner.auth).expect(404);
      expect((await messagesTo(cast.member.user._id))[0]!.text).to.include('repeated abuse');
      expect(await AuditEntry.findOne({ action: 'membership.suspend' }).lean()).to.include({
        target: `membership:${idOf(cast.publicGroup)}/${idOf(cast.member.user)}`,
        reason: 'repeated abuse',
      });

      const lifted = await forum.http.delete(suspendUrl(idOf(cast.publicGroup), idOf(cast.member.user))).set(cast.owner.auth).send({ reason: 'served' }).expect(200);
      expect(lifted.body.suspended).to.equal(false);
      await forum.http.delete(suspendUrl(idOf(cast.publicGroup), idOf(cast.member.user))).set(cast.owner.auth).expect(404);
      expect((await forum.http.post(`/api/groups/${idOf(cast.publicGroup)}/join`).set(cast.member.auth).expect(200)).body.myStatus).to.equal('member');
    });

    it('a user who never joined can be suspended pre-emptively', async () => {
      await suspend(cast.siteModerator, cast.stranger).expect(200);
      await forum.http.post(`/api/groups/${idOf(cast.publicGroup)}/join`).set(cast.stranger.auth).expect(403);
    });
  });

  describe('a site moderator reading a closed group they are not in', () => {
    let postId: string;
    beforeEach(async () => {
      postId = idOf(await postIn(cast.closedGroup, cast.author));
    });

    it('is refused without a reason, with a message saying one is required', async () => {
      for (const url of [`/api/posts/${postId}`, `/api/posts/${postId}/replies`, `/api/groups/${idOf(cast.closedGroup)}/posts`]) {
        const res = await forum.http.get(url).set(cast.siteModerator.auth).expect(403);
        expect(res.body.error.message, url).to.match(/reason is required/);
      }
      await forum.http.delete(`/api/posts/${postId}`).set(cast.siteModerator.auth).expect(403);
      expect(await AuditEntry.countDocuments({ action: 'moderator.read' })).to.equal(0);
    });

    it('with a reason (header or ?reason=) is allowed and audited with that reason', async () => {
      await forum.http.get(`/api/posts/${postId}`).set(cast.siteModerator.auth).set(REASON_HEADER).expect(200);
      await forum.http.get(`/api/groups/${idOf(cast.closedGroup)}/posts?reason=${encodeURIComponent('court order 7')}`).set(cast.siteModerator.auth).expect(200);
      const reads = await AuditEntry.find({ action: 'moderator.read' }).sort({ seq: 1 }).lean();
      expect(reads.map((entry) => [entry.actor, entry.target, entry.reason])).to.deep.equal([
        [idOf(cast.siteModerator.user), `post:${postId}`, 'reviewing a report'],
        [idOf(cast.siteModerator.user), `group:${idOf(cast.closedGroup)}`, 'court order 7'],
      ]);
    });

    it('needs no reason for the group’s name and settings, and members’ reads are never audited', async () => {
      await forum.http.get(`/api/groups/${idOf(cast.closedGroup)}`).set(cast.siteModerator.auth).expect(200);
      await forum.http.get(`/api/posts/${postId}`).set(cast.member.auth).expect(200);
      await forum.http.get(`/api/posts/${postId}`).set(cast.groupModerator.auth).expect(200);
      await forum.http.get(`/api/posts/${postId}`).set(cast.stranger.auth).set(REASON_HEADER).expect(404);
      expect(await AuditEntry.countDocuments()).to.equal(0);
    });

    it('a site moderator who is a member reads without a reason', async () => {
      await Membership.create({ groupId: cast.closedGroup._id, userId: cast.siteModerator.user._id, status: 'member', role: 'member' });
      await forum.http.get(`/api/posts/${postId}`).set(cast.siteModerator.auth).expect(200);
      expect(await AuditEntry.countDocuments()).to.equal(0);
    });
  });
});
