// Live notifications across two forum processes sharing one database and a real Redis: every socket of
// the recipient, wherever it is connected, gets the notification and the same count; nobody else does.
import { expect } from 'chai';
import { sharedDatabaseUri } from '../support/database';
import { ForumApi } from '../support/forum-api';
import { settlesTo, startForumProcess, startRedis, type ForumProcess, type RedisServer } from '../support/processes';
import { SocketPool } from '../support/sockets';
import supertest from 'supertest';

describe('live notifications across processes (Redis adapter)', function () {
  this.timeout(120_000);
  let redis: RedisServer | null = null;
  let a: ForumProcess | null = null;
  let b: ForumProcess | null = null;
  let viaA: ForumApi;
  const pool = new SocketPool();

  before(async () => {
    redis = await startRedis();
    const env = { MONGODB_URI: sharedDatabaseUri(), REDIS_URL: redis.url, MEDIA_URL_SECRET: 'multi-process-test-secret-0123456789abcdef' };
    [a, b] = await Promise.all([startForumProcess(env), startForumProcess(env)]);
    viaA = ForumApi.at(a.url);
  });
  after(async () => {
    pool.closeAll();
    await Promise.all([a?.stop(), b?.stop()]);
    await redis?.stop();
  });

  it('sends a reply written through A to all of its author’s sockets on A and B, the count to both, and nothing to others', async () => {
    const [author, replier, other] = [await viaA.register(), await viaA.register(), await viaA.register()];
    const group = await viaA.createGroup(author, 'closed', 'open');
    await viaA.join(replier, group.id);
    await viaA.join(other, group.id);
    // Their join requests, told to the owner, are not what this test is about.
    await supertest(a!.url).post('/api/notifications/read').set(author.auth).send({ all: true });
    const onA = await pool.open(a!.url, { token: author.token });
    const onB = await pool.open(b!.url, { token: author.token });
    const otherOnB = await pool.open(b!.url, { token: other.token });
    const post = await viaA.post(author, group.id, '<p>closed question</p>');
    const reply = await viaA.post(replier, group.id, '<p>closed answer</p>', post.id);

    for (const { recorder } of [onA, onB]) {
      const received = await recorder.next('notification:new', (p) => (p.post as { id: string } | null)?.id === reply.id);
      expect(received.payload).to.deep.include({ type: 'reply', actorCount: 1 });
      expect((received.payload.post as { excerpt: string }).excerpt).to.equal('closed answer');
      await recorder.next('notification:count', (p) => p.count === 1);
    }

    // Marked read through B: A's socket hears the new count too.
    const id = (onA.recorder.find('notification:new', () => true)[0]!.payload as { id: string }).id;
    const read = await supertest(b!.url).post('/api/notifications/read').set(author.auth).send({ ids: [id] });
    expect(read.body).to.deep.equal({ count: 0 });
    await onA.recorder.next('notification:count', (p) => p.count === 0);
    await onB.recorder.next('notification:count', (p) => p.count === 0);
    expect(otherOnB.recorder.find('notification:new', () => true)).to.deep.equal([]);
  });

  it('drops the count on every socket, without a reload, when the recipient is removed from the closed group', async () => {
    const [owner, member, replier] = [await viaA.register(), await viaA.register(), await viaA.register()];
    const group = await viaA.createGroup(owner, 'closed', 'open');
    await viaA.join(member, group.id);
    await viaA.join(replier, group.id);
    await supertest(a!.url).post('/api/notifications/read').set(member.auth).send({ all: true });
    const onB = await pool.open(b!.url, { token: member.token });
    const post = await viaA.post(member, group.id);
    await viaA.post(replier, group.id, '<p>reply</p>', post.id);
    await onB.recorder.next('notification:count', (p) => p.count === 1);

    await viaA.removeMember(owner, group.id, member.id);
    await onB.recorder.next('notification:count', (p) => p.count === 0);
    const count = await supertest(b!.url).get('/api/notifications/unread-count').set(member.auth);
    expect(count.body).to.deep.equal({ count: 0 });
  });

  it('the count B holds in memory follows a reply, a mark read and a removal made through A', async () => {
    const [owner, member, replier] = [await viaA.register(), await viaA.register(), await viaA.register()];
    const group = await viaA.createGroup(owner, 'closed', 'open');
    await viaA.join(member, group.id);
    await viaA.join(replier, group.id);
    const post = await viaA.post(member, group.id);
    // Their approval to join is not what this test is about.
    await supertest(a!.url).post('/api/notifications/read').set(member.auth).send({ all: true });
    const countOnB = async () => (await supertest(b!.url).get('/api/notifications/unread-count').set(member.auth)).body.count as number;
    expect(await countOnB()).to.equal(0);
    await viaA.post(replier, group.id, '<p>reply</p>', post.id);
    expect(await settlesTo(countOnB, 1)).to.equal(1);
    await supertest(a!.url).post('/api/notifications/read').set(member.auth).send({ all: true });
    expect(await settlesTo(countOnB, 0)).to.equal(0);
    await viaA.post(replier, group.id, '<p>another reply</p>', post.id);
    expect(await settlesTo(countOnB, 1)).to.equal(1);
    await viaA.removeMember(owner, group.id, member.id);
    expect(await settlesTo(countOnB, 0)).to.equal(0);
  });
});
