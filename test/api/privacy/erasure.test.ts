// DELETE /api/me: the account and everything it made are gone from every response, feed, socket payload
// and count; replies by others stay under a placeholder; only a keyed hash of the address remains.
import { expect } from 'chai';
import type { Group, Post as PostShape } from '../../../shared/api';
import { ErasureJob } from '../../../server/models/erasure-job';
import { Membership } from '../../../server/models/membership';
import { Post } from '../../../server/models/post';
import { Suppression } from '../../../server/models/suppression';
import { User } from '../../../server/models/user';
import { sendMarketing } from '../../../server/services/marketing';
import { addressHash } from '../../../server/services/suppression';
import { samplePng } from '../../support/content';
import { resetDatabase } from '../../support/database';
import { findFiles, findTraces, waitForErasure } from '../../support/erasure';
import { buildUser, type BuiltUser } from '../../support/factories';
import { ForumApi } from '../../support/forum-api';
import { linkParameter, messagesTo } from '../../support/outbox';
import { startTestForum, type TestForum } from '../../support/forum';
import { disconnected, follow, SocketPool, type Recorder } from '../../support/sockets';

const OPT_IN = { email: true, sms: false, whatsapp: false, phone: false, post: false };

describe('account erasure: DELETE /api/me', () => {
  let forum: TestForum;
  let api: ForumApi;
  const pool = new SocketPool();

  before(async () => {
    await resetDatabase();
    // Slow steps keep the job running long enough to look at the account while it is being erased.
    forum = await startTestForum({ erasure: { stepDelayMs: 60 }, loginLimits: { freePerPair: 100, freePerAccount: 100, perAddress: 1000 } });
    await forum.startListening();
    api = new ForumApi(forum.http);
  });
  after(async () => {
    pool.closeAll();
    await forum.close();
  });

  it('requires a token', async () => {
    await forum.http.delete('/api/me').send({ password: 'whatever' }).expect(401);
  });

  it('refuses a missing or wrong password with 400 and leaves the account untouched', async () => {
    const me = await buildUser();
    expect((await forum.http.delete('/api/me').set(me.auth).send({}).expect(400)).body.error.field).to.equal('password');
    expect((await forum.http.delete('/api/me').set(me.auth).send({ password: 42 }).expect(400)).body.error.field).to.equal('password');
    const wrong = await forum.http.delete('/api/me').set(me.auth).send({ password: 'not the password' }).expect(400);
    expect(wrong.body.error.field).to.equal('password');
    await forum.http.get('/api/me').set(me.auth).expect(200);
    expect(await ErasureJob.exists({ userId: me.user._id })).to.equal(null);
  });

  describe('a full erasure', () => {
    let erased: BuiltUser;
    let other: BuiltUser;
    let owned: Group;
    let square: Group;
    let backRoom: Group;
    const ids: Record<string, string> = {};
    let imageKeys: string[];
    let avatarKey: string;
    let erasedSocket: Awaited<ReturnType<SocketPool['open']>>;
    let watcher: Recorder;
    let watcherAfterErasure: number;

    before(async function () {
      this.timeout(60_000);
      erased = await buildUser({ name: 'Erin Erased', dateOfBirth: '1966-06-16', preferences: OPT_IN });
      other = await buildUser();
      await forum.http.put('/api/me/avatar').set(erased.auth).attach('image', await samplePng(), 'me.png').expect(200);
      await forum.http.put('/api/me/preferences').set(erased.auth).send({ ...OPT_IN, post: true }).expect(200);

      square = await api.createGroup(other, 'public');
      backRoom = await api.createGroup(other, 'closed', 'open');
      owned = await api.createGroup(erased, 'closed', 'open');
      await api.join(erased, square.id);
      await api.join(erased, backRoom.id);
      await api.join(other, owned.id);
      await forum.http.put(`/api/groups/${owned.id}/members/${String(other.user._id)}/role`).set(erased.auth).send({ role: 'moderator' }).expect(200);

      ids.lonely = (await api.post(erased, square.id, '<p>nobody answered this</p>')).id;
      ids.answered = (await api.post(erased, square.id, '<p>Erin asks a question</p>')).id;
      ids.othersReply = (await api.post(other, square.id, '<p>an answer that stays</p>', ids.answered)).id;
      ids.ownReplyToOwn = (await api.post(erased, square.id, '<p>Erin follows up</p>', ids.lonely)).id;
      ids.othersPost = (await api.post(other, square.id, '<p>other speaks</p>')).id;
      ids.replyToOther = (await api.post(erased, square.id, '<p>Erin replies to other</p>', ids.othersPost)).id;
      const withImage = await forum.http
        .post(`/api/groups/${backRoom.id}/posts`)
        .set(erased.auth)
        .field('body', '<p>closed words with a picture</p>')
        .attach('images', await samplePng(), 'photo.png')
        .expect(201);
      ids.closed = withImage.body.id;
      await api.edit(erased, ids.closed, '<p>closed words, edited</p>');
      await api.like(erased, ids.othersPost);
      await api.like(other, ids.answered);
      await forum.http.put('/api/me/email').set(erased.auth).send({ email: 'erin.next@example.org', password: erased.password }).expect(202);
      await sendMarketing(forum.ctx, [erased.user._id], { subject: 'Hello', text: 'News', channel: 'email' });

      const stored = (await Post.find({ authorId: erased.user._id }, { images: 1 }).lean()).flatMap((post) => post.images.map((image) => image.key));
      imageKeys = stored;
      avatarKey = (await User.findById(erased.user._id).lean())!.avatarKey!;
      expect(imageKeys).to.have.length(1);

      erasedSocket = await pool.open(forum.url, { token: erased.token });
      const watching = await pool.open(forum.url, { token: other.token });
      await follow(watching.socket, 'home', `group:${square.id}`, `group:${backRoom.id}`, `group:${owned.id}`);
      watcher = watching.recorder;
      watcherAfterErasure = watcher.received.length;

      await forum.http.delete('/api/me').set(erased.auth).send({ password: erased.password }).expect(202, { status: 'erasing' });
    });

    it('at once: the token is dead, sign-in fails, the socket is cut and the profile is gone', async () => {
      await forum.http.get('/api/me').set(erased.auth).expect(401);
      await forum.http.post('/api/auth/login').send({ email: erased.user.email, password: erased.password }).expect(401);
      await disconnected(erasedSocket.socket);
      await forum.http.get(`/api/users/${String(erased.user._id)}`).set(other.auth).expect(404);
      await forum.http.get(`/api/users/${String(erased.user._id)}/posts`).set(other.auth).expect(404);
      await forum.http.get(`/api/users/${String(erased.user._id)}/likes`).set(other.auth).expect(404);
      // Posts not yet removed already show no author.
      const remaining = await forum.http.get(`/api/groups/${square.id}/posts`).set(other.auth).expect(200);
      for (const post of remaining.body.items as PostShape[]) expect(post.author?.id).to.not.equal(String(erased.user._id));
      expect(await ErasureJob.exists({ userId: erased.user._id })).to.not.equal(null);
    });

    it('finishes: no document anywhere names the person, and their files are gone', async () => {
      await waitForErasure(erased.user._id);
      const traces = await findTraces([String(erased.user._id), erased.user.email, erased.user.name, erased.user.dateOfBirth, 'erin.next@example.org']);
      expect(traces).to.deep.equal([]);
      expect(await findFiles(forum.ctx.config.uploadsDir, [...imageKeys, avatarKey])).to.deep.equal([]);
    });

    it('keeps only a keyed hash of the address on the suppression list', async () => {
      const entry = await Suppression.findOne({ addressHash: await addressHash(erased.user.email) }).lean();
      expect(entry).to.include({ reason: 'erasure' });
      expect(entry!.addressHash).to.match(/^[a-f0-9]{64}$/);
    });

    it('leaves others’ replies under a "deleted post" placeholder and removes the rest of the thread', async () => {
      const placeholder = await forum.http.get(`/api/posts/${ids.answered}`).set(other.auth).expect(200);
      expect(placeholder.body).to.include({ author: null, body: '', bodyText: '', likeCount: 0 });
      expect(placeholder.body.images).to.deep.equal([]);
      const replies = await forum.http.get(`/api/posts/${ids.answered}/replies`).set(other.auth).expect(200);
      expect((replies.body.items as PostShape[]).map((post) => post.id)).to.deep.equal([ids.othersReply]);
      for (const id of [ids.lonely, ids.ownReplyToOwn, ids.replyToOther, ids.closed]) {
        await forum.http.get(`/api/posts/${id}`).set(other.auth).expect(404);
      }
    });

    it('adjusts like and reply counts and member counts', async () => {
      const othersPost = await api.getPost(other, ids.othersPost);
      expect(othersPost).to.include({ likeCount: 0, replyCount: 0 });
      const groups = await Promise.all([square, backRoom, owned].map((group) => forum.http.get(`/api/groups/${group.id}`).set(other.auth).expect(200)));
      expect(groups.map((res) => res.body.memberCount)).to.deep.equal([1, 1, 1]);
    });

    it('hands an owned group to its group moderator', async () => {
      const group = await forum.http.get(`/api/groups/${owned.id}`).set(other.auth).expect(200);
      expect(group.body.myStatus).to.equal('owner');
      expect(await Membership.countDocuments({ groupId: owned.id })).to.equal(1);
    });

    it('is in no feed, list or socket payload', async () => {
      const doors = ['/api/feed', '/api/feed/public', `/api/groups/${square.id}/posts`, `/api/groups/${backRoom.id}/posts`, `/api/users/${String(other.user._id)}/posts`];
      for (const door of doors) {
        const res = await forum.http.get(door).set(other.auth).expect(200);
        const body = JSON.stringify(res.body);
        expect(body, door).to.not.contain(String(erased.user._id));
        expect(body, door).to.not.contain('Erin');
      }
      await watcher.next('like:update', (payload) => payload.postId === ids.othersPost && payload.likeCount === 0);
      await watcher.next('post:delete', (payload) => payload.id === ids.lonely);
      const payloads = JSON.stringify(watcher.received.slice(watcherAfterErasure));
      expect(payloads).to.not.contain(String(erased.user._id));
      expect(payloads).to.not.contain('Erin');
    });

    it('blocks any message to the erased address but the verification link of a re-registration, which starts a fresh account', async () => {
      const report = await sendMarketing(forum.ctx, [erased.user._id], { subject: 'Hello again', text: 'News', channel: 'email' });
      expect(report.sent).to.deep.equal([]);
      await forum.http
        .post('/api/auth/register')
        .send({ email: erased.user.email, password: 'a fresh long password', name: 'Erin Again', dateOfBirth: '1966-06-16', acceptTerms: true })
        .expect(202);
      expect((await messagesTo(erased.user.email)).map((message) => message.type)).to.deep.equal(['verify_email']);
      // Until the owner proves the address again, nothing else reaches it.
      await forum.http.post('/api/auth/password-reset').send({ email: erased.user.email }).expect(202);
      const again = await new ForumApi(forum.http).verify(await linkParameter(erased.user.email, '/verify-email', 'token'), {
        email: erased.user.email,
        password: 'a fresh long password',
      });
      expect(again.id).to.not.equal(String(erased.user._id));
      const me = (await forum.http.get('/api/me').set(again.auth).expect(200)).body;
      expect(me).to.include({ displayName: 'Erin Again', avatarUrl: null, bio: '', emailVerified: true });
      expect(me.preferences).to.deep.equal({ email: false, sms: false, whatsapp: false, phone: false, post: false });
      expect((await forum.http.get(`/api/users/${again.id}/posts`).set(again.auth).expect(200)).body.items).to.deep.equal([]);
      expect((await messagesTo(erased.user.email)).map((message) => message.type)).to.deep.equal(['verify_email']);
    });
  });

  describe('with an active legal hold on the person', () => {
    it('keeps the hold’s preserved copy, including what was posted after the hold began, and removes the rest', async function () {
      this.timeout(30_000);
      const person = await buildUser();
      const moderator = await buildUser({ roles: ['moderator'] });
      const group = await api.createGroup(moderator, 'public');
      await api.join(person, group.id);
      const before = await api.post(person, group.id, '<p>said before the hold</p>');
      const hold = await forum.http
        .post('/api/mod/holds')
        .set(moderator.auth)
        .send({ scope: { type: 'user', id: String(person.user._id) }, reason: 'litigation', reference: 'CASE-9' })
        .expect(201);
      const after = await api.post(person, group.id, '<p>said after the hold</p>');

      await forum.http.delete('/api/me').set(person.auth).send({ password: person.password }).expect(202);
      await waitForErasure(person.user._id);

      for (const post of [before, after]) await forum.http.get(`/api/posts/${post.id}`).set(moderator.auth).expect(404);
      const kept = await forum.http.get(`/api/mod/holds/${hold.body.id as string}`).set(moderator.auth).expect(200);
      const items = kept.body.items as { postId: string; cause: string; data: { body: string } }[];
      expect(items.map((item) => [item.postId, item.cause, item.data.body])).to.deep.include.members([
        [before.id, 'hold', '<p>said before the hold</p>'],
        [after.id, 'erasure', '<p>said after the hold</p>'],
      ]);
      // Only the hold (and the audit chain's record of it) may still name the person.
      expect(await findTraces([String(person.user._id), person.user.email], undefined, ['holds', 'preserveditems', 'auditentries'])).to.deep.equal([]);
    });
  });

  it('writes an audit entry for the erasure that names neither the person nor their address', async () => {
    const person = await buildUser();
    await forum.http.delete('/api/me').set(person.auth).send({ password: person.password }).expect(202);
    await waitForErasure(person.user._id);
    const moderator = await buildUser({ roles: ['moderator'] });
    const audit = await forum.http.get('/api/mod/audit').set(moderator.auth).expect(200);
    const entries = audit.body.items as { actor: string; action: string; target: string }[];
    const erasures = entries.filter((entry) => entry.action === 'account.erase');
    expect(erasures.length).to.be.greaterThan(0);
    expect(JSON.stringify(entries)).to.not.contain(String(person.user._id));
    expect(JSON.stringify(entries)).to.not.contain(person.user.email);
    expect(erasures[0]).to.include({ actor: 'system' });
    expect(erasures[0]!.target).to.match(/^erasure:[a-f0-9]{24}$/);
    expect((await forum.http.get('/api/mod/audit/verify').set(moderator.auth).expect(200)).body.ok).to.equal(true);
  });
});
