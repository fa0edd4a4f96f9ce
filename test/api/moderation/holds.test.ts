// Legal holds: everything in scope preserved at once and before every later change; release respects overlaps.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { expect } from 'chai';
import type { HoldWithItems, PreservedItem as PreservedItemShape } from '../../../shared/moderation';
import { AuditEntry } from '../../../server/models/audit-entry';
import { Like } from '../../../server/models/like';
import { Post as PostModel, type PostFields } from '../../../server/models/post';
import { PreservedItem } from '../../../server/models/preserved-item';
import { User } from '../../../server/models/user';
import { preserveBeforeChange } from '../../../server/services/holds';
import { buildPost, idOf } from '../../support/content';
import type { BuiltUser } from '../../support/factories';
import { postIn, useModerationForum } from '../../support/moderation';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

describe('legal holds', () => {
  const world = useModerationForum();

  function placeHold(who: BuiltUser | null, body: object) {
    const request = world.forum.http.post('/api/mod/holds').send(body);
    return who ? request.set(who.auth) : request;
  }
  const holdOn = (type: 'post' | 'user' | 'group', id: string) => ({ scope: { type, id }, reason: 'police request', reference: 'CASE-2024-17' });

  async function readHold(id: string): Promise<HoldWithItems> {
    return (await world.forum.http.get(`/api/mod/holds/${id}`).set(world.cast.siteModerator.auth).expect(200)).body as HoldWithItems;
  }

  const versionsOf = (hold: HoldWithItems, post: { _id: unknown }) => hold.items.filter((item) => item.postId === String(post._id));

  describe('POST /api/mod/holds', () => {
    it('requires a token', async () => {
      await placeHold(null, holdOn('user', idOf(world.cast.author.user))).expect(401);
    });

    it('a non-moderator cannot, and neither can a group owner or group moderator', async () => {
      for (const who of [world.cast.member, world.cast.owner, world.cast.groupModerator]) {
        const res = await placeHold(who, holdOn('group', idOf(world.cast.publicGroup))).expect(403);
        expect(res.body.error.message).to.match(/site moderators/);
      }
    });

    it('rejects bad input with 400 naming the field', async () => {
      const cases: [object, string][] = [
        [{ reason: 'r', reference: 'x' }, 'scope'],
        [{ ...holdOn('user', idOf(world.cast.author.user)), scope: { type: 'planet', id: idOf(world.cast.author.user) } }, 'scope.type'],
        [{ ...holdOn('user', 'nope'), reason: 'r' }, 'scope.id'],
        [{ ...holdOn('user', idOf(world.cast.author.user)), reason: '' }, 'reason'],
        [{ ...holdOn('user', idOf(world.cast.author.user)), reference: undefined }, 'reference'],
        [{ ...holdOn('user', idOf(world.cast.author.user)), reference: 'x'.repeat(201) }, 'reference'],
        [holdOn('post', '0123456789abcdef01234567'), 'scope.id'],
        [holdOn('group', idOf(world.cast.author.user)), 'scope.id'],
      ];
      for (const [body, field] of cases) {
        const res = await placeHold(world.cast.siteModerator, body).expect(400);
        expect(res.body.error.field, JSON.stringify(body)).to.equal(field);
      }
    });

    it('copies the post with its replies: body, revisions, likes, image files, times and ids', async () => {
      const post = await buildPost({ group: world.cast.closedGroup, author: world.cast.author, body: '<p>first words</p>', images: { count: 1, ctx: world.forum.ctx } });
      await world.forum.http.patch(`/api/posts/${idOf(post)}`).set(world.cast.author.auth).send({ body: '<p>second words</p>' }).expect(200);
      const reply = await postIn(world.cast.closedGroup, world.cast.member, { parent: post, body: '<p>a reply</p>' });
      const unrelated = await postIn(world.cast.closedGroup, world.cast.author);
      await world.forum.http.put(`/api/posts/${idOf(post)}/like`).set(world.cast.member.auth).expect(200);

      const res = await placeHold(world.cast.siteModerator, holdOn('post', idOf(post))).expect(201);
      const hold = res.body as HoldWithItems;
      expect(hold).to.include({ reason: 'police request', reference: 'CASE-2024-17', status: 'active', createdBy: idOf(world.cast.siteModerator.user) });
      expect(hold.scope).to.deep.equal({ type: 'post', id: idOf(post) });
      expect(hold.items.map((item) => item.postId).sort()).to.deep.equal([idOf(post), idOf(reply)].sort());
      expect(versionsOf(hold, unrelated)).to.have.length(0);

      const [item] = versionsOf(hold, post) as [PreservedItemShape];
      expect(item.cause).to.equal('hold');
      expect(item).to.include({ groupId: idOf(world.cast.closedGroup), authorId: idOf(world.cast.author.user) });
      expect(item.data.body).to.equal('<p>second words</p>');
      expect(item.data.revisions.map((revision) => revision.body)).to.deep.equal(['<p>first words</p>']);
      expect(item.data.likes.map((like) => like.userId)).to.deep.equal([idOf(world.cast.member.user)]);
      expect(item.data.createdAt).to.equal(post.createdAt.toISOString());
      expect(item.data.editedAt).to.be.a('string');
      expect(item.images.map((image) => image.variant).sort()).to.deep.equal(['1280', '320']);

      const stored = await PreservedItem.findById(item.id).lean();
      expect(stored!.sha256).to.equal(sha256(stored!.document)).and.to.equal(item.sha256);
      for (const image of stored!.images) {
        const original = await world.forum.ctx.media.read('posts', post.images[0]!.key, image.variant);
        const copy = await world.forum.ctx.media.read('preserved', image.key, image.variant);
        expect(copy.equals(original)).to.equal(true);
        expect(image.sha256).to.equal(sha256(copy));
      }
      expect(await AuditEntry.findOne({ action: 'hold.create' }).lean()).to.include({ target: `hold:${hold.id}`, reason: 'police request' });
    });

    it('a user hold covers the posts they wrote in every group; a group hold every post of the group', async () => {
      const a = await postIn(world.cast.publicGroup, world.cast.author);
      const b = await postIn(world.cast.closedGroup, world.cast.author);
      const c = await postIn(world.cast.closedGroup, world.cast.member);
      const userHold = (await placeHold(world.cast.siteModerator, holdOn('user', idOf(world.cast.author.user))).expect(201)).body as HoldWithItems;
      expect(userHold.items.map((item) => item.postId).sort()).to.deep.equal([idOf(a), idOf(b)].sort());
      const groupHold = (await placeHold(world.cast.siteModerator, holdOn('group', idOf(world.cast.closedGroup))).expect(201)).body as HoldWithItems;
      // The group hold copies b and c; b's earlier copy from the user hold is covered by both.
      expect(new Set(groupHold.items.map((item) => item.postId))).to.deep.equal(new Set([idOf(b), idOf(c)]));
    });
  });

  describe('a hold survives what happens to its content afterwards', () => {
    let post: PostFields;
    let holdId: string;

    beforeEach(async () => {
      post = await buildPost({ group: world.cast.publicGroup, author: world.cast.author, body: '<p>original</p>', images: { count: 1, ctx: world.forum.ctx } });
      await world.forum.http.put(`/api/posts/${idOf(post)}/like`).set(world.cast.member.auth).expect(200);
      holdId = ((await placeHold(world.cast.siteModerator, holdOn('user', idOf(world.cast.author.user))).expect(201)).body as HoldWithItems).id;
    });

    it('an author edit is preserved before it happens: the original and every revision stay', async () => {
      await world.forum.http.patch(`/api/posts/${idOf(post)}`).set(world.cast.author.auth).send({ body: '<p>edit one</p>' }).expect(200);
      await world.forum.http.patch(`/api/posts/${idOf(post)}`).set(world.cast.author.auth).send({ body: '<p>edit two</p>' }).expect(200);
      const versions = versionsOf(await readHold(holdId), post);
      expect(versions.map((version) => version.cause)).to.deep.equal(['hold', 'edit', 'edit']);
      expect(versions.map((version) => version.data.body)).to.deep.equal(['<p>original</p>', '<p>original</p>', '<p>edit one</p>']);
      expect(versions[2]!.data.revisions.map((revision) => revision.body)).to.deep.equal(['<p>original</p>']);
      // Each version carries the hash of its own content: the state before the first edit is the state the hold
      // copied, so those two match; the image file was copied once and is shared.
      expect(versions[1]!.sha256).to.equal(versions[0]!.sha256);
      expect(versions[2]!.sha256).not.to.equal(versions[1]!.sha256);
      const stored = await PreservedItem.find({ postId: post._id }).lean();
      expect(new Set(stored.flatMap((item) => item.images.map((image) => image.key))).size).to.equal(1);
    });

    it('deletion removes the post from the forum for everyone, but the hold keeps it, image files included', async () => {
      await world.forum.http.patch(`/api/posts/${idOf(post)}`).set(world.cast.author.auth).send({ body: '<p>edited</p>' }).expect(200);
      await world.forum.http.delete(`/api/posts/${idOf(post)}`).set(world.cast.author.auth).expect(204);
      for (const who of [world.cast.member, world.cast.siteModerator]) await world.forum.http.get(`/api/posts/${idOf(post)}`).set(who.auth).expect(404);
      expect(await PostModel.exists({ _id: post._id })).to.equal(null);
      expect(existsSync(world.forum.ctx.media.filePath('posts', post.images[0]!.key, '1280'))).to.equal(false);

      const versions = versionsOf(await readHold(holdId), post);
      expect(versions.map((version) => version.cause)).to.deep.equal(['hold', 'edit', 'delete']);
      const last = versions[2]!;
      expect(last.data.body).to.equal('<p>edited</p>');
      expect(last.data.revisions.map((revision) => revision.body)).to.deep.equal(['<p>original</p>']);
      expect(last.data.likes).to.have.length(1);
      const stored = await PreservedItem.findById(last.id).lean();
      for (const image of stored!.images) expect(existsSync(world.forum.ctx.media.filePath('preserved', image.key, image.variant))).to.equal(true);
    });

    it('account erasure is preserved first, with the original and all revisions', async () => {
      await world.forum.http.patch(`/api/posts/${idOf(post)}`).set(world.cast.author.auth).send({ body: '<p>edited</p>' }).expect(200);
      // What the privacy service's erasure does: preserve, then remove the account and everything it wrote.
      expect(await preserveBeforeChange(world.forum.ctx, { userId: world.cast.author.user._id }, 'erasure')).to.equal(1);
      await PostModel.deleteMany({ authorId: world.cast.author.user._id });
      await User.deleteOne({ _id: world.cast.author.user._id });

      const versions = versionsOf(await readHold(holdId), post);
      expect(versions.map((version) => version.cause)).to.deep.equal(['hold', 'edit', 'erasure']);
      expect(versions[0]!.data.body).to.equal('<p>original</p>');
      expect(versions[2]!.data.body).to.equal('<p>edited</p>');
      expect(versions[2]!.data.revisions.map((revision) => revision.body)).to.deep.equal(['<p>original</p>']);
      expect(versions[2]!.authorId).to.equal(idOf(world.cast.author.user));
    });

    it('an erasure also preserves covered posts whose likes it removes', async () => {
      const liked = await postIn(world.cast.publicGroup, world.cast.member);
      await world.forum.http.put(`/api/posts/${idOf(liked)}/like`).set(world.cast.stranger.auth).expect(200);
      const groupHold = ((await placeHold(world.cast.siteModerator, holdOn('group', idOf(world.cast.publicGroup))).expect(201)).body as HoldWithItems).id;
      await preserveBeforeChange(world.forum.ctx, { userId: world.cast.stranger.user._id }, 'erasure');
      await Like.deleteMany({ userId: world.cast.stranger.user._id });
      const versions = versionsOf(await readHold(groupHold), liked);
      expect(versions.map((version) => version.cause)).to.deep.equal(['hold', 'erasure']);
      expect(versions[1]!.data.likes.map((like) => like.userId)).to.deep.equal([idOf(world.cast.stranger.user)]);
    });

    it('hiding is preserved before it happens', async () => {
      await world.forum.http.post(`/api/mod/posts/${idOf(post)}/hide`).set(world.cast.siteModerator.auth).send({ reason: 'spam' }).expect(200);
      const versions = versionsOf(await readHold(holdId), post);
      expect(versions.map((version) => [version.cause, version.data.hidden])).to.deep.equal([
        ['hold', null],
        ['hide', null],
      ]);
    });

    it('changes to content outside every hold preserve nothing', async () => {
      const outside = await postIn(world.cast.publicGroup, world.cast.member);
      await world.forum.http.patch(`/api/posts/${idOf(outside)}`).set(world.cast.member.auth).send({ body: '<p>changed</p>' }).expect(200);
      await world.forum.http.delete(`/api/posts/${idOf(outside)}`).set(world.cast.member.auth).expect(204);
      expect(await PreservedItem.countDocuments({ postId: outside._id })).to.equal(0);
    });

    it('the application refuses to change a preserved item', async () => {
      let refused: unknown = null;
      try {
        await PreservedItem.updateOne({ postId: post._id }, { $set: { document: '{}' } });
      } catch (error) {
        refused = error;
      }
      expect(refused).to.be.instanceOf(Error);
    });
  });

  describe('GET /api/mod/holds/:id and GET /api/mod/holds', () => {
    it('requires a token', async () => {
      await world.forum.http.get('/api/mod/holds/0123456789abcdef01234567').expect(401);
      await world.forum.http.get('/api/mod/holds').expect(401);
    });

    it('a non-moderator cannot read a hold or the list', async () => {
      const hold = (await placeHold(world.cast.siteModerator, holdOn('group', idOf(world.cast.publicGroup))).expect(201)).body as HoldWithItems;
      for (const who of [world.cast.author, world.cast.owner]) {
        await world.forum.http.get(`/api/mod/holds/${hold.id}`).set(who.auth).expect(403);
        await world.forum.http.get('/api/mod/holds').set(who.auth).expect(403);
      }
    });

    it('404 for a non-id and an unknown hold; reading one is audited; the list pages by status', async () => {
      await world.forum.http.get('/api/mod/holds/abc').set(world.cast.siteModerator.auth).expect(404);
      await world.forum.http.get('/api/mod/holds/0123456789abcdef01234567').set(world.cast.siteModerator.auth).expect(404);
      const hold = (await placeHold(world.cast.siteModerator, holdOn('group', idOf(world.cast.publicGroup))).expect(201)).body as HoldWithItems;
      await readHold(hold.id);
      expect(await AuditEntry.findOne({ action: 'hold.read' }).lean()).to.include({ actor: idOf(world.cast.siteModerator.user), target: `hold:${hold.id}` });
      const list = await world.forum.http.get('/api/mod/holds?status=active').set(world.cast.siteModerator.auth).expect(200);
      expect(list.body.items.map((row: { id: string }) => row.id)).to.deep.equal([hold.id]);
      expect(list.body.items[0]).not.to.have.property('items');
      await world.forum.http.get('/api/mod/holds?status=bogus').set(world.cast.siteModerator.auth).expect(400);
    });
  });

  describe('DELETE /api/mod/holds/:id (release)', () => {
    it('requires a token', async () => {
      await world.forum.http.delete('/api/mod/holds/0123456789abcdef01234567').send({ reason: 'done' }).expect(401);
    });

    it('a non-moderator cannot, and a site moderator who is not an admin cannot either', async () => {
      const hold = (await placeHold(world.cast.siteModerator, holdOn('group', idOf(world.cast.publicGroup))).expect(201)).body as HoldWithItems;
      await world.forum.http.delete(`/api/mod/holds/${hold.id}`).set(world.cast.member.auth).send({ reason: 'done' }).expect(403);
      const res = await world.forum.http.delete(`/api/mod/holds/${hold.id}`).set(world.cast.siteModerator.auth).send({ reason: 'done' }).expect(403);
      expect(res.body.error.message).to.match(/admin/);
    });

    it('requires a reason; 404 unknown; 409 when already released', async () => {
      const hold = (await placeHold(world.cast.siteModerator, holdOn('group', idOf(world.cast.publicGroup))).expect(201)).body as HoldWithItems;
      const res = await world.forum.http.delete(`/api/mod/holds/${hold.id}`).set(world.cast.admin.auth).send({}).expect(400);
      expect(res.body.error.field).to.equal('reason');
      await world.forum.http.delete('/api/mod/holds/0123456789abcdef01234567').set(world.cast.admin.auth).send({ reason: 'done' }).expect(404);
      const released = await world.forum.http.delete(`/api/mod/holds/${hold.id}`).set(world.cast.admin.auth).send({ reason: 'case closed' }).expect(200);
      expect(released.body).to.include({ status: 'released', releaseReason: 'case closed', releasedBy: idOf(world.cast.admin.user) });
      await world.forum.http.delete(`/api/mod/holds/${hold.id}`).set(world.cast.admin.auth).send({ reason: 'again' }).expect(409);
      expect(await AuditEntry.findOne({ action: 'hold.release' }).lean()).to.include({ reason: 'case closed' });
    });

    it('deletes the preserved copies and files unless another hold covers them', async () => {
      const shared = await buildPost({ group: world.cast.publicGroup, author: world.cast.author, images: { count: 1, ctx: world.forum.ctx } });
      const onlyInGroup = await postIn(world.cast.publicGroup, world.cast.member);
      const userHold = ((await placeHold(world.cast.siteModerator, holdOn('user', idOf(world.cast.author.user))).expect(201)).body as HoldWithItems).id;
      const groupHold = ((await placeHold(world.cast.siteModerator, holdOn('group', idOf(world.cast.publicGroup))).expect(201)).body as HoldWithItems).id;
      await world.forum.http.delete(`/api/posts/${idOf(shared)}`).set(world.cast.author.auth).expect(204);
      const sharedCopies = await PreservedItem.find({ postId: shared._id }).lean();
      expect(sharedCopies.map((item) => item.cause)).to.deep.equal(['hold', 'hold', 'delete']);
      const files = sharedCopies.flatMap((item) => item.images.map((image) => world.forum.ctx.media.filePath('preserved', image.key, image.variant)));

      await world.forum.http.delete(`/api/mod/holds/${groupHold}`).set(world.cast.admin.auth).send({ reason: 'group case closed' }).expect(200);
      // The user hold still covers every copy of the shared post; the other post's copy is gone.
      expect(await PreservedItem.countDocuments({ postId: shared._id })).to.equal(3);
      expect(await PreservedItem.countDocuments({ postId: onlyInGroup._id })).to.equal(0);
      for (const file of files) expect(existsSync(file), file).to.equal(true);
      expect(versionsOf(await readHold(userHold), shared)).to.have.length(3);
      expect((await readHold(groupHold)).items).to.deep.equal([]);

      await world.forum.http.delete(`/api/mod/holds/${userHold}`).set(world.cast.admin.auth).send({ reason: 'user case closed' }).expect(200);
      expect(await PreservedItem.countDocuments()).to.equal(0);
      for (const file of files) expect(existsSync(file), file).to.equal(false);
    });
  });
});
