// The audit log: append-only, hash-chained, verifiable; tampering in the database is found and pinpointed.
import { expect } from 'chai';
import mongoose from 'mongoose';
import { AuditEntry } from '../../../server/models/audit-entry';
import { appendAudit, auditHash, GENESIS_HASH } from '../../../server/services/audit';
import type { AuditEntry as AuditEntryShape } from '../../../shared/moderation';
import { buildUser, type BuiltUser } from '../../support/factories';
import { useModerationForum } from '../../support/moderation';

describe('moderation audit log', () => {
  const world = useModerationForum();

  async function appendSome(count: number, actor: BuiltUser = world.cast.siteModerator): Promise<void> {
    for (let i = 0; i < count; i++) {
      await appendAudit(world.forum.ctx, { actor: actor.user._id, action: 'test.append', target: `thing:${i}`, reason: `reason ${i}` });
    }
  }

  describe('GET /api/mod/audit', () => {
    it('requires a token', async () => {
      await world.forum.http.get('/api/mod/audit').expect(401);
    });

    it('a non-moderator cannot read it, nor can a group owner', async () => {
      for (const who of [world.cast.member, world.cast.owner, world.cast.groupModerator]) {
        const res = await world.forum.http.get('/api/mod/audit').set(who.auth).expect(403);
        expect(res.body.error.code).to.equal('forbidden');
      }
    });

    it('lists entries newest first with the contract fields, paged by seq', async () => {
      await appendSome(5);
      const first = await world.forum.http.get('/api/mod/audit?limit=3').set(world.cast.siteModerator.auth).expect(200);
      const items = first.body.items as AuditEntryShape[];
      expect(items.map((entry) => entry.seq)).to.deep.equal([5, 4, 3]);
      expect(items[0]).to.have.all.keys('seq', 'at', 'actor', 'action', 'target', 'reason', 'hash', 'prevHash');
      expect(items[0]!.prevHash).to.equal(items[1]!.hash);
      expect(first.body.nextCursor).to.equal('3');
      const second = await world.forum.http.get(`/api/mod/audit?limit=3&cursor=${first.body.nextCursor}`).set(world.cast.siteModerator.auth).expect(200);
      expect((second.body.items as AuditEntryShape[]).map((entry) => entry.seq)).to.deep.equal([2, 1]);
      expect(second.body.items[1].prevHash).to.equal(GENESIS_HASH);
      expect(second.body.nextCursor).to.equal(null);
    });

    it('rejects a cursor it did not hand out and a bad limit with 400', async () => {
      const bad = await world.forum.http.get('/api/mod/audit?cursor=abc').set(world.cast.siteModerator.auth).expect(400);
      expect(bad.body.error.field).to.equal('cursor');
      await world.forum.http.get('/api/mod/audit?limit=500').set(world.cast.siteModerator.auth).expect(400);
    });
  });

  describe('GET /api/mod/audit/verify', () => {
    it('requires a token', async () => {
      await world.forum.http.get('/api/mod/audit/verify').expect(401);
    });

    it('a non-moderator cannot', async () => {
      await world.forum.http.get('/api/mod/audit/verify').set(world.cast.member.auth).expect(403);
    });

    it('verifies an empty log and an intact chain', async () => {
      expect((await world.forum.http.get('/api/mod/audit/verify').set(world.cast.siteModerator.auth).expect(200)).body).to.deep.equal({
        ok: true,
        entries: 0,
        brokenAt: null,
      });
      await appendSome(7);
      const res = await world.forum.http.get('/api/mod/audit/verify').set(world.cast.siteModerator.auth).expect(200);
      expect(res.body).to.deep.equal({ ok: true, entries: 7, brokenAt: null });
    });

    it('keeps seq gap-free and the chain intact under concurrent appends', async () => {
      await Promise.all(
        Array.from({ length: 25 }, (_, i) => appendAudit(world.forum.ctx, { actor: 'system', action: 'test.concurrent', target: `thing:${i}` })),
      );
      const seqs = (await AuditEntry.find({}, { seq: 1 }).sort({ seq: 1 }).lean<{ seq: number }[]>()).map((entry) => entry.seq);
      expect(seqs).to.deep.equal(Array.from({ length: 25 }, (_, i) => i + 1));
      expect((await world.forum.http.get('/api/mod/audit/verify').set(world.cast.siteModerator.auth).expect(200)).body.ok).to.equal(true);
    });

    it('when another process takes the next seq first, the append retries and links on top of it', async () => {
      await appendSome(2);
      const model = AuditEntry as unknown as { create: (doc: Record<string, unknown>) => Promise<unknown> };
      const realCreate = model.create.bind(AuditEntry);
      let raced = false;
      // Between this process reading the last entry and writing its own, another process writes that seq.
      model.create = async (doc) => {
        if (!raced) {
          raced = true;
          const foreign = { seq: doc.seq as number, at: new Date(), actor: 'system', action: 'test.foreign', target: 'thing:x', reason: null, prevHash: doc.prevHash as string };
          await mongoose.connection.db!.collection('auditentries').insertOne({ ...foreign, hash: auditHash(foreign) });
        }
        return realCreate(doc);
      };
      try {
        const appended = await appendAudit(world.forum.ctx, { actor: 'system', action: 'test.after', target: 'thing:y' });
        expect(raced).to.equal(true);
        expect(appended.seq).to.equal(4);
      } finally {
        delete (model as { create?: unknown }).create;
      }
      expect((await AuditEntry.findOne({ seq: 3 }).lean())!.action).to.equal('test.foreign');
      expect((await world.forum.http.get('/api/mod/audit/verify').set(world.cast.siteModerator.auth).expect(200)).body).to.deep.equal({
        ok: true,
        entries: 4,
        brokenAt: null,
      });
    });

    it('reports exactly the entry whose reason was altered directly in the database', async () => {
      await appendSome(6);
      await mongoose.connection.db!.collection('auditentries').updateOne({ seq: 4 }, { $set: { reason: 'nothing to see here' } });
      const res = await world.forum.http.get('/api/mod/audit/verify').set(world.cast.siteModerator.auth).expect(200);
      expect(res.body).to.deep.equal({ ok: false, entries: 6, brokenAt: 4 });
    });

    it('reports the entry after one whose hash was recomputed to hide an edit (its link no longer holds)', async () => {
      await appendSome(5);
      const entry = await AuditEntry.findOne({ seq: 2 }).lean();
      const forged = { ...entry!, actor: 'someone-else' };
      await mongoose.connection.db!.collection('auditentries').updateOne({ seq: 2 }, { $set: { actor: forged.actor, hash: auditHash(forged) } });
      const res = await world.forum.http.get('/api/mod/audit/verify').set(world.cast.siteModerator.auth).expect(200);
      expect(res.body).to.deep.equal({ ok: false, entries: 5, brokenAt: 3 });
    });

    it('reports a deleted entry as a gap at the entry after it', async () => {
      await appendSome(4);
      await mongoose.connection.db!.collection('auditentries').deleteOne({ seq: 2 });
      const res = await world.forum.http.get('/api/mod/audit/verify').set(world.cast.siteModerator.auth).expect(200);
      expect(res.body).to.deep.equal({ ok: false, entries: 3, brokenAt: 3 });
    });

    it('reports an entry whose time was replaced by a value of another type', async () => {
      await appendSome(3);
      const entry = await AuditEntry.findOne({ seq: 1 }).lean();
      await mongoose.connection.db!.collection('auditentries').updateOne({ seq: 1 }, { $set: { at: entry!.at.toISOString() } });
      expect((await world.forum.http.get('/api/mod/audit/verify').set(world.cast.siteModerator.auth).expect(200)).body.brokenAt).to.equal(1);
    });
  });

  describe('append-only', () => {
    it('the application refuses to change an entry through the model', async () => {
      await appendSome(1);
      let refused: unknown = null;
      try {
        await AuditEntry.updateOne({ seq: 1 }, { $set: { reason: 'changed' } });
      } catch (error) {
        refused = error;
      }
      expect(refused).to.be.instanceOf(Error);
      const doc = await AuditEntry.findOne({ seq: 1 });
      doc!.reason = 'changed';
      let refusedSave: unknown = null;
      try {
        await doc!.save();
      } catch (error) {
        refusedSave = error;
      }
      expect(refusedSave).to.be.instanceOf(Error);
      expect((await AuditEntry.findOne({ seq: 1 }).lean())!.reason).to.equal('reason 0');
    });

    it('offers no route to edit or delete an entry', async () => {
      await appendSome(1);
      for (const method of ['put', 'patch', 'delete'] as const) {
        await world.forum.http[method]('/api/mod/audit/1').set(world.cast.admin.auth).send({ reason: 'x' }).expect(404);
        await world.forum.http[method]('/api/mod/audit').set(world.cast.admin.auth).send({ reason: 'x' }).expect(404);
      }
    });

    it('records user ids only, never names or e-mail addresses', async () => {
      const moderator = world.cast.siteModerator;
      await appendSome(1, moderator);
      const entry = await AuditEntry.findOne({ seq: 1 }).lean();
      const text = JSON.stringify(entry);
      expect(text).to.include(moderator.user._id.toString());
      expect(text).not.to.include(moderator.user.email);
      expect(text).not.to.include(moderator.user.name);
    });
  });
});
