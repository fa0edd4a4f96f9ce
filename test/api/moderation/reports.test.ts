// Reporting posts, the review queue and dismissing reports.
import { expect } from 'chai';
import type { Report } from '../../../shared/moderation';
import { AuditEntry } from '../../../server/models/audit-entry';
import { Report as ReportModel } from '../../../server/models/report';
import { User } from '../../../server/models/user';
import { idOf } from '../../support/content';
import { hideViaRoute, postIn, REASON_HEADER, useModerationForum } from '../../support/moderation';

describe('reports', () => {
  const world = useModerationForum();

  function report(postId: string, who: { auth: Record<string, string> } | null, body: unknown = { reason: 'abusive' }) {
    const request = world.forum.http.post(`/api/posts/${postId}/reports`).send(body as object);
    return who ? request.set(who.auth) : request;
  }

  describe('POST /api/posts/:id/reports', () => {
    it('requires a token', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      await report(idOf(post), null).expect(401);
    });

    it('a non-member cannot report a closed group post: it does not exist for them', async () => {
      const post = await postIn(world.cast.closedGroup, world.cast.author);
      const res = await report(idOf(post), world.cast.stranger).expect(404);
      expect(res.body.error.message).to.equal('No such post.');
      expect(await ReportModel.countDocuments()).to.equal(0);
    });

    it('a site moderator outside a closed group gets the unknown id’s 404: a report would reveal the post without a stated reason', async () => {
      const post = await postIn(world.cast.closedGroup, world.cast.author);
      const closed = await report(idOf(post), world.cast.siteModerator).expect(404);
      const unknown = await report('0123456789abcdef01234567', world.cast.siteModerator).expect(404);
      expect(closed.body).to.deep.equal(unknown.body);
      expect(await ReportModel.countDocuments()).to.equal(0);
      // Read with a reason, the post offers them no report either: they act on it directly.
      const read = await world.forum.http.get(`/api/posts/${idOf(post)}`).set(world.cast.siteModerator.auth).set(REASON_HEADER).expect(200);
      expect(read.body.can).to.include({ report: false, hide: true });
    });

    it('any signed-in user who can see a post can report it', async () => {
      const publicPost = await postIn(world.cast.publicGroup, world.cast.author);
      const closedPost = await postIn(world.cast.closedGroup, world.cast.author);
      const res = await report(idOf(publicPost), world.cast.stranger).expect(201);
      expect(res.body).to.include({ postId: idOf(publicPost), reason: 'abusive', status: 'open' });
      expect(res.body).to.have.all.keys('id', 'postId', 'reason', 'status', 'createdAt');
      await report(idOf(closedPost), world.cast.member).expect(201);
    });

    it('requires a reason, of sensible length and type', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      for (const body of [{}, { reason: '' }, { reason: '   ' }, { reason: 42 }, { reason: 'x'.repeat(1001) }]) {
        const res = await report(idOf(post), world.cast.member, body).expect(400);
        expect(res.body.error.field).to.equal('reason');
      }
      expect(await ReportModel.countDocuments()).to.equal(0);
    });

    it('answers 404 for a non-id and an unknown id', async () => {
      await report('not-an-id', world.cast.member).expect(404);
      await report('0123456789abcdef01234567', world.cast.member).expect(404);
    });

    it('accepts one open report per user per post; another user may still report', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      await report(idOf(post), world.cast.member).expect(201);
      const again = await report(idOf(post), world.cast.member, { reason: 'still abusive' }).expect(409);
      expect(again.body.error.code).to.equal('conflict');
      await report(idOf(post), world.cast.stranger).expect(201);
      expect(await ReportModel.countDocuments()).to.equal(2);
    });

    it('once the report is closed the same user may report the post again', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      const first = await report(idOf(post), world.cast.member).expect(201);
      await world.forum.http.post(`/api/mod/reports/${first.body.id}/dismiss`).set(world.cast.siteModerator.auth).send({ reason: 'fine' }).expect(204);
      await report(idOf(post), world.cast.member).expect(201);
    });

    it('a hidden post cannot be reported by those it is hidden from', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      await hideViaRoute(world.forum, world.cast.siteModerator, idOf(post));
      await report(idOf(post), world.cast.member).expect(404);
    });
  });

  describe('GET /api/mod/reports', () => {
    it('requires a token', async () => {
      await world.forum.http.get('/api/mod/reports').expect(401);
    });

    it('a non-moderator cannot see the queue', async () => {
      for (const who of [world.cast.member, world.cast.stranger, world.cast.author]) {
        const res = await world.forum.http.get('/api/mod/reports').set(who.auth).expect(403);
        expect(res.body.error.message).to.match(/moderators/);
      }
    });

    it('site moderators see every open report with post and reporter; group moderators only their groups’', async () => {
      const inPublic = await postIn(world.cast.publicGroup, world.cast.author);
      const inClosed = await postIn(world.cast.closedGroup, world.cast.author);
      const elsewhere = await postIn(world.cast.otherGroup, world.cast.otherOwner);
      await report(idOf(inPublic), world.cast.member).expect(201);
      await report(idOf(inClosed), world.cast.member).expect(201);
      await report(idOf(elsewhere), world.cast.stranger).expect(201);

      const all = (await world.forum.http.get('/api/mod/reports?status=open').set(world.cast.siteModerator.auth).set(REASON_HEADER).expect(200)).body
        .items as Report[];
      expect(all.map((row) => row.post?.id)).to.deep.equal([idOf(elsewhere), idOf(inClosed), idOf(inPublic)]);
      expect(all[0]).to.have.all.keys('id', 'post', 'postHidden', 'postWithheld', 'reason', 'reporter', 'status', 'createdAt', 'resolution');
      expect(all[1]!.reporter!.id).to.equal(idOf(world.cast.member.user));
      expect(all[1]!.reporter).not.to.have.any.keys('email', 'name', 'roles', 'isMember');

      for (const groupManager of [world.cast.owner, world.cast.groupModerator]) {
        const mine = (await world.forum.http.get('/api/mod/reports').set(groupManager.auth).expect(200)).body.items as Report[];
        expect(mine.map((row) => row.post?.id)).to.deep.equal([idOf(inClosed), idOf(inPublic)]);
      }
      const other = (await world.forum.http.get('/api/mod/reports').set(world.cast.otherOwner.auth).expect(200)).body.items as Report[];
      expect(other.map((row) => row.post?.id)).to.deep.equal([idOf(elsewhere)]);
    });

    it('shows a site moderator a closed group’s post in the queue only with their own reason, and audits it with that reason', async () => {
      const inPublic = await postIn(world.cast.publicGroup, world.cast.author);
      const inClosed = await postIn(world.cast.closedGroup, world.cast.author);
      await report(idOf(inPublic), world.cast.member).expect(201);
      const filed = (await report(idOf(inClosed), world.cast.member).expect(201)).body as { id: string };
      const readsOf = () => AuditEntry.find({ action: 'moderator.read' }).lean();

      await world.forum.http.get('/api/mod/reports').set(world.cast.owner.auth).expect(200);
      expect(await readsOf(), 'the group’s own owner is a member: nothing to audit').to.deep.equal([]);

      const withheld = (await world.forum.http.get('/api/mod/reports').set(world.cast.siteModerator.auth).expect(200)).body.items as Report[];
      const closedRow = withheld.find((row) => row.id === filed.id)!;
      expect([closedRow.post, closedRow.postWithheld]).to.deep.equal([null, true]);
      expect(JSON.stringify(withheld)).not.to.include(inClosed.bodyText);
      expect(await readsOf(), 'nothing was read').to.deep.equal([]);

      const shown = (await world.forum.http.get('/api/mod/reports').set(world.cast.siteModerator.auth).set(REASON_HEADER).expect(200)).body.items as Report[];
      expect(shown.find((row) => row.id === filed.id)!.post!.id).to.equal(idOf(inClosed));
      const reads = await readsOf();
      expect(reads.map((entry) => [entry.actor, entry.target, entry.reason])).to.deep.equal([
        [idOf(world.cast.siteModerator.user), `post:${idOf(inClosed)}`, REASON_HEADER['X-Moderation-Reason']],
      ]);
    });

    it('a site moderator cannot read a closed post by filing a report on it with reason "." themselves', async () => {
      const inClosed = await postIn(world.cast.closedGroup, world.cast.author, { body: '<p>the committee minutes</p>' });
      await report(idOf(inClosed), world.cast.siteModerator, { reason: '.' }).expect(404);
      const res = await world.forum.http.get('/api/mod/reports').set(world.cast.siteModerator.auth).expect(200);
      expect(res.text).not.to.include('committee minutes');
      expect(res.body.items).to.deep.equal([]);
      expect(await AuditEntry.countDocuments({ action: 'moderator.read' })).to.equal(0);
    });

    it('shows a reporter whose account is being erased as nobody, like every other presenter of people', async () => {
      await report(idOf(await postIn(world.cast.publicGroup, world.cast.author)), world.cast.member).expect(201);
      await User.updateOne({ _id: world.cast.member.user._id }, { $set: { status: 'erasing' } });
      const [row] = (await world.forum.http.get('/api/mod/reports').set(world.cast.siteModerator.auth).expect(200)).body.items as Report[];
      expect(row!.reporter).to.equal(null);
    });

    it('filters by status and pages newest first', async () => {
      const posts = [];
      for (let i = 0; i < 3; i++) posts.push(await postIn(world.cast.publicGroup, world.cast.author));
      const ids = [];
      for (const post of posts) ids.push((await report(idOf(post), world.cast.member).expect(201)).body.id as string);
      await world.forum.http.post(`/api/mod/reports/${ids[0]}/dismiss`).set(world.cast.siteModerator.auth).send({ reason: 'fine' }).expect(204);

      const page1 = await world.forum.http.get('/api/mod/reports?limit=1').set(world.cast.siteModerator.auth).expect(200);
      expect(page1.body.items.map((row: Report) => row.id)).to.deep.equal([ids[2]]);
      const page2 = await world.forum.http.get(`/api/mod/reports?limit=1&cursor=${page1.body.nextCursor}`).set(world.cast.siteModerator.auth).expect(200);
      expect(page2.body.items.map((row: Report) => row.id)).to.deep.equal([ids[1]]);
      expect(page2.body.nextCursor).to.equal(null);

      const dismissed = await world.forum.http.get('/api/mod/reports?status=dismissed').set(world.cast.siteModerator.auth).expect(200);
      expect(dismissed.body.items.map((row: Report) => row.id)).to.deep.equal([ids[0]]);
      expect(dismissed.body.items[0].resolution).to.include({ action: 'dismiss', by: idOf(world.cast.siteModerator.user), reason: 'fine' });
    });

    it('lists handled reports with open ones under status=all, newest first', async () => {
      const [handled, open] = [await postIn(world.cast.publicGroup, world.cast.author), await postIn(world.cast.publicGroup, world.cast.author)];
      const dismissedId = (await report(idOf(handled), world.cast.member).expect(201)).body.id as string;
      const openId = (await report(idOf(open), world.cast.member).expect(201)).body.id as string;
      await world.forum.http.post(`/api/mod/reports/${dismissedId}/dismiss`).set(world.cast.siteModerator.auth).send({ reason: 'fine' }).expect(204);
      const all = (await world.forum.http.get('/api/mod/reports?status=all&limit=50').set(world.cast.siteModerator.auth).expect(200)).body.items as Report[];
      const mine = all.filter((row) => [dismissedId, openId].includes(row.id));
      expect(mine.map((row) => [row.id, row.status])).to.deep.equal([
        [openId, 'open'],
        [dismissedId, 'dismissed'],
      ]);
      const onlyOpen = (await world.forum.http.get('/api/mod/reports?limit=50').set(world.cast.siteModerator.auth).expect(200)).body.items as Report[];
      expect(onlyOpen.map((row) => row.id)).to.include(openId).and.not.include(dismissedId);
    });

    it('rejects an unknown status with 400', async () => {
      const res = await world.forum.http.get('/api/mod/reports?status=whatever').set(world.cast.siteModerator.auth).expect(400);
      expect(res.body.error.field).to.equal('status');
    });

    it('a report on a post its author deleted is closed and shows no post', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      await report(idOf(post), world.cast.member).expect(201);
      await world.forum.http.delete(`/api/posts/${idOf(post)}`).set(world.cast.author.auth).expect(204);
      await waitFor(async () => (await ReportModel.countDocuments({ status: 'open' })) === 0);
      const resolved = (await world.forum.http.get('/api/mod/reports?status=resolved').set(world.cast.siteModerator.auth).expect(200)).body.items as Report[];
      expect(resolved).to.have.length(1);
      expect(resolved[0]!.post).to.equal(null);
      expect(resolved[0]!.resolution).to.include({ action: 'post_deleted', by: null });
    });
  });

  describe('POST /api/mod/reports/:id/dismiss', () => {
    async function openReport(): Promise<string> {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      return (await report(idOf(post), world.cast.member).expect(201)).body.id as string;
    }

    it('requires a token', async () => {
      await world.forum.http.post(`/api/mod/reports/${await openReport()}/dismiss`).send({ reason: 'fine' }).expect(401);
    });

    it('a non-moderator cannot dismiss', async () => {
      const id = await openReport();
      await world.forum.http.post(`/api/mod/reports/${id}/dismiss`).set(world.cast.member.auth).send({ reason: 'fine' }).expect(403);
      expect((await ReportModel.findById(id).lean())!.status).to.equal('open');
    });

    it('a moderator of another group does not see the report (404)', async () => {
      const id = await openReport();
      await world.forum.http.post(`/api/mod/reports/${id}/dismiss`).set(world.cast.otherOwner.auth).send({ reason: 'fine' }).expect(404);
    });

    it('requires a reason; 404 for non-ids and unknown ids; 409 once closed', async () => {
      const id = await openReport();
      const missing = await world.forum.http.post(`/api/mod/reports/${id}/dismiss`).set(world.cast.siteModerator.auth).send({}).expect(400);
      expect(missing.body.error.field).to.equal('reason');
      await world.forum.http.post('/api/mod/reports/nope/dismiss').set(world.cast.siteModerator.auth).send({ reason: 'x' }).expect(404);
      await world.forum.http.post('/api/mod/reports/0123456789abcdef01234567/dismiss').set(world.cast.siteModerator.auth).send({ reason: 'x' }).expect(404);
      await world.forum.http.post(`/api/mod/reports/${id}/dismiss`).set(world.cast.groupModerator.auth).send({ reason: 'fine' }).expect(204);
      await world.forum.http.post(`/api/mod/reports/${id}/dismiss`).set(world.cast.siteModerator.auth).send({ reason: 'fine' }).expect(409);
    });

    it('closes every open report on the post, records who and why, and audits it', async () => {
      const post = await postIn(world.cast.publicGroup, world.cast.author);
      const first = (await report(idOf(post), world.cast.member).expect(201)).body.id as string;
      await report(idOf(post), world.cast.stranger).expect(201);
      await world.forum.http.post(`/api/mod/reports/${first}/dismiss`).set(world.cast.owner.auth).send({ reason: 'satire' }).expect(204);
      const rows = await ReportModel.find({ postId: post._id }).lean();
      expect(rows.map((row) => row.status)).to.deep.equal(['dismissed', 'dismissed']);
      expect(String(rows[1]!.resolution!.by)).to.equal(idOf(world.cast.owner.user));
      const entry = await AuditEntry.findOne({ action: 'report.dismiss' }).lean();
      expect(entry).to.include({ actor: idOf(world.cast.owner.user), target: `report:${first}`, reason: 'satire' });
    });
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
