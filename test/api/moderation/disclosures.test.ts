// Disclosures: made from a hold, a package whose hashes a recipient can check, and the affected users' notice.
import { createHash } from 'node:crypto';
import { expect } from 'chai';
import type { Disclosure, DisclosurePackage, HoldWithItems } from '../../../shared/moderation';
import { AuditEntry } from '../../../server/models/audit-entry';
import { Disclosure as DisclosureModel } from '../../../server/models/disclosure';
import { disclosuresAbout } from '../../../server/services/disclosures';
import { moderationActionsOn } from '../../../server/services/moderation';
import { buildPost, idOf } from '../../support/content';
import type { BuiltUser } from '../../support/factories';
import { messagesTo, postIn, useModerationForum } from '../../support/moderation';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('disclosures', () => {
  const world = useModerationForum();
  let hold: HoldWithItems;
  beforeEach(async () => {
    const post = await buildPost({ group: world.cast.closedGroup, author: world.cast.author, body: '<p>évidence ✓</p>', images: { count: 2, ctx: world.forum.ctx } });
    await world.forum.http.patch(`/api/posts/${idOf(post)}`).set(world.cast.author.auth).send({ body: '<p>edited</p>' }).expect(200);
    await postIn(world.cast.closedGroup, world.cast.member, { parent: post });
    hold = (
      await world.forum.http
        .post('/api/mod/holds')
        .set(world.cast.siteModerator.auth)
        .send({ scope: { type: 'post', id: idOf(post) }, reason: 'court order', reference: 'CO-1' })
        .expect(201)
    ).body;
  });

  const request = (overrides: object = {}) => ({
    holdId: hold.id,
    legalBasis: 'Court order under s. 12',
    reference: 'CO-1/2024',
    recipient: 'District Court Clerk',
    ...overrides,
  });

  function disclose(who: BuiltUser | null, body: object) {
    const req = world.forum.http.post('/api/mod/disclosures').send(body);
    return who ? req.set(who.auth) : req;
  }

  describe('POST /api/mod/disclosures', () => {
    it('requires a token', async () => {
      await disclose(null, request()).expect(401);
    });

    it('a non-moderator cannot, nor a group owner', async () => {
      for (const who of [world.cast.author, world.cast.owner, world.cast.groupModerator]) await disclose(who, request()).expect(403);
      expect(await DisclosureModel.countDocuments()).to.equal(0);
    });

    it('rejects bad input with 400 naming the field', async () => {
      const cases: [object, string][] = [
        [request({ holdId: 'nope' }), 'holdId'],
        [request({ holdId: '0123456789abcdef01234567' }), 'holdId'],
        [request({ legalBasis: '' }), 'legalBasis'],
        [request({ recipient: undefined }), 'recipient'],
        [request({ reference: 'x'.repeat(500) }), 'reference'],
        [request({ notifyUser: 'no' }), 'notifyUser'],
        [request({ notifyUser: false }), 'withholdReason'],
        [request({ notifyUser: false, withholdReason: '   ' }), 'withholdReason'],
      ];
      for (const [body, field] of cases) {
        const res = await disclose(world.cast.siteModerator, body).expect(400);
        expect(res.body.error.field, JSON.stringify(body)).to.equal(field);
      }
      expect(await DisclosureModel.countDocuments()).to.equal(0);
    });

    it('cannot disclose from a released hold', async () => {
      await world.forum.http.delete(`/api/mod/holds/${hold.id}`).set(world.cast.admin.auth).send({ reason: 'closed' }).expect(200);
      await disclose(world.cast.siteModerator, request()).expect(409);
    });

    it('by default tells each affected user, lists it in their export, and audits it', async () => {
      const res = await disclose(world.cast.siteModerator, request()).expect(201);
      const disclosure = res.body as Disclosure;
      expect(disclosure.downloadUrl).to.equal(`/api/mod/disclosures/${disclosure.id}/package`);
      expect(disclosure).to.include({ notifyUser: true, withholdReason: null, itemCount: hold.items.length });

      for (const user of [world.cast.author, world.cast.member]) {
        const messages = await messagesTo(user.user._id);
        expect(messages, user.user.name).to.have.length(1);
        expect(messages[0]!.text).to.include('District Court Clerk').and.to.include('Court order under s. 12');
        const notices = await disclosuresAbout(user.user._id);
        expect(notices.map((notice) => notice.id)).to.deep.equal([disclosure.id]);
        expect(notices[0]).to.include({ recipient: 'District Court Clerk', legalBasis: 'Court order under s. 12', itemCount: 1 });
      }
      expect(await disclosuresAbout(world.cast.stranger.user._id)).to.deep.equal([]);
      expect(await AuditEntry.findOne({ action: 'disclosure.create' }).lean()).to.include({
        actor: idOf(world.cast.siteModerator.user),
        target: `disclosure:${disclosure.id}`,
      });
    });

    it('withholding the notice needs a reason, is audited, and leaves no message or export entry', async () => {
      const res = await disclose(world.cast.siteModerator, request({ notifyUser: false, withholdReason: 'would tip off the suspect' })).expect(201);
      expect(res.body).to.include({ notifyUser: false, withholdReason: 'would tip off the suspect' });
      expect(await messagesTo(world.cast.author.user._id)).to.deep.equal([]);
      expect(await disclosuresAbout(world.cast.author.user._id)).to.deep.equal([]);
      expect(await AuditEntry.findOne({ action: 'disclosure.withhold_notice' }).lean()).to.include({
        target: `disclosure:${res.body.id}`,
        reason: 'would tip off the suspect',
      });
    });

    it('GET /api/mod/disclosures/:id shows it to site moderators only', async () => {
      const id = (await disclose(world.cast.siteModerator, request()).expect(201)).body.id as string;
      await world.forum.http.get(`/api/mod/disclosures/${id}`).expect(401);
      await world.forum.http.get(`/api/mod/disclosures/${id}`).set(world.cast.author.auth).expect(403);
      expect((await world.forum.http.get(`/api/mod/disclosures/${id}`).set(world.cast.siteModerator.auth).expect(200)).body.id).to.equal(id);
      await world.forum.http.get('/api/mod/disclosures/0123456789abcdef01234567').set(world.cast.siteModerator.auth).expect(404);
    });
  });

  describe('GET /api/mod/disclosures/:id/package', () => {
    let disclosure: Disclosure;
    beforeEach(async () => {
      disclosure = (await disclose(world.cast.siteModerator, request()).expect(201)).body;
    });

    it('requires a token', async () => {
      await world.forum.http.get(disclosure.downloadUrl).expect(401);
    });

    it('a non-moderator cannot download it', async () => {
      for (const who of [world.cast.author, world.cast.owner]) await world.forum.http.get(disclosure.downloadUrl).set(who.auth).expect(403);
      await world.forum.http.get('/api/mod/disclosures/zzz/package').set(world.cast.siteModerator.auth).expect(404);
    });

    it('every item’s hash matches the bytes served, and the manifest lists each one with the metadata', async () => {
      const res = await world.forum.http.get(disclosure.downloadUrl).set(world.cast.siteModerator.auth).expect(200);
      const pack = res.body as DisclosurePackage;
      expect(pack.manifest.hold).to.include({ id: hold.id, reference: 'CO-1' });
      expect(pack.manifest.disclosure).to.include({ id: disclosure.id, recipient: 'District Court Clerk', legalBasis: 'Court order under s. 12' });
      expect(Date.parse(pack.manifest.producedAt)).to.be.closeTo(Date.now(), 60_000);
      expect(pack.manifest.items).to.deep.equal(pack.items.map(({ id, type, sha256: hash }) => ({ id, type, sha256: hash })));

      const posts = pack.items.filter((item) => item.type === 'post');
      const images = pack.items.filter((item) => item.type === 'image');
      expect(posts).to.have.length(2);
      expect(images).to.have.length(4);
      for (const item of pack.items) {
        const bytes = item.encoding === 'base64' ? Buffer.from(item.data, 'base64') : Buffer.from(item.data, 'utf8');
        expect(sha256(bytes), item.id).to.equal(item.sha256);
      }
      for (const image of images) {
        const bytes = Buffer.from(image.data, 'base64');
        expect(bytes.subarray(0, 4).toString('latin1')).to.equal('RIFF');
        expect(bytes.subarray(8, 12).toString('latin1')).to.equal('WEBP');
      }
      const main = posts.map((item) => JSON.parse(item.data)).find((content) => content.parentId === null);
      expect(main.body).to.equal('<p>edited</p>');
      expect(main.revisions[0].body).to.equal('<p>évidence ✓</p>');
      // The stored hash from preservation time is the hash served: nothing was re-serialized on the way.
      expect(posts.map((item) => item.sha256).sort()).to.deep.equal(hold.items.map((item) => item.sha256).sort());
    });

    it('serves the same items on every download, later preservations notwithstanding, and audits each download', async () => {
      const first = (await world.forum.http.get(disclosure.downloadUrl).set(world.cast.siteModerator.auth).expect(200)).body as DisclosurePackage;
      await world.forum.http.patch(`/api/posts/${hold.scope.id}`).set(world.cast.author.auth).send({ body: '<p>later</p>' }).expect(200);
      const second = (await world.forum.http.get(disclosure.downloadUrl).set(world.cast.siteModerator.auth).expect(200)).body as DisclosurePackage;
      expect(second.manifest.items).to.deep.equal(first.manifest.items);
      const downloads = await AuditEntry.find({ action: 'disclosure.download' }).lean();
      expect(downloads).to.have.length(2);
      expect(downloads[0]).to.include({ actor: idOf(world.cast.siteModerator.user), target: `disclosure:${disclosure.id}` });
    });

    it('answers 409 once the hold was released and its copies deleted', async () => {
      await world.forum.http.delete(`/api/mod/holds/${hold.id}`).set(world.cast.admin.auth).send({ reason: 'closed' }).expect(200);
      await world.forum.http.get(disclosure.downloadUrl).set(world.cast.siteModerator.auth).expect(409);
    });
  });

  it('moderationActionsOn lists what was done to a user’s content, without the moderator', async () => {
    const post = await postIn(world.cast.publicGroup, world.cast.author);
    await world.forum.http.post(`/api/mod/posts/${idOf(post)}/hide`).set(world.cast.siteModerator.auth).send({ reason: 'spam' }).expect(200);
    const notices = await moderationActionsOn(world.cast.author.user._id);
    expect(notices).to.have.length(1);
    expect(notices[0]).to.include({ action: 'hide', postId: idOf(post), reason: 'spam', groupId: idOf(world.cast.publicGroup) });
    expect(notices[0]).to.have.all.keys('action', 'groupId', 'postId', 'reason', 'at');
  });
});
