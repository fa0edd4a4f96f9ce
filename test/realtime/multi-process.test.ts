// Two forum processes sharing one database and one real Redis: what is written through process A reaches
// sockets on process B, and revocation through A takes effect on B's sockets before the next event. Each
// process caches identities and access facts (server/services/read-cache.ts); a change made through A must reach
// B's cache through the event relay, so B's HTTP answers change with it.
import { expect } from 'chai';
import { sharedDatabaseUri } from '../support/database';
import { ForumApi, type RegisteredUser } from '../support/forum-api';
import { settlesTo, startForumProcess, startRedis, type ForumProcess, type RedisServer } from '../support/processes';
import { disconnected, follow, SocketPool, subscribe } from '../support/sockets';
import { createClient } from 'redis';
import { User } from '../../server/models/user';
import supertest from 'supertest';

describe('realtime across processes (Redis adapter)', function () {
  this.timeout(120_000);
  let redis: RedisServer | null = null;
  let a: ForumProcess | null = null;
  let b: ForumProcess | null = null;
  let viaA: ForumApi;
  const pool = new SocketPool();
  let owner: RegisteredUser;

  before(async () => {
    redis = await startRedis();
    const env = {
      MONGODB_URI: sharedDatabaseUri(),
      REDIS_URL: redis.url,
      MEDIA_URL_SECRET: 'multi-process-test-secret-0123456789abcdef',
    };
    [a, b] = await Promise.all([startForumProcess(env), startForumProcess(env)]);
    viaA = ForumApi.at(a.url);
    owner = await viaA.register();
  });
  afterEach(() => pool.closeAll());
  after(async () => {
    pool.closeAll();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('runs two separate processes', () => {
    expect(a!.process.pid).to.not.equal(b!.process.pid);
    expect(a!.url).to.not.equal(b!.url);
  });

  it('delivers a post written through A to members and visitors connected to B, and not to outsiders', async () => {
    const [member, outsider] = [await viaA.register(), await viaA.register()];
    const closed = await viaA.createGroup(owner, 'closed', 'open');
    const open = await viaA.createGroup(owner, 'public');
    await viaA.join(member, closed.id);
    const memberOnB = await pool.open(b!.url, { token: member.token });
    const outsiderOnB = await pool.open(b!.url, { token: outsider.token });
    const visitorOnB = await pool.open(b!.url);
    await follow(memberOnB.socket, `group:${closed.id}`, 'home');
    await follow(outsiderOnB.socket, 'home');
    await follow(visitorOnB.socket, 'public');

    const secret = await viaA.post(owner, closed.id);
    const announcement = await viaA.post(owner, open.id);

    const received = await memberOnB.recorder.next('post:new', (p) => p.id === secret.id);
    const { likedByMe: _likedByMe, can: _perViewer, author, ...expected } = await viaA.getPost(member, secret.id);
    // One payload per event for every receiver: authors with minimal identity.
    expect(received.payload).to.deep.equal({ ...expected, author: { id: author!.id, displayName: author!.displayName, avatarUrl: author!.avatarUrl } });
    for (const { recorder } of [outsiderOnB, visitorOnB]) {
      await recorder.next('post:new', (p) => p.id === announcement.id);
      expect(recorder.about(secret.id)).to.deep.equal([]);
    }
  });

  it('a member removed through A stops receiving on B, and on A, from the next event on', async () => {
    const member = await viaA.register();
    const closed = await viaA.createGroup(owner, 'closed', 'open');
    const open = await viaA.createGroup(owner, 'public');
    await viaA.join(member, closed.id);
    // On A too: with Redis, A's own sockets must leave before A emits, not when Redis echoes the request.
    const sockets = [await pool.open(b!.url, { token: member.token }), await pool.open(a!.url, { token: member.token })];
    for (const { socket } of sockets) await follow(socket, `group:${closed.id}`, 'home');
    const seen = await viaA.post(owner, closed.id);
    for (const { recorder } of sockets) await recorder.next('post:new', (p) => p.id === seen.id);

    await viaA.removeMember(owner, closed.id, member.id);
    const unseen = await viaA.post(owner, closed.id);
    const later = await viaA.post(owner, open.id);

    for (const { socket, recorder } of sockets) {
      await recorder.next('post:new', (p) => p.id === later.id);
      expect(recorder.about(unseen.id)).to.deep.equal([]);
      expect(await subscribe(socket, `group:${closed.id}`)).to.deep.include({ ok: false });
    }
  });

  it('a group closed through A drops the non-members following it on B', async () => {
    const member = await viaA.register();
    const outsider = await viaA.register();
    const group = await viaA.createGroup(owner, 'public');
    const other = await viaA.createGroup(owner, 'public');
    await viaA.join(member, group.id);
    const memberOnB = await pool.open(b!.url, { token: member.token });
    const outsiderOnB = await pool.open(b!.url, { token: outsider.token });
    await follow(memberOnB.socket, `group:${group.id}`);
    await follow(outsiderOnB.socket, `group:${group.id}`, `group:${other.id}`);

    await viaA.updateGroup(owner, group.id, { visibility: 'closed' });
    const secret = await viaA.post(owner, group.id);
    const later = await viaA.post(owner, other.id);

    await memberOnB.recorder.next('post:new', (p) => p.id === secret.id);
    await outsiderOnB.recorder.next('post:new', (p) => p.id === later.id);
    expect(outsiderOnB.recorder.about(secret.id)).to.deep.equal([]);
  });

  it('logging out through A disconnects that token’s socket on B', async () => {
    const user = await viaA.register();
    const { socket } = await pool.open(b!.url, { token: user.token });
    const gone = disconnected(socket);
    await viaA.logout(user);
    expect(await gone).to.equal('io server disconnect');
  });

  it('an account suspended through A has its socket on B cut and its token refused by B at once', async () => {
    const admin = await viaA.register();
    // Made admin in the database before either process has seen its token, so no cache holds its roles.
    await User.updateOne({ _id: admin.id }, { $set: { roles: ['admin'] } });
    const user = await viaA.register();
    const meOnB = async () => (await supertest(b!.url).get('/api/me').set(user.auth)).status;
    expect(await meOnB()).to.equal(200);
    const { socket } = await pool.open(b!.url, { token: user.token });
    const gone = disconnected(socket);
    await supertest(a!.url).post(`/api/admin/users/${user.id}/suspend`).set(admin.auth).send({ reason: 'compromised' }).expect(200);
    expect(await gone).to.equal('io server disconnect');
    expect(await settlesTo(meOnB, 401)).to.equal(401);
  });

  describe('cached identities and access facts follow changes made through the other process', () => {
    it('a member removed through A can no longer read the closed group through B', async () => {
      const member = await viaA.register();
      const closed = await viaA.createGroup(owner, 'closed', 'open');
      await viaA.join(member, closed.id);
      const secret = await viaA.post(owner, closed.id);
      const readOnB = async () => (await supertest(b!.url).get(`/api/groups/${closed.id}/posts`).set(member.auth)).status;
      const postOnB = async () => (await supertest(b!.url).get(`/api/posts/${secret.id}`).set(member.auth)).status;
      expect(await readOnB()).to.equal(200);
      expect(await postOnB()).to.equal(200);

      await viaA.removeMember(owner, closed.id, member.id);
      expect(await settlesTo(readOnB, 404)).to.equal(404);
      expect(await postOnB()).to.equal(404);
      const home = await supertest(b!.url).get('/api/feed').set(member.auth).expect(200);
      expect(home.body.items.map((post: { id: string }) => post.id)).to.not.include(secret.id);
    });

    it('as an outsider I cannot read a group through B once it is closed through A', async () => {
      const outsider = await viaA.register();
      const group = await viaA.createGroup(owner, 'public');
      const post = await viaA.post(owner, group.id);
      const readOnB = async () => (await supertest(b!.url).get(`/api/posts/${post.id}`).set(outsider.auth)).status;
      const homepageOnB = async () => (await supertest(b!.url).get('/api/feed/public').expect(200)).body.items.map((item: { id: string }) => item.id);
      expect(await readOnB()).to.equal(200);
      expect(await homepageOnB()).to.include(post.id);

      await viaA.updateGroup(owner, group.id, { visibility: 'closed' });
      expect(await settlesTo(readOnB, 404)).to.equal(404);
      // The homepage's cache is dropped by the same relayed event, well before its 2-second backstop.
      expect(await homepageOnB()).to.not.include(post.id);
    });

    it('the newest posts and likes B keeps in memory follow a delete and a like made through A', async () => {
      const reader = await viaA.register();
      const group = await viaA.createGroup(owner, 'public');
      const kept = await viaA.post(owner, group.id);
      const gone = await viaA.post(owner, group.id);
      const listedOnB = async (path: string) =>
        ((await supertest(b!.url).get(path).set(reader.auth).expect(200)).body.items as { id: string; likeCount: number; likedByMe: boolean }[])
          .filter((item) => [kept.id, gone.id].includes(item.id))
          .map((item) => [item.id, item.likeCount, item.likedByMe]);
      const groupOnB = () => listedOnB(`/api/groups/${group.id}/posts`);
      const homeOnB = () => listedOnB('/api/feed');
      const before = [[gone.id, 0, false], [kept.id, 0, false]];
      expect([await groupOnB(), await homeOnB()]).to.deep.equal([before, before]);

      await viaA.delete(owner, gone.id);
      await viaA.like(reader, kept.id);
      const after = [[kept.id, 1, true]];
      expect(await settlesTo(groupOnB, after)).to.deep.equal(after);
      expect(await homeOnB()).to.deep.equal(after);
    });

    it('a token logged out through A stops working on B', async () => {
      const user = await viaA.register();
      const meOnB = async () => (await supertest(b!.url).get('/api/me').set(user.auth)).status;
      expect(await meOnB()).to.equal(200);
      await viaA.logout(user);
      expect(await settlesTo(meOnB, 401)).to.equal(401);
    });

    it('a message on the relay channel that is not an event is dropped; the processes keep answering', async () => {
      const user = await viaA.register();
      const publisher = createClient({ url: redis!.url });
      await publisher.connect();
      try {
        for (const junk of ['not json', 'null', '7', '{"origin":"elsewhere"}', '{"origin":"elsewhere","event":null}', '{"origin":"elsewhere","event":{"type":42}}', '[]']) {
          await publisher.publish('forum:domain-events', junk);
        }
      } finally {
        await publisher.close();
      }
      await supertest(b!.url).get('/api/me').set(user.auth).expect(200);
      await supertest(a!.url).get('/api/me').set(user.auth).expect(200);
    });

    it('a member who joins through A can read the closed group through B', async () => {
      const member = await viaA.register();
      const closed = await viaA.createGroup(owner, 'closed', 'open');
      const readOnB = async () => (await supertest(b!.url).get(`/api/groups/${closed.id}/posts`).set(member.auth)).status;
      expect(await readOnB()).to.equal(404);
      await viaA.join(member, closed.id);
      expect(await settlesTo(readOnB, 200)).to.equal(200);
    });
  });
});
