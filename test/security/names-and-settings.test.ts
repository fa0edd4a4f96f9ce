// Review items 9 and 12: group names and descriptions take the plain-text rules of display names, no
// name is made of invisible characters only, and a closed group is never open to anyone who asks.
import { expect } from 'chai';
import { Group } from '../../server/models/group';
import { Membership } from '../../server/models/membership';
import { readCache } from '../../server/services/read-cache';
import { buildGroup, buildPost, idOf } from '../support/content';
import { resetDatabase } from '../support/database';
import { buildUser, type BuiltUser } from '../support/factories';
import { startTestForum, type TestForum } from '../support/forum';

const INVISIBLE_ONLY = ['\u200b\u200b', '\u3164', '\u2800\u2800', '\u200d \u200c', '\u034f'];
const MARKUP = ['<img src=x onerror=alert(1)>', 'Admins</b>'];
const BIDI = ['Support \u202eteam', 'a\u2066b'];

describe('security: names and group settings', () => {
  let forum: TestForum;
  let owner: BuiltUser;
  let stranger: BuiltUser;

  before(async () => {
    await resetDatabase();
    forum = await startTestForum();
    [owner, stranger] = await Promise.all([buildUser(), buildUser()]);
  });
  after(() => forum.close());

  describe('group names and descriptions are plain text', () => {
    for (const value of [...MARKUP, ...BIDI, ...INVISIBLE_ONLY]) {
      it(`a group cannot be named ${JSON.stringify(value)}`, async () => {
        const res = await forum.http.post('/api/groups').set(owner.auth).send({ name: value, description: '', visibility: 'public' });
        expect(res.status, res.text).to.equal(400);
        expect(res.body.error.field).to.equal('name');
      });
    }

    for (const value of [...MARKUP, ...BIDI]) {
      it(`a description cannot hold ${JSON.stringify(value)}, on creation or change`, async () => {
        const created = await forum.http.post('/api/groups').set(owner.auth).send({ name: 'Fine', description: value, visibility: 'public' });
        expect(created.status, created.text).to.equal(400);
        expect(created.body.error.field).to.equal('description');
        const group = await buildGroup({ owner });
        const changed = await forum.http.patch(`/api/groups/${idOf(group)}`).set(owner.auth).send({ description: value });
        expect(changed.status, changed.text).to.equal(400);
        expect((await Group.findById(group._id).lean())!.description).to.equal(group.description);
      });
    }

    it('plain names and multi-line descriptions still work', async () => {
      const res = await forum.http.post('/api/groups').set(owner.auth).send({ name: 'Ärzte <3 Kinder', description: 'Line one\nLine two', visibility: 'public' });
      expect(res.status, res.text).to.equal(201);
      expect(res.body.description).to.equal('Line one\nLine two');
    });
  });

  describe('display names', () => {
    for (const value of INVISIBLE_ONLY) {
      it(`cannot be only invisible characters (${JSON.stringify(value)})`, async () => {
        const res = await forum.http.patch('/api/me').set(stranger.auth).send({ displayName: value });
        expect(res.status, res.text).to.equal(400);
        expect(res.body.error.field).to.equal('displayName');
      });
    }
  });

  describe('a closed group is never open to join', () => {
    it('refuses joinPolicy "open" for a closed group, on creation and by change', async () => {
      const created = await forum.http.post('/api/groups').set(owner.auth).send({ name: 'Secret', visibility: 'closed', joinPolicy: 'open' });
      expect(created.status, created.text).to.equal(400);
      expect(created.body.error.field).to.equal('joinPolicy');
      const closed = await buildGroup({ owner, visibility: 'closed' });
      const opened = await forum.http.patch(`/api/groups/${idOf(closed)}`).set(owner.auth).send({ joinPolicy: 'open' });
      expect(opened.status, opened.text).to.equal(400);
      const open = await buildGroup({ owner, visibility: 'public', joinPolicy: 'open' });
      const both = await forum.http.patch(`/api/groups/${idOf(open)}`).set(owner.auth).send({ visibility: 'closed', joinPolicy: 'open' });
      expect(both.status, both.text).to.equal(400);
      expect(both.body.error.field).to.equal('joinPolicy');
      // Closing an open group without naming a policy: closed wins, joining now asks for approval.
      const closing = await forum.http.patch(`/api/groups/${idOf(open)}`).set(owner.auth).send({ visibility: 'closed' });
      expect(closing.status, closing.text).to.equal(200);
      expect(closing.body.joinPolicy).to.equal('request');
      expect((await Group.findById(open._id).lean())!.joinPolicy).to.equal('request');
    });

    it('a stranger asking to join a closed group stored as "open" only gets a pending request and reads nothing', async () => {
      const group = await buildGroup({ owner, visibility: 'closed' });
      // As stored before such settings were refused.
      await Group.updateOne({ _id: group._id }, { $set: { joinPolicy: 'open' } });
      readCache.apply({ type: 'group.changed', groupId: idOf(group) });
      await buildPost({ group, author: owner, body: '<p>members only</p>' });
      const joined = await forum.http.post(`/api/groups/${idOf(group)}/join`).set(stranger.auth);
      expect(joined.status, joined.text).to.equal(200);
      expect(joined.body.myStatus).to.equal('pending');
      expect(joined.body.joinPolicy).to.equal('request');
      expect((await Membership.findOne({ groupId: group._id, userId: stranger.user._id }).lean())!.status).to.equal('pending');
      expect((await forum.http.get(`/api/groups/${idOf(group)}/posts`).set(stranger.auth)).status).to.equal(404);
    });

    it('removed and suspended people cannot join again; joining twice changes nothing', async () => {
      const group = await buildGroup({ owner, visibility: 'public' });
      const [removed, suspended, member] = await Promise.all([buildUser(), buildUser(), buildUser()]);
      await Membership.create({ groupId: group._id, userId: removed.user._id, status: 'removed' });
      await Membership.create({ groupId: group._id, userId: suspended.user._id, status: 'suspended' });
      for (const who of [removed, suspended]) {
        readCache.apply({ type: 'membership.changed', groupId: idOf(group), userId: String(who.user._id) });
        expect((await forum.http.post(`/api/groups/${idOf(group)}/join`).set(who.auth)).status).to.equal(403);
      }
      expect((await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth)).body.myStatus).to.equal('member');
      const again = await forum.http.post(`/api/groups/${idOf(group)}/join`).set(member.auth);
      expect(again.status).to.equal(200);
      expect((await Group.findById(group._id).lean())!.memberCount).to.equal(2);
    });
  });
});
